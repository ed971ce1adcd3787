import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import * as core from '@openltc/core';

/**
 * Revenue recognition end to end over HTTP: obligations at confirmation (relative SSP), schedules
 * from deliveries and service dates, invoices into deferred revenue, the revenue close (in order,
 * once ended, idempotent, locking), contract assets, credits as catch-ups, progress, modifications,
 * and the revenue report reconciling exactly to the journal.
 */
describe.each(DIALECTS)('revenue recognition and the revenue close (%s)', (dialect) => {
  let t: TestApp;
  let admin: TestUser, fin: TestUser, ops: TestUser, rep: TestUser;
  let accountId: string;
  let hw: any, sup: any, proj: any;

  /** Noon in Shanghai of a business date. */
  const on = (date: string) => core.setClock(() => new Date(`${date}T04:00:00Z`));

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    admin = await t.user('admin', null, 'Admin Rev');
    fin = await t.user('finance', null, 'Fin Rev');
    ops = await t.user('operations', null, 'Ops Rev');
    const east = await t.team('East');
    rep = await t.user('sales_rep', east, 'Rep Rev');
    accountId = (await ok(t.as(rep, 'POST', '/api/v1/accounts', { name: '杭州数智有限公司' }), 201)).id;
    hw = await ok(t.as(admin, 'POST', '/api/v1/products', { sku: 'REV-HW', name: '一体机 Appliance', kind: 'goods', unit: '台', listPriceMinor: 300_000, taxRate: '0.13' }), 201);
    sup = await ok(
      t.as(admin, 'POST', '/api/v1/products', { sku: 'REV-SUP', name: '年度支持 Support', kind: 'service', unit: '年', listPriceMinor: 100_000, sspMinor: 120_000, serviceMonths: 12, taxRate: '0.06' }),
      201,
    );
    proj = await ok(t.as(admin, 'POST', '/api/v1/products', { sku: 'REV-PRJ', name: '实施 Implementation', kind: 'service', unit: '项', listPriceMinor: 500_000, revenueMethod: 'percent_complete', taxRate: '0.06' }), 201);
  });
  afterEach(() => core.setClock(null));
  afterAll(() => t.stop());

  const order = async (lines: unknown[]) => {
    const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId, lines }), 201);
    await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
    return o;
  };
  const issueAll = async (orderId: string) => {
    const inv = await ok(t.as(fin, 'POST', `/api/v1/orders/${orderId}/invoices`, {}), 201);
    return ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/issue`, {}));
  };
  const revenueOf = (orderId: string) => ok(t.as(fin, 'GET', `/api/v1/orders/${orderId}/revenue`));
  const entries = async (sourceId: string) => (await ok(t.as(fin, 'GET', `/api/v1/ledger/entries?sourceId=${sourceId}&limit=200`))).items;
  const shape = (e: any) => e.lines.map((l: any) => [l.accountRole, l.debitMinor, l.creditMinor]);
  const balance = (tb: any, role: string) => tb.currencies.flatMap((c: any) => c.rows).filter((r: any) => r.accountRole === role).reduce((s: number, r: any) => s + r.balanceMinor, 0);
  async function reconciled(asOf: string, from = '2026-01-01') {
    const rec = await ok(t.as(fin, 'GET', `/api/v1/ledger/reconciliation?asOf=${asOf}&from=${from}`));
    const checks = rec.currencies.flatMap((c: any) => c.checks.map((k: any) => [c.currency, k.key, k.differenceMinor]));
    expect(checks.filter((c: any) => c[2] !== 0), JSON.stringify(rec)).toEqual([]);
    expect(rec.reconciled).toBe(true);
    return rec;
  }

  let o1: any, o2: any, o3: any, inv1: any;
  let octRecognised = 0;

  it('confirming an order makes each line an obligation with its share of the price by relative SSP; services ratable, goods on delivery', async () => {
    on('2026-10-05');
    // Appliance ¥3,000 (SSP = list) + support billed at ¥1,000 (SSP ¥1,200): price ¥4,000 for SSP ¥4,200.
    o1 = await order([
      { productId: hw.id, description: '一体机 Appliance', quantity: '1', unitPriceMinor: 300_000, taxRate: '0.13' },
      { productId: sup.id, description: '年度支持 Support', quantity: '1', unitPriceMinor: 100_000, taxRate: '0.06' },
    ]);
    const r = await revenueOf(o1.id);
    expect([r.transactionPriceMinor, r.sspTotalMinor]).toEqual([400_000, 420_000]);
    expect(r.obligations.map((o: any) => [o.method, o.sspMinor, o.allocatedMinor, o.discountMinor, o.serviceStart, o.serviceEnd])).toEqual([
      ['delivery', 300_000, 285_714, 14_286, null, null],
      ['ratable', 120_000, 114_286, 5_714, '2026-10-05', '2027-10-04'],
    ]);
    const [goods, service] = r.obligations;
    expect([goods.lines.length, goods.unscheduledMinor]).toEqual([0, 285_714]);
    expect(service.lines.length).toBe(13);
    expect(service.lines.reduce((s: number, l: any) => s + l.amountMinor, 0)).toBe(114_286);
    expect(service.lines.every((l: any) => l.status === 'scheduled')).toBe(true);
    // Sales reps do not see revenue; operations cannot close.
    expect((await t.as(rep, 'GET', `/api/v1/orders/${o1.id}/revenue`)).statusCode).toBe(403);
    expect((await t.as(ops, 'POST', '/api/v1/revenue/close', { period: '2026-10' })).statusCode).toBe(403);
  });

  it('an invoice of such an order credits deferred revenue, not revenue (VAT unchanged)', async () => {
    on('2026-10-06');
    inv1 = await issueAll(o1.id);
    const [e] = await entries(inv1.id);
    expect(shape(e)).toEqual([
      ['ar', inv1.totalMinor, 0],
      ['deferredRevenue', 0, 100_000],
      ['deferredRevenue', 0, 300_000],
      ['vatOutput', 0, 6_000],
      ['vatOutput', 0, 39_000],
    ]);
    // A second order is never billed this month (its revenue will be a contract asset), a third one by percent complete.
    o2 = await order([{ productId: sup.id, description: '年度支持 Support', quantity: '1', unitPriceMinor: 120_000, taxRate: '0.06' }]);
    o3 = await order([{ productId: proj.id, description: '实施 Implementation', quantity: '1', unitPriceMinor: 500_000, taxRate: '0.06' }]);
    await reconciled('2026-10-06');
  });

  it('a delivery schedules the goods on the day they arrive; operations enter progress', async () => {
    on('2026-10-10');
    const d = await ok(t.as(ops, 'POST', `/api/v1/orders/${o1.id}/deliveries`, { lines: [{ orderLineId: o1.lines[0].id, quantity: '1' }] }), 201);
    expect((await revenueOf(o1.id)).obligations[0].lines).toEqual([]);
    on('2026-10-12');
    await ok(t.as(ops, 'POST', `/api/v1/deliveries/${d.id}/deliver`, {}));
    const goods = (await revenueOf(o1.id)).obligations[0];
    expect(goods.lines.map((l: any) => [l.period, l.recogniseOn, l.amountMinor, l.kind, l.ref])).toEqual([['2026-10', '2026-10-12', 285_714, 'delivery', d.id]]);
    const pob = (await revenueOf(o3.id)).obligations[0];
    expect(pob.method).toBe('percent_complete');
    await ok(t.as(ops, 'POST', `/api/v1/revenue-obligations/${pob.id}/progress`, { date: '2026-10-31', progress: '0.4' }));
    const bad = await t.as(ops, 'POST', `/api/v1/revenue-obligations/${pob.id}/progress`, { date: '2026-11-30', progress: '0.3' });
    expect([bad.statusCode, bad.json().errors?.[0]?.code]).toEqual([422, 'invalid_progress']);
  });

  it('the close refuses a month not ended or after an open one; closes October once; run twice posts nothing twice', async () => {
    on('2026-10-20');
    const early = await t.as(fin, 'POST', '/api/v1/revenue/close', { period: '2026-10' });
    expect([early.statusCode, early.json().code]).toEqual([409, 'period_not_ended']);
    on('2026-11-02');
    const skip = await t.as(fin, 'POST', '/api/v1/revenue/close', { period: '2026-11' });
    expect([skip.statusCode, skip.json().code]).toEqual([409, 'period_not_ended']);
    on('2026-12-01');
    const after = await t.as(fin, 'POST', '/api/v1/revenue/close', { period: '2026-11' });
    expect([after.statusCode, after.json().code, after.json().openPeriod]).toEqual([409, 'earlier_period_open', '2026-10']);
    on('2026-11-02');
    const periods = await ok(t.as(fin, 'GET', '/api/v1/revenue/periods'));
    expect([periods.closedThrough, periods.nextToClose]).toEqual([null, '2026-10']);
    const c = await ok(t.as(fin, 'POST', '/api/v1/revenue/close', { period: '2026-10' }));
    // o1: goods + 27/365 of support; o2: 27/365 of support; o3: 40% of ¥5,000.
    const s1 = (await revenueOf(o1.id)).obligations[1].lines.find((l: any) => l.period === '2026-10');
    const s2 = (await revenueOf(o2.id)).obligations[0].lines.find((l: any) => l.period === '2026-10');
    expect(s1.status).toBe('recognised');
    octRecognised = 285_714 + s1.amountMinor + s2.amountMinor + 200_000;
    expect([c.alreadyClosed, c.lines, c.recognised]).toEqual([false, 4, [{ currency: 'CNY', amountMinor: octRecognised }]]);
    // One recognition entry per order (Dr deferred / Cr revenue per obligation) and the contract-asset reclass and its reversal.
    expect(c.entries).toBe(5);
    const [e1] = await entries(o1.id);
    expect(e1).toMatchObject({ sourceType: 'revenue_recognition', event: 'recognise:2026-10', entryDate: '2026-10-31', documentRef: o1.number });
    expect(shape(e1)).toEqual([
      ['deferredRevenue', 285_714 + s1.amountMinor, 0],
      ['revenue', 0, 285_714],
      ['revenue', 0, s1.amountMinor],
    ]);
    const again = await ok(t.as(fin, 'POST', '/api/v1/revenue/close', { period: '2026-10' }));
    expect([again.alreadyClosed, again.lines, again.entries]).toEqual([true, 0, 0]);

    // At the month end: deferred revenue is what o1 billed beyond its revenue; o2 and o3 recognised without billing: contract assets.
    const tb = await ok(t.as(fin, 'GET', '/api/v1/ledger/trial-balance?asOf=2026-10-31'));
    const unbilled = s2.amountMinor + 200_000;
    expect([balance(tb, 'revenue'), balance(tb, 'deferredRevenue'), balance(tb, 'contractAsset')]).toEqual([-octRecognised, -(400_000 - 285_714 - s1.amountMinor), unbilled]);
    const next = await ok(t.as(fin, 'GET', '/api/v1/ledger/trial-balance?asOf=2026-11-01'));
    expect(balance(next, 'contractAsset')).toBe(0);
    const rec = await reconciled('2026-10-31');
    expect(rec.currencies[0].checks.map((k: any) => k.key)).toEqual(expect.arrayContaining(['revenue', 'billings', 'contractBalance', 'deferredRevenue', 'contractAsset']));
    await reconciled('2026-11-02');

    const report = await ok(t.as(fin, 'GET', '/api/v1/revenue/report?from=2026-10&to=2026-11'));
    const oct = report.byPeriod.find((p: any) => p.period === '2026-10');
    expect(oct).toMatchObject({ closed: true, recognisedMinor: octRecognised, deferredMinor: 400_000 - 285_714 - s1.amountMinor, unbilledMinor: unbilled });
    expect(report.byProduct.find((p: any) => p.productId === hw.id).amountMinor).toBe(285_714);
    expect(report.byAccount).toEqual([{ accountId, accountName: '杭州数智有限公司', currency: 'CNY', amountMinor: octRecognised }]);
    expect(report.byPeriod.find((p: any) => p.period === '2026-11').scheduledMinor).toBeGreaterThan(0);
  });

  it('a closed month is locked: back-dated progress, a credit and a modification become catch-ups in the first open month', async () => {
    on('2026-11-10');
    const pob = (await revenueOf(o3.id)).obligations[0];
    // Progress re-measured for 31 October (after the close): 50% → +¥500 caught up on 1 November.
    await ok(t.as(ops, 'POST', `/api/v1/revenue-obligations/${pob.id}/progress`, { date: '2026-10-31', progress: '0.5' }));
    const lines = (await revenueOf(o3.id)).obligations[0].lines;
    expect(lines.map((l: any) => [l.period, l.recogniseOn, l.amountMinor, l.kind, l.status])).toEqual([
      ['2026-10', '2026-10-31', 200_000, 'progress', 'recognised'],
      ['2026-11', '2026-11-01', 50_000, 'catch_up', 'scheduled'],
    ]);
    // A price allowance of ¥1,000 over the invoice: it lowers the price of both obligations; the appliance,
    // recognised in October, gives its share back as a catch-up in November.
    const cn = await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv1.id}/credit-notes`, { reason: '折让 Allowance', amountMinor: 100_000, issue: true }), 201);
    const [ce] = await entries(cn.id);
    const deferredDebit = shape(ce).filter((l: any) => l[0] === 'deferredRevenue').reduce((s: number, l: any) => s + l[1], 0);
    expect(deferredDebit).toBe(cn.netMinor);
    expect(shape(ce).some((l: any) => l[0] === 'revenue')).toBe(false);
    const [goods, support] = (await revenueOf(o1.id)).obligations;
    expect(goods.creditedMinor + support.creditedMinor).toBe(cn.netMinor);
    expect(goods.creditedMinor).toBeGreaterThan(0);
    expect(goods.lines.filter((l: any) => l.status === 'scheduled').map((l: any) => [l.period, l.amountMinor, l.kind])).toEqual([['2026-11', -goods.creditedMinor, 'catch_up']]);
    expect(support.recognisedMinor + support.scheduledMinor).toBe(support.priceMinor);
    // The support of o2 is extended by a year for ¥1,000 more from 15 November, prospectively.
    const sup2 = (await revenueOf(o2.id)).obligations[0];
    const mod = await ok(t.as(fin, 'POST', `/api/v1/revenue-obligations/${sup2.id}/modify`, { date: '2026-11-15', newAllocatedMinor: 220_000, newEnd: '2028-10-04', method: 'prospective', reason: '续约一年 One more year' }));
    const m = mod.obligations[0];
    expect([m.priceMinor, m.recognisedMinor + m.scheduledMinor, m.unscheduledMinor]).toEqual([220_000, 220_000, 0]);
    expect(m.lines.at(-1).period).toBe('2028-10');
    expect((await t.as(fin, 'POST', `/api/v1/revenue-obligations/${sup2.id}/modify`, { date: '2026-11-20', newAllocatedMinor: 1, method: 'prospective', reason: 'x' })).statusCode).toBe(409);

    on('2026-12-01');
    const c = await ok(t.as(fin, 'POST', '/api/v1/revenue/close', { period: '2026-11' }));
    expect(c.lines).toBeGreaterThanOrEqual(5);
    await reconciled('2026-11-30');
    await reconciled('2026-12-01');
    const report = await ok(t.as(fin, 'GET', '/api/v1/revenue/report?from=2026-10&to=2026-11'));
    const tb = await ok(t.as(fin, 'GET', '/api/v1/ledger/trial-balance?asOf=2026-11-30'));
    const total = report.totals.find((x: any) => x.currency === 'CNY');
    expect(-balance(tb, 'revenue')).toBe(total.recognisedMinor + total.atBillingMinor);
    const nov = report.byPeriod.find((p: any) => p.period === '2026-11');
    expect([-balance(tb, 'deferredRevenue'), balance(tb, 'contractAsset')]).toEqual([nov.deferredMinor, nov.unbilledMinor]);
    // The allocation is fixed once revenue is recognised.
    const realloc = await t.as(fin, 'PUT', `/api/v1/orders/${o1.id}/revenue-allocation`, { discountTo: [goods.id], reason: 'x' });
    expect([realloc.statusCode, realloc.json().code]).toEqual([409, 'revenue_already_recognised']);
  });

  it('finance can give the whole discount to named obligations (IFRS 15.82) before recognition', async () => {
    on('2026-12-02');
    const o = await order([
      { productId: hw.id, description: '一体机 Appliance', quantity: '1', unitPriceMinor: 300_000, taxRate: '0.13' },
      { productId: sup.id, description: '年度支持 Support', quantity: '1', unitPriceMinor: 100_000, taxRate: '0.06' },
    ]);
    const before = await revenueOf(o.id);
    const r = await ok(t.as(fin, 'PUT', `/api/v1/orders/${o.id}/revenue-allocation`, { discountTo: [before.obligations[1].id], reason: '支持服务单独打折 Support is discounted on its own' }));
    expect(r.obligations.map((x: any) => [x.allocatedMinor, x.bearsDiscount])).toEqual([
      [300_000, false],
      [100_000, true],
    ]);
    expect(r.obligations[1].lines.reduce((s: number, l: any) => s + l.amountMinor, 0)).toBe(100_000);
  });

  it('on acceptance waits for the customer; milestones are dated by operations when reached; a method changes only before recognition', async () => {
    on('2026-12-03');
    const o = await order([
      { productId: hw.id, description: '一体机 Appliance', quantity: '2', unitPriceMinor: 300_000, taxRate: '0.13' },
      { description: '定制开发 Custom build', quantity: '1', unitPriceMinor: 900_000, taxRate: '0.06' },
    ]);
    let r = await revenueOf(o.id);
    const [goods, build] = r.obligations;
    // A line without a product: its own price is its standalone price, recognised on delivery by default.
    expect([build.method, build.sspMinor]).toEqual(['delivery', 900_000]);
    await ok(t.as(ops, 'PATCH', `/api/v1/revenue-obligations/${goods.id}`, { method: 'acceptance' }));
    r = await ok(
      t.as(ops, 'PATCH', `/api/v1/revenue-obligations/${build.id}`, {
        method: 'milestone',
        milestones: [
          { id: 'design', name: '设计 Design', weight: 1, plannedOn: '2026-12-10' },
          { id: 'go-live', name: '上线 Go-live', weight: 3, plannedOn: '2027-01-20' },
        ],
      }),
    );
    expect(r.obligations[1].lines).toEqual([]);
    const d = await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/deliveries`, { lines: [{ orderLineId: o.lines[0].id, quantity: '2' }] }), 201);
    on('2026-12-05');
    await ok(t.as(ops, 'POST', `/api/v1/deliveries/${d.id}/deliver`, {}));
    // Arrived, not accepted: nothing yet.
    expect((await revenueOf(o.id)).obligations[0].lines).toEqual([]);
    on('2026-12-08');
    await ok(t.as(ops, 'POST', `/api/v1/deliveries/${d.id}/accept`, { acceptedBy: '王工 Wang' }));
    r = await revenueOf(o.id);
    expect(r.obligations[0].lines.map((l: any) => [l.recogniseOn, l.kind, l.amountMinor])).toEqual([['2026-12-08', 'acceptance', r.obligations[0].allocatedMinor]]);
    const ms = r.obligations[1];
    r = await ok(
      t.as(ops, 'PATCH', `/api/v1/revenue-obligations/${ms.id}`, {
        milestones: [
          { id: 'design', name: '设计 Design', weight: 1, plannedOn: '2026-12-10', reachedOn: '2026-12-11' },
          { id: 'go-live', name: '上线 Go-live', weight: 3, plannedOn: '2027-01-20' },
        ],
      }),
    );
    expect(r.obligations[1].lines.map((l: any) => [l.recogniseOn, l.kind, l.ref, l.amountMinor])).toEqual([['2026-12-11', 'milestone', 'design', Math.round(r.obligations[1].allocatedMinor / 4)]]);
    expect(r.obligations[1].unscheduledMinor).toBe(r.obligations[1].allocatedMinor - Math.round(r.obligations[1].allocatedMinor / 4));
    // Invalid milestone weights are refused per field; a stale If-Match is a conflict.
    const bad = await t.as(ops, 'PATCH', `/api/v1/revenue-obligations/${ms.id}`, { milestones: [{ id: 'a', name: 'A', weight: 0 }] });
    expect([bad.statusCode, bad.json().errors?.[0]?.code]).toEqual([422, 'invalid_milestones']);
    const stale = await t.as(ops, 'PATCH', `/api/v1/revenue-obligations/${ms.id}`, { serviceEnd: '2027-12-31' }, { 'if-match': '"1"' });
    expect(stale.statusCode).toBe(409);
    // After a close has recognised it, the method is fixed.
    on('2027-01-02');
    await ok(t.as(fin, 'POST', '/api/v1/revenue/close', { period: '2026-12' }));
    const fixed = await t.as(ops, 'PATCH', `/api/v1/revenue-obligations/${ms.id}`, { method: 'delivery' });
    expect([fixed.statusCode, fixed.json().code]).toEqual([409, 'revenue_already_recognised']);
    await reconciled('2026-12-31');
  });

  it('rebuilding the journal from scratch gives the same trial balance, revenue closes included', async () => {
    const tb = await core.ledgerTrialBalance(t.sys, { asOf: '2026-12-31' });
    await t.handle.db.deleteFrom('journalLines').execute();
    await t.handle.db.deleteFrom('journalEntries').execute();
    const r = await core.rebuildJournal(t.sys);
    expect(r.revenueEntries).toBeGreaterThan(0);
    expect(await core.ledgerTrialBalance(t.sys, { asOf: '2026-12-31' })).toEqual(tb);
  });
});
