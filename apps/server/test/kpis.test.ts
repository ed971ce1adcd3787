import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import fc from 'fast-check';
import * as core from '@openltc/core';
import type { Ctx } from '@openltc/core';
import { setClock } from '@openltc/core';
import { sql } from '@openltc/db';
import { PG_URL } from '@openltc/testing';
import { loadDemoData } from '../src/demo/demo.ts';
import { freshBenchDb, type BenchDb } from '../../../bench/lib/db.ts';
import { generateDataset, type Dataset } from '../../../bench/lib/bulk.ts';
import { contexts, kpiPeriod, type Actor } from '../../../bench/lib/hot-queries.ts';
import { SIZES } from '../../../bench/lib/sizes.ts';

const { daysBetween, median, period: analyticsPeriod, tenthsBetween, tenthsOfDays } = core;

const at = (iso: string) => setClock(() => new Date(iso));

describe.each(DIALECTS)('KPIs from the documents (%s)', (dialect) => {
  let t: TestApp;
  let rep: TestUser, outsider: TestUser, admin: TestUser;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    rep = await t.user('sales_rep', await t.team('East'), 'Rep');
    outsider = await t.user('sales_rep', await t.team('West'), 'Outsider');
    admin = await t.user('admin', null, 'Admin');
  });
  afterEach(() => setClock(null));
  afterAll(() => t.stop());

  it('computes conversion, win rates, cycle times and pipeline on a hand-made month', async () => {
    // March 2026 in Shanghai. A lead created at 23:30 on 28 Feb Shanghai time (15:30Z) is outside.
    at('2026-02-28T15:30:00Z');
    await ok(t.as(rep, 'POST', '/api/v1/leads', { name: 'Before March' }), 201);
    const leads: any[] = [];
    for (const [i, day] of ['2026-03-01T00:10:00Z', '2026-03-05T02:00:00Z', '2026-03-10T02:00:00Z', '2026-03-31T15:00:00Z'].entries()) {
      at(day);
      leads.push(await ok(t.as(rep, 'POST', '/api/v1/leads', { name: `L${i}`, company: `Co ${i}`, source: i < 2 ? 'web' : 'expo' }), 201));
    }
    // Two conversions: 4 and 10 days after creation; both get opportunities.
    const opps: string[] = [];
    for (const [i, day] of [[0, '2026-03-05T00:10:00Z'], [1, '2026-03-15T02:00:00Z']] as const) {
      at(day);
      await ok(t.as(rep, 'POST', `/api/v1/leads/${leads[i].id}/qualify`, {}));
      const c = await ok(t.as(rep, 'POST', `/api/v1/leads/${leads[i].id}/convert`, { amountMinor: i === 0 ? 100_00 : 300_00, expectedCloseDate: '2026-04-30' }));
      opps.push(c.opportunityId);
    }
    // One won (¥100, 5 days after creation), one lost (¥300, 6 days after creation).
    at('2026-03-10T00:10:00Z');
    await ok(t.as(rep, 'POST', `/api/v1/opportunities/${opps[0]}/win`, {}));
    at('2026-03-21T02:00:00Z');
    await ok(t.as(rep, 'POST', `/api/v1/opportunities/${opps[1]}/lose`, { reason: 'price' }));
    // An open deal for the pipeline: ¥1,000 at the first stage's 10 %.
    at('2026-03-22T02:00:00Z');
    const acc = await ok(t.as(rep, 'POST', '/api/v1/accounts', { name: 'Open Co' }), 201);
    await ok(t.as(rep, 'POST', '/api/v1/opportunities', { name: 'Open deal', accountId: acc.id, amountMinor: 1000_00, expectedCloseDate: '2026-05-15' }), 201);
    setClock(null);

    const r = await ok(t.as(rep, 'GET', '/api/v1/analytics/kpis?from=2026-03-01&to=2026-03-31&groupBy=source'));
    expect(r.period).toEqual({ from: '2026-03-01', to: '2026-03-31', timezone: 'Asia/Shanghai', currency: 'CNY' });
    const k = r.kpis;
    expect(k.leadsCreated.value).toBe(4);
    expect(k.leadConversionRate).toMatchObject({ value: 50, numerator: 2, denominator: 4 });
    expect(k.leadNurturingDays).toMatchObject({ value: 7, sample: 2 }); // median of 4 and 10
    expect(k.winRate).toMatchObject({ value: 50, numerator: 1, denominator: 2 });
    expect(k.winRateByValue).toMatchObject({ value: 25, numerator: 100_00, denominator: 400_00 });
    expect(k.wonAmount.value).toBe(100_00);
    expect(k.opportunityCycleDays).toMatchObject({ value: 5.5, sample: 2 });
    expect(k.openPipeline.value).toBe(1000_00);
    expect(k.weightedPipeline.value).toBe(100_00);
    expect(r.pipelineByCloseMonth).toEqual([{ month: '2026-05', count: 1, amountMinor: 1000_00, weightedMinor: 100_00 }]);
    expect(r.breakdown.find((b: any) => b.key === 'web')).toMatchObject({ leadsCreated: 2, leadsConverted: 2, conversionRate: 100 });
    expect(r.breakdown.find((b: any) => b.key === 'expo')).toMatchObject({ leadsCreated: 2, leadsConverted: 0, conversionRate: 0 });

    // The drill link lists exactly the records behind the figure.
    const drilled = await ok(t.as(rep, 'GET', `${k.leadConversionRate.drill}&limit=200`));
    expect(drilled.items.map((l: any) => l.name).sort()).toEqual(['L0', 'L1']);

    // Another team's rep sees none of it.
    const o = await ok(t.as(outsider, 'GET', '/api/v1/analytics/kpis?from=2026-03-01&to=2026-03-31'));
    expect(o.kpis.leadsCreated.value).toBe(0);
    expect(o.kpis.winRate).toMatchObject({ value: 0, denominator: 0 });
    expect(o.kpis.openPipeline.value).toBe(0);
  });

  it('refuses a reversed period and unknown parameters', async () => {
    const a = await t.as(admin, 'GET', '/api/v1/analytics/kpis?from=2026-03-31&to=2026-03-01');
    expect(a.statusCode).toBe(422);
    const b = await t.as(admin, 'GET', '/api/v1/analytics/kpis?from=2026-03-01&to=2026-03-31&colour=red');
    expect(b.statusCode).toBe(422);
  });
});

