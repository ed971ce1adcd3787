import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import { addDays, newId, nowIso, today } from '@openltc/core';

describe.each(DIALECTS)('invoices and payments over HTTP (%s)', (dialect) => {
  let t: TestApp;
  let ops: TestUser;
  let fin: TestUser;
  let rep: TestUser;
  let accountId: string;
  let otherAccountId: string;

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const east = await t.team('East 华东');
    ops = await t.user('operations', null, 'Ops Zhao');
    fin = await t.user('finance', null, 'Fin Qian');
    rep = await t.user('sales_rep', east, 'Rep Li');
    accountId = (await ok(t.as(rep, 'POST', '/api/v1/accounts', { name: '上海云启科技有限公司' }), 201)).id;
    otherAccountId = (await ok(t.as(rep, 'POST', '/api/v1/accounts', { name: '北京另一家客户有限公司' }), 201)).id;
  });
  afterAll(() => t.stop());

  const count = async (table: 'invoices' | 'invoiceLines' | 'payments' | 'paymentAllocations' | 'events' | 'numberSeries') =>
    Number((await t.handle.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  /** 10 licences × ¥3,000 at 6% and 3 servers × ¥333.33 at 13%: ¥31,800.00 + ¥1,129.99 = ¥32,929.99. */
  const LINES = [
    { description: '软件许可 Licence', quantity: '10', unitPriceMinor: 300_000, taxRate: '0.06' },
    { description: '服务器 Server', quantity: '3', unitPriceMinor: 33_333, taxRate: '0.13' },
  ];

  async function confirmedOrder(body: Record<string, unknown> = {}) {
    const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId, lines: LINES, ...body }), 201);
    return ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
  }
  const getOrder = (id: string) => ok(t.as(fin, 'GET', `/api/v1/orders/${id}`));

  it('runs an order to cash: two partial deliveries, invoices, two payments, with progress at each step', async () => {
    const o = await confirmedOrder();
    expect(o.totalMinor).toBe(3_292_999);
    const [lic, srv] = o.lines.map((l: any) => l.id);

    // Delivery 1: 4 licences and 1 server.
    const d1 = await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/deliveries`, { lines: [{ orderLineId: lic, quantity: '4' }, { orderLineId: srv, quantity: '1' }] }), 201);
    let cur = await getOrder(o.id);
    // 4/10 of ¥31,800 + 1/3 of ¥1,129.99 (37,666 fen) = 1,309,666 of 3,292,999.
    expect(cur).toMatchObject({ deliveredPct: 39.8, billedPct: 0, paidPct: 0, billedMinor: 0, paidMinor: 0 });

    // Invoice what delivery 1 shipped.
    const inv1 = await ok(t.as(fin, 'POST', `/api/v1/deliveries/${d1.id}/invoice`, { paymentTermsDays: 15 }), 201);
    expect(inv1).toMatchObject({ status: 'draft', number: null, deliveryId: d1.id, orderId: o.id, accountId, currency: 'CNY', paymentTermsDays: 15, paidMinor: 0, outstandingMinor: 0 });
    expect(inv1.lines.map((l: any) => [l.orderLineId, l.deliveryLineId, l.quantity, l.netMinor, l.taxMinor])).toEqual([
      [lic, d1.lines[0].id, '4', 1_200_000, 72_000],
      [srv, d1.lines[1].id, '1', 33_333, 4_333],
    ]);
    expect(inv1.totalMinor).toBe(1_309_666);
    cur = await getOrder(o.id);
    expect(cur.lines.map((l: any) => l.billedQty)).toEqual(['4', '1']);
    expect(cur).toMatchObject({ billedMinor: 1_309_666, billedPct: 39.8 });
    expect((await ok(t.as(fin, 'GET', `/api/v1/deliveries/${d1.id}`))).lines.map((l: any) => l.billedQty)).toEqual(['4', '1']);
    expect((await t.as(fin, 'POST', `/api/v1/deliveries/${d1.id}/invoice`, {})).json().code).toBe('nothing_to_bill');

    const issued1 = await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv1.id}/issue`, {}));
    const issueDate = today('Asia/Shanghai');
    expect(issued1).toMatchObject({ status: 'issued', issueDate, dueDate: addDays(issueDate, 15), outstandingMinor: 1_309_666, allowedActions: [] });
    expect(issued1.number).toMatch(new RegExp(`^INV-${issueDate.slice(0, 4)}-\\d{6}$`));
    expect(issued1.issuedAt).toBeTruthy();

    // Delivery 2: the rest; the order is fulfilled, but not closable before it is billed in full.
    await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/deliveries`, { lines: [{ orderLineId: lic, quantity: '6' }, { orderLineId: srv, quantity: '2' }] }), 201);
    cur = await getOrder(o.id);
    expect(cur).toMatchObject({ status: 'fulfilled', deliveredPct: 100, billedPct: 39.8 });
    const early = await t.as(ops, 'POST', `/api/v1/orders/${o.id}/close`, {});
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('order_not_fully_billed');
    expect(early.json().detail).toContain('line 1 6, line 2 2');

    // Invoice the rest from the order: the last invoice takes the remainder to the fen.
    const inv2 = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, {}), 201);
    expect(inv2.deliveryId).toBeNull();
    expect(inv2.lines.map((l: any) => [l.quantity, l.netMinor, l.taxMinor])).toEqual([
      ['6', 1_800_000, 108_000],
      ['2', 66_666, 8_667], // 99,999 − 33,333 net; 13,000 − 4,333 tax (2 × 4,333.29 would round to 8,666)
    ]);
    expect(inv1.totalMinor + inv2.totalMinor).toBe(o.totalMinor);
    const issued2 = await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv2.id}/issue`, {}));
    expect(Number(issued2.number.slice(-6))).toBe(Number(issued1.number.slice(-6)) + 1);
    expect(issued2.dueDate).toBe(addDays(issueDate, 30));
    cur = await getOrder(o.id);
    expect(cur).toMatchObject({ billedMinor: 3_292_999, billedPct: 100, paidPct: 0 });
    expect(cur.lines.map((l: any) => l.billedQty)).toEqual(['10', '3']);

    // Payment 1 settles invoice 1 at once.
    const pay1 = await ok(
      t.as(fin, 'POST', '/api/v1/payments', {
        accountId,
        amountMinor: 1_309_666,
        currency: 'CNY',
        receivedOn: issueDate,
        method: 'bank_transfer',
        reference: '招商银行 回单 0001',
        allocations: [{ invoiceId: inv1.id, amountMinor: 1_309_666 }],
      }),
      201,
    );
    expect(pay1).toMatchObject({ status: 'received', allocatedMinor: 1_309_666, unallocatedMinor: 0, ownerId: rep.id, teamId: rep.teamId });
    expect(pay1.number).toMatch(/^RC-\d{4}-\d{6}$/);
    expect(pay1.allocations).toEqual([expect.objectContaining({ invoiceId: inv1.id, invoiceNumber: issued1.number, amountMinor: 1_309_666 })]);
    expect(await ok(t.as(fin, 'GET', `/api/v1/invoices/${inv1.id}`))).toMatchObject({ status: 'paid', paidMinor: 1_309_666, outstandingMinor: 0 });
    cur = await getOrder(o.id);
    expect(cur).toMatchObject({ paidMinor: 1_309_666, paidPct: 39.8 });

    // Payment 2 arrives unallocated, then pays invoice 2 in two steps.
    const pay2 = await ok(t.as(fin, 'POST', '/api/v1/payments', { accountId, amountMinor: 2_000_000, currency: 'CNY', receivedOn: issueDate, method: 'alipay' }), 201);
    expect(pay2).toMatchObject({ allocations: [], allocatedMinor: 0, unallocatedMinor: 2_000_000 });
    const part = await ok(t.as(fin, 'POST', `/api/v1/payments/${pay2.id}/allocate`, { allocations: [{ invoiceId: inv2.id, amountMinor: 1_000_000 }] }));
    expect(part).toMatchObject({ allocatedMinor: 1_000_000, unallocatedMinor: 1_000_000, version: pay2.version + 1 });
    expect(await ok(t.as(fin, 'GET', `/api/v1/invoices/${inv2.id}`))).toMatchObject({ status: 'partially_paid', paidMinor: 1_000_000, outstandingMinor: 983_333 });
    expect((await getOrder(o.id)).paidPct).toBe(70.1);
    const rest = await ok(t.as(fin, 'POST', `/api/v1/payments/${pay2.id}/allocate`, { allocations: [{ invoiceId: inv2.id, amountMinor: 983_333 }] }));
    expect(rest).toMatchObject({ allocatedMinor: 1_983_333, unallocatedMinor: 16_667 });
    expect(await ok(t.as(fin, 'GET', `/api/v1/invoices/${inv2.id}`))).toMatchObject({ status: 'paid', outstandingMinor: 0 });
    cur = await getOrder(o.id);
    expect(cur).toMatchObject({ paidMinor: 3_292_999, paidPct: 100, billedPct: 100, deliveredPct: 100 });

    const closed = await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/close`, {}));
    expect(closed).toMatchObject({ status: 'closed', allowedActions: [] });

    // Every step is on the timelines, the invoice's payment steps taken by the finance user.
    const itl = await ok(t.as(fin, 'GET', `/api/v1/invoices/${inv2.id}/timeline`));
    expect(itl.items.map((e: any) => e.action)).toEqual(['created', 'issue', 'payment_allocated', 'pay_partially', 'payment_allocated', 'pay']);
    expect(itl.items.find((e: any) => e.action === 'pay')).toMatchObject({ actorId: fin.id, before: { status: 'partially_paid' }, after: { status: 'paid' } });
    expect(itl.items[1].after).toMatchObject({ status: 'issued', number: issued2.number });
    const ptl = await ok(t.as(fin, 'GET', `/api/v1/payments/${pay2.id}/timeline`));
    expect(ptl.items.map((e: any) => e.action)).toEqual(['created', 'allocate', 'allocate']);
    expect((await ok(t.as(rep, 'GET', `/api/v1/payments?accountId=${accountId}`))).items.map((p: any) => p.id).sort()).toEqual([pay1.id, pay2.id].sort());
  });

  it('refuses over-billing line by line and writes nothing', async () => {
    const o = await confirmedOrder();
    const [lic, srv] = o.lines.map((l: any) => l.id);
    await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, { lines: [{ orderLineId: lic, quantity: '7' }] }), 201);
    const before = await Promise.all([count('invoices'), count('invoiceLines'), count('events')]);
    const over = await t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, {
      lines: [
        { orderLineId: srv, quantity: '3' },
        { orderLineId: lic, quantity: '3.001' },
        { orderLineId: srv, quantity: '0.5' },
      ],
    });
    expect(over.statusCode).toBe(409);
    const p = over.json();
    expect(p.code).toBe('over_billing');
    expect(p.errors.map((e: any) => e.path)).toEqual(['lines.1.quantity', 'lines.2.quantity']);
    expect(p.errors[0].message).toContain('only 3 left to bill on line 1');
    expect(p.errors[1].message).toContain('only 0 left to bill on line 2');
    expect(await Promise.all([count('invoices'), count('invoiceLines'), count('events')])).toEqual(before);

    // A draft reserves its quantities; cancelling it frees them.
    const rest = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, {}), 201);
    expect(rest.lines.map((l: any) => l.quantity)).toEqual(['3', '3']);
    expect((await t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, {})).json().code).toBe('nothing_to_bill');
    await ok(t.as(fin, 'POST', `/api/v1/invoices/${rest.id}/cancel`, {}));
    expect((await getOrder(o.id)).lines.map((l: any) => l.billedQty)).toEqual(['7', '0']);
    const again = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, { lines: [{ orderLineId: srv, quantity: '3' }] }), 201);
    expect(again.totalMinor).toBe(112_999);

    const draftOrder = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId, lines: LINES }), 201);
    expect((await t.as(fin, 'POST', `/api/v1/orders/${draftOrder.id}/invoices`, {})).json().code).toBe('order_not_billable');
  });

  it('makes partial invoices of a line add up exactly to the line', async () => {
    const o = await confirmedOrder({ lines: [{ description: '定制开发 人天', quantity: '7', unitPriceMinor: 133_333, discountRate: '0.15', taxRate: '0.06' }] });
    const line = o.lines[0];
    const parts = ['0.333', '2', '1.667', '0.001', '2.999'];
    const invoices: any[] = [];
    for (const q of parts) invoices.push(await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, { lines: [{ orderLineId: line.id, quantity: q }] }), 201));
    const sum = (k: string) => invoices.reduce((s, i) => s + i.lines[0][k], 0);
    expect([sum('netMinor'), sum('taxMinor'), sum('totalMinor')]).toEqual([line.netMinor, line.taxMinor, line.totalMinor]);
    for (const i of invoices) expect(i.lines[0].netMinor).toBeGreaterThan(0);
    expect((await getOrder(o.id)).billedPct).toBe(100);
  });

  it('keeps an issued invoice immutable; only drafts are edited', async () => {
    const o = await confirmedOrder();
    const [lic, srv] = o.lines.map((l: any) => l.id);
    const draft = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, { lines: [{ orderLineId: lic, quantity: '1' }] }), 201);
    const edited = await ok(
      t.as(fin, 'PATCH', `/api/v1/invoices/${draft.id}`, { paymentTermsDays: 45, lines: [{ orderLineId: lic, quantity: '2' }, { orderLineId: srv, quantity: '1' }] }, { 'if-match': `W/"${draft.version}"` }),
    );
    expect(edited).toMatchObject({ paymentTermsDays: 45, netMinor: 633_333, version: draft.version + 1 });
    expect(edited.lines.map((l: any) => [l.lineNo, l.quantity])).toEqual([[1, '2'], [2, '1']]);
    const stale = await t.as(fin, 'PATCH', `/api/v1/invoices/${draft.id}`, { paymentTermsDays: 10 }, { 'if-match': `W/"${draft.version}"` });
    expect(stale.json().code).toBe('version_conflict');
    const tooMuch = await t.as(fin, 'PATCH', `/api/v1/invoices/${draft.id}`, { lines: [{ orderLineId: lic, quantity: '11' }] });
    expect([tooMuch.statusCode, tooMuch.json().code]).toEqual([409, 'over_billing']);

    const issued = await ok(t.as(fin, 'POST', `/api/v1/invoices/${draft.id}/issue`, {}));
    expect(issued.dueDate).toBe(addDays(issued.issueDate, 45));
    const before = await count('events');
    for (const body of [{ paymentTermsDays: 10 }, { lines: [{ orderLineId: lic, quantity: '1' }] }]) {
      const r = await t.as(fin, 'PATCH', `/api/v1/invoices/${draft.id}`, body);
      expect(r.statusCode).toBe(409);
      expect(r.json()).toMatchObject({ code: 'invoice_immutable', currentState: 'issued' });
    }
    expect((await t.as(fin, 'POST', `/api/v1/invoices/${draft.id}/cancel`, {})).json().code).toBe('invalid_transition');
    expect((await t.as(fin, 'POST', `/api/v1/invoices/${draft.id}/issue`, {})).json().code).toBe('invalid_transition');
    expect(await count('events')).toBe(before);
    const now = await ok(t.as(fin, 'GET', `/api/v1/invoices/${draft.id}`));
    expect({ ...now, outstandingMinor: undefined }).toEqual({ ...issued, outstandingMinor: undefined });
  });

  it('lets only finance and admins issue invoices', async () => {
    const o = await confirmedOrder();
    expect((await t.as(rep, 'POST', `/api/v1/orders/${o.id}/invoices`, {})).statusCode).toBe(403);
    const inv = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, {}), 201);
    expect((await t.as(rep, 'GET', `/api/v1/invoices/${inv.id}`)).statusCode).toBe(200);
    for (const who of [rep, ops]) {
      const r = await t.as(who, 'POST', `/api/v1/invoices/${inv.id}/issue`, {});
      expect(r.statusCode).toBe(403);
      expect(r.json().code).toBe('forbidden');
    }
    expect((await ok(t.as(fin, 'GET', `/api/v1/invoices/${inv.id}`))).status).toBe('draft');
    const admin = await t.user('admin', null, 'Admin Wang');
    expect((await ok(t.as(admin, 'POST', `/api/v1/invoices/${inv.id}/issue`, {}))).status).toBe('issued');
  });

  it('refuses allocations beyond the payment or the invoice, and to invoices that cannot take them', async () => {
    const o = await confirmedOrder();
    const inv = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, { lines: [{ orderLineId: o.lines[0].id, quantity: '1' }] }), 201);
    const draft = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, { lines: [{ orderLineId: o.lines[0].id, quantity: '1' }] }), 201);
    await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/issue`, {})); // ¥3,180.00 outstanding
    const usd = await confirmedOrder({ currency: 'USD' });
    const usdInv = await ok(t.as(fin, 'POST', `/api/v1/orders/${usd.id}/invoices`, {}), 201);
    // A USD invoice of a CNY legal entity is booked at the issue date's USD/CNY rate.
    await ok(t.as(fin, 'PUT', '/api/v1/fx-rates', { base: 'USD', quote: 'CNY', rate: '7.1', effectiveDate: '2000-01-01' }));
    await ok(t.as(fin, 'POST', `/api/v1/invoices/${usdInv.id}/issue`, {}));
    const other = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId: otherAccountId, lines: LINES }), 201);
    await ok(t.as(ops, 'POST', `/api/v1/orders/${other.id}/confirm`, {}));
    const otherInv = await ok(t.as(fin, 'POST', `/api/v1/orders/${other.id}/invoices`, {}), 201);
    await ok(t.as(fin, 'POST', `/api/v1/invoices/${otherInv.id}/issue`, {}));

    const base = { accountId, currency: 'CNY', receivedOn: '2026-03-01', method: 'wechat_pay' };
    const snapshot = () => Promise.all([count('payments'), count('paymentAllocations'), count('events'), count('numberSeries')]);
    const before = await snapshot();
    const cases: Array<[unknown, number, string, string]> = [
      [{ ...base, amountMinor: 500_000, allocations: [{ invoiceId: inv.id, amountMinor: 318_001 }] }, 409, 'over_allocation', 'allocations.0.amountMinor'],
      [{ ...base, amountMinor: 100_000, allocations: [{ invoiceId: inv.id, amountMinor: 100_001 }] }, 409, 'over_allocation', 'allocations.0.amountMinor'],
      [{ ...base, amountMinor: 100_000, allocations: [{ invoiceId: draft.id, amountMinor: 1 }] }, 409, 'invoice_not_payable', 'allocations.0.invoiceId'],
      [{ ...base, amountMinor: 100_000, allocations: [{ invoiceId: usdInv.id, amountMinor: 1 }] }, 422, 'currency_mismatch', 'allocations.0.invoiceId'],
      [{ ...base, amountMinor: 100_000, allocations: [{ invoiceId: otherInv.id, amountMinor: 1 }] }, 422, 'account_mismatch', 'allocations.0.invoiceId'],
      [{ ...base, amountMinor: 100_000, allocations: [{ invoiceId: newId('inv'), amountMinor: 1 }] }, 422, 'validation_failed', 'allocations.0.invoiceId'],
    ];
    for (const [body, status, code, path] of cases) {
      const r = await t.as(fin, 'POST', '/api/v1/payments', body);
      expect([r.statusCode, r.json().code, r.json().errors?.[0]?.path]).toEqual([status, code, path]);
    }
    expect(await snapshot()).toEqual(before);

    // Split across two allocations in one request: the second one exceeds what the payment has left.
    const pay = await ok(t.as(fin, 'POST', '/api/v1/payments', { ...base, amountMinor: 200_000 }), 201);
    const mid = await snapshot();
    const split = await t.as(fin, 'POST', `/api/v1/payments/${pay.id}/allocate`, {
      allocations: [
        { invoiceId: inv.id, amountMinor: 150_000 },
        { invoiceId: inv.id, amountMinor: 50_001 },
      ],
    });
    expect(split.statusCode).toBe(409);
    expect(split.json().errors).toEqual([expect.objectContaining({ path: 'allocations.1.amountMinor', code: 'over_allocation' })]);
    expect(split.json().errors[0].message).toContain('has only 500.00 CNY left to allocate');
    expect(await snapshot()).toEqual(mid);
    const p2 = await ok(t.as(fin, 'GET', `/api/v1/payments/${pay.id}`));
    expect(p2).toMatchObject({ allocatedMinor: 0, unallocatedMinor: 200_000, version: pay.version });
    expect(await ok(t.as(fin, 'GET', `/api/v1/invoices/${inv.id}`))).toMatchObject({ status: 'issued', paidMinor: 0 });

    // Exactly what is owed on the invoice and left on the payment is fine.
    await ok(t.as(fin, 'POST', `/api/v1/payments/${pay.id}/allocate`, { allocations: [{ invoiceId: inv.id, amountMinor: 200_000 }] }));
    const owed = await t.as(fin, 'POST', '/api/v1/payments', { ...base, amountMinor: 500_000, allocations: [{ invoiceId: inv.id, amountMinor: 118_001 }] });
    expect(owed.json().errors[0].message).toContain('has only 1180.00 CNY outstanding');
    expect((await t.as(rep, 'POST', `/api/v1/payments/${pay.id}/allocate`, { allocations: [{ invoiceId: inv.id, amountMinor: 1 }] })).statusCode).toBe(403);
  });

  it('lets racing payments take no more than an invoice still owes', async () => {
    const o = await confirmedOrder();
    const inv = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, { lines: [{ orderLineId: o.lines[1].id, quantity: '3' }] }), 201);
    const issued = await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/issue`, {}));
    // ¥1,129.99 owed; five payments of ¥400 race to be allocated to it: two fit.
    const body = { accountId, currency: 'CNY', receivedOn: '2026-03-02', method: 'cash', amountMinor: 40_000 };
    const payments = [];
    for (let i = 0; i < 5; i++) payments.push(await ok(t.as(fin, 'POST', '/api/v1/payments', body), 201));
    const allocation = { allocations: [{ invoiceId: inv.id, amountMinor: 40_000 }] };
    const results = await Promise.all(payments.map((p) => t.as(fin, 'POST', `/api/v1/payments/${p.id}/allocate`, allocation)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 409, 409, 409]);
    expect(await ok(t.as(fin, 'GET', `/api/v1/invoices/${inv.id}`))).toMatchObject({
      status: 'partially_paid',
      paidMinor: 80_000,
      outstandingMinor: 32_999,
      // pay_partially, then a second payment in the same state: each allocation gives a new ETag.
      version: issued.version + 2,
    });
  });

  it('documents every order-to-cash endpoint in OpenAPI from the same schemas', async () => {
    const doc = await ok(t.as(null, 'GET', '/api/openapi.json'));
    const posts = [
      '/api/v1/orders',
      '/api/v1/quotes/{id}/order',
      '/api/v1/contracts/{id}/order',
      '/api/v1/orders/{id}/confirm',
      '/api/v1/orders/{id}/cancel',
      '/api/v1/orders/{id}/close',
      '/api/v1/orders/{id}/deliveries',
      '/api/v1/deliveries/{id}/deliver',
      '/api/v1/deliveries/{id}/accept',
      '/api/v1/orders/{id}/invoices',
      '/api/v1/deliveries/{id}/invoice',
      '/api/v1/invoices/{id}/issue',
      '/api/v1/invoices/{id}/cancel',
      '/api/v1/payments',
      '/api/v1/payments/{id}/allocate',
    ];
    for (const p of posts) expect(doc.paths[p]?.post, p).toBeDefined();
    for (const p of ['/api/v1/orders', '/api/v1/deliveries', '/api/v1/invoices', '/api/v1/payments']) expect(doc.paths[`${p}/{id}`]?.get, p).toBeDefined();
    const payment = doc.paths['/api/v1/payments'].post.requestBody.content['application/json'].schema;
    expect(payment.additionalProperties).toBe(false);
    expect(payment.required).toEqual(expect.arrayContaining(['accountId', 'amountMinor', 'currency', 'receivedOn', 'method']));
    expect(payment.properties.method.enum).toEqual(['bank_transfer', 'cash', 'card', 'alipay', 'wechat_pay', 'other']);
    const invoice = doc.paths['/api/v1/invoices/{id}'].get.responses['200'].content['application/json'].schema;
    expect(invoice.required).toEqual(expect.arrayContaining(['lines', 'paidMinor', 'outstandingMinor']));
    expect(doc.paths['/api/v1/orders/{id}/cancel'].post.requestBody.content['application/json'].schema.required).toEqual(['reason']);
    expect(doc.paths['/api/v1/orders'].get.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['status', 'accountId', 'cursor', 'sort']));
  });

  it('numbers invoices issued at the same time uniquely and without gaps, per legal entity', async () => {
    const lines = Array.from({ length: 10 }, (_, i) => ({ description: `Item ${i + 1}`, quantity: '1', unitPriceMinor: 10_000 + i, taxRate: '0.13' }));
    const o = await confirmedOrder({ lines });
    const drafts = [];
    for (const l of o.lines) drafts.push(await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, { lines: [{ orderLineId: l.id, quantity: '1' }] }), 201));
    const results = await Promise.all(drafts.map((d) => t.as(fin, 'POST', `/api/v1/invoices/${d.id}/issue`, {})));
    expect(results.map((r) => r.statusCode)).toEqual(drafts.map(() => 200));
    const numbers = results.map((r) => r.json().number as string);
    expect(new Set(numbers).size).toBe(10);
    const seq = numbers.map((n) => Number(n.slice(-6))).sort((a, b) => a - b);
    expect(seq).toEqual(Array.from({ length: 10 }, (_, i) => seq[0]! + i));
    // No issued invoice of this entity falls outside the contiguous run started at 1.
    const all = await t.handle.db.selectFrom('invoices').select('number').where('legalEntityId', '=', o.legalEntityId).where('number', 'is not', null).execute();
    const allSeq = all.map((r) => Number(r.number!.slice(-6))).sort((a, b) => a - b);
    expect(allSeq).toEqual(Array.from({ length: allSeq.length }, (_, i) => i + 1));

    // A second legal entity has its own series, starting at 1.
    const le2 = newId('le');
    await t.handle.db
      .insertInto('legalEntities')
      .values({ id: le2, name: '云启香港有限公司', country: 'HK', currency: 'CNY', timezone: 'Asia/Hong_Kong', roundingMode: 'half_up', taxId: null, createdAt: nowIso() })
      .execute();
    const o2 = await confirmedOrder({ legalEntityId: le2, lines: lines.slice(0, 2) });
    const d2 = await Promise.all(o2.lines.map((l: any) => ok(t.as(fin, 'POST', `/api/v1/orders/${o2.id}/invoices`, { lines: [{ orderLineId: l.id, quantity: '1' }] }), 201)));
    const n2 = (await Promise.all(d2.map((d) => ok(t.as(fin, 'POST', `/api/v1/invoices/${d.id}/issue`, {}))))).map((i) => i.number.slice(-6)).sort();
    expect(n2).toEqual(['000001', '000002']);
  });
});
