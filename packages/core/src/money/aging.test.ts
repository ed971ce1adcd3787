import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError } from '../platform/errors.ts';
import { money, parseMoney } from './money.ts';
import { agingBuckets, agingReport, bucketIndex, daysPastDue, dsoCountback, dsoStandard, type AgingItem } from './aging.ts';
import { addCalendarDays } from './dates.ts';

const usd = (s: string) => parseMoney(s, 'USD');
const cny = (s: string) => parseMoney(s, 'CNY');

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e.extra.fields?.[0]?.code ?? e.code;
    throw e;
  }
  return 'no error';
}

describe('aging buckets', () => {
  it('has documented boundaries: current, 1–30, 31–60, 61–90, over 90', () => {
    expect(agingBuckets('CNY').map((b) => [b.key, b.minDays, b.maxDays])).toEqual([
      ['current', null, 0],
      ['1_30', 1, 30],
      ['31_60', 31, 60],
      ['61_90', 61, 90],
      ['over_90', 91, null],
    ]);
  });

  it('puts an invoice due 31 March in the right bucket on each boundary day', () => {
    const due = '2026-03-31';
    const at = (asOf: string) => agingBuckets('CNY')[bucketIndex(daysPastDue(due, asOf))]!.key;
    expect(at('2026-03-01')).toBe('current');
    expect(at('2026-03-31')).toBe('current'); // due today is not past due
    expect(at('2026-04-01')).toBe('1_30');
    expect(at('2026-04-30')).toBe('1_30'); // 30 days
    expect(at('2026-05-01')).toBe('31_60'); // 31 days
    expect(at('2026-05-30')).toBe('31_60'); // 60 days
    expect(at('2026-05-31')).toBe('61_90');
    expect(at('2026-06-29')).toBe('61_90'); // 90 days
    expect(at('2026-06-30')).toBe('over_90'); // 91 days
  });

  it('sums outstanding amounts per bucket and leaves settled items out', () => {
    const items: AgingItem[] = [
      { id: 'inv1', dueDate: '2026-04-15', outstanding: cny('1000') },
      { id: 'inv2', dueDate: '2026-03-20', outstanding: cny('250.50') },
      { id: 'inv3', dueDate: '2026-02-28', outstanding: cny('99.99') }, // 31 days past due
      { id: 'inv4', dueDate: '2025-12-01', outstanding: cny('5000') },
      { id: 'inv5', dueDate: '2026-03-25', outstanding: cny('0') },
      { id: 'cr1', dueDate: '2026-03-25', outstanding: cny('-50') },
    ];
    const r = agingReport(items, '2026-03-31', 'CNY');
    expect(r.buckets.map((b) => [b.key, b.total.minor, b.itemIds])).toEqual([
      ['current', 100000n, ['inv1']],
      ['1_30', 20050n, ['inv2', 'cr1']],
      ['31_60', 9999n, ['inv3']],
      ['61_90', 0n, []],
      ['over_90', 500000n, ['inv4']],
    ]);
    expect(r.total).toEqual(cny('6300.49'));
    expect(codeOf(() => agingReport([{ id: 'x', dueDate: '2026-01-01', outstanding: usd('1') }], '2026-03-31', 'CNY'))).toBe('currency_mismatch');
  });

  it('takes other boundaries and refuses bad ones', () => {
    expect(agingBuckets('CNY', [15, 45]).map((b) => b.key)).toEqual(['current', '1_15', '16_45', 'over_45']);
    expect(codeOf(() => agingBuckets('CNY', []))).toBe('invalid_boundaries');
    expect(codeOf(() => agingBuckets('CNY', [30, 30]))).toBe('invalid_boundaries');
    expect(codeOf(() => agingBuckets('CNY', [0, 30]))).toBe('invalid_boundaries');
  });

  it('every item lands in exactly one bucket whose range holds its days past due, and buckets add up (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ offset: fc.integer({ min: -60, max: 400 }), minor: fc.bigInt({ min: -(10n ** 9n), max: 10n ** 12n }) }), { maxLength: 40 }),
        (raw) => {
          const asOf = '2026-06-30';
          const items = raw.map((r, i) => ({ id: `i${i}`, dueDate: addCalendarDays(asOf, -r.offset), outstanding: money(r.minor, 'CNY') }));
          const rep = agingReport(items, asOf, 'CNY');
          expect(rep.buckets.reduce((a, b) => a + b.total.minor, 0n)).toBe(rep.total.minor);
          expect(rep.total.minor).toBe(raw.reduce((a, r) => a + r.minor, 0n));
          for (const b of rep.buckets)
            for (const id of b.itemIds) {
              const d = raw[Number(id.slice(1))]!.offset;
              expect(b.minDays === null ? d <= 0 : d >= b.minDays).toBe(true);
              expect(b.maxDays === null || d <= b.maxDays).toBe(true);
            }
        },
      ),
    );
  });
});