describe('KPIs on the demo company agree with the lists behind them', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await TestApp.start('sqlite');
    await loadDemoData(t.handle, { leads: 400, seed: 7 });
    admin = await t.user('admin', null, 'Admin');
  });
  afterAll(() => t.stop());

  async function countAll(url: string): Promise<number> {
    let n = 0;
    let cursor: string | null = null;
    do {
      const page: any = await ok(t.as(admin, 'GET', `${url}&limit=200${cursor ? `&cursor=${cursor}` : ''}`));
      n += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
    return n;
  }

  it('every count-based KPI equals the number of records its drill link lists', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
    const r = await ok(t.as(admin, 'GET', `/api/v1/analytics/kpis?from=${yearAgo}&to=${today}`));
    const k = r.kpis;
    expect(k.leadsCreated.value).toBeGreaterThan(300);
    expect(await countAll(k.leadsCreated.drill)).toBe(k.leadsCreated.value);
    expect(await countAll(k.leadConversionRate.drill)).toBe(k.leadConversionRate.numerator);
    expect(await countAll(k.winRate.drill)).toBe(k.winRate.denominator);
    expect(await countAll(`${k.wonAmount.drill}`)).toBe(k.winRate.numerator);
    expect(k.cashCollected.value).toBeGreaterThan(0);
    expect(k.leadToCashDays.sample).toBeGreaterThan(0);
    expect(k.leadToCashDays.value).toBeGreaterThan(k.quoteToCashDays.value);
  });
});

