import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lineAmounts, ROUNDING_MODES } from '../platform/money.ts';
import { billLineAmounts, type BillableLine } from './invoice-amounts.ts';

const rate = (maxWhole: number) =>
  fc
    .tuple(fc.integer({ min: 0, max: maxWhole }), fc.integer({ min: 0, max: 9999 }))
    .map(([w, f]) => (f ? `${w}.${String(f).padStart(4, '0')}`.replace(/0+$/, '') : String(w)));
const discount = fc.oneof(fc.constantFrom('0', '0.05', '0.1', '0.125', '0.3333', '1'), rate(0));
const tax = fc.oneof(fc.constantFrom('0', '0.01', '0.03', '0.06', '0.09', '0.13'), rate(0));

/** A quantity split into 1..8 positive parts, in thousandths. */
const split = fc.integer({ min: 1, max: 5_000_000 }).chain((qty) =>
  fc
    .uniqueArray(fc.integer({ min: 1, max: Math.max(qty - 1, 1) }), { maxLength: Math.min(7, qty - 1) })
    .map((cuts) => {
      const points = [0, ...cuts.filter((c) => c < qty).sort((a, b) => a - b), qty];
      return { qty, parts: points.slice(1).map((p, i) => p - points[i]!) };
    }),
);

function billAll(line: BillableLine, parts: readonly number[], mode: (typeof ROUNDING_MODES)[number]) {
  const billed = { qtyMilli: 0, netMinor: 0, taxMinor: 0 };
  const out = parts.map((q) => {
    const a = billLineAmounts(line, billed, q, mode);
    billed.qtyMilli += q;
    billed.netMinor += a.netMinor;
    billed.taxMinor += a.taxMinor;
    return a;
  });
  return { out, billed };
}

describe('billing a line in parts', () => {
  it('adds up exactly to the order line, whatever the split, with no negative part', () => {
    fc.assert(
      fc.property(split, fc.integer({ min: 0, max: 50_000_000 }), discount, tax, fc.constantFrom(...ROUNDING_MODES), ({ qty, parts }, price, d, t, mode) => {
        const line: BillableLine = { qtyMilli: qty, unitPriceMinor: price, discountRate: d, taxRate: t, ...lineAmounts(qty, price, d, t, mode) };
        const { out, billed } = billAll(line, parts, mode);
        expect(billed).toEqual({ qtyMilli: line.qtyMilli, netMinor: line.netMinor, taxMinor: line.taxMinor });
        for (const a of out) {
          expect(a.netMinor).toBeGreaterThanOrEqual(0);
          expect(a.taxMinor).toBeGreaterThanOrEqual(0);
          expect(a.totalMinor).toBe(a.netMinor + a.taxMinor);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('still adds up when the order line carries amounts copied from a quote that differ by a few fen', () => {
    fc.assert(
      fc.property(split, fc.integer({ min: 0, max: 1_000_000 }), tax, fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 }), ({ qty, parts }, price, t, dn, dt) => {
        const exact = lineAmounts(qty, price, '0', t);
        const line: BillableLine = {
          qtyMilli: qty,
          unitPriceMinor: price,
          discountRate: '0',
          taxRate: t,
          netMinor: Math.max(exact.netMinor + dn, 0),
          taxMinor: Math.max(exact.taxMinor + dt, 0),
        };
        const { out, billed } = billAll(line, parts, 'half_up');
        expect([billed.netMinor, billed.taxMinor]).toEqual([line.netMinor, line.taxMinor]);
        for (const a of out) expect(Math.min(a.netMinor, a.taxMinor)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it('bills whole units at exactly quantity × price', () => {
    const line: BillableLine = { qtyMilli: 10_000, unitPriceMinor: 12_345, discountRate: '0', taxRate: '0.13', ...lineAmounts(10_000, 12_345, '0', '0.13') };
    const a = billLineAmounts(line, { qtyMilli: 0, netMinor: 0, taxMinor: 0 }, 3_000);
    expect(a).toEqual({ netMinor: 37_035, taxMinor: 4_815, totalMinor: 41_850 });
  });

  it('gives the last part the remainder where rounding each part alone would drift', () => {
    // 4 × 0.5 of a 1-fen item: rounding each half up alone would bill 4 fen for a 2-fen line.
    const line: BillableLine = { qtyMilli: 2_000, unitPriceMinor: 1, discountRate: '0', taxRate: '0', ...lineAmounts(2_000, 1, '0', '0') };
    const { out } = billAll(line, [500, 500, 500, 500], 'half_up');
    expect(out.map((a) => a.netMinor)).toEqual([1, 0, 1, 0]);
  });

  it('refuses to bill beyond the line or nothing at all', () => {
    const line: BillableLine = { qtyMilli: 1_000, unitPriceMinor: 100, discountRate: '0', taxRate: '0', netMinor: 100, taxMinor: 0 };
    expect(() => billLineAmounts(line, { qtyMilli: 500, netMinor: 50, taxMinor: 0 }, 501)).toThrow(RangeError);
    expect(() => billLineAmounts(line, { qtyMilli: 0, netMinor: 0, taxMinor: 0 }, 0)).toThrow(RangeError);
  });
});

describe('partial billing of lines not priced qty × unit price', () => {
  it('bills a tiered or discounted line in proportion to the quantity, adding up to the line', () => {
    // 15 seats graduated (10 × ¥100 + 5 × ¥80 = ¥1,400.00), shown at the average ¥93.33; VAT 6 % ¥84.00.
    const line = { qtyMilli: 15_000, unitPriceMinor: 9_333, discountRate: '0', taxRate: '0.06', netMinor: 140_000, taxMinor: 8_400 };
    const first = billLineAmounts(line, { qtyMilli: 0, netMinor: 0, taxMinor: 0 }, 5_000);
    expect(first).toEqual({ netMinor: 46_667, taxMinor: 2_800, totalMinor: 49_467 });
    const second = billLineAmounts(line, { qtyMilli: 5_000, ...first }, 10_000);
    expect(first.netMinor + second.netMinor).toBe(140_000);
    expect(first.taxMinor + second.taxMinor).toBe(8_400);
  });
});
