import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { money, parseMoney } from './money.ts';
import { addCalendarDays } from './dates.ts';
import { applyDunningRun, customersOnHold, evaluateDunning, lateInterest, parseDunningConfig, waivedParts, type DunningInvoice } from './dunning.ts';

const cny = (s: string) => parseMoney(s, 'CNY');
const eur = (s: string) => parseMoney(s, 'EUR');

const config = parseDunningConfig({
  levels: [
    { level: 1, minDaysPastDue: 7, template: 'reminder-friendly' },
    { level: 2, minDaysPastDue: 21, template: 'reminder-firm', fees: { CNY: '5000', EUR: '4000' } },
    { level: 3, minDaysPastDue: 45, template: 'final-notice', fees: { CNY: '10000' }, interestAnnualRate: '0.1825', escalate: true, holdOrders: true },
  ],
});

const inv = (over: Partial<DunningInvoice> = {}): DunningInvoice => ({
  invoiceId: 'inv1',
  customerId: 'acc1',
  dueDate: '2026-03-01',
  outstanding: cny('10000'),
  level: 0,
  ...over,
});

describe('dunning configuration', () => {
  it('is strict and ordered', () => {
    expect(config.levels).toHaveLength(3);
    expect(() => parseDunningConfig({ levels: [] })).toThrow();
    expect(() => parseDunningConfig({ levels: [{ level: 1, minDaysPastDue: 7, template: 't', color: 'red' }] })).toThrow();
    expect(() => parseDunningConfig({ levels: [{ level: 1, minDaysPastDue: 7, template: 't', fees: { CNY: '50.00' } }] })).toThrow();
    expect(() =>
      parseDunningConfig({
        levels: [
          { level: 1, minDaysPastDue: 30, template: 'a' },
          { level: 2, minDaysPastDue: 30, template: 'b' },
        ],
      }),
    ).toThrow();
  });
});

describe('late interest (ACT/365)', () => {
  // EU Late Payment Directive 2011/7/EU: statutory interest between businesses is the ECB reference
  // rate + 8 percentage points (Art. 2(6)), plus a fixed EUR 40 compensation (Art. 6). With the ECB
  // main refinancing rate at 4.50 % (20 Sep 2023 – 11 Jun 2024) that is 12.50 % a year: EUR 10,000
  // paid 60 days late costs 10,000 × 12.5 % × 60 / 365 = EUR 205.48 of interest.
  it('reproduces the EU late-payment interest on EUR 10,000 for 60 days', () => {
    expect(lateInterest(eur('10000'), '0.125', 60)).toEqual(eur('205.48'));
    const eu = parseDunningConfig({ levels: [{ level: 1, minDaysPastDue: 1, template: 'eu-late-payment', fees: { EUR: '4000' }, interestAnnualRate: '0.125' }] });
    const [a] = evaluateDunning(eu, [inv({ dueDate: '2024-01-31', outstanding: eur('10000') })], '2024-03-31').actions;
    expect(a!.interestDays).toBe(60);
    expect(a!.interest).toEqual(eur('205.48'));
    expect(a!.fee).toEqual(eur('40'));
  });

  it('charges 0.05 % a day (18.25 % a year) exactly', () => {
    expect(lateInterest(cny('10000'), '0.1825', 30)).toEqual(cny('150'));
    expect(lateInterest(cny('10000'), '0.1825', 0)).toEqual(cny('0'));
    expect(lateInterest(cny('0.01'), '0.1825', 1, 'up')).toEqual(cny('0.01'));
  });
});

