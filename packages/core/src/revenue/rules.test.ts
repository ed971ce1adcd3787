import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { currentPrice, defaultMethod, desiredSchedule, nextPeriod, periodEnd, previousPeriod, scheduleAfterClose, serviceEndFor, type ObligationFacts } from './rules.ts';

const facts = (f: Partial<ObligationFacts>): ObligationFacts => ({
  currency: 'CNY',
  method: 'delivery',
  qtyMilli: 3000,
  allocatedMinor: 100_000,
  creditedMinor: 0,
  cancelled: false,
  serviceStart: null,
  serviceEnd: null,
  transfers: [],
  milestones: [],
  progress: [],
  modifications: [],
  ...f,
});
const sum = (ls: Array<{ amountMinor: number }>) => ls.reduce((s, l) => s + l.amountMinor, 0);

describe('revenue rules', () => {
  it('defaults: services ratable, everything else on delivery; a 12-month term ends the day before', () => {
    expect([defaultMethod('service'), defaultMethod('goods'), defaultMethod('digital'), defaultMethod(null)]).toEqual(['ratable', 'delivery', 'delivery', 'delivery']);
    expect(serviceEndFor('2026-10-15', 12)).toBe('2027-10-14');
    expect(serviceEndFor('2026-01-31', 1)).toBe('2026-02-27');
    expect(serviceEndFor('2026-11-01', 3)).toBe('2027-01-31');
    expect([nextPeriod('2026-12'), previousPeriod('2027-01'), periodEnd('2028-02')]).toEqual(['2027-01', '2026-12', '2028-02-29']);
  });

  it('point in time: each delivery recognises its cumulative share, the last one takes the exact rest', () => {
    const ls = desiredSchedule(
      facts({
        transfers: [
          { date: '2026-10-03', qtyMilli: 1000, ref: 'dlv_1' },
          { date: '2026-11-20', qtyMilli: 1000, ref: 'dlv_2' },
          { date: '2026-11-25', qtyMilli: 1000, ref: 'dlv_3' },
        ],
      }),
    );
    expect(ls.map((l) => [l.period, l.amountMinor, l.ref])).toEqual([
      ['2026-10', 33_333, 'dlv_1'],
      ['2026-11', 33_334, 'dlv_2'],
      ['2026-11', 33_333, 'dlv_3'],
    ]);
    expect(sum(ls)).toBe(100_000);
    // nothing delivered: nothing scheduled yet
    expect(desiredSchedule(facts({}))).toEqual([]);
  });

  it('ratable by days between service start and end; credits lower the price; a cancelled order recognises nothing', () => {
    const f = facts({ method: 'ratable', allocatedMinor: 1_200_000, serviceStart: '2026-10-15', serviceEnd: '2027-10-14' });
    const ls = desiredSchedule(f);
    expect(ls[0]).toMatchObject({ period: '2026-10', date: '2026-10-31', kind: 'ratable' });
    expect(sum(ls)).toBe(1_200_000);
    expect(ls.length).toBe(13);
    expect(sum(desiredSchedule({ ...f, creditedMinor: 200_000 }))).toBe(1_000_000);
    expect(currentPrice({ ...f, cancelled: true })).toBe(0);
    expect(desiredSchedule({ ...f, serviceEnd: null })).toEqual([]);
  });

  it('milestones recognise the weight share of each milestone reached', () => {
    const ls = desiredSchedule(
      facts({
        method: 'milestone',
        milestones: [
          { id: 'design', name: 'Design', weight: 1, reachedOn: '2026-10-10' },
          { id: 'build', name: 'Build', weight: 2, reachedOn: null, plannedOn: '2026-12-01' },
        ],
      }),
    );
    expect(ls.map((l) => [l.ref, l.amountMinor])).toEqual([['design', 33_333]]);
  });

  it('percent complete, and a modification of the price taken as a cumulative catch-up on its date', () => {
    const f = facts({ method: 'percent_complete', progress: [{ date: '2026-10-31', progress: '0.4' }, { date: '2026-11-30', progress: '0.7' }] });
    expect(desiredSchedule(f).map((l) => l.amountMinor)).toEqual([40_000, 30_000]);
    const m = desiredSchedule({ ...f, modifications: [{ date: '2026-11-10', newAllocatedMinor: 150_000, method: 'cumulative_catch_up', reason: 'scope' }] });
    // 40% of the new price is 60,000: 20,000 caught up on the 10th; then 70% of 150,000 = 105,000 in all.
    expect(m.map((l) => [l.date, l.amountMinor, l.kind])).toEqual([
      ['2026-10-31', 40_000, 'progress'],
      ['2026-11-10', 20_000, 'catch_up'],
      ['2026-11-30', 45_000, 'progress'],
    ]);
  });

  it('point in time modified: prospective blends the rest over the units to come, catch-up restates the units delivered', () => {
    const transfers = [
      { date: '2026-10-05', qtyMilli: 1000, ref: 'd1' },
      { date: '2026-11-05', qtyMilli: 2000, ref: 'd2' },
    ];
    const mod = { date: '2026-10-20', newAllocatedMinor: 130_000, reason: 'price up' };
    const pro = desiredSchedule(facts({ transfers, modifications: [{ ...mod, method: 'prospective' }] }));
    expect(pro.map((l) => [l.kind, l.amountMinor])).toEqual([
      ['delivery', 33_333],
      ['delivery', 96_667],
    ]);
    const cat = desiredSchedule(facts({ transfers, modifications: [{ ...mod, method: 'cumulative_catch_up' }] }));
    expect(cat.map((l) => [l.date, l.kind, l.amountMinor])).toEqual([
      ['2026-10-05', 'delivery', 33_333],
      ['2026-10-20', 'catch_up', 10_000],
      ['2026-11-05', 'delivery', 86_667],
    ]);
    expect(sum(pro)).toBe(130_000);
    expect(sum(cat)).toBe(130_000);
  });

  it('closed periods are locked: a change to them becomes one catch-up line in the first open period', () => {
    const desired = desiredSchedule(facts({ method: 'ratable', allocatedMinor: 310_000, serviceStart: '2026-10-01', serviceEnd: '2026-12-31' }));
    // October closed having recognised 100,000 (31 of 92 days of 310,000 is 104,457): +4,457 in November.
    const kept = scheduleAfterClose(desired, 100_000, '2026-10');
    expect(kept[0]).toEqual({ period: '2026-11', date: '2026-11-01', amountMinor: 4_457, kind: 'catch_up', ref: null });
    expect(kept.slice(1).map((l) => l.period)).toEqual(['2026-11', '2026-12']);
    expect(100_000 + sum(kept)).toBe(310_000);
    expect(scheduleAfterClose(desired, 0, null)).toEqual(desired);
  });

  it('property: whatever was recognised and closed, recognised + scheduled = the schedule the facts give', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 36 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: -50_000, max: 50_000 }), (price, months, closedAfter, drift) => {
        const start = '2026-01-10';
        const desired = desiredSchedule(facts({ method: 'ratable', allocatedMinor: price, serviceStart: start, serviceEnd: serviceEndFor(start, months) }));
        const closedThrough = closedAfter ? `2026-${String(Math.min(closedAfter, 12)).padStart(2, '0')}` : null;
        const recognised = closedThrough ? sum(desired.filter((l) => l.period <= closedThrough)) + drift : 0;
        const kept = scheduleAfterClose(desired, recognised, closedThrough);
        expect(recognised + sum(kept)).toBe(price);
        for (const l of kept) expect(!closedThrough || l.period > closedThrough).toBe(true);
      }),
    );
  });
});
