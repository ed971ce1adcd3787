import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lineAmounts, roundDiv, ROUNDING_MODES, type RoundingMode } from '../platform/money.ts';
import { distributeRounded } from '../money/money.ts';
import { billLineAmounts, documentTaxOfInvoice, type BillableLine, type DocumentTaxGroup } from './invoice-amounts.ts';

const RATES = ['0.13', '0.09', '0.06', '0.03', '0.01', '0'] as const;
const frac = (r: string) => {
  const [w, f = ''] = r.split('.');
  return { num: BigInt(w! + f), den: 10n ** BigInt(f.length) };
};

/** An order priced with tax rounded per document: per rate, Σ net × rate rounded once, handed back to the lines. */
function orderPerDocument(lines: ReadonlyArray<{ qtyMilli: number; unitPriceMinor: number; taxRate: string }>, mode: RoundingMode): BillableLine[] {
  const nets = lines.map((l) => lineAmounts(l.qtyMilli, l.unitPriceMinor, '0', l.taxRate, mode).netMinor);
  const taxes = lines.map(() => 0);
  for (const rate of new Set(lines.map((l) => l.taxRate))) {
    const idx = lines.map((l, i) => (l.taxRate === rate ? i : -1)).filter((i) => i >= 0);
    const f = frac(rate);
    const nums = idx.map((i) => BigInt(nets[i]!) * f.num);
    const parts = distributeRounded(
      roundDiv(
        nums.reduce((a, b) => a + b, 0n),
        f.den,
        mode,
      ),
      nums,
      f.den,
    );
    idx.forEach((i, k) => (taxes[i] = Number(parts[k]!)));
  }
  return lines.map((l, i) => ({ qtyMilli: l.qtyMilli, unitPriceMinor: l.unitPriceMinor, discountRate: '0', taxRate: l.taxRate, netMinor: nets[i]!, taxMinor: taxes[i]! }));
}

interface Billed {
  qtyMilli: number;
  netMinor: number;
  taxMinor: number;
}

/** Bills the order in the given invoices (each a list of [line index, quantity]) as invoices.ts does for a per-document entity. */
function billInSequence(order: readonly BillableLine[], invoices: ReadonlyArray<ReadonlyArray<[number, number]>>, mode: RoundingMode) {
  const billed: Billed[] = order.map(() => ({ qtyMilli: 0, netMinor: 0, taxMinor: 0 }));
  const out: Array<{ lines: Array<{ line: number; netMinor: number; taxMinor: number }>; ownByGroup: Map<string, number>; completes: Set<string> }> = [];
  for (const parts of invoices) {
    const lines = parts.map(([i, q]) => {
      const a = billLineAmounts(order[i]!, billed[i]!, q, mode);
      billed[i] = { qtyMilli: billed[i]!.qtyMilli + q, netMinor: billed[i]!.netMinor + a.netMinor, taxMinor: billed[i]!.taxMinor };
      return { line: i, netMinor: a.netMinor, taxRate: order[i]!.taxRate, group: order[i]!.taxRate };
    });
    const groups = new Map<string, DocumentTaxGroup>();
    const completes = new Set<string>();
    for (const g of new Set(lines.map((l) => l.group))) {
      const members = order.map((l, i) => (l.taxRate === g ? i : -1)).filter((i) => i >= 0);
      const done = members.every((i) => billed[i]!.qtyMilli === order[i]!.qtyMilli);
      if (done) completes.add(g);
      groups.set(g, {
        orderTaxMinor: members.reduce((s, i) => s + order[i]!.taxMinor, 0),
        billedTaxMinor: members.reduce((s, i) => s + billed[i]!.taxMinor, 0),
        completes: done,
      });
    }
    const taxes = documentTaxOfInvoice(lines, groups, mode);
    lines.forEach((l, k) => (billed[l.line]!.taxMinor += taxes[k]!));
    const ownByGroup = new Map<string, number>();
    for (const g of groups.keys()) {
      const f = frac(g);
      const exact = lines.filter((l) => l.group === g).reduce((s, l) => s + BigInt(l.netMinor) * f.num, 0n);
      ownByGroup.set(g, Number(roundDiv(exact, f.den, mode)));
    }
    out.push({ lines: lines.map((l, k) => ({ line: l.line, netMinor: l.netMinor, taxMinor: taxes[k]! })), ownByGroup, completes });
  }
  return { billed, invoices: out };
}

