import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';

/**
 * The whole chain over HTTP, each step by the role that does it in real life: a lead becomes an
 * opportunity, a quote, a signed contract, an order delivered in two shipments, two invoices and
 * two payments, until every invoice is paid. Checks derived statuses at each step, the trace from
 * both ends, and the event log.
 */
describe.each(DIALECTS)('lead to cash, end to end (%s)', (dialect) => {
  let t: TestApp;
  let admin: TestUser, rep: TestUser, manager: TestUser, legal: TestUser, ops: TestUser, fin: TestUser;

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const east = await t.team('华东销售部');
    admin = await t.user('admin', null, 'Admin');
    rep = await t.user('sales_rep', east, '李娜');
    manager = await t.user('sales_manager', east, '陈志强');
    legal = await t.user('legal', null, '何敏');
    ops = await t.user('operations', null, '郭勇');
    fin = await t.user('finance', null, '徐芳');
  });
  afterAll(() => t.stop());

  it('walks a lead to fully paid invoices', async () => {
    // Catalog (admin): a server at 13 % VAT and implementation days at 6 %.
    const server = await ok(t.as(admin, 'POST', '/api/v1/products', { sku: 'SRV-1', name: '边缘服务器', kind: 'goods', unit: '台', listPriceMinor: 8_600_000, taxRate: '0.13' }), 201);
    const impl = await ok(t.as(admin, 'POST', '/api/v1/products', { sku: 'IMPL-DAY', name: '实施服务', kind: 'service', unit: '人天', listPriceMinor: 250_000, taxRate: '0.06' }), 201);

    // Lead → qualified → converted (rep).
    const lead = await ok(t.as(rep, 'POST', '/api/v1/leads', { name: '王芳', company: '苏州恒信智能制造有限公司', email: 'wang.fang@hengxin.example', source: '展会' }), 201);
    await ok(t.as(rep, 'POST', `/api/v1/leads/${lead.id}/work`, {}));
    await ok(t.as(rep, 'POST', `/api/v1/leads/${lead.id}/qualify`, {}));
    const conv = await ok(t.as(rep, 'POST', `/api/v1/leads/${lead.id}/convert`, { amountMinor: 20_000_000, expectedCloseDate: '2027-03-31' }));
    const oppId: string = conv.opportunityId;

    // Quote: 2 servers + 10 days at 10 % off. Net 17 200 000 + 2 250 000; VAT 2 236 000 + 135 000.
    const quote = await ok(
      t.as(rep, 'POST', `/api/v1/opportunities/${oppId}/quotes`, {
        lines: [
          { productId: server.id, quantity: '2' },
          { productId: impl.id, quantity: '10', discountRate: '0.1' },
        ],
      }),
      201,
    );
    expect(quote).toMatchObject({ status: 'draft', versionNo: 1, netMinor: 19_450_000, taxMinor: 2_371_000, totalMinor: 21_821_000 });
    await ok(t.as(rep, 'POST', `/api/v1/quotes/${quote.id}/submit`, {}));
    expect((await t.as(rep, 'POST', `/api/v1/quotes/${quote.id}/approve`, {})).statusCode).toBe(403);
    await ok(t.as(manager, 'POST', `/api/v1/quotes/${quote.id}/approve`, {}));
    await ok(t.as(rep, 'POST', `/api/v1/quotes/${quote.id}/send`, {}));
    await ok(t.as(rep, 'POST', `/api/v1/quotes/${quote.id}/accept`, {}));
    expect((await ok(t.as(rep, 'POST', `/api/v1/opportunities/${oppId}/win`, {}))).status).toBe('won');

    // Contract: drafted by the rep, approved by legal, signed by the customer, active.
    const contract = await ok(t.as(rep, 'POST', `/api/v1/quotes/${quote.id}/contract`, { startDate: '2026-12-01', endDate: '2027-11-30' }), 201);
    expect(contract).toMatchObject({ status: 'draft', totalMinor: 21_821_000, quoteId: quote.id });
    await ok(t.as(rep, 'POST', `/api/v1/contracts/${contract.id}/submit`, {}));
    await ok(t.as(legal, 'POST', `/api/v1/contracts/${contract.id}/approve`, {}));
    await ok(t.as(rep, 'POST', `/api/v1/contracts/${contract.id}/sign`, { signedBy: '张总' }));
    await ok(t.as(rep, 'POST', `/api/v1/contracts/${contract.id}/activate`, {}));

    // Order from the signed contract (operations), confirmed.
    let order = await ok(t.as(ops, 'POST', `/api/v1/contracts/${contract.id}/order`, {}), 201);
    expect(order).toMatchObject({ contractId: contract.id, quoteId: quote.id, totalMinor: 21_821_000, deliveredPct: 0, billedPct: 0 });
    order = await ok(t.as(ops, 'POST', `/api/v1/orders/${order.id}/confirm`, {}));
    const [srvLine, implLine] = order.lines;

    // First shipment: one server. Delivered share by amount: 9 718 000 / 21 821 000 = 44.5 %.
    const d1 = await ok(t.as(ops, 'POST', `/api/v1/orders/${order.id}/deliveries`, { lines: [{ orderLineId: srvLine.id, quantity: '1' }], carrier: '顺丰速运', trackingNo: 'SF1234567890' }), 201);
    await ok(t.as(ops, 'POST', `/api/v1/deliveries/${d1.id}/deliver`, {}));
    order = await ok(t.as(rep, 'GET', `/api/v1/orders/${order.id}`));
    expect(order).toMatchObject({ status: 'confirmed', deliveredPct: 44.5 });
    expect(order.lines[0]).toMatchObject({ orderedQty: '2', deliveredQty: '1', billedQty: '0' });

    // Finance bills the first shipment.
    const inv1 = await ok(t.as(fin, 'POST', `/api/v1/deliveries/${d1.id}/invoice`, {}), 201);
    expect(inv1).toMatchObject({ status: 'draft', number: null, totalMinor: 9_718_000 });
    const issued1 = await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv1.id}/issue`, {}));
    expect(issued1.status).toBe('issued');
    expect(issued1.number).toMatch(/^INV-\d{4}-000001$/);

    // Over-delivery is refused and writes nothing.
    const over = await t.as(ops, 'POST', `/api/v1/orders/${order.id}/deliveries`, { lines: [{ orderLineId: srvLine.id, quantity: '2' }] });
    expect(over.statusCode).toBe(409);
    expect(over.json().code).toBe('over_delivery');

    // Second shipment: the other server and the implementation days; the customer accepts (验收).
    const d2 = await ok(
      t.as(ops, 'POST', `/api/v1/orders/${order.id}/deliveries`, {
        lines: [
          { orderLineId: srvLine.id, quantity: '1' },
          { orderLineId: implLine.id, quantity: '10' },
        ],
      }),
      201,
    );
    await ok(t.as(ops, 'POST', `/api/v1/deliveries/${d2.id}/deliver`, {}));
    expect((await ok(t.as(ops, 'POST', `/api/v1/deliveries/${d2.id}/accept`, { acceptedBy: '王芳' }))).status).toBe('accepted');
    order = await ok(t.as(rep, 'GET', `/api/v1/orders/${order.id}`));
    expect(order).toMatchObject({ status: 'fulfilled', deliveredPct: 100, billedPct: 44.5 });

    // Finance bills the rest of the order.
    const inv2 = await ok(t.as(fin, 'POST', `/api/v1/orders/${order.id}/invoices`, {}), 201);
    expect(inv2.totalMinor).toBe(21_821_000 - 9_718_000);
    const issued2 = await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv2.id}/issue`, {}));
    expect(issued2.number).toMatch(/^INV-\d{4}-000002$/);
    const overBill = await t.as(fin, 'POST', `/api/v1/orders/${order.id}/invoices`, { lines: [{ orderLineId: srvLine.id, quantity: '1' }] });
    expect(overBill.statusCode).toBe(409);
    expect(overBill.json().code).toBe('over_billing');
    order = await ok(t.as(rep, 'GET', `/api/v1/orders/${order.id}`));
    expect(order).toMatchObject({ billedPct: 100, billedMinor: 21_821_000, paidPct: 0 });

    // A first, partial payment against invoice 1.
    const accountId: string = order.accountId;
    const p1 = await ok(
      t.as(fin, 'POST', '/api/v1/payments', { accountId, amountMinor: 5_000_000, currency: 'CNY', receivedOn: '2026-12-20', method: 'bank_transfer', reference: 'CMB-001', allocations: [{ invoiceId: inv1.id, amountMinor: 5_000_000 }] }),
      201,
    );
    expect(p1).toMatchObject({ allocatedMinor: 5_000_000, unallocatedMinor: 0 });
    expect((await ok(t.as(fin, 'GET', `/api/v1/invoices/${inv1.id}`))).status).toBe('partially_paid');

    // Over-allocation is refused and writes nothing.
    const tooMuch = await t.as(fin, 'POST', '/api/v1/payments', { accountId, amountMinor: 30_000_000, currency: 'CNY', receivedOn: '2026-12-21', method: 'bank_transfer', allocations: [{ invoiceId: inv1.id, amountMinor: 4_718_001 }] });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json().code).toBe('over_allocation');

    // The second payment settles both invoices.
    const p2 = await ok(
      t.as(fin, 'POST', '/api/v1/payments', {
        accountId,
        amountMinor: 16_821_000,
        currency: 'CNY',
        receivedOn: '2027-01-15',
        method: 'bank_transfer',
        reference: 'CMB-002',
        allocations: [
          { invoiceId: inv1.id, amountMinor: 4_718_000 },
          { invoiceId: inv2.id, amountMinor: 12_103_000 },
        ],
      }),
      201,
    );
    expect(p2.unallocatedMinor).toBe(0);
    for (const id of [inv1.id, inv2.id]) expect(await ok(t.as(fin, 'GET', `/api/v1/invoices/${id}`))).toMatchObject({ status: 'paid', outstandingMinor: 0 });
    order = await ok(t.as(rep, 'GET', `/api/v1/orders/${order.id}`));
    expect(order).toMatchObject({ paidMinor: 21_821_000, paidPct: 100 });
    expect((await ok(t.as(ops, 'POST', `/api/v1/orders/${order.id}/close`, {}))).status).toBe('closed');

    // The thread, from the lead and from the last payment: the same chain, root at the lead.
    const fromLead = await ok(t.as(admin, 'GET', `/api/v1/trace/leads/${lead.id}`));
    const fromPayment = await ok(t.as(admin, 'GET', `/api/v1/trace/payments/${p2.id}`));
    expect(fromLead.root).toEqual({ type: 'lead', id: lead.id });
    expect(fromPayment.root).toEqual({ type: 'lead', id: lead.id });
    const types = (tr: any) => tr.nodes.map((n: any) => n.type).sort();
    expect(types(fromLead)).toEqual(types(fromPayment));
    const count = (tr: any, type: string) => tr.nodes.filter((n: any) => n.type === type).length;
    expect([count(fromLead, 'lead'), count(fromLead, 'opportunity'), count(fromLead, 'quote'), count(fromLead, 'contract'), count(fromLead, 'order')]).toEqual([1, 1, 1, 1, 1]);
    expect([count(fromLead, 'delivery'), count(fromLead, 'invoice'), count(fromLead, 'payment')]).toEqual([2, 2, 2]);
    const orderNode = fromLead.nodes.find((n: any) => n.type === 'order');
    expect(orderNode).toMatchObject({ status: 'closed', amountMinor: 21_821_000 });
    expect(orderNode.figures).toMatchObject({ deliveredPct: 100, billedPct: 100, paidPct: 100 });
    const paidEdges = fromLead.edges.filter((e: any) => e.kind === 'paid');
    expect(paidEdges.reduce((s: number, e: any) => s + e.amountMinor, 0)).toBe(21_821_000);

    // The event log tells the same story, with actors.
    const tl = await ok(t.as(fin, 'GET', `/api/v1/invoices/${inv1.id}/timeline`));
    const actions = tl.items.map((e: any) => e.action);
    expect(actions[0]).toBe('created');
    expect(actions).toContain('issue');
    expect(tl.items.find((e: any) => e.action === 'issue').actorId).toBe(fin.id);
    expect(tl.items.at(-1).after.status).toBe('paid');
    const orderTl = await ok(t.as(admin, 'GET', `/api/v1/orders/${order.id}/timeline`));
    expect(orderTl.items.map((e: any) => e.action)).toEqual(expect.arrayContaining(['created', 'confirm', 'fulfil', 'close']));
  });
});
