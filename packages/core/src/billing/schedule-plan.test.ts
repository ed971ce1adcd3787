import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError } from '../platform/errors.ts';
import { lineAmounts } from '../platform/money.ts';
import { formatPercent, parsePercent, percentPlanAmounts, recurringAmounts, recurringPeriods, splitItems, type SplitLine } from './schedule-plan.ts';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? (e.extra.fields?.[0]?.code ?? e.code) : String(e);
  }
  return 'no error';
};

describe('percent plans', () => {
  it('splits 30 / 60 / 10 of the order total by largest remainder, to the fen', () => {
    expect(percentPlanAmounts(100_001n, ['30', '60', '10'])).toEqual([30_000n, 60_001n, 10_000n]);
    expect(percentPlanAmounts(100n, ['33.3333', '33.3333', '33.3334'])).toEqual([33n, 33n, 34n]);
  });

  it('refuses percentages that do not add up to exactly 100, or are not percentages', () => {
    expect(code(() => percentPlanAmounts(1000n, ['30', '60']))).toBe('percent_total');
    expect(code(() => percentPlanAmounts(1000n, ['30', '60', '10.0001']))).toBe('percent_total');
    expect(code(() => parsePercent('0'))).toBe('invalid_percent');
    expect(code(() => parsePercent('100.5'))).toBe('invalid_percent');
    expect(code(() => parsePercent('12.34567'))).toBe('invalid_percent');
    expect(code(() => parsePercent('-5'))).toBe('invalid_percent');
    expect(formatPercent(parsePercent('12.5'))).toBe('12.5');
  });

  it('property: any plan adding up to 100 % gives amounts adding up to the total, each within a fen of its exact share', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 13n }),
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 12 }),
        (total, raw) => {
          // Scale arbitrary weights to parts of 1,000,000 (100 % with 4 decimals) that add up exactly.
          const sum = raw.reduce((a, b) => a + b, 0);
          const parts = raw.map((r) => Math.max(1, Math.floor((r * 1_000_000) / sum)));
          parts[parts.length - 1]! += 1_000_000 - parts.reduce((a, b) => a + b, 0);
          fc.pre(parts.every((p) => p > 0));
          const percents = parts.map((p) => formatPercent(BigInt(p)));
          const amounts = percentPlanAmounts(total, percents);
          expect(amounts.reduce((a, b) => a + b, 0n)).toBe(total);
          amounts.forEach((a, i) => {
            const exactTimes = total * BigInt(parts[i]!); // exact share × 1,000,000
            expect(a * 1_000_000n - exactTimes <= 1_000_000n && exactTimes - a * 1_000_000n <= 1_000_000n).toBe(true);
          });
        },
      ),
    );
  });
});

