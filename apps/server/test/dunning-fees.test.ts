import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import { setClock } from '@openltc/core';

/**
 * Dunning fees and late interest as receivables (charges with their own gap-free numbers, in aging,
 * posted Dr AR / Cr fee and interest income, paid by allocating a payment, reopened when that
 * payment is reversed), and the escalation policy of a first run: `step` or `jump`.
 */
describe.each(DIALECTS)('dunning charges and escalation (%s)', (dialect) => {
  let t: TestApp;
  let ops: TestUser, fin: TestUser, rep: TestUser, outsider: TestUser;
  const LEVELS = [
    { level: 1, minDaysPastDue: 1, template: 'reminder_friendly' },
    { level: 2, minDaysPastDue: 15, template: 'reminder_firm', fees: { CNY: '5000' } },
    { level: 3, minDaysPastDue: 30, template: 'final_notice', interestAnnualRate: '0.1825', holdOrders: true },
    { level: 4, minDaysPastDue: 60, template: 'escalation', fees: { CNY: '20000' }, interestAnnualRate: '0.1825', escalate: true, holdOrders: true },
  ];

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const east = await t.team('East 华东');
    const west = await t.team('West 华西');
    ops = await t.user('operations', null, 'Ops Zhao');
    fin = await t.user('finance', null, 'Fin Qian');
    rep = await t.user('sales_rep', east, 'Rep Li');
    outsider = await t.user('sales_rep', west, 'Rep West');
    await ok(t.as(fin, 'PUT', '/api/v1/collections/levels', { levels: LEVELS }));
  });
  afterAll(() => t.stop());
  afterEach(() => setClock(null));

  const at = (date: string) => setClock(() => new Date(`${date}T04:00:00Z`));
  async function overdueInvoice(name: string, amountMinor: number, issueOn: string, termsDays: number, currency = 'CNY') {
    const acc = (await ok(t.as(rep, 'POST', '/api/v1/accounts', { name }), 201)).id as string;
    at(issueOn);
    const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId: acc, currency, lines: [{ description: 'Service', quantity: '1', unitPriceMinor: amountMinor, taxRate: '0' }] }), 201);
    await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
    const inv = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, { paymentTermsDays: termsDays }), 201);
    const out = await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/issue`, {}));
    setClock(null);
    return out as { id: string; number: string; dueDate: string; accountId: string };
  }
  const run = (runDate: string) => ok(t.as(fin, 'POST', '/api/v1/collections/runs', { runDate }));
  const noticesOf = (r: any, invoiceId: string) => r.runs.flatMap((x: any) => x.notices).filter((n: any) => n.invoiceId === invoiceId);
  const charges = async (q: string) => (await ok(t.as(fin, 'GET', `/api/v1/dunning-charges?${q}`))).items as any[];
  const entriesOf = async (sourceId: string) => (await ok(t.as(fin, 'GET', `/api/v1/ledger/entries?sourceId=${sourceId}`))).items as any[];
  const shape = (e: any) => e.lines.map((l: any) => [l.accountRole, l.debitMinor, l.creditMinor]);
  const count = async (table: 'dunningCharges' | 'journalEntries' | 'dunningNotices') => Number((await t.handle.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  async function reconciled(asOf: string) {
    const rec = await ok(t.as(fin, 'GET', `/api/v1/ledger/reconciliation?asOf=${asOf}`));
    for (const c of [...rec.currencies, ...rec.functional]) for (const k of c.checks) expect([c.currency, k.key, k.differenceMinor]).toEqual([c.currency, k.key, 0]);
    expect(rec.reconciled).toBe(true);
  }

  it('first run on a 241-days-overdue invoice: step sends level 1, jump sends the level the days reach with its fee and interest; the default is step', async () => {
    expect((await ok(t.as(fin, 'GET', '/api/v1/collections/levels'))).escalation).toBe('step');
    const stepped = await overdueInvoice('Step Co 逐级', 100_000, '2026-01-01', 30); // due 2026-01-31
    const jumped = await overdueInvoice('Jump Co 跳级', 100_000, '2026-01-01', 30);
    // 2026-09-29 is 241 days after 2026-01-31.
    const first = await run('2026-09-29');
    expect(noticesOf(first, stepped.id).map((n: any) => [n.level, n.daysPastDue, n.feeMinor, n.interestMinor])).toEqual([[1, 241, 0, 0]]);

    // Jump: a policy of the legal entity, changed with the levels (an event records it).
    const set = await ok(t.as(fin, 'PUT', '/api/v1/collections/levels', { levels: LEVELS, escalation: 'jump' }));
    expect(set.escalation).toBe('jump');
    await t.handle.db.deleteFrom('dunningNotices').where('invoiceId', '=', jumped.id).execute();
    const j = await run('2026-09-30'); // the jumped invoice: first run; the stepped one moves on by days now too
    // Level 4: fee ¥200.00; interest ¥1,000.00 × 18.25 % × 242 / 365 = ¥121.00.
    expect(noticesOf(j, jumped.id).map((n: any) => [n.level, n.daysPastDue, n.feeMinor, n.interestMinor])).toEqual([[4, 242, 20_000, 12_100]]);
    const [c] = await charges(`invoiceId=${jumped.id}`);
    expect(c).toMatchObject({ level: 4, feeMinor: 20_000, interestMinor: 12_100, totalMinor: 32_100, interestAnnualRate: '0.1825', interestFrom: '2026-01-31', interestThrough: '2026-09-30', interestDays: 242, interestBaseMinor: 100_000, issueDate: '2026-09-30', dueDate: '2026-10-14', status: 'open', outstandingMinor: 32_100 });
    await ok(t.as(fin, 'PUT', '/api/v1/collections/levels', { levels: LEVELS, escalation: 'step' }));
  });

  it('charges interest on a USD invoice at the notice date rate; without a rate the notice waits and the run goes on', async () => {
    await ok(t.as(fin, 'PUT', '/api/v1/fx-rates', { base: 'USD', quote: 'CNY', rate: '7', effectiveDate: '2025-06-01' })); // for the issue
    const usd = await overdueInvoice('Dollar Co', 100_000, '2025-06-01', 10); // CNY account, so currency below
    const inv = await overdueInvoice('Dollar Co 2', 100_000, '2025-06-01', 10, 'USD'); // due 2025-06-11
    await run('2025-06-12');
    await run('2025-06-26');
    // 30 days on 2025-07-11: interest $15.00, but no USD/CNY rate in force that day (the rate below starts later).
    await ok(t.as(fin, 'PUT', '/api/v1/fx-rates', { base: 'USD', quote: 'CNY', rate: '7.2', effectiveDate: '2025-07-12' }));
    await t.handle.db.deleteFrom('fxRates').where('effectiveDate', '=', '2025-06-01').execute();
    const r = await run('2025-07-11');
    expect(r.runs[0].skipped).toContainEqual({ invoiceId: inv.id, reason: 'fx_rate_missing' });
    expect(noticesOf(r, usd.id).map((n: any) => n.level)).toEqual([3]); // the CNY invoice is dunned as usual
    const next = await run('2025-07-12');
    expect(noticesOf(next, inv.id).map((n: any) => [n.level, n.interestMinor])).toEqual([[3, 1_550]]); // 31 days
    const [c] = await charges(`invoiceId=${inv.id}`);
    const [e] = await entriesOf(c.id);
    expect([e.currency, e.fxRate, e.lines.map((l: any) => [l.accountRole, l.debitMinor, l.creditMinor, l.functionalDebitMinor, l.functionalCreditMinor])]).toEqual([
      'USD',
      '7.2',
      [
        ['ar', 1_550, 0, 11_160, 0],
        ['interestIncome', 0, 1_550, 0, 11_160],
      ],
    ]);
  });

  it('turns fees and interest into numbered receivables posted to income, once per notice, in aging, paid and reopened with the payment', async () => {
    const inv = await overdueInvoice('Late Fee Co 滞纳金', 100_000, '2026-03-01', 10); // due 2026-03-11
    expect(noticesOf(await run('2026-03-12'), inv.id).map((n: any) => [n.level, n.chargeId])).toEqual([[1, null]]); // level 1 charges nothing
    const second = await run('2026-03-26'); // 15 days: level 2, fee ¥50.00
    const [n2] = noticesOf(second, inv.id);
    expect([n2.level, n2.feeMinor, n2.chargeNumber]).toEqual([2, 5_000, expect.stringMatching(/^DC-2026-\d{6}$/)]);
    const [fee] = await charges(`invoiceId=${inv.id}`);
    const [fe] = await entriesOf(fee.id);
    expect([fe.sourceType, fe.event, fe.documentRef, shape(fe)]).toEqual(['dunning_charge', 'issue', fee.number, [['ar', 5_000, 0], ['feesIncome', 0, 5_000]]]);

    // The same day again: no notice, no charge, no entry.
    const before = await Promise.all([count('dunningCharges'), count('journalEntries'), count('dunningNotices')]);
    await run('2026-03-26');
    expect(await Promise.all([count('dunningCharges'), count('journalEntries'), count('dunningNotices')])).toEqual(before);

    // 30 days: level 3, interest ¥1,000.00 × 18.25 % × 30 / 365 = ¥15.00 to interest income.
    await run('2026-04-10');
    const list = await charges(`accountId=${inv.accountId}`);
    expect(list.map((c) => [c.level, c.feeMinor, c.interestMinor])).toEqual([[3, 0, 1_500], [2, 5_000, 0]]);
    const seq = (n: string) => Number(n.slice(-6));
    expect(seq(list[0].number)).toBe(seq(list[1].number) + 1);
    expect(shape((await entriesOf(list[0].id))[0])).toEqual([['ar', 1_500, 0], ['interestIncome', 0, 1_500]]);

    // In aging (fee due 2026-04-09, interest due 2026-04-24) and in the books.
    const aging = await ok(t.as(fin, 'GET', `/api/v1/receivables/aging?asOf=2026-04-10&groupBy=none`));
    expect(aging.totals.totalMinor).toBeGreaterThanOrEqual(100_000 + 6_500);
    await reconciled('2026-04-10');
    // Sales of another team see none of it.
    expect((await ok(t.as(outsider, 'GET', `/api/v1/dunning-charges?accountId=${inv.accountId}`))).items).toEqual([]);

    // Paid: ¥65.00 received, allocated to both charges; over-allocation and another account are refused.
    const p = await ok(t.as(fin, 'POST', '/api/v1/payments', { accountId: inv.accountId, amountMinor: 6_500, currency: 'CNY', receivedOn: '2026-04-12', method: 'bank_transfer' }), 201);
    const over = await t.as(fin, 'POST', `/api/v1/payments/${p.id}/charge-allocations`, { allocations: [{ chargeId: list[1].id, amountMinor: 5_001 }] });
    expect([over.statusCode, over.json().code, over.json().errors[0].path]).toEqual([409, 'over_allocation', 'allocations.0.amountMinor']);
    const paid = await ok(t.as(fin, 'POST', `/api/v1/payments/${p.id}/charge-allocations`, { allocations: [{ chargeId: list[1].id, amountMinor: 5_000 }, { chargeId: list[0].id, amountMinor: 1_500 }] }));
    expect(paid.charges.map((c: any) => [c.status, c.outstandingMinor])).toEqual([['paid', 0], ['paid', 0]]);
    const pay = await ok(t.as(fin, 'GET', `/api/v1/payments/${p.id}`));
    expect([pay.chargeAllocatedMinor, pay.unallocatedMinor, pay.fx]).toEqual([6_500, 0, null]);
    expect(shape((await entriesOf(paid.allocations[0].id))[0])).toEqual([['customerAdvances', 5_000, 0], ['ar', 0, 5_000]]);
    await reconciled('2026-04-12');

    // The bank returns the payment: the charges are owed again.
    at('2026-04-15');
    await ok(t.as(fin, 'POST', `/api/v1/payments/${p.id}/reverse`, { reason: 'Returned 退票' }));
    expect((await charges(`accountId=${inv.accountId}`)).map((c) => [c.status, c.outstandingMinor])).toEqual([['open', 1_500], ['open', 5_000]]);
    await reconciled('2026-04-15');
  });
});
