import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import { setClock } from '@openltc/core';

/**
 * Dunning charges waived (finance, with a reason; the posting reversed — of a partly paid charge only
 * the unpaid rest; a charge paid in full is not waived)
 * and VAT on charges when the legal entity's dunning policy names a tax code (off by default).
 */
describe.each(DIALECTS)('dunning charge waiver and VAT (%s)', (dialect) => {
  let t: TestApp;
  let ops: TestUser, fin: TestUser, rep: TestUser;
  const LEVELS = [
    { level: 1, minDaysPastDue: 1, template: 'reminder_friendly' },
    { level: 2, minDaysPastDue: 15, template: 'reminder_firm', fees: { CNY: '5000' } },
  ];

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const east = await t.team('East 华东');
    ops = await t.user('operations', null, 'Ops Zhao');
    fin = await t.user('finance', null, 'Fin Qian');
    rep = await t.user('sales_rep', east, 'Rep Li');
    await ok(t.as(fin, 'PUT', '/api/v1/collections/levels', { levels: LEVELS }));
  });
  afterAll(() => t.stop());
  afterEach(() => setClock(null));

  const at = (date: string) => setClock(() => new Date(`${date}T04:00:00Z`));
  /** A ¥1,000.00 invoice issued on `issueOn`, due 10 days later, dunned at 1 and 15 days: a ¥50.00 fee charge. */
  async function feeCharge(name: string, issueOn: string, dueRun: string, feeRun: string) {
    const acc = (await ok(t.as(rep, 'POST', '/api/v1/accounts', { name }), 201)).id as string;
    at(issueOn);
    const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId: acc, lines: [{ description: 'Service', quantity: '1', unitPriceMinor: 100_000, taxCode: 'VAT0' }] }), 201);
    await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
    const draft = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, { paymentTermsDays: 10 }), 201);
    const inv = await ok(t.as(fin, 'POST', `/api/v1/invoices/${draft.id}/issue`, {}));
    setClock(null);
    await ok(t.as(fin, 'POST', '/api/v1/collections/runs', { runDate: dueRun }));
    await ok(t.as(fin, 'POST', '/api/v1/collections/runs', { runDate: feeRun }));
    const [c] = (await ok(t.as(fin, 'GET', `/api/v1/dunning-charges?invoiceId=${inv.id}`))).items;
    return { acc, inv, charge: c };
  }
  const entriesOf = async (sourceId: string) => (await ok(t.as(fin, 'GET', `/api/v1/ledger/entries?sourceId=${sourceId}`))).items as any[];
  const shape = (e: any) => e.lines.map((l: any) => [l.accountRole, l.debitMinor, l.creditMinor]);
  async function reconciled(asOf: string) {
    const rec = await ok(t.as(fin, 'GET', `/api/v1/ledger/reconciliation?asOf=${asOf}`));
    for (const c of [...rec.currencies, ...rec.functional]) for (const k of c.checks) expect([c.currency, k.key, k.differenceMinor]).toEqual([c.currency, k.key, 0]);
    expect(rec.reconciled).toBe(true);
  }
  const aging = async (asOf: string) => (await ok(t.as(fin, 'GET', `/api/v1/receivables/aging?asOf=${asOf}&currency=CNY&groupBy=none`))).totals.totalMinor as number;

  it('carries no VAT by default, and waives an unpaid charge with a reason: out of aging from that day, posting reversed, an event', async () => {
    expect((await ok(t.as(fin, 'GET', '/api/v1/collections/levels'))).chargeTaxCode).toBeNull();
    const { inv, charge } = await feeCharge('Waive Co 免除', '2026-03-01', '2026-03-12', '2026-03-26');
    expect(charge).toMatchObject({ feeMinor: 5_000, taxMinor: 0, taxCode: null, totalMinor: 5_000, status: 'open', waivedOn: null });
    const before = await aging('2026-04-01');

    // A rep may not waive; a reason is required.
    for (const u of [rep, ops]) expect((await t.as(u, 'POST', `/api/v1/dunning-charges/${charge.id}/waive`, { reason: 'goodwill' })).statusCode).toBe(403);
    const noReason = await t.as(fin, 'POST', `/api/v1/dunning-charges/${charge.id}/waive`, {});
    expect([noReason.statusCode, noReason.json().errors[0].path]).toEqual([422, 'reason']);

    at('2026-04-02');
    const waived = await ok(t.as(fin, 'POST', `/api/v1/dunning-charges/${charge.id}/waive`, { reason: '客户长期合作，免除滞纳金 goodwill' }));
    expect(waived).toMatchObject({ status: 'waived', waivedOn: '2026-04-02', waiveReason: '客户长期合作，免除滞纳金 goodwill', outstandingMinor: 0, version: charge.version + 1 });
    const entries = await entriesOf(charge.id);
    const waive = entries.find((e) => e.event === 'waive');
    expect(entries.map((e) => e.event).sort()).toEqual(['issue', 'waive']);
    expect([waive.entryDate, shape(waive)]).toEqual(['2026-04-02', [['feesIncome', 5_000, 0], ['ar', 0, 5_000]]]);
    // Owed until the day before the waiver, not from it.
    expect(await aging('2026-04-01')).toBe(before);
    expect(await aging('2026-04-02')).toBe(before - 5_000);
    await reconciled('2026-04-01');
    await reconciled('2026-04-02');
    const events = await t.handle.db.selectFrom('events').select(['action']).where('entityId', '=', charge.id).orderBy('id').execute();
    expect(events.map((e) => e.action)).toEqual(['created', 'waived']);
    const onInvoice = await t.handle.db.selectFrom('events').select(['action']).where('entityId', '=', inv.id).where('action', '=', 'dunning_charge_waived').execute();
    expect(onInvoice.length).toBe(1);

    // Not twice, and nothing can be paid on it any more.
    const again = await t.as(fin, 'POST', `/api/v1/dunning-charges/${charge.id}/waive`, { reason: 'again' });
    expect([again.statusCode, again.json().code]).toEqual([409, 'invalid_transition']);
    const pay = await ok(t.as(fin, 'POST', '/api/v1/payments', { accountId: inv.accountId, amountMinor: 5_000, currency: 'CNY', receivedOn: '2026-04-03', method: 'bank_transfer' }), 201);
    const onWaived = await t.as(fin, 'POST', `/api/v1/payments/${pay.id}/charge-allocations`, { allocations: [{ chargeId: charge.id, amountMinor: 100 }] });
    expect([onWaived.statusCode, onWaived.json().code]).toEqual([409, 'over_allocation']);
    expect((await ok(t.as(fin, 'GET', `/api/v1/dunning-charges?status=waived`))).items.map((c: any) => c.id)).toContain(charge.id);
  });

  it('waives the unpaid rest of a partly paid charge: only that part reversed, nothing left in aging; a fully paid one gets 409', async () => {
    const { inv, charge } = await feeCharge('Paid Fee Co', '2026-05-01', '2026-05-12', '2026-05-26');
    const pay = await ok(t.as(fin, 'POST', '/api/v1/payments', { accountId: inv.accountId, amountMinor: 2_000, currency: 'CNY', receivedOn: '2026-05-27', method: 'bank_transfer' }), 201);
    await ok(t.as(fin, 'POST', `/api/v1/payments/${pay.id}/charge-allocations`, { allocations: [{ chargeId: charge.id, amountMinor: 2_000 }] }));
    const partly = (await ok(t.as(fin, 'GET', `/api/v1/dunning-charges?invoiceId=${inv.id}`))).items[0];
    expect(partly).toMatchObject({ status: 'open', paidMinor: 2_000, outstandingMinor: 3_000, waivedMinor: 0 });
    at('2026-05-28');
    const before = await aging('2026-05-28');
    // Finance only, with a reason.
    for (const u of [rep, ops]) expect((await t.as(u, 'POST', `/api/v1/dunning-charges/${charge.id}/waive`, { reason: 'goodwill' })).statusCode).toBe(403);
    expect((await t.as(fin, 'POST', `/api/v1/dunning-charges/${charge.id}/waive`, { reason: ' ' })).statusCode).toBe(422);
    const waived = await ok(t.as(fin, 'POST', `/api/v1/dunning-charges/${charge.id}/waive`, { reason: '余款免除 rest waived' }, { 'if-match': `"${partly.version}"` }));
    expect(waived).toMatchObject({ status: 'waived', waivedOn: '2026-05-28', paidMinor: 2_000, waivedMinor: 3_000, outstandingMinor: 0 });
    // Only the waived ¥30.00 is reversed; the ¥20.00 paid stays income.
    const waive = (await entriesOf(charge.id)).find((e) => e.event === 'waive');
    expect(shape(waive)).toEqual([
      ['feesIncome', 3_000, 0],
      ['ar', 0, 3_000],
    ]);
    expect(await aging('2026-05-27')).toBe(before);
    expect(await aging('2026-05-28')).toBe(before - 3_000);
    await reconciled('2026-05-28');
    const ev = await t.handle.db.selectFrom('events').select('after').where('entityId', '=', charge.id).where('action', '=', 'waived').executeTakeFirstOrThrow();
    expect(JSON.parse(String(ev.after))).toMatchObject({ waivedMinor: 3_000, paidMinor: 2_000, reason: '余款免除 rest waived' });

    // Paid in full: nothing is left to waive.
    const full = await feeCharge('Fully Paid Fee Co', '2026-06-01', '2026-06-12', '2026-06-26');
    const pay2 = await ok(t.as(fin, 'POST', '/api/v1/payments', { accountId: full.inv.accountId, amountMinor: 5_000, currency: 'CNY', receivedOn: '2026-06-27', method: 'bank_transfer' }), 201);
    await ok(t.as(fin, 'POST', `/api/v1/payments/${pay2.id}/charge-allocations`, { allocations: [{ chargeId: full.charge.id, amountMinor: 5_000 }] }));
    at('2026-06-28');
    const res = await t.as(fin, 'POST', `/api/v1/dunning-charges/${full.charge.id}/waive`, { reason: 'goodwill' });
    expect([res.statusCode, res.json().code, res.json().paidMinor, res.json().outstandingMinor]).toEqual([409, 'charge_paid', 5_000, 0]);
    expect((await entriesOf(full.charge.id)).map((e) => e.event)).toEqual(['issue']);
  });

  it('adds VAT to charges when the legal entity names a code: Cr VAT output, in the total, reconciled; waived with it', async () => {
    const bad = await t.as(fin, 'PUT', '/api/v1/collections/levels', { levels: LEVELS, chargeTaxCode: 'NOPE' });
    expect([bad.statusCode, bad.json().errors[0].path]).toEqual([422, 'chargeTaxCode']);
    const set = await ok(t.as(fin, 'PUT', '/api/v1/collections/levels', { levels: LEVELS, chargeTaxCode: 'VAT6' }));
    expect(set.chargeTaxCode).toBe('VAT6');
    // Omitted: unchanged.
    expect((await ok(t.as(fin, 'PUT', '/api/v1/collections/levels', { levels: LEVELS }))).chargeTaxCode).toBe('VAT6');

    const { charge } = await feeCharge('VAT Fee Co 增值税', '2026-07-01', '2026-07-12', '2026-07-26');
    // ¥50.00 fee + 6 % VAT ¥3.00.
    expect(charge).toMatchObject({ feeMinor: 5_000, taxCode: 'VAT6', taxRate: '0.06', taxMinor: 300, totalMinor: 5_300, outstandingMinor: 5_300 });
    const [issue] = await entriesOf(charge.id);
    expect(shape(issue)).toEqual([
      ['ar', 5_300, 0],
      ['feesIncome', 0, 5_000],
      ['vatOutput', 0, 300],
    ]);
    await reconciled('2026-07-31');
    at('2026-08-03');
    await ok(t.as(fin, 'POST', `/api/v1/dunning-charges/${charge.id}/waive`, { reason: 'billing error' }));
    const waive = (await entriesOf(charge.id)).find((e) => e.event === 'waive');
    expect(shape(waive)).toEqual([
      ['feesIncome', 5_000, 0],
      ['vatOutput', 300, 0],
      ['ar', 0, 5_300],
    ]);
    await reconciled('2026-08-03');

    // Partly paid (¥10.60 of ¥53.00): the rest ¥42.40 is reversed in proportion, ¥40.00 fee and ¥2.40 VAT.
    const part = await feeCharge('VAT Part Co 部分付款', '2026-09-01', '2026-09-12', '2026-09-26');
    const pay = await ok(t.as(fin, 'POST', '/api/v1/payments', { accountId: part.inv.accountId, amountMinor: 1_060, currency: 'CNY', receivedOn: '2026-09-27', method: 'bank_transfer' }), 201);
    await ok(t.as(fin, 'POST', `/api/v1/payments/${pay.id}/charge-allocations`, { allocations: [{ chargeId: part.charge.id, amountMinor: 1_060 }] }));
    at('2026-09-28');
    expect(await ok(t.as(fin, 'POST', `/api/v1/dunning-charges/${part.charge.id}/waive`, { reason: 'rest waived' }))).toMatchObject({ waivedMinor: 4_240, outstandingMinor: 0 });
    expect(shape((await entriesOf(part.charge.id)).find((e) => e.event === 'waive'))).toEqual([
      ['feesIncome', 4_000, 0],
      ['vatOutput', 240, 0],
      ['ar', 0, 4_240],
    ]);
    await reconciled('2026-09-28');
    await ok(t.as(fin, 'PUT', '/api/v1/collections/levels', { levels: LEVELS, chargeTaxCode: null }));
  });
});