describe.each(DIALECTS)('global search (%s)', (dialect) => {
  let t: TestApp;
  let rep: TestUser, outsider: TestUser, finance: TestUser;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    rep = await t.user('sales_rep', await t.team('East'), 'Rep');
    outsider = await t.user('sales_rep', await t.team('West'), 'Outsider');
    finance = await t.user('finance', null, 'Finance');
  });
  afterAll(() => t.stop());

  it('finds leads, accounts and contacts by name across types, only within scope', async () => {
    const lead = await ok(t.as(rep, 'POST', '/api/v1/leads', { name: '欧阳娜娜', company: '厦门星辰物流有限公司', email: 'nana@xingchen.example' }), 201);
    await ok(t.as(rep, 'POST', `/api/v1/leads/${lead.id}/qualify`, {}));
    await ok(t.as(rep, 'POST', `/api/v1/leads/${lead.id}/convert`, {}));
    const hits = (await ok(t.as(rep, 'GET', `/api/v1/search?q=${encodeURIComponent('星辰')}`))).items;
    expect(hits.map((h: any) => h.type).sort()).toEqual(['accounts', 'leads', 'opportunities']);
    expect(hits.find((h: any) => h.type === 'leads')).toMatchObject({ id: lead.id, title: '欧阳娜娜', status: 'converted' });
    const byEmail = (await ok(t.as(rep, 'GET', '/api/v1/search?q=NANA@xingchen'))).items;
    expect(byEmail.map((h: any) => h.type).sort()).toEqual(['contacts', 'leads']);
    expect((await ok(t.as(outsider, 'GET', `/api/v1/search?q=${encodeURIComponent('星辰')}`))).items).toEqual([]);
    // Finance may not read leads: they do not appear, the account does.
    expect((await ok(t.as(finance, 'GET', `/api/v1/search?q=${encodeURIComponent('星辰')}`))).items.map((h: any) => h.type).sort()).toEqual(['accounts', 'opportunities']);
    expect((await t.as(rep, 'GET', '/api/v1/search?q=x')).statusCode).toBe(422);
  });
});

/**
 * The key figures are counted, summed and turned into duration histograms by the database (so that a
 * year at a million leads stays under the budget); here they are checked against the plain
 * computation from the rows — load everything, filter the scope and the period in JavaScript, take the
 * medians of `daysBetween` — on the benchmark's generated company, for every role and period.
 */
