import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import { today } from '@openltc/core';
import { acceptedQuote, product } from './support/quote-fixtures.ts';

describe.each(DIALECTS)('orders and deliveries over HTTP (%s)', (dialect) => {
  let t: TestApp;
  let admin: TestUser;
  let ops: TestUser;
  let fin: TestUser;
  let rep: TestUser;
  let manager: TestUser;
  let legal: TestUser;
  let otherRep: TestUser;
  let accountId: string;

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const east = await t.team('East 华东');
    const west = await t.team('West 华西');
    admin = await t.user('admin', null, 'Admin');
    ops = await t.user('operations', null, 'Ops Zhao');
    fin = await t.user('finance', null, 'Fin Qian');
    legal = await t.user('legal', null, 'Legal Sun');
    rep = await t.user('sales_rep', east, 'Rep Li');
    manager = await t.user('sales_manager', east, 'Manager Zhou');
    otherRep = await t.user('sales_rep', west, 'Rep Wu');
    accountId = (await ok(t.as(rep, 'POST', '/api/v1/accounts', { name: '杭州星河制造有限公司' }), 201)).id;
  });
  afterAll(() => t.stop());

  const count = async (table: 'orders' | 'orderLines' | 'deliveries' | 'deliveryLines' | 'events') =>
    Number((await t.handle.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  /** Server 10 × ¥10,000 at 13% VAT and installation 2.5 × ¥400 at 6%, 10% off. */
  const LINES = [
    { description: '服务器 Server', quantity: '10', unitPriceMinor: 1_000_000, taxRate: '0.13' },
    { description: '安装服务 Installation', quantity: '2.5', unitPriceMinor: 40_000, discountRate: '0.1', taxRate: '0.06' },
  ];

  async function confirmedOrder(lines: unknown[] = LINES) {
    const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId, lines }), 201);
    return ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
  }

  it('prices a manual order line by line, numbers it and carries the account owner and team', async () => {
    const o = await ok(
      t.as(ops, 'POST', '/api/v1/orders', {
        accountId,
        lines: [
          { description: '服务器', quantity: '3', unitPriceMinor: 1_000_000, taxRate: '0.13' },
          { description: '安装', quantity: '2.5', unitPriceMinor: 33_333, discountRate: '0.1', taxRate: '0.06' },
        ],
      }),
      201,
    );
    // 2.5 × 333.33 × 0.9 = 749.99 (74 999.25 fen → 74 999); VAT 6% = 4 499.94 → 4 500.
    expect(o).toMatchObject({
      status: 'draft',
      currency: 'CNY',
      netMinor: 3_074_999,
      taxMinor: 394_500,
      totalMinor: 3_469_499,
      ownerId: rep.id,
      teamId: rep.teamId,
      createdBy: ops.id,
      orderDate: today('Asia/Shanghai'),
      allowedActions: ['confirm', 'cancel'],
      deliveredPct: 0,
      billedPct: 0,
      paidPct: 0,
    });
    expect(o.number).toMatch(/^SO-\d{4}-\d{6}$/);
    expect(o.lines.map((l: any) => [l.lineNo, l.orderedQty, l.deliveredQty, l.billedQty, l.netMinor, l.taxMinor])).toEqual([
      [1, '3', '0', '0', 3_000_000, 390_000],
      [2, '2.5', '0', '0', 74_999, 4_500],
    ]);
    const next = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId, lines: LINES.slice(0, 1) }), 201);
    expect(Number(next.number.slice(-6))).toBe(Number(o.number.slice(-6)) + 1);
  });

  it('reports bad lines under their own paths', async () => {
    const bad = await t.as(ops, 'POST', '/api/v1/orders', {
      accountId,
      lines: [{ description: 'x', quantity: '1.2345', unitPriceMinor: 100, taxRate: '0.13' }],
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].path).toBe('lines.0.quantity');
    const disc = await t.as(ops, 'POST', '/api/v1/orders', {
      accountId,
      lines: [LINES[0], { description: 'y', quantity: '1', unitPriceMinor: 100, discountRate: '1.5', taxRate: '0.13' }],
    });
    expect(disc.statusCode).toBe(422);
    expect(disc.json().errors[0].path).toBe('lines.1.discountRate');
    const prod = await t.as(ops, 'POST', '/api/v1/orders', {
      accountId,
      lines: [{ productId: 'prod_01ARZ3NDEKTSV4RRFFQ69G5FAV', description: 'z', quantity: '1', unitPriceMinor: 100, taxRate: '0' }],
    });
    expect(prod.statusCode).toBe(422);
    expect(prod.json().errors[0]).toMatchObject({ path: 'lines.0.productId', code: 'unknown_reference' });
    const zero = await t.as(ops, 'POST', '/api/v1/orders', { accountId, lines: [{ ...LINES[0], quantity: '0' }] });
    expect(zero.json().errors[0].path).toBe('lines.0.quantity');
    expect((await t.as(rep, 'POST', '/api/v1/orders', { accountId, lines: LINES })).statusCode).toBe(403);
  });

  it('edits lines only while the order is a draft', async () => {
    const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId, lines: LINES }), 201);
    const edited = await ok(
      t.as(ops, 'PATCH', `/api/v1/orders/${o.id}`, { lines: [{ description: '服务器', quantity: '1', unitPriceMinor: 500_000, taxRate: '0.13' }] }, { 'if-match': `W/"${o.version}"` }),
    );
    expect(edited).toMatchObject({ netMinor: 500_000, taxMinor: 65_000, totalMinor: 565_000, version: o.version + 1 });
    expect(edited.lines).toHaveLength(1);
    const tl = await ok(t.as(ops, 'GET', `/api/v1/orders/${o.id}/timeline`));
    expect(tl.items.map((e: any) => e.action)).toEqual(['created', 'updated', 'lines_changed']);
    expect(tl.items[0].after.lines).toHaveLength(2);
    await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
    const frozen = await t.as(ops, 'PATCH', `/api/v1/orders/${o.id}`, { orderDate: '2026-01-01' });
    expect(frozen.statusCode).toBe(409);
    expect(frozen.json()).toMatchObject({ code: 'order_not_editable', allowedActions: ['cancel'] });
  });

  it('delivers in parts, refuses over-delivery without writing anything, and fulfils the order with the last line', async () => {
    const draft = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId, lines: LINES }), 201);
    const [server, install] = draft.lines.map((l: any) => l.id);
    const early = await t.as(ops, 'POST', `/api/v1/orders/${draft.id}/deliveries`, { lines: [{ orderLineId: server, quantity: '1' }] });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('order_not_deliverable');
    const o = await ok(t.as(ops, 'POST', `/api/v1/orders/${draft.id}/confirm`, {}));
    expect(o.confirmedAt).toBeTruthy();
    // Server line: 10 × ¥10,000 + 13% = ¥113,000; installation 2.5 × ¥360 + 6% = ¥954.00; total ¥113,954.00.
    expect(o.totalMinor).toBe(11_395_400);

    const d1 = await ok(
      t.as(ops, 'POST', `/api/v1/orders/${o.id}/deliveries`, { lines: [{ orderLineId: server, quantity: '4' }], carrier: '顺丰 SF Express', trackingNo: 'SF1234567890' }),
      201,
    );
    expect(d1).toMatchObject({ status: 'shipped', orderId: o.id, accountId, ownerId: rep.id, teamId: rep.teamId, carrier: '顺丰 SF Express', allowedActions: ['deliver'] });
    expect(d1.number).toMatch(/^DN-\d{4}-\d{6}$/);
    expect(d1.lines).toEqual([expect.objectContaining({ orderLineId: server, lineNo: 1, quantity: '4', billedQty: '0' })]);
    let cur = await ok(t.as(ops, 'GET', `/api/v1/orders/${o.id}`));
    expect(cur.lines.map((l: any) => l.deliveredQty)).toEqual(['4', '0']);
    expect(cur.deliveredPct).toBe(39.7); // 4/10 of ¥113,000 = ¥45,200 of ¥113,954

    await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/deliveries`, { lines: [{ orderLineId: server, quantity: '6' }, { orderLineId: install, quantity: '1' }] }), 201);
    cur = await ok(t.as(ops, 'GET', `/api/v1/orders/${o.id}`));
    expect(cur.status).toBe('confirmed');
    expect(cur.lines.map((l: any) => l.deliveredQty)).toEqual(['10', '1']);
    expect(cur.deliveredPct).toBe(99.5); // ¥113,000 + 1/2.5 of ¥954 = ¥113,381.60

    const before = await Promise.all([count('deliveries'), count('deliveryLines'), count('events')]);
    const over = await t.as(ops, 'POST', `/api/v1/orders/${o.id}/deliveries`, {
      lines: [
        { orderLineId: install, quantity: '1' },
        { orderLineId: server, quantity: '0.001' },
        { orderLineId: install, quantity: '1' },
      ],
    });
    expect(over.statusCode).toBe(409);
    const p = over.json();
    expect(p.code).toBe('over_delivery');
    expect(p.errors.map((e: any) => e.path)).toEqual(['lines.1.quantity', 'lines.2.quantity']);
    expect(p.errors[0].message).toContain('only 0 left to deliver on line 1');
    expect(p.errors[1].message).toContain('only 0.5 left to deliver on line 2');
    expect(await Promise.all([count('deliveries'), count('deliveryLines'), count('events')])).toEqual(before);

    const unknownLine = await t.as(ops, 'POST', `/api/v1/orders/${o.id}/deliveries`, { lines: [{ orderLineId: 'oln_01ARZ3NDEKTSV4RRFFQ69G5FAV', quantity: '1' }] });
    expect(unknownLine.statusCode).toBe(422);
    expect(unknownLine.json().errors[0].path).toBe('lines.0.orderLineId');
    expect((await t.as(fin, 'POST', `/api/v1/orders/${o.id}/deliveries`, { lines: [{ orderLineId: install, quantity: '1' }] })).statusCode).toBe(403);

    const last = await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/deliveries`, { lines: [{ orderLineId: install, quantity: '1.5' }] }), 201);
    cur = await ok(t.as(ops, 'GET', `/api/v1/orders/${o.id}`));
    expect(cur).toMatchObject({ status: 'fulfilled', deliveredPct: 100, allowedActions: ['close'] });
    expect(cur.fulfilledAt).toBeTruthy();
    const tl = await ok(t.as(ops, 'GET', `/api/v1/orders/${o.id}/timeline`));
    const fulfil = tl.items.find((e: any) => e.action === 'fulfil');
    expect(fulfil).toMatchObject({ actorId: 'system', before: { status: 'confirmed' }, after: { status: 'fulfilled' } });
    expect((await t.as(ops, 'POST', `/api/v1/orders/${o.id}/deliveries`, { lines: [{ orderLineId: install, quantity: '0.5' }] })).json().code).toBe('order_not_deliverable');

    // Delivery lifecycle: arrival, then customer acceptance (验收) with who signed.
    const notYet = await t.as(ops, 'POST', `/api/v1/deliveries/${last.id}/accept`, { acceptedBy: '王工' });
    expect(notYet.statusCode).toBe(409);
    expect(notYet.json().allowedActions).toEqual(['deliver']);
    expect((await ok(t.as(ops, 'POST', `/api/v1/deliveries/${last.id}/deliver`, {}))).status).toBe('delivered');
    expect((await t.as(ops, 'POST', `/api/v1/deliveries/${last.id}/accept`, {})).json().errors[0].path).toBe('acceptedBy');
    const accepted = await ok(t.as(ops, 'POST', `/api/v1/deliveries/${last.id}/accept`, { acceptedBy: '王工 (客户项目经理)' }));
    expect(accepted).toMatchObject({ status: 'accepted', acceptedBy: '王工 (客户项目经理)', allowedActions: [] });
    expect(accepted.deliveredAt && accepted.acceptedAt).toBeTruthy();
    const dtl = await ok(t.as(ops, 'GET', `/api/v1/deliveries/${last.id}/timeline`));
    expect(dtl.items.map((e: any) => e.action)).toEqual(['created', 'deliver', 'accept']);
    const list = await ok(t.as(ops, 'GET', `/api/v1/deliveries?orderId=${o.id}`));
    expect(list.items).toHaveLength(3);
  });

  it('lets only one of two racing deliveries take the last quantity', async () => {
    const o = await confirmedOrder();
    const body = { lines: [{ orderLineId: o.lines[0].id, quantity: '7' }] };
    const results = await Promise.all([1, 2, 3].map(() => t.as(ops, 'POST', `/api/v1/orders/${o.id}/deliveries`, body)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    expect(results.filter((r) => r.statusCode === 409).map((r) => r.json().code)).toEqual(['over_delivery', 'over_delivery']);
    expect((await ok(t.as(ops, 'GET', `/api/v1/orders/${o.id}`))).lines[0].deliveredQty).toBe('7');
  });

  it('refuses to cancel an order that has deliveries or invoices', async () => {
    const withDelivery = await confirmedOrder();
    await ok(t.as(ops, 'POST', `/api/v1/orders/${withDelivery.id}/deliveries`, { lines: [{ orderLineId: withDelivery.lines[0].id, quantity: '1' }] }), 201);
    const r = await t.as(ops, 'POST', `/api/v1/orders/${withDelivery.id}/cancel`, { reason: '客户取消' });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: 'order_has_downstream', deliveries: 1, invoices: 0 });
    expect((await ok(t.as(ops, 'GET', `/api/v1/orders/${withDelivery.id}`))).status).toBe('confirmed');

    const withInvoice = await confirmedOrder();
    const inv = await ok(t.as(fin, 'POST', `/api/v1/orders/${withInvoice.id}/invoices`, {}), 201);
    expect((await t.as(ops, 'POST', `/api/v1/orders/${withInvoice.id}/cancel`, { reason: '客户取消' })).json()).toMatchObject({ code: 'order_has_downstream', invoices: 1 });
    // A cancelled draft invoice is no longer downstream.
    await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/cancel`, {}));
    expect((await t.as(ops, 'POST', `/api/v1/orders/${withInvoice.id}/cancel`, {})).statusCode).toBe(422);
    const cancelled = await ok(t.as(ops, 'POST', `/api/v1/orders/${withInvoice.id}/cancel`, { reason: '客户取消' }));
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: '客户取消', allowedActions: [] });
  });

  it("shows orders, their deliveries and invoices only to the account's team", async () => {
    const o = await confirmedOrder();
    const d = await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/deliveries`, { lines: [{ orderLineId: o.lines[0].id, quantity: '2' }] }), 201);
    const inv = await ok(t.as(fin, 'POST', `/api/v1/deliveries/${d.id}/invoice`, {}), 201);
    for (const url of [`/api/v1/orders/${o.id}`, `/api/v1/deliveries/${d.id}`, `/api/v1/invoices/${inv.id}`, `/api/v1/orders/${o.id}/timeline`]) {
      expect((await t.as(rep, 'GET', url)).statusCode).toBe(200);
      const hidden = await t.as(otherRep, 'GET', url);
      expect(hidden.statusCode).toBe(404);
      expect(hidden.json().code).toBe('not_found');
    }
    expect((await ok(t.as(otherRep, 'GET', '/api/v1/orders'))).items).toEqual([]);
    expect((await ok(t.as(otherRep, 'GET', '/api/v1/deliveries'))).items).toEqual([]);
    expect((await ok(t.as(otherRep, 'GET', '/api/v1/invoices'))).items).toEqual([]);
    expect((await ok(t.as(rep, 'GET', '/api/v1/orders'))).items.map((x: any) => x.id)).toContain(o.id);
    expect((await t.as(rep, 'POST', `/api/v1/orders/${o.id}/close`, {})).statusCode).toBe(403);
    expect((await t.as(otherRep, 'POST', `/api/v1/orders/${o.id}/deliveries`, { lines: [{ orderLineId: o.lines[0].id, quantity: '1' }] })).statusCode).toBe(403);
  });

  it('lists orders with the same derived progress as the detail view', async () => {
    const acc = (await ok(t.as(rep, 'POST', '/api/v1/accounts', { name: '苏州列表测试有限公司' }), 201)).id;
    const orders = [];
    for (let i = 0; i < 3; i++) {
      const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId: acc, lines: LINES }), 201);
      await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
      if (i > 0) await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/deliveries`, { lines: [{ orderLineId: o.lines[0].id, quantity: String(i * 3) }] }), 201);
      if (i > 1) await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, { lines: [{ orderLineId: o.lines[1].id, quantity: '2.5' }] }), 201);
      orders.push(o.id);
    }
    const list = await ok(t.as(rep, 'GET', `/api/v1/orders?accountId=${acc}&sort=createdAt`));
    expect(list.items.map((x: any) => x.id)).toEqual(orders);
    for (const item of list.items) {
      const detail = await ok(t.as(rep, 'GET', `/api/v1/orders/${item.id}`));
      for (const k of ['deliveredPct', 'billedMinor', 'billedPct', 'paidMinor', 'paidPct', 'status', 'totalMinor']) expect(item[k]).toEqual(detail[k]);
      expect(item.lines).toBeUndefined();
    }
    expect(list.items.map((x: any) => x.deliveredPct)).toEqual([0, 29.7, 59.5]);
    expect(list.items[2]).toMatchObject({ billedMinor: 95_400, billedPct: 0.8 });
    const filtered = await ok(t.as(rep, 'GET', `/api/v1/orders?accountId=${acc}&status=draft`));
    expect(filtered.items).toEqual([]);
  });

  it('turns an accepted quote into an order, copying its lines exactly, once', async () => {
    const acc = await ok(t.as(rep, 'POST', '/api/v1/accounts', { name: '南京报价转订单有限公司' }), 201);
    const opp = await ok(t.as(rep, 'POST', '/api/v1/opportunities', { name: '南京项目', accountId: acc.id, amountMinor: 1_000_000 }), 201);
    const prod = await product(t, admin, { listPriceMinor: 33_333, taxRate: '0.13' });
    const draftQuote = await ok(t.as(rep, 'POST', `/api/v1/opportunities/${opp.id}/quotes`, { lines: [{ productId: prod.id, quantity: '2' }] }), 201);
    const notAccepted = await t.as(ops, 'POST', `/api/v1/quotes/${draftQuote.id}/order`, {});
    expect(notAccepted.statusCode).toBe(409);
    expect(notAccepted.json().code).toBe('quote_not_accepted');

    const q = await acceptedQuote(t, rep, manager, opp.id, prod.id);
    const o = await ok(t.as(ops, 'POST', `/api/v1/quotes/${q.id}/order`, {}), 201);
    expect(o).toMatchObject({
      quoteId: q.id,
      contractId: null,
      opportunityId: opp.id,
      accountId: acc.id,
      ownerId: q.ownerId,
      teamId: q.teamId,
      currency: q.currency,
      netMinor: q.netMinor,
      taxMinor: q.taxMinor,
      totalMinor: q.totalMinor,
      status: 'draft',
    });
    expect(o.lines.map((l: any) => [l.quoteLineId, l.productId, l.orderedQty, l.unitPriceMinor, l.discountRate, l.taxRate, l.netMinor, l.taxMinor, l.totalMinor])).toEqual(
      q.lines.map((l: any) => [l.id, l.productId, l.quantity, l.unitPriceMinor, l.discountRate, l.taxRate, l.netMinor, l.taxMinor, l.totalMinor]),
    );
    const noEdit = await t.as(ops, 'PATCH', `/api/v1/orders/${o.id}`, { lines: LINES });
    expect(noEdit.statusCode).toBe(422);
    expect(noEdit.json().errors[0]).toMatchObject({ path: 'lines', code: 'copied_from_quote' });
    const twice = await t.as(ops, 'POST', `/api/v1/quotes/${q.id}/order`, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'quote_already_ordered', orderId: o.id });
    expect((await t.as(rep, 'POST', `/api/v1/quotes/${q.id}/order`, {})).statusCode).toBe(403);
  });

  it('turns a signed contract into an order carrying contract, quote and opportunity', async () => {
    const acc = await ok(t.as(rep, 'POST', '/api/v1/accounts', { name: '合肥合同转订单有限公司' }), 201);
    const opp = await ok(t.as(rep, 'POST', '/api/v1/opportunities', { name: '合肥项目', accountId: acc.id, amountMinor: 1_000_000 }), 201);
    const prod = await product(t, admin, { listPriceMinor: 250_000, taxRate: '0.06' });
    const q = await acceptedQuote(t, rep, manager, opp.id, prod.id);
    const c = await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/contract`, {}), 201);
    expect((await t.as(ops, 'POST', `/api/v1/contracts/${c.id}/order`, {})).json().code).toBe('contract_not_signed');
    await ok(t.as(rep, 'POST', `/api/v1/contracts/${c.id}/submit`, {}));
    await ok(t.as(legal, 'POST', `/api/v1/contracts/${c.id}/approve`, {}));
    await ok(t.as(rep, 'POST', `/api/v1/contracts/${c.id}/sign`, { signedBy: '陈总' }));

    const results = await Promise.all([1, 2].map(() => t.as(ops, 'POST', `/api/v1/contracts/${c.id}/order`, {})));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const o = results.find((r) => r.statusCode === 201)!.json();
    expect(o).toMatchObject({ contractId: c.id, quoteId: q.id, opportunityId: opp.id, accountId: acc.id, ownerId: c.ownerId, teamId: c.teamId, totalMinor: q.totalMinor });
    expect(o.lines.map((l: any) => l.quoteLineId)).toEqual(q.lines.map((l: any) => l.id));
    expect(results.find((r) => r.statusCode === 409)!.json().code).toBe('contract_already_ordered');
    // The quote behind the contract cannot be ordered a second time either.
    expect((await t.as(ops, 'POST', `/api/v1/quotes/${q.id}/order`, {})).json().code).toBe('quote_already_ordered');
    const listed = await ok(t.as(rep, 'GET', `/api/v1/orders?contractId=${c.id}`));
    expect(listed.items.map((x: any) => x.id)).toEqual([o.id]);
  });
});
