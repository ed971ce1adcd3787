import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import * as core from '@openltc/core';

/**
 * Deferred revenue in a foreign currency (IAS 21.23 / IFRIC 22: a non-monetary item at its historical
 * rate): released at the rates it was billed at, weighted by what each invoice billed, the last
 * release taking what is left; revenue recognised before billing at the month-end rate. Worked
 * example on both databases, with the trial balance and the reconciliation after each close.
 */
describe.each(DIALECTS)('deferred revenue in a foreign currency (%s)', (dialect) => {
  let t: TestApp;
  let admin: TestUser, fin: TestUser, ops: TestUser, rep: TestUser;
  let accountId: string;
  let proj: any;
  const on = (date: string) => core.setClock(() => new Date(`${date}T04:00:00Z`));

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    admin = await t.user('admin', null, 'Admin');
    fin = await t.user('finance', null, 'Fin');
    ops = await t.user('operations', null, 'Ops');
    rep = await t.user('sales_rep', await t.team('East'), 'Rep');
    accountId = (await ok(t.as(rep, 'POST', '/api/v1/accounts', { name: 'Pacific Trading Ltd', currency: 'USD' }), 201)).id;
    proj = await ok(t.as(admin, 'POST', '/api/v1/products', { sku: 'FX-PRJ', name: 'Implementation', kind: 'service', unit: 'job', listPriceMinor: 100_000, currency: 'USD', revenueMethod: 'percent_complete', taxRate: '0' }), 201);
    // USD/CNY: 7.00 from 1 Jan, 7.20 from 20 Jan, 7.50 at the end of January, 7.40 from 10 Feb, 7.60 at the end of February.
    await ok(t.as(fin, 'POST', '/api/v1/fx-rates/bulk', { text: 'USD,CNY,7.00,2026-01-01\nUSD,CNY,7.20,2026-01-20\nUSD,CNY,7.50,2026-01-31\nUSD,CNY,7.40,2026-02-10\nUSD,CNY,7.60,2026-02-28' }));
  });
  afterEach(() => core.setClock(null));
  afterAll(() => t.stop());

  const order = async () => {
    const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId, currency: 'USD', lines: [{ productId: proj.id, description: 'Implementation', quantity: '1', unitPriceMinor: 100_000, taxCode: 'VAT0' }] }), 201);
    await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
    return o;
  };
  const bill = async (o: any, quantity: string) => {
    const inv = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, { lines: [{ orderLineId: o.lines[0].id, quantity }] }), 201);
    return ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/issue`, {}));
  };
  const progress = async (o: any, date: string, p: string) => {
    const pob = (await ok(t.as(fin, 'GET', `/api/v1/orders/${o.id}/revenue`))).obligations[0];
    await ok(t.as(ops, 'POST', `/api/v1/revenue-obligations/${pob.id}/progress`, { date, progress: p }));
  };
  /** The functional (CNY) lines of a role for the given source ids, as [debit, credit] per line. */
  const fLines = async (role: string, sourceIds: string[]) =>
    (
      await t.handle.db
        .selectFrom('journalLines')
        .innerJoin('journalEntries', 'journalEntries.id', 'journalLines.entryId')
        .select(['journalEntries.sourceId', 'journalEntries.event', 'journalLines.debitMinor', 'journalLines.creditMinor', 'journalLines.functionalDebitMinor', 'journalLines.functionalCreditMinor'])
        .where('journalLines.accountRole', '=', role)
        .where('journalEntries.sourceId', 'in', sourceIds)
        .orderBy('journalEntries.entryDate')
        .orderBy('journalLines.id')
        .execute()
    ).map((l) => [l.event, Number(l.debitMinor) - Number(l.creditMinor), Number(l.functionalDebitMinor ?? 0) - Number(l.functionalCreditMinor ?? 0)]);
  const net = (rows: Array<Array<string | number>>) => rows.reduce<number[]>((s, r) => [s[0]! + Number(r[1]), s[1]! + Number(r[2])], [0, 0]);
  async function reconciled(asOf: string) {
    const rec = await ok(t.as(fin, 'GET', `/api/v1/ledger/reconciliation?asOf=${asOf}&from=2026-01-01`));
    const bad = [...rec.currencies, ...rec.functional].flatMap((c: any) => c.checks.filter((k: any) => k.differenceMinor !== 0).map((k: any) => [c.currency, k.key, k.differenceMinor]));
    expect(bad).toEqual([]);
    expect(rec.reconciled).toBe(true);
    const tb = await ok(t.as(fin, 'GET', `/api/v1/ledger/trial-balance?asOf=${asOf}`));
    for (const c of tb.currencies) expect([c.currency, c.debitMinor]).toEqual([c.currency, c.creditMinor]);
  }

  it('releases billed deferred revenue at its historical rates and revenue before billing at the month-end rate', async () => {
    // Order A, $1,000.00: billed $500 on 5 Jan (7.00: ¥3,500.00) and $500 on 25 Jan (7.20: ¥3,600.00):
    // deferred revenue carries $1,000.00 = ¥7,100.00, a weighted rate of 7.10.
    on('2026-01-03');
    const a = await order();
    const b = await order();
    on('2026-01-05');
    const a1 = await bill(a, '0.5');
    on('2026-01-25');
    const a2 = await bill(a, '0.5');
    expect(net(await fLines('deferredRevenue', [a1.id, a2.id]))).toEqual([-100_000, -710_000]);

    // January: A 40 % complete ($400), B 30 % complete ($300) and not billed at all.
    on('2026-01-28');
    await progress(a, '2026-01-28', '0.4');
    await progress(b, '2026-01-28', '0.3');
    // The contract-asset account: 1141 合同资产 by default (MONEY.md names the source), configurable like every role.
    const chart = await ok(t.as(fin, 'GET', '/api/v1/ledger/accounts'));
    expect(chart.accounts.find((x: any) => x.role === 'contractAsset')).toMatchObject({ code: '1141', nameZh: '合同资产' });
    await ok(t.as(fin, 'PUT', '/api/v1/ledger/accounts', { accounts: [{ role: 'contractAsset', code: '1141.01', nameZh: '合同资产-实施项目', nameEn: 'Contract assets - projects' }] }));
    on('2026-02-02');
    await ok(t.as(fin, 'POST', '/api/v1/revenue/close', { period: '2026-01' }));
    const codes = await t.handle.db.selectFrom('journalLines').select('accountCode').distinct().where('accountRole', '=', 'contractAsset').execute();
    expect(codes.map((c) => c.accountCode)).toEqual(['1141.01']);
    // A: $400 at 7.10 = ¥2,840.00 (not ¥3,000.00 at the month-end 7.50). B: $300 at 7.50 = ¥2,250.00.
    expect(await fLines('revenue', [a.id])).toEqual([['recognise:2026-01', -40_000, -284_000]]);
    expect(await fLines('deferredRevenue', [a.id])).toEqual([['recognise:2026-01', 40_000, 284_000]]);
    expect(await fLines('revenue', [b.id])).toEqual([['recognise:2026-01', -30_000, -225_000]]);
    // B's contract asset: booked on 31 Jan at 7.50 and reversed on 1 Feb at the same rate, back to ¥0.
    const period = (await ok(t.as(fin, 'GET', '/api/v1/revenue/periods'))).periods.find((p: any) => p.period === '2026-01');
    const asset = await fLines('contractAsset', [period.id]);
    expect(asset).toEqual([
      ['reclass:USD', 30_000, 225_000],
      ['reverse:USD', -30_000, -225_000],
    ]);
    await reconciled('2026-01-31');

    // February: A complete ($600): the last release takes what is left, ¥7,100.00 − ¥2,840.00 = ¥4,260.00
    // (7.10 again, whatever February's rates are). B billed in full on 15 Feb at 7.40 and 80 % complete.
    on('2026-02-15');
    await progress(a, '2026-02-15', '1');
    const b1 = await bill(b, '1');
    await progress(b, '2026-02-15', '0.8');
    on('2026-03-02');
    await ok(t.as(fin, 'POST', '/api/v1/revenue/close', { period: '2026-02' }));
    expect((await fLines('revenue', [a.id])).map((r) => r.slice(1))).toEqual([
      [-40_000, -284_000],
      [-60_000, -426_000],
    ]);
    // A is fully recognised: nothing left on deferred revenue in either currency, and revenue = what was billed in CNY.
    expect(net([...(await fLines('deferredRevenue', [a1.id, a2.id, a.id]))])).toEqual([0, 0]);
    expect(net(await fLines('revenue', [a.id]))).toEqual([-100_000, -710_000]);
    // B: billed $1,000 at 7.40 (¥7,400.00) after $300 was recognised; February's $500 comes out of what was billed beyond it.
    // Carried before February: $1,000 − $300 = $700, ¥7,400.00 − ¥2,250.00 = ¥5,150.00; $500 of it → ¥3,678.57.
    expect(await fLines('revenue', [b.id])).toEqual([
      ['recognise:2026-01', -30_000, -225_000],
      ['recognise:2026-02', -50_000, -367_857],
    ]);
    expect(net(await fLines('deferredRevenue', [b1.id, b.id]))).toEqual([-20_000, -(740_000 - 225_000 - 367_857)]);
    await reconciled('2026-02-28');
  });
});