describe('per-document tax on partial invoices', () => {
  it('worked example: 3 × ¥10.05 at 6 % rounded per document (¥1.81) billed one line per invoice: ¥0.60, ¥0.60, then the remainder ¥0.61', () => {
    const order = orderPerDocument(
      [0, 1, 2].map(() => ({ qtyMilli: 1000, unitPriceMinor: 1005, taxRate: '0.06' })),
      'half_up',
    );
    expect(order.map((l) => l.taxMinor).reduce((a, b) => a + b, 0)).toBe(181);
    const { invoices } = billInSequence(order, [[[0, 1000]], [[1, 1000]], [[2, 1000]]], 'half_up');
    expect(invoices.map((i) => i.lines.map((l) => l.taxMinor))).toEqual([[60], [60], [61]]);
  });

  it('an invoice of two of the three lines is a document of its own: 2 × 0.603 = 1.206 → ¥1.21 (line shares would give 1.20), the last line ¥0.60', () => {
    const order = orderPerDocument(
      [0, 1, 2].map(() => ({ qtyMilli: 1000, unitPriceMinor: 1005, taxRate: '0.06' })),
      'half_up',
    );
    const { invoices } = billInSequence(order, [[[0, 1000], [1, 1000]], [[2, 1000]]], 'half_up');
    expect(invoices.map((i) => i.lines.reduce((s, l) => s + l.taxMinor, 0))).toEqual([121, 60]);
  });

  it('never bills more tax than the order has: a cap when the invoices so far rounded up', () => {
    // Order: ¥0.05 + ¥0.05 at 13 % per document → exact 0.013 → ¥0.01. Each line alone is 0.0065 → ¥0.01,
    // so two invoices of their own rounding would bill ¥0.02: the second gets what is left, ¥0.00.
    const order = orderPerDocument(
      [0, 1].map(() => ({ qtyMilli: 1000, unitPriceMinor: 5, taxRate: '0.13' })),
      'half_up',
    );
    const total = order.reduce((s, l) => s + l.taxMinor, 0);
    expect(total).toBe(1);
    const { invoices } = billInSequence(order, [[[0, 1000]], [[1, 1000]]], 'half_up');
    const taxes = invoices.map((i) => i.lines.reduce((s, l) => s + l.taxMinor, 0));
    expect(taxes.reduce((a, b) => a + b, 0)).toBe(total);
    expect(taxes).toEqual([1, 0]);
  });

  const orderArb = fc.array(
    fc.record({
      qtyMilli: fc.oneof(fc.integer({ min: 1, max: 50 }).map((n) => n * 1000), fc.integer({ min: 1, max: 50_000 })),
      unitPriceMinor: fc.integer({ min: 0, max: 2_000_000 }),
      taxRate: fc.constantFrom(...RATES),
    }),
    { minLength: 1, maxLength: 6 },
  );

  it('property: any split of an order into partial invoices adds up to its net and tax per rate, never passes it, and the last invoice of a rate takes the remainder', () => {
    fc.assert(
      fc.property(
        orderArb,
        fc.constantFrom(...ROUNDING_MODES),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 0, max: 4 })), { minLength: 6, maxLength: 30 }),
        (spec, mode, invoiceCount, cuts) => {
          const order = orderPerDocument(spec, mode);
          // Each line is cut into up to 3 parts by permille points; each part goes to an invoice.
          const invoices: Array<Array<[number, number]>> = Array.from({ length: invoiceCount }, () => []);
          let c = 0;
          order.forEach((l, i) => {
            const points = new Set<number>([0, l.qtyMilli]);
            for (let k = 0; k < 2; k++) {
              const [p] = cuts[c++ % cuts.length]!;
              points.add(Math.floor((l.qtyMilli * p) / 1000));
            }
            const sorted = [...points].sort((a, b) => a - b);
            sorted.slice(1).forEach((p, k) => {
              const q = p - sorted[k]!;
              if (q > 0) invoices[cuts[c++ % cuts.length]![1] % invoiceCount]!.push([i, q]);
            });
          });
          const { billed, invoices: result } = billInSequence(
            order,
            invoices.filter((inv) => inv.length),
            mode,
          );
          // Every line billed in full: nets add up to the order's to the fen.
          billed.forEach((b, i) => {
            expect(b.qtyMilli).toBe(order[i]!.qtyMilli);
            expect(b.netMinor).toBe(order[i]!.netMinor);
          });
          for (const rate of new Set(order.map((l) => l.taxRate))) {
            const members = new Set(order.map((l, i) => (l.taxRate === rate ? i : -1)).filter((i) => i >= 0));
            const orderTax = [...members].reduce((s, i) => s + order[i]!.taxMinor, 0);
            let running = 0;
            let seen = 0;
            for (const inv of result) {
              const mine = inv.lines.filter((l) => members.has(l.line));
              if (!mine.length) continue;
              seen++;
              const tax = mine.reduce((s, l) => s + l.taxMinor, 0);
              expect(mine.every((l) => l.taxMinor >= 0)).toBe(true);
              running += tax;
              expect(running).toBeLessThanOrEqual(orderTax);
              const own = inv.ownByGroup.get(rate)!;
              // Before the last: its own rounding, or less when that would pass the order's tax.
              if (!inv.completes.has(rate)) expect(tax).toBe(Math.min(own, orderTax - (running - tax)));
              // The last: the remainder, within a fen per invoice of the rate of its own rounding.
              else expect(Math.abs(tax - own)).toBeLessThanOrEqual(seen);
            }
            expect(running).toBe(orderTax);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