describe('DSO', () => {
  // Commonly published example of the simple method: receivables $150,000, annual credit sales
  // $1,800,000, 365 days → DSO 30.4 days.
  it('standard: receivables ÷ revenue × days, to one decimal', () => {
    const d = dsoStandard(usd('150000'), usd('1800000'), 365);
    expect(d.days).toEqual({ num: 365n, den: 12n });
    expect(d.value).toBe('30.4');
    expect(dsoStandard(cny('0'), cny('100'), 30).value).toBe('0.0');
    expect(dsoStandard(cny('1'), cny('3'), 1).value).toBe('0.3');
    expect(codeOf(() => dsoStandard(cny('1'), cny('0'), 30))).toBe('no_revenue');
    expect(codeOf(() => dsoStandard(cny('1'), usd('1'), 30))).toBe('currency_mismatch');
    expect(codeOf(() => dsoStandard(cny('1'), cny('1'), 0))).toBe('invalid_period');
  });

  // The count-back example published in accounts-receivable guides (e.g. "Mastering DSO Calculation:
  // The Count-Back Method Explained"): receivables $212,000; month 3 sales $100,000, month 2
  // $80,000, month 1 $70,000, 30-day months → 30 + 30 + 32,000/70,000 × 30 = 73.7 days.
  it('countback: walks back month by month until the receivables are used up', () => {
    const d = dsoCountback(usd('212000'), [
      { month: 'M3', revenue: usd('100000'), days: 30 },
      { month: 'M2', revenue: usd('80000'), days: 30 },
      { month: 'M1', revenue: usd('70000'), days: 30 },
    ]);
    expect(d.value).toBe('73.7');
    expect(d.days).toEqual({ num: 516n, den: 7n });
    expect(d.exhausted).toBe(false);
    expect(d.used.map((u) => [u.month, u.consumed.minor])).toEqual([
      ['M3', 10000000n],
      ['M2', 8000000n],
      ['M1', 3200000n],
    ]);
  });

  it('countback with real month lengths, a month without sales, and receivables beyond the history', () => {
    const months = [
      { month: '2026-03', revenue: cny('310000'), days: 31 },
      { month: '2026-02', revenue: cny('0'), days: 28 },
      { month: '2026-01', revenue: cny('620000'), days: 31 },
    ];
    // 31 + 28 (no sales in February) + 155,000/620,000 × 31 = 66.75 → 66.8 (half-up)
    expect(dsoCountback(cny('465000'), months).value).toBe('66.8');
    expect(dsoCountback(cny('465000'), months).days).toEqual({ num: 267n, den: 4n });
    const over = dsoCountback(cny('2000000'), months);
    expect(over.exhausted).toBe(true);
    expect(over.value).toBe('90.0');
    expect(dsoCountback(cny('-5'), months).value).toBe('0.0');
    expect(codeOf(() => dsoCountback(cny('1'), [{ month: 'x', revenue: cny('-1'), days: 30 }]))).toBe('invalid_revenue');
  });

  it('with equal months the countback equals the standard DSO over those months (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.bigInt({ min: 0n, max: 3n * 10n ** 12n }), (monthly, ar) => {
        if (ar > 3n * monthly) return;
        const m = (k: number) => ({ month: `m${k}`, revenue: money(monthly, 'CNY'), days: 30 });
        const cb = dsoCountback(money(ar, 'CNY'), [m(3), m(2), m(1)]);
        const st = dsoStandard(money(ar, 'CNY'), money(3n * monthly, 'CNY'), 90);
        expect(cb.days).toEqual(st.days);
      }),
    );
  });
});
