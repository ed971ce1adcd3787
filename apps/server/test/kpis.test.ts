import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import { setClock } from '@openltc/core';
import { loadDemoData } from '../src/demo/demo.ts';

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
