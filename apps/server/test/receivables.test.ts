import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import { addDays, setClock, today } from '@openltc/core';

describe.each(DIALECTS)('payments, receivables and credit hold over HTTP (%s)', (dialect) => {
  let t: TestApp;
  let ops: TestUser;
  let fin: TestUser;
  let rep: TestUser;
  let manager: TestUser;
  let outsider: TestUser;

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const east = await t.team('East 华东');
    const west = await t.team('West 华西');
    ops = await t.user('operations', null, 'Ops Zhao');
    fin = await t.user('finance', null, 'Fin Qian');
    rep = await t.user('sales_rep', east, 'Rep Li');
    manager = await t.user('sales_manager', east, 'Manager Wu');
    outsider = await t.user('sales_rep', west, 'Rep West');
  });
  afterAll(() => t.stop());
  afterEach(() => setClock(null));

  const count = async (table: 'paymentAllocations' | 'payments') =>
    Number((await t.handle.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const newAccount = async (name: string, who: TestUser = rep) => (await ok(t.as(who, 'POST', '/api/v1/accounts', { name }), 201)).id as string;
  const line = (unitPriceMinor: number, quantity = '1') => ({ description: `服务 Service ${unitPriceMinor}`, quantity, unitPriceMinor, taxRate: '0' });

  /** An issued invoice of one tax-free line, on the clock's current date, with the given payment terms. */
  async function issuedInvoice(accountId: string, amountMinor: number, paymentTermsDays = 30) {
    const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId, lines: [line(amountMinor)] }), 201);
    const c = await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
    expect(c.status).toBe('confirmed');
    const inv = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, { paymentTermsDays }), 201);
    return ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/issue`, {}));
  }
  const at = (date: string) => setClock(() => new Date(`${date}T04:00:00Z`));
  const getInvoice = (id: string) => ok(t.as(fin, 'GET', `/api/v1/invoices/${id}`));
  const payment = (accountId: string, amountMinor: number, extra: Record<string, unknown> = {}) =>
    t.as(fin, 'POST', '/api/v1/payments', { accountId, amountMinor, currency: 'CNY', receivedOn: today(), method: 'bank_transfer', ...extra });

  it('reverses a returned payment: counter-rows, invoices back to issued or partially paid with events, nothing deleted', async () => {
    const acc = await newAccount('退票客户 Bounced Co');
    const a = await issuedInvoice(acc, 100_000);
    const b = await issuedInvoice(acc, 200_000);
    const first = await ok(payment(acc, 50_000, { allocations: [{ invoiceId: b.id, amountMinor: 50_000 }] }), 201);
    const p = await ok(payment(acc, 180_000, { allocations: [{ invoiceId: a.id, amountMinor: 100_000 }, { invoiceId: b.id, amountMinor: 70_000 }] }), 201);
    expect(p).toMatchObject({ unallocatedMinor: 10_000, allowedActions: ['reverse'] });
    expect(await getInvoice(a.id)).toMatchObject({ status: 'paid' });
    expect(await getInvoice(b.id)).toMatchObject({ status: 'partially_paid', paidMinor: 120_000 });
    const rows = await count('paymentAllocations');

    expect((await t.as(rep, 'POST', `/api/v1/payments/${p.id}/reverse`, { reason: 'x' })).statusCode).toBe(403);
    expect((await t.as(fin, 'POST', `/api/v1/payments/${p.id}/reverse`, {})).json().code).toBe('validation_failed');
    const rev = await ok(t.as(fin, 'POST', `/api/v1/payments/${p.id}/reverse`, { reason: '银行退票 Returned by the bank' }));
    expect(rev).toMatchObject({ status: 'reversed', reversalReason: '银行退票 Returned by the bank', reversedOn: today(), allocatedMinor: 0, unallocatedMinor: 0, allowedActions: [] });
    expect(rev.allocations.map((x: any) => [x.kind, x.invoiceId, x.amountMinor])).toEqual([
      ['allocation', a.id, 100_000],
      ['allocation', b.id, 70_000],
      ['reversal', a.id, -100_000],
      ['reversal', b.id, -70_000],
    ]);
    expect(await count('paymentAllocations')).toBe(rows + 2);
    expect(await getInvoice(a.id)).toMatchObject({ status: 'issued', paidMinor: 0, outstandingMinor: 100_000 });
    expect(await getInvoice(b.id)).toMatchObject({ status: 'partially_paid', paidMinor: 50_000, outstandingMinor: 150_000 });
    const atl = await ok(t.as(fin, 'GET', `/api/v1/invoices/${a.id}/timeline`));
    expect(atl.items.map((e: any) => e.action).slice(-2)).toEqual(['payment_reversed', 'reopen']);
    expect(atl.items.at(-1)).toMatchObject({ before: { status: 'paid' }, after: { status: 'issued' }, actorId: fin.id });
    const ptl = await ok(t.as(fin, 'GET', `/api/v1/payments/${p.id}/timeline`));
    expect(ptl.items.at(-1)).toMatchObject({ action: 'reverse', after: { status: 'reversed', reversalReason: '银行退票 Returned by the bank' } });

    const again = await t.as(fin, 'POST', `/api/v1/payments/${p.id}/reverse`, { reason: 'again' });
    expect([again.statusCode, again.json().code, again.json().allowedActions]).toEqual([409, 'invalid_transition', []]);
    const alloc = await t.as(fin, 'POST', `/api/v1/payments/${p.id}/allocate`, { allocations: [{ invoiceId: a.id, amountMinor: 1 }] });
    expect([alloc.statusCode, alloc.json().code]).toEqual([409, 'payment_reversed']);
    // The balance counts only money still with us: the first payment, fully on invoice B.
    expect(await ok(t.as(fin, 'GET', `/api/v1/accounts/${acc}/balance`))).toMatchObject({
      invoicedMinor: 300_000,
      paidMinor: 50_000,
      outstandingMinor: 250_000,
      unallocatedPaymentsMinor: 0,
    });
    expect((await ok(t.as(fin, 'GET', `/api/v1/payments/${first.id}`))).status).toBe('received');
    const tr = await ok(t.as(fin, 'GET', `/api/v1/trace/invoices/${b.id}`));
    expect(tr.edges.filter((e: any) => e.from === `invoice:${b.id}` && e.to.startsWith('payment:')).map((e: any) => [e.to, e.kind, e.amountMinor]).sort()).toEqual(
      [
        [`payment:${first.id}`, 'paid', 50_000],
        [`payment:${p.id}`, 'reversed', 0],
      ].sort(),
    );
  });

  it('auto-allocates oldest due first; an overpayment stays as credit and pays a later invoice', async () => {
    const acc = await newAccount('自动核销客户 Auto Co');
    const late = await issuedInvoice(acc, 300_000, 45);
    const soon = await issuedInvoice(acc, 100_000, 15);
    const mid = await issuedInvoice(acc, 200_000, 30);
    const both = await payment(acc, 1, { autoAllocate: true, allocations: [{ invoiceId: soon.id, amountMinor: 1 }] });
    expect([both.statusCode, both.json().errors[0].path]).toEqual([422, 'autoAllocate']);

    const p = await ok(payment(acc, 250_000, { autoAllocate: true }), 201);
    expect(p.allocations.map((x: any) => [x.invoiceId, x.amountMinor])).toEqual([
      [soon.id, 100_000],
      [mid.id, 150_000],
    ]);
    expect(p).toMatchObject({ allocatedMinor: 250_000, unallocatedMinor: 0 });
    expect((await getInvoice(soon.id)).status).toBe('paid');
    expect((await getInvoice(mid.id)).status).toBe('partially_paid');
    expect((await getInvoice(late.id)).status).toBe('issued');

    // ¥5,000 more than everything still owed: the rest stays on the payment as the customer's credit.
    const over = await ok(payment(acc, 850_000, { autoAllocate: true }), 201);
    expect(over.allocations.map((x: any) => [x.invoiceId, x.amountMinor])).toEqual([
      [mid.id, 50_000],
      [late.id, 300_000],
    ]);
    expect(over.unallocatedMinor).toBe(500_000);
    const balance = await ok(t.as(fin, 'GET', `/api/v1/accounts/${acc}/balance`));
    expect(balance).toMatchObject({ outstandingMinor: 0, unallocatedPaymentsMinor: 500_000, creditBalanceMinor: 500_000, netBalanceMinor: -500_000, overdueMinor: 0 });
    const nothing = await t.as(fin, 'POST', `/api/v1/payments/${p.id}/allocate`, { autoAllocate: true });
    expect([nothing.statusCode, nothing.json().code]).toEqual([409, 'nothing_to_allocate']);
    const none = await t.as(fin, 'POST', `/api/v1/payments/${over.id}/allocate`, {});
    expect([none.statusCode, none.json().code]).toEqual([422, 'validation_failed']);

    const next = await issuedInvoice(acc, 120_000);
    const used = await ok(t.as(fin, 'POST', `/api/v1/payments/${over.id}/allocate`, { autoAllocate: true }));
    expect(used.allocations.at(-1)).toMatchObject({ invoiceId: next.id, amountMinor: 120_000 });
    expect(used.unallocatedMinor).toBe(380_000);
    expect((await getInvoice(next.id)).status).toBe('paid');
    // A payment in another currency finds no CNY invoice to go to (it is booked at the day's USD/CNY rate).
    await ok(t.as(fin, 'PUT', '/api/v1/fx-rates', { base: 'USD', quote: 'CNY', rate: '7.1', effectiveDate: '2000-01-01' }));
    const usd = await ok(t.as(fin, 'POST', '/api/v1/payments', { accountId: acc, amountMinor: 1_000, currency: 'USD', receivedOn: today(), method: 'card', autoAllocate: true }), 201);
    expect(usd.allocations).toEqual([]);
    const wrong = await t.as(fin, 'POST', `/api/v1/payments/${usd.id}/allocate`, { allocations: [{ invoiceId: late.id, amountMinor: 1 }] });
    expect([wrong.statusCode, wrong.json().code]).toEqual([422, 'currency_mismatch']);
  });

  it('ages what is owed on the boundary days 0, 1, 30, 31, 60, 61, 90, 91, leaving out what came after the as-of date', async () => {
    const acc = await newAccount('账龄客户 Aging Co');
    const days = [0, 1, 30, 31, 60, 61, 90, 91];
    // All issued today; terms of 120 − d days put each one d days past due on today + 120.
    const invoices: Record<number, any> = {};
    for (const [i, d] of days.entries()) invoices[d] = await issuedInvoice(acc, (i + 1) * 1_000, 120 - d);
    const asOf = addDays(today('Asia/Shanghai'), 120);
    const aging = await ok(t.as(fin, 'GET', `/api/v1/receivables/aging?asOf=${asOf}&groupBy=account`));
    expect(aging.buckets.map((b: any) => [b.key, b.minDaysPastDue, b.maxDaysPastDue])).toEqual([
      ['current', null, 0],
      ['1_30', 1, 30],
      ['31_60', 31, 60],
      ['61_90', 61, 90],
      ['over_90', 91, null],
    ]);
    expect(aging.rule).toContain('days past due = as-of date − due date');
    const row = aging.rows.find((r: any) => r.accountId === acc);
    // Amounts 1,000 × (position + 1): 0→1,000; 1→2,000; 30→3,000; 31→4,000; 60→5,000; 61→6,000; 90→7,000; 91→8,000.
    expect(row).toMatchObject({
      accountName: '账龄客户 Aging Co',
      buckets: { current: 1_000, '1_30': 5_000, '31_60': 9_000, '61_90': 13_000, over_90: 8_000 },
      totalMinor: 36_000,
      invoiceCount: 8,
    });

    // A payment received after the as-of date does not count on it; on a later date it does.
    await ok(payment(acc, 8_000, { receivedOn: addDays(asOf, 1), allocations: [{ invoiceId: invoices[91].id, amountMinor: 8_000 }] }), 201);
    const same = await ok(t.as(fin, 'GET', `/api/v1/receivables/aging?asOf=${asOf}`));
    expect(same.rows.find((r: any) => r.accountId === acc).buckets.over_90).toBe(8_000);
    const later = await ok(t.as(fin, 'GET', `/api/v1/receivables/aging?asOf=${addDays(asOf, 1)}`));
    const laterRow = later.rows.find((r: any) => r.accountId === acc);
    // A day later everything is a day older: 90 → 91 moves to over 90, 60 → 61 to 61–90, 30 → 31 to 31–60, 0 → 1 to 1–30.
    expect(laterRow.buckets).toEqual({ current: 0, '1_30': 1_000 + 2_000, '31_60': 3_000 + 4_000, '61_90': 5_000 + 6_000, over_90: 7_000 });
    expect(laterRow.totalMinor).toBe(28_000);
    // Before the invoices were issued there was nothing to age.
    const before = await ok(t.as(fin, 'GET', `/api/v1/receivables/aging?asOf=${addDays(today('Asia/Shanghai'), -1)}`));
    expect(before.rows.find((r: any) => r.accountId === acc)).toBeUndefined();
    const total = await ok(t.as(fin, 'GET', `/api/v1/receivables/aging?asOf=${asOf}&groupBy=none`));
    expect(total.rows).toEqual([]);
    expect(total.totals.totalMinor).toBeGreaterThanOrEqual(36_000);

    // Scope: the team's rep sees the account; another team's rep does not; legal may not read receivables.
    expect((await ok(t.as(rep, 'GET', `/api/v1/receivables/aging?asOf=${asOf}`))).rows.map((r: any) => r.accountId)).toContain(acc);
    const west = await ok(t.as(outsider, 'GET', `/api/v1/receivables/aging?asOf=${asOf}`));
    expect(west.rows.map((r: any) => r.accountId)).not.toContain(acc);
    expect(west.totals.totalMinor).toBe(0);
    expect((await t.as(outsider, 'GET', `/api/v1/accounts/${acc}/balance`)).statusCode).toBe(404);
    const legal = await t.user('legal', null, 'Legal Sun');
    expect((await t.as(legal, 'GET', '/api/v1/receivables/aging')).statusCode).toBe(403);
    const bad = await t.as(fin, 'GET', '/api/v1/receivables/aging?asOf=2026-02-30');
    expect([bad.statusCode, bad.json().code]).toEqual([422, 'validation_failed']);
  });

  it('computes DSO, standard and countback, on a hand-worked quarter', async () => {
    // 2024 (a leap year): invoices of ¥1,000 on 15 Jan, ¥2,000 on 15 Feb, ¥3,000 on 15 Mar.
    const acc = await newAccount('DSO 客户 Quarter Co');
    const ids: string[] = [];
    for (const [date, amount] of [['2024-01-15', 100_000], ['2024-02-15', 200_000], ['2024-03-15', 300_000]] as const) {
      at(date);
      ids.push((await issuedInvoice(acc, amount)).id);
    }
    setClock(null);
    // Paid: January in full on 1 Feb; ¥500 of February on 1 Mar.
    await ok(payment(acc, 100_000, { receivedOn: '2024-02-01', allocations: [{ invoiceId: ids[0], amountMinor: 100_000 }] }), 201);
    await ok(payment(acc, 50_000, { receivedOn: '2024-03-01', allocations: [{ invoiceId: ids[1], amountMinor: 50_000 }] }), 201);

    const dso = await ok(t.as(fin, 'GET', '/api/v1/receivables/dso?from=2024-01-01&to=2024-03-31'));
    // Receivables on 31 Mar: 1,500 + 3,000 = 4,500; revenue 6,000; 91 days.
    // Standard: 4,500 / 6,000 × 91 = 68.25 → 68.3.
    // Countback: March (31 days, 3,000) is covered in full, 1,500 left; February: 1,500 / 2,000 × 29 = 21.75 → 52.75 → 52.8.
    expect(dso).toMatchObject({
      from: '2024-01-01',
      to: '2024-03-31',
      currency: 'CNY',
      periodDays: 91,
      receivablesMinor: 450_000,
      revenueMinor: 600_000,
      standardDays: 68.3,
      countbackDays: 52.8,
      countbackExhausted: false,
    });
    expect(dso.countbackMonths).toEqual([
      { month: '2024-03', revenueMinor: 300_000, days: 31 },
      { month: '2024-02', revenueMinor: 200_000, days: 29 },
    ]);
    // A ¥600 credit note on the March invoice, issued on 20 Mar: receivables and revenue both go down by it.
    at('2024-03-20');
    await ok(t.as(fin, 'POST', `/api/v1/invoices/${ids[2]}/credit-notes`, { reason: '折让 Allowance', amountMinor: 60_000, issue: true }), 201);
    setClock(null);
    // 3,900 / 5,400 × 91 = 65.72 → 65.7; countback: March 2,400 covered, then 1,500 / 2,000 × 29 → 52.8 again.
    expect(await ok(t.as(fin, 'GET', '/api/v1/receivables/dso?from=2024-01-01&to=2024-03-31'))).toMatchObject({
      receivablesMinor: 390_000,
      revenueMinor: 540_000,
      standardDays: 65.7,
      countbackDays: 52.8,
    });
    // Up to 19 Mar (79 days) the credit note did not exist yet: 4,500 / 6,000 × 79 = 59.25 → 59.3.
    expect(await ok(t.as(fin, 'GET', '/api/v1/receivables/dso?from=2024-01-01&to=2024-03-19'))).toMatchObject({
      periodDays: 79,
      receivablesMinor: 450_000,
      revenueMinor: 600_000,
      standardDays: 59.3,
    });
    // As of the end of January only January's invoice was issued, and it was still open.
    const jan = await ok(t.as(fin, 'GET', '/api/v1/receivables/dso?from=2024-01-01&to=2024-01-31'));
    // Receivables equal to January's revenue: exactly January's 31 days both ways.
    expect(jan).toMatchObject({ receivablesMinor: 100_000, revenueMinor: 100_000, periodDays: 31, standardDays: 31, countbackDays: 31 });
    const empty = await ok(t.as(fin, 'GET', '/api/v1/receivables/dso?from=2023-01-01&to=2023-03-31'));
    expect(empty).toMatchObject({ receivablesMinor: 0, revenueMinor: 0, standardDays: null, countbackDays: 0 });
    const backwards = await t.as(fin, 'GET', '/api/v1/receivables/dso?from=2024-03-31&to=2024-01-01');
    expect([backwards.statusCode, backwards.json().errors[0].path]).toEqual([422, 'from']);
    // The other team's rep sees none of it.
    expect(await ok(t.as(outsider, 'GET', '/api/v1/receivables/dso?from=2024-01-01&to=2024-03-31'))).toMatchObject({ receivablesMinor: 0, revenueMinor: 0 });
  });

  it('puts an order on credit hold above the credit limit; operations release it with a reason', async () => {
    const acc = await newAccount('限额客户 Limit Co');
    await ok(t.as(fin, 'PATCH', `/api/v1/accounts/${acc}`, { creditLimitMinor: 1_000_000 }));
    await issuedInvoice(acc, 600_000);
    // Exactly at the limit: confirmed.
    const within = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId: acc, lines: [line(400_000)] }), 201);
    expect((await ok(t.as(ops, 'POST', `/api/v1/orders/${within.id}/confirm`, {}))).status).toBe('confirmed');
    const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId: acc, lines: [line(400_001)] }), 201);
    const held = await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
    expect(held).toMatchObject({ status: 'on_hold', confirmedAt: null, allowedActions: ['release', 'cancel'] });
    expect(held.holdReason).toBe('credit limit 10000.00 CNY exceeded: outstanding 6000.00 CNY + this order 4000.01 CNY = 10000.01 CNY');
    const tl = await ok(t.as(ops, 'GET', `/api/v1/orders/${o.id}/timeline`));
    expect(tl.items.at(-1)).toMatchObject({ action: 'hold', before: { status: 'draft' }, after: { status: 'on_hold', holdReason: held.holdReason } });
    // Nothing ships on hold.
    const ship = await t.as(ops, 'POST', `/api/v1/orders/${o.id}/deliveries`, { lines: [{ orderLineId: held.lines[0].id, quantity: '1' }] });
    expect(ship.statusCode).toBe(409);
    expect((await t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {})).json().code).toBe('invalid_transition');
    // Releasing is an approval: operations (or admin), not a sales manager; a reason is required.
    expect((await t.as(manager, 'POST', `/api/v1/orders/${o.id}/release`, { reason: 'ok' })).statusCode).toBe(403);
    expect((await t.as(ops, 'POST', `/api/v1/orders/${o.id}/release`, {})).statusCode).toBe(422);
    const released = await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/release`, { reason: '客户已预付 Prepayment received' }));
    expect(released).toMatchObject({ status: 'confirmed', releaseReason: '客户已预付 Prepayment received', holdReason: held.holdReason });
    expect(released.confirmedAt).toBeTruthy();
    // The release, then the revenue allocation it triggers (the order's lines become performance obligations).
    expect((await ok(t.as(ops, 'GET', `/api/v1/orders/${o.id}/timeline`))).items.slice(-2).map((e: any) => [e.action, e.actorId])).toEqual([
      ['release', ops.id],
      ['revenue_allocated', ops.id],
    ]);
    // A held order can also be cancelled.
    const o2 = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId: acc, lines: [line(500_000)] }), 201);
    expect((await ok(t.as(ops, 'POST', `/api/v1/orders/${o2.id}/confirm`, {}))).status).toBe('on_hold');
    expect((await ok(t.as(ops, 'POST', `/api/v1/orders/${o2.id}/cancel`, { reason: '客户取消' }))).status).toBe('cancelled');
    expect(await ok(t.as(fin, 'GET', `/api/v1/accounts/${acc}/balance`))).toMatchObject({ creditLimitMinor: 1_000_000, outstandingMinor: 600_000, availableCreditMinor: 400_000 });
  });

  it('puts an order on credit hold when an invoice is more than 30 days overdue, not at 30', async () => {
    const ok30 = await newAccount('30 天客户 Thirty Co');
    const late31 = await newAccount('31 天客户 Thirty-one Co');
    const now = today('Asia/Shanghai');
    at(addDays(now, -60));
    await issuedInvoice(ok30, 10_000, 30); // due 30 days ago
    at(addDays(now, -61));
    const overdue = await issuedInvoice(late31, 10_000, 30); // due 31 days ago
    setClock(null);

    const a = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId: ok30, lines: [line(1_000)] }), 201);
    expect((await ok(t.as(ops, 'POST', `/api/v1/orders/${a.id}/confirm`, {}))).status).toBe('confirmed');
    const b = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId: late31, lines: [line(1_000)] }), 201);
    const held = await ok(t.as(ops, 'POST', `/api/v1/orders/${b.id}/confirm`, {}));
    expect(held.status).toBe('on_hold');
    expect(held.holdReason).toBe(`1 invoice(s) more than 30 days overdue: ${overdue.number} (31 days, 100.00 CNY)`);
    expect(await ok(t.as(fin, 'GET', `/api/v1/accounts/${late31}/balance`))).toMatchObject({ overdueMinor: 10_000, outstandingMinor: 10_000 });

    // Paid up, the next order goes through.
    await ok(payment(late31, 10_000, { autoAllocate: true }), 201);
    const c = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId: late31, lines: [line(1_000)] }), 201);
    expect((await ok(t.as(ops, 'POST', `/api/v1/orders/${c.id}/confirm`, {}))).status).toBe('confirmed');
  });
});