describe('recurring periods and proration by days', () => {
  /**
   * Worked example (the README's): ¥12,000.00 for a service from 15 January to 14 April 2026, billed
   * monthly in advance. Periods are calendar months: 15–31 Jan (17 of 31 days), February, March,
   * 1–14 Apr (14 of 30 days). Weights 17/31, 1, 1, 14/30 over the common denominator 13,020:
   * 7,140 + 13,020 + 13,020 + 6,076 = 39,256. Exact shares 218,259.63 / 398,002.85 / 398,002.85 /
   * 185,734.66 fen; floors leave 3 fen, which go to the largest remainders (Feb, Mar, Apr).
   */
  it('prorates a partial first and last month by days (worked example)', () => {
    const periods = recurringPeriods('2026-01-15', '2026-04-14', 'monthly', 'advance');
    expect(periods.map((p) => [p.start, p.end, p.coveredDays, p.periodDays, p.billDate])).toEqual([
      ['2026-01-15', '2026-01-31', 17, 31, '2026-01-15'],
      ['2026-02-01', '2026-02-28', 28, 28, '2026-02-01'],
      ['2026-03-01', '2026-03-31', 31, 31, '2026-03-01'],
      ['2026-04-01', '2026-04-14', 14, 30, '2026-04-01'],
    ]);
    expect(recurringAmounts(1_200_000n, periods)).toEqual([218_259n, 398_003n, 398_003n, 185_735n]);
  });

  it('bills in arrears on the last day of each period, and aligns quarters and years to the calendar', () => {
    expect(recurringPeriods('2026-01-15', '2026-04-14', 'monthly', 'arrears').map((p) => p.billDate)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-14']);
    const q = recurringPeriods('2026-02-10', '2026-12-31', 'quarterly', 'advance');
    expect(q.map((p) => [p.start, p.end, p.coveredDays, p.periodDays])).toEqual([
      ['2026-02-10', '2026-03-31', 50, 90],
      ['2026-04-01', '2026-06-30', 91, 91],
      ['2026-07-01', '2026-09-30', 92, 92],
      ['2026-10-01', '2026-12-31', 92, 92],
    ]);
    const y = recurringPeriods('2027-07-01', '2028-06-30', 'yearly', 'advance');
    expect(y.map((p) => [p.start, p.end, p.coveredDays, p.periodDays])).toEqual([
      ['2027-07-01', '2027-12-31', 184, 365],
      ['2028-01-01', '2028-06-30', 182, 366],
    ]);
    // Four full quarters of a year weigh the same: ¥100.00 splits 25.00 each.
    expect(recurringAmounts(10_000n, recurringPeriods('2026-01-01', '2026-12-31', 'quarterly', 'advance'))).toEqual([2_500n, 2_500n, 2_500n, 2_500n]);
    expect(code(() => recurringPeriods('2026-05-01', '2026-04-30', 'monthly', 'advance'))).toBe('invalid_period');
  });

  it('property: periods tile the term and the amounts add up to the line, full periods within a fen of each other', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 1500 }),
        fc.constantFrom('monthly', 'quarterly', 'yearly' as const),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        (startOffset, length, f, total) => {
          const start = new Date(Date.UTC(2024, 0, 1) + startOffset * 86_400_000).toISOString().slice(0, 10);
          const end = new Date(Date.UTC(2024, 0, 1) + (startOffset + length) * 86_400_000).toISOString().slice(0, 10);
          const ps = recurringPeriods(start, end, f as 'monthly', 'advance');
          expect(ps[0]!.start).toBe(start);
          expect(ps.at(-1)!.end).toBe(end);
          expect(ps.reduce((a, p) => a + p.coveredDays, 0)).toBe(length + 1);
          const amounts = recurringAmounts(total, ps);
          expect(amounts.reduce((a, b) => a + b, 0n)).toBe(total);
          const full = amounts.filter((_, i) => ps[i]!.coveredDays === ps[i]!.periodDays && ps[i]!.periodDays === ps.find((p) => p.coveredDays === p.periodDays)?.periodDays);
          if (full.length > 1) {
            const min = full.reduce((a, b) => (b < a ? b : a));
            const max = full.reduce((a, b) => (b > a ? b : a));
            expect(max - min <= 1n).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('line split', () => {
  const l = (id: string, qty: number, price: number, tax: string): SplitLine => ({ id, qtyMilli: qty * 1000, ...lineAmounts(qty * 1000, price, '0', tax) });

  it('bills 30 / 60 / 10 of two lines at 6 % and 13 % with tax from the lines, adding up to each line exactly', () => {
    const lines = [l('a', 10, 300_000, '0.06'), l('b', 3, 33_333, '0.13')];
    const total = lines.reduce((s, x) => s + BigInt(x.netMinor + x.taxMinor), 0n);
    expect(total).toBe(3_292_999n);
    const amounts = percentPlanAmounts(total, ['30', '60', '10']);
    const split = splitItems(lines, amounts.map((a) => ({ lineIds: ['a', 'b'], amountMinor: a })));
    split.forEach((parts, i) => expect(parts.reduce((s, p) => s + BigInt(p.netMinor + p.taxMinor), 0n)).toBe(amounts[i]));
    for (const line of lines) {
      const parts = split.map((s) => s.find((p) => p.orderLineId === line.id)!);
      expect(parts.reduce((s, p) => s + p.netMinor, 0)).toBe(line.netMinor);
      expect(parts.reduce((s, p) => s + p.taxMinor, 0)).toBe(line.taxMinor);
      expect(parts.reduce((s, p) => s + p.qtyMilli, 0)).toBe(line.qtyMilli);
    }
    // 30 % of the licence line: 3 of 10 licences, ¥9,000.00 + ¥540.00 VAT at 6 %.
    expect(split[0]![0]).toEqual({ orderLineId: 'a', qtyMilli: 3000, netMinor: 900_000, taxMinor: 54_000 });
  });

  it('refuses an item larger than what is left on its lines (a bug, never user input)', () => {
    expect(() => splitItems([l('a', 1, 100, '0')], [{ lineIds: ['a'], amountMinor: 101n }])).toThrow(RangeError);
  });

  it('property: parts are never negative, items add up to their amounts and lines to themselves', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ qty: fc.integer({ min: 1, max: 5000 }), price: fc.integer({ min: 0, max: 10_000_000 }), tax: fc.constantFrom('0', '0.03', '0.06', '0.09', '0.13') }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 8 }),
        (specs, weights) => {
          const lines = specs.map((s, i) => ({ id: `l${i}`, qtyMilli: s.qty, ...lineAmounts(s.qty, s.price, '0', s.tax) }));
          const total = lines.reduce((s, x) => s + BigInt(x.netMinor + x.taxMinor), 0n);
          const w = weights.map(BigInt);
          const amounts = w.some((x) => x > 0n) ? percentSplit(total, w) : w.map((_, i) => (i === 0 ? total : 0n));
          const split = splitItems(lines, amounts.map((a) => ({ lineIds: lines.map((x) => x.id), amountMinor: a })));
          split.forEach((parts, i) => {
            expect(parts.reduce((s, p) => s + BigInt(p.netMinor + p.taxMinor), 0n)).toBe(amounts[i]);
            for (const p of parts) expect(p.netMinor >= 0 && p.taxMinor >= 0 && p.qtyMilli >= 0).toBe(true);
          });
          for (const line of lines) {
            const parts = split.map((s) => s.find((p) => p.orderLineId === line.id)!);
            expect(parts.reduce((s, p) => s + p.netMinor, 0)).toBe(line.netMinor);
            expect(parts.reduce((s, p) => s + p.taxMinor, 0)).toBe(line.taxMinor);
            expect(parts.reduce((s, p) => s + p.qtyMilli, 0)).toBe(line.qtyMilli);
          }
        },
      ),
    );
  });
});

function percentSplit(total: bigint, w: bigint[]): bigint[] {
  const sum = w.reduce((a, b) => a + b, 0n);
  const base = w.map((x) => (total * x) / sum);
  base[base.length - 1]! += total - base.reduce((a, b) => a + b, 0n);
  return base;
}