describe('dunning runs', () => {
  it('moves one level per run as the days pass, with fee, interest, escalation and order hold', () => {
    let state = [inv()];
    const runAt = (date: string) => {
      const r = evaluateDunning(config, state, date);
      state = applyDunningRun(state, r);
      return r;
    };
    expect(runAt('2026-03-07').actions).toEqual([]); // 6 days past due
    const r1 = runAt('2026-03-08');
    expect(r1.actions.map((a) => [a.level, a.template, a.daysPastDue, a.fee.minor, a.interest.minor])).toEqual([[1, 'reminder-friendly', 7, 0n, 0n]]);
    expect(runAt('2026-03-08').actions).toEqual([]); // same day again: nothing new
    expect(runAt('2026-03-21').actions).toEqual([]);
    const r2 = runAt('2026-03-22');
    expect(r2.actions.map((a) => [a.level, a.fee])).toEqual([[2, cny('50')]]);
    const r3 = runAt('2026-04-15'); // 45 days past due
    expect(r3.actions).toHaveLength(1);
    const a3 = r3.actions[0]!;
    expect([a3.level, a3.template, a3.fee, a3.escalate, a3.holdOrders]).toEqual([3, 'final-notice', cny('100'), true, true]);
    expect([a3.interestFrom, a3.interestThrough, a3.interestDays, a3.interest]).toEqual(['2026-03-01', '2026-04-15', 45, cny('225')]);
    expect(r3.holdCustomers).toEqual(['acc1']);
    expect(customersOnHold(config, state)).toEqual(['acc1']);
    expect(runAt('2026-05-15').actions).toEqual([]); // highest level reached
    expect(customersOnHold(config, [{ ...state[0]!, outstanding: cny('0') }])).toEqual([]);
  });

  it('jumps to the highest level reached with skipLevels, and waits between notices', () => {
    const skip = { ...config, skipLevels: true };
    const r = evaluateDunning(skip, [inv()], '2026-04-20');
    expect(r.actions.map((a) => a.level)).toEqual([3]);
    const spaced = { ...config, minDaysBetweenNotices: 10 };
    const r2 = evaluateDunning(spaced, [inv({ level: 1, lastNoticeDate: '2026-03-15' })], '2026-03-22');
    expect(r2.actions).toEqual([]);
    expect(r2.skipped).toEqual([{ invoiceId: 'inv1', reason: 'too_soon' }]);
    expect(evaluateDunning(spaced, [inv({ level: 1, lastNoticeDate: '2026-03-12' })], '2026-03-22').actions.map((a) => a.level)).toEqual([2]);
  });

  it('respects promises to pay, disputes, settled invoices and currencies without a fee', () => {
    const r = evaluateDunning(
      config,
      [
        inv({ invoiceId: 'p', promiseToPayUntil: '2026-03-25' }),
        inv({ invoiceId: 'd', disputed: true }),
        inv({ invoiceId: 'z', outstanding: cny('0') }),
        inv({ invoiceId: 'u', level: 1, outstanding: money(100000n, 'USD') }),
      ],
      '2026-03-25',
    );
    expect(r.skipped).toEqual([
      { invoiceId: 'p', reason: 'promise_to_pay' },
      { invoiceId: 'd', reason: 'disputed' },
    ]);
    expect(r.actions.map((a) => [a.invoiceId, a.level, a.fee])).toEqual([['u', 2, money(0n, 'USD')]]);
    // the day after the promise lapses, dunning resumes
    expect(evaluateDunning(config, [inv({ promiseToPayUntil: '2026-03-25' })], '2026-03-26').actions.map((a) => a.level)).toEqual([1]);
  });

  it('interest continues from where the last charge stopped', () => {
    const cfg = parseDunningConfig({
      levels: [
        { level: 1, minDaysPastDue: 10, template: 'a', interestAnnualRate: '0.1825' },
        { level: 2, minDaysPastDue: 30, template: 'b', interestAnnualRate: '0.1825' },
      ],
    });
    let state = [inv()];
    const r1 = evaluateDunning(cfg, state, '2026-03-11');
    state = applyDunningRun(state, r1);
    const r2 = evaluateDunning(cfg, state, '2026-03-31');
    expect(r1.actions[0]!.interestDays + r2.actions[0]!.interestDays).toBe(30);
    expect(r2.actions[0]!.interestFrom).toBe('2026-03-11');
    expect(r1.actions[0]!.interest.minor + r2.actions[0]!.interest.minor).toBe(15000n);
  });

  it('is idempotent and never skips or repeats a level when run every day (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ due: fc.integer({ min: -120, max: 10 }), minor: fc.bigInt({ min: 0n, max: 10n ** 10n }), promise: fc.option(fc.integer({ min: -30, max: 60 }), { nil: null }) }),
          { minLength: 1, maxLength: 10 },
        ),
        fc.integer({ min: 1, max: 100 }),
        (raw, daysToRun) => {
          const start = '2026-01-01';
          let state: DunningInvoice[] = raw.map((r, i) => ({
            invoiceId: `i${i}`,
            customerId: `c${i % 3}`,
            dueDate: addCalendarDays(start, r.due),
            outstanding: money(r.minor, 'CNY'),
            level: 0,
            promiseToPayUntil: r.promise === null ? null : addCalendarDays(start, r.promise),
          }));
          const seen = new Map<string, number[]>();
          for (let d = 0; d < daysToRun; d++) {
            const date = addCalendarDays(start, d);
            const run = evaluateDunning(config, state, date);
            for (const a of run.actions) seen.set(a.invoiceId, [...(seen.get(a.invoiceId) ?? []), a.level]);
            state = applyDunningRun(state, run);
            expect(evaluateDunning(config, state, date).actions).toEqual([]);
          }
          for (const levels of seen.values()) expect(levels).toEqual(levels.map((_, k) => k + 1));
        },
      ),
    );
  });
});

describe('waivedParts (the unpaid rest of a charge over its fee, interest and VAT)', () => {
  it('adds up to the waived amount, gives the charge its own amounts when all is waived, and never passes a part', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(1_000_000), fc.nat(100_000), fc.double({ min: 0, max: 1, noNaN: true }), (fee, interest, tax, share) => {
        const total = fee + interest + tax;
        fc.pre(total > 0);
        const waived = Math.floor(total * share);
        const p = waivedParts({ feeMinor: fee, interestMinor: interest, taxMinor: tax }, waived);
        expect(p.fee + p.interest + p.tax).toBe(waived);
        expect(p.fee <= fee && p.interest <= interest && p.tax <= tax).toBe(true);
        expect(Math.min(p.fee, p.interest, p.tax)).toBeGreaterThanOrEqual(0);
        expect(waivedParts({ feeMinor: fee, interestMinor: interest, taxMinor: tax }, total)).toEqual({ fee, interest, tax });
      }),
    );
  });

  it('splits ¥42.40 left of a ¥50.00 fee + ¥3.00 VAT charge as ¥40.00 and ¥2.40', () => {
    expect(waivedParts({ feeMinor: 5_000, interestMinor: 0, taxMinor: 300 }, 4_240)).toEqual({ fee: 4_000, interest: 0, tax: 240 });
  });
});