describe.each(DIALECTS)('KPIs computed by the database equal the computation from the rows (%s)', (dialect) => {
  let db: BenchDb;
  let data: Dataset;
  let ctxs: Record<Actor, Ctx>;
  beforeAll(async () => {
    db = await freshBenchDb(dialect, PG_URL, 3);
    data = await generateDataset(db, { ...SIZES.small.data, leads: 3_000, opportunities: 900, invoices: 600, events: 1_000 });
    ctxs = await contexts(data, { db: db.handle.db, dialect, requestId: null });
  });
  afterAll(() => db?.drop());

  async function reference(ctx: Ctx, from: string, to: string) {
    const all = async (table: string) => (await (ctx.db as any).selectFrom(table).selectAll().execute()) as any[];
    const [leads, opps, orders, deliveries, invoices, allocations, quotes] = (await Promise.all(
      ['leads', 'opportunities', 'orders', 'deliveries', 'invoices', 'paymentAllocations', 'quotes'].map(all),
    )) as [any[], any[], any[], any[], any[], any[], any[]];
    const p = analyticsPeriod(from, to, 'Asia/Shanghai');
    const inP = (v: string | null) => !!v && v >= p.fromUtc && v < p.toUtcExclusive;
    const u = ctx.user;
    const visible = (entity: string) => (r: any) => core.scopeOf(u, entity as any) !== 'team' || r.ownerId === u.id || u.teamIds.includes(r.teamId);
    const out: Record<string, unknown> = {};
    if (core.can(u, 'lead', 'read')) {
      const cohort = leads.filter(visible('lead')).filter((l) => inP(l.createdAt));
      const converted = cohort.filter((l) => l.status === 'converted');
      out.leadsCreated = cohort.length;
      out.converted = converted.length;
      out.withOpp = converted.filter((l) => l.convertedOpportunityId !== null).length;
      out.nurture = median(converted.map((l) => daysBetween(l.createdAt, l.convertedAt)));
      const byTeam = new Map<string | null, [number, number]>();
      for (const l of cohort) {
        const x = byTeam.get(l.teamId) ?? [0, 0];
        x[0]++;
        if (l.status === 'converted') x[1]++;
        byTeam.set(l.teamId, x);
      }
      out.leadsByTeam = Object.fromEntries([...byTeam].map(([k, v]) => [String(k), v]));
    }
    if (core.can(u, 'opportunity', 'read')) {
      const mine = opps.filter(visible('opportunity'));
      const closed = mine.filter((o) => inP(o.closedAt) && (o.status === 'won' || o.status === 'lost'));
      out.closed = closed.length;
      out.won = closed.filter((o) => o.status === 'won').length;
      out.wonValue = closed.filter((o) => o.status === 'won').reduce((s, o) => s + o.amountMinor, 0);
      out.closedValue = closed.reduce((s, o) => s + o.amountMinor, 0);
      out.cycle = median(closed.map((o) => daysBetween(o.createdAt, o.closedAt)));
      const open = mine.filter((o) => o.status === 'open');
      const months = new Map<string, { count: number; amountMinor: number; weighted: bigint }>();
      for (const o of open) {
        const m = o.expectedCloseDate ? o.expectedCloseDate.slice(0, 7) : 'none';
        const x = months.get(m) ?? { count: 0, amountMinor: 0, weighted: 0n };
        x.count++;
        x.amountMinor += o.amountMinor;
        x.weighted += BigInt(o.amountMinor) * BigInt(o.probability);
        months.set(m, x);
      }
      out.openPipeline = open.reduce((s, o) => s + o.amountMinor, 0);
      out.byMonth = [...months]
        .sort(([a], [b]) => (a === 'none' ? 1 : b === 'none' ? -1 : a.localeCompare(b)))
        .map(([month, x]) => ({ month, count: x.count, amountMinor: x.amountMinor, weightedMinor: Number(core.roundDiv(x.weighted, 100n)) }));
    }
    if (core.can(u, 'order', 'read'))
      out.fulfilment = median(orders.filter(visible('order')).filter((o) => inP(o.fulfilledAt) && o.confirmedAt).map((o) => daysBetween(o.confirmedAt, o.fulfilledAt)));
    if (core.can(u, 'delivery', 'read'))
      out.delivery = median(deliveries.filter(visible('delivery')).filter((d) => inP(d.acceptedAt) && d.shippedAt).map((d) => daysBetween(d.shippedAt, d.acceptedAt)));
    if (core.can(u, 'invoice', 'read')) {
      const l2c: number[] = [];
      const q2c: number[] = [];
      for (const inv of invoices.filter(visible('invoice')).filter((i) => i.status === 'paid')) {
        const allocs = allocations.filter((a) => a.invoiceId === inv.id);
        if (!allocs.length) continue;
        const paidAt = allocs.map((a) => a.createdAt).sort().at(-1)!;
        if (!inP(paidAt)) continue;
        const order = orders.find((o) => o.id === inv.orderId);
        const opp = opps.find((o) => o.id === order?.opportunityId);
        const lead = leads.find((l) => l.id === opp?.leadId);
        const quote = quotes.find((q) => q.id === order?.quoteId);
        if (lead) l2c.push(daysBetween(lead.createdAt, paidAt));
        if (quote) q2c.push(daysBetween(quotes.filter((q) => q.number === quote.number).map((q) => q.createdAt).sort()[0]!, paidAt));
      }
      out.l2c = [median(l2c), l2c.length];
      out.q2c = [median(q2c), q2c.length];
    }
    return out;
  }

  function fromReport(r: core.KpiReport) {
    const k = r.kpis;
    const out: Record<string, unknown> = {};
    if (k.leadsCreated) {
      out.leadsCreated = k.leadsCreated.value;
      out.converted = k.leadConversionRate!.numerator;
      out.withOpp = k.leadToOpportunityRatio!.numerator;
      out.nurture = k.leadNurturingDays!.value;
      out.leadsByTeam = Object.fromEntries(r.breakdown!.filter((b) => b.leadsCreated).map((b) => [String(b.key), [b.leadsCreated, b.leadsConverted]]));
    }
    if (k.winRate) {
      out.closed = k.winRate.denominator;
      out.won = k.winRate.numerator;
      out.wonValue = k.wonAmount!.value;
      out.closedValue = k.winRateByValue!.denominator;
      out.cycle = k.opportunityCycleDays!.value;
      out.openPipeline = k.openPipeline!.value;
      out.byMonth = r.pipelineByCloseMonth;
    }
    if (k.orderFulfilmentDays) out.fulfilment = k.orderFulfilmentDays.value;
    if (k.deliveryCycleDays) out.delivery = k.deliveryCycleDays.value;
    if (k.leadToCashDays) {
      out.l2c = [k.leadToCashDays.value, k.leadToCashDays.sample];
      out.q2c = [k.quoteToCashDays!.value, k.quoteToCashDays!.sample];
    }
    return out;
  }

  it.each(['quarter', 'year'] as const)('every role, this %s and the last two years', async (kind) => {
    const periods = [kpiPeriod(kind), { from: new Date(Date.now() - 730 * 86_400_000).toISOString().slice(0, 10), to: new Date().toISOString().slice(0, 10) }];
    for (const actor of ['admin', 'rep', 'finance'] as const)
      for (const pr of periods) {
        const ctx = ctxs[actor];
        const report = await core.computeKpis(ctx, { ...pr, groupBy: 'team' });
        const expected = await reference(ctx, pr.from, pr.to);
        expect(fromReport(report), `${actor} ${pr.from}…${pr.to}`).toEqual(expected);
        if (actor === 'admin') {
          // The generated company has something in every figure over two years (the test can fail).
          expect(expected.leadsCreated as number).toBeGreaterThan(0);
          expect((expected.l2c as [number, number])[1]).toBeGreaterThan(0);
        }
      }
  });

  it('durations in tenths of a day: the database rounds exactly as daysBetween, edges and negatives included', async () => {
    const instant = fc.integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2030-01-01T00:00:00Z') });
    const span = fc.oneof(
      fc.tuple(fc.integer({ min: -400, max: 4000 }), fc.constantFrom(0, 1, -1, 4_320_000, 4_319_999, 4_320_001, -4_320_000)).map(([t, d]) => t * 8_640_000 + d),
      fc.integer({ min: -3e10, max: 3e10 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(instant, span), { minLength: 1, maxLength: 40 }), async (pairs) => {
        const rows = pairs.map(([a, d]) => [new Date(a).toISOString(), new Date(a + d).toISOString()] as const);
        const values = sql.join(rows.map(([a, b]) => sql`(${a}, ${b})`));
        const res = await sql<{ x: number | null }>`with t(a, b) as (values ${values}) select ${tenthsOfDays(dialect, 'a', 'b')} as x from t`.execute(db.handle.db);
        expect(res.rows.map((r) => Number(r.x) + 0)).toEqual(rows.map(([a, b]) => tenthsBetween(a, b) + 0));
      }),
      { numRuns: 40 },
    );
  });
});
