import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import { billableItems, runBilling, SYSTEM } from '@openltc/core';
import { acceptedQuote, dealFor, product } from './support/quote-fixtures.ts';

/**
 * Billing schedules (payment plans, milestones, recurring), contract payment plans (回款计划), the
 * billing run (idempotent, restart-safe) and invoice requests (开票申请), over HTTP on both databases.
 */
describe.each(DIALECTS)('billing schedules, invoice requests and the billing run (%s)', (dialect) => {
  let t: TestApp;
  let admin: TestUser, ops: TestUser, fin: TestUser, rep: TestUser, manager: TestUser, legal: TestUser, outsider: TestUser;
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
    manager = await t.user('sales_manager', east, 'Mgr Wang');
    outsider = await t.user('sales_rep', west, 'Rep West');
    accountId = (await ok(t.as(rep, 'POST', '/api/v1/accounts', { name: '上海云启科技有限公司' }), 201)).id;
  });
  afterAll(() => t.stop());

  /** 10 licences × ¥3,000 at 6 % and 3 servers × ¥333.33 at 13 %: ¥32,929.99 in all. */
  const LINES = [
    { description: '软件许可 Licence', quantity: '10', unitPriceMinor: 300_000, taxRate: '0.06' },
    { description: '服务器 Server', quantity: '3', unitPriceMinor: 33_333, taxRate: '0.13' },
  ];
  async function confirmedOrder(lines: unknown[] = LINES) {
    const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId, lines }), 201);
    return ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
  }
  const schedule = (orderId: string) => ok(t.as(fin, 'GET', `/api/v1/orders/${orderId}/billing-schedule`));
  const invoiceNumbers = async () =>
    (await t.handle.db.selectFrom('invoices').select('number').where('number', 'is not', null).execute()).map((r) => r.number!).sort();
  /** Numbers of one series are consecutive from 1: no gap, no duplicate. */
  function expectGapFree(numbers: string[]) {
    const seq = numbers.map((n) => Number(n.split('-').at(-1)));
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(seq.sort((a, b) => a - b)).toEqual(seq.map((_, i) => i + 1));
  }

  it('sets a 30 / 60 / 10 plan on an order: amounts add up to the order to the fen, tax from the lines', async () => {
    const o = await confirmedOrder();
    expect(o.totalMinor).toBe(3_292_999);
    const s = await ok(
      t.as(fin, 'PUT', `/api/v1/orders/${o.id}/billing-schedule`, {
        items: [
          { kind: 'payment_plan', description: '预付款 30% on signing', percent: '30', billDate: '2026-11-01' },
          { kind: 'milestone', description: '验收款 60% on acceptance', percent: '60', trigger: 'order_accepted' },
          { kind: 'milestone', description: '质保金 10% after warranty', percent: '10', trigger: 'manual', offsetDays: 365 },
        ],
      }),
    );
    expect(s.items.map((i: any) => [i.kind, i.amountMinor, i.status, i.trigger])).toEqual([
      ['payment_plan', 987_900, 'planned', 'date'],
      ['milestone', 1_975_799, 'planned', 'order_accepted'],
      ['milestone', 329_300, 'planned', 'manual'],
    ]);
    expect(s.scheduledMinor).toBe(o.totalMinor);
    // Each item's line parts carry the lines' own tax: 30 % of the licences is 3 licences, ¥9,000 + ¥540 VAT.
    expect(s.items[0].lines[0]).toEqual({ orderLineId: o.lines[0].id, quantity: '3', netMinor: 900_000, taxMinor: 54_000 });
    for (const line of o.lines) {
      const parts = s.items.map((i: any) => i.lines.find((p: any) => p.orderLineId === line.id));
      expect(parts.reduce((a: number, p: any) => a + p.netMinor, 0)).toBe(line.netMinor);
      expect(parts.reduce((a: number, p: any) => a + p.taxMinor, 0)).toBe(line.taxMinor);
    }
    // The schedule is part of the order: replacing it from a stale version is a 409.
    expect(s.version).toBe(o.version + 1);
    const stale = await t.as(fin, 'PUT', `/api/v1/orders/${o.id}/billing-schedule`, { items: [{ kind: 'payment_plan', description: 'all', percent: '100', billDate: '2026-11-01' }] }, { 'if-match': `W/"${o.version}"` });
    expect(stale.statusCode).toBe(409);
    // Invoicing by hand is refused while the schedule bills the order.
    const byHand = await t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, {});
    expect(byHand.statusCode).toBe(409);
    expect(byHand.json().code).toBe('billed_by_schedule');
  });

  it('refuses plans that do not add up, mixed plans, unknown lines and drafts, naming the field', async () => {
    const o = await confirmedOrder();
    const bad = async (body: unknown, code: string, path?: string) => {
      const r = await t.as(fin, 'PUT', `/api/v1/orders/${o.id}/billing-schedule`, body);
      expect(r.statusCode, r.body).toBe(422);
      const errs = r.json().errors ?? [];
      expect(errs.map((e: any) => e.code)).toContain(code);
      if (path) expect(errs.map((e: any) => e.path)).toContain(path);
    };
    await bad({ items: [{ kind: 'payment_plan', description: 'a', percent: '30', billDate: '2026-11-01' }, { kind: 'payment_plan', description: 'b', percent: '60', billDate: '2026-12-01' }] }, 'percent_total', 'items');
    await bad({ items: [{ kind: 'payment_plan', description: 'a', amountMinor: 100, billDate: '2026-11-01' }] }, 'amount_total', 'items');
    await bad({ items: [{ kind: 'payment_plan', description: 'a', percent: '50', billDate: '2026-11-01' }, { kind: 'payment_plan', description: 'b', amountMinor: 5, billDate: '2026-11-01' }] }, 'mixed_plan');
    await bad({ items: [{ kind: 'payment_plan', description: 'a', percent: '100' }] }, 'required', 'items.0.billDate');
    await bad({ items: [] }, 'schedule_incomplete');
    await bad({ recurring: [{ orderLineId: 'oln_01M80000000000000000000000', frequency: 'monthly', timing: 'advance', startDate: '2026-01-01', endDate: '2026-12-31' }] }, 'unknown_reference', 'recurring.0.orderLineId');
    const draft = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId, lines: LINES }), 201);
    const r = await t.as(fin, 'PUT', `/api/v1/orders/${draft.id}/billing-schedule`, { items: [{ kind: 'payment_plan', description: 'all', percent: '100', billDate: '2026-11-01' }] });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('order_not_billable');
  });

  it('generates a recurring schedule from a line, prorated by days, next to a plan for the other lines', async () => {
    const o = await confirmedOrder([
      { description: 'SaaS 订阅 Subscription (tax-free export service)', quantity: '1', unitPriceMinor: 1_200_000, taxRate: '0' },
      { description: '实施服务 Implementation', quantity: '1', unitPriceMinor: 100_000, taxRate: '0.06' },
    ]);
    const sub = o.lines[0];
    expect(sub.netMinor + sub.taxMinor).toBe(1_200_000);
    const s = await ok(
      t.as(fin, 'PUT', `/api/v1/orders/${o.id}/billing-schedule`, {
        items: [{ kind: 'payment_plan', description: '实施费 Implementation', percent: '100', billDate: '2026-01-15' }],
        recurring: [{ orderLineId: sub.id, frequency: 'monthly', timing: 'advance', startDate: '2026-01-15', endDate: '2026-04-14' }],
      }),
    );
    const rec = s.items.filter((i: any) => i.kind === 'recurring');
    expect(rec.map((i: any) => [i.periodStart, i.periodEnd, i.billDate, i.amountMinor])).toEqual([
      ['2026-01-15', '2026-01-31', '2026-01-15', 218_259],
      ['2026-02-01', '2026-02-28', '2026-02-01', 398_003],
      ['2026-03-01', '2026-03-31', '2026-03-01', 398_003],
      ['2026-04-01', '2026-04-14', '2026-04-01', 185_735],
    ]);
    expect(rec.reduce((a: number, i: any) => a + i.amountMinor, 0)).toBe(1_200_000);
    expect(s.scheduledMinor).toBe(o.totalMinor);
  });

  it('makes a milestone due when its delivery is accepted, and lets operations mark one reached', async () => {
    const o = await confirmedOrder();
    const d = await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/deliveries`, { lines: o.lines.map((l: any) => ({ orderLineId: l.id, quantity: l.orderedQty })) }), 201);
    await ok(
      t.as(fin, 'PUT', `/api/v1/orders/${o.id}/billing-schedule`, {
        items: [
          { kind: 'milestone', description: '到货验收 Delivery accepted', percent: '90', trigger: 'delivery_accepted', deliveryId: d.id },
          { kind: 'milestone', description: '上线 Go-live', percent: '10' },
        ],
      }),
    );
    await ok(t.as(ops, 'POST', `/api/v1/deliveries/${d.id}/deliver`, {}));
    await ok(t.as(ops, 'POST', `/api/v1/deliveries/${d.id}/accept`, { acceptedBy: '客户 张三' }));
    let s = await schedule(o.id);
    expect(s.items.map((i: any) => i.status)).toEqual(['due', 'planned']);
    expect(s.items[0].reachedOn).toBe(s.items[0].billDate);
    // A rep may not mark milestones; operations may. Reaching twice is a 409 from the table.
    const item = s.items[1];
    expect((await t.as(rep, 'POST', `/api/v1/orders/${o.id}/billing-schedule/items/${item.id}/reach`, {})).statusCode).toBe(403);
    s = await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/billing-schedule/items/${item.id}/reach`, { reachedOn: '2026-11-20' }));
    expect(s.items[1]).toMatchObject({ status: 'due', reachedOn: '2026-11-20', billDate: '2026-11-20' });
    const again = await t.as(ops, 'POST', `/api/v1/orders/${o.id}/billing-schedule/items/${item.id}/reach`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('invalid_transition');
    // Setting schedules is finance's: operations and reps get 403.
    expect((await t.as(ops, 'PUT', `/api/v1/orders/${o.id}/billing-schedule`, { items: [] })).statusCode).toBe(403);
  });

  it("copies a contract's payment plan (回款计划) into the schedule when the order is confirmed", async () => {
    const { opportunity } = await dealFor(t, rep, '杭州合同客户有限公司');
    const prod = await product(t, admin, { listPriceMinor: 1_000_000, taxRate: '0.13' });
    const quote = await acceptedQuote(t, rep, manager, opportunity.id, prod.id);
    const contract = await ok(t.as(rep, 'POST', `/api/v1/quotes/${quote.id}/contract`, {}), 201);
    const badPlan = await t.as(rep, 'PUT', `/api/v1/contracts/${contract.id}/payment-plan`, { terms: [{ description: 'x', percent: '30', due: 'on_signing' }] });
    expect(badPlan.statusCode).toBe(422);
    expect(badPlan.json().errors[0].code).toBe('percent_total');
    const plan = await ok(
      t.as(rep, 'PUT', `/api/v1/contracts/${contract.id}/payment-plan`, {
        terms: [
          { description: '签约付 30%', percent: '30', due: 'on_signing' },
          { description: '验收付 60%', percent: '60', due: 'on_acceptance' },
          { description: '质保金 10%', percent: '10', due: 'after_acceptance', days: 365 },
        ],
      }),
    );
    expect(plan.terms.map((x: any) => x.percent)).toEqual(['30', '60', '10']);
    await ok(t.as(rep, 'POST', `/api/v1/contracts/${contract.id}/submit`, {}));
    await ok(t.as(legal, 'POST', `/api/v1/contracts/${contract.id}/approve`, {}));
    // Part of the terms: frozen once out of draft.
    expect((await t.as(rep, 'PUT', `/api/v1/contracts/${contract.id}/payment-plan`, { terms: [] })).statusCode).toBe(409);
    const signed = await ok(t.as(rep, 'POST', `/api/v1/contracts/${contract.id}/sign`, { signedBy: '客户 李四' }));
    const order = await ok(t.as(ops, 'POST', `/api/v1/contracts/${contract.id}/order`, {}), 201);
    const confirmed = await ok(t.as(ops, 'POST', `/api/v1/orders/${order.id}/confirm`, {}));
    expect((await ok(t.as(ops, 'GET', `/api/v1/orders/${order.id}`))).version).toBe(confirmed.version);
    const s = await schedule(order.id);
    expect(s.items.map((i: any) => [i.kind, i.percent, i.trigger, i.offsetDays, i.contractId])).toEqual([
      ['payment_plan', '30', 'date', 0, contract.id],
      ['milestone', '60', 'order_accepted', 0, contract.id],
      ['milestone', '10', 'order_accepted', 365, contract.id],
    ]);
    expect(s.items[0].billDate).toBe(signed.signedAt.slice(0, 10) <= s.items[0].billDate ? s.items[0].billDate : 'signing date');
    expect(s.scheduledMinor).toBe(order.totalMinor);
    // Accepting the whole order reaches both milestones; the retention is billed 365 days later.
    const d = await ok(t.as(ops, 'POST', `/api/v1/orders/${order.id}/deliveries`, { lines: order.lines.map((l: any) => ({ orderLineId: l.id, quantity: l.orderedQty })) }), 201);
    await ok(t.as(ops, 'POST', `/api/v1/deliveries/${d.id}/deliver`, {}));
    await ok(t.as(ops, 'POST', `/api/v1/deliveries/${d.id}/accept`, { acceptedBy: '客户' }));
    const after = await schedule(order.id);
    expect(after.items.map((i: any) => i.status)).toEqual(['planned', 'due', 'due']);
    const acceptedOn = after.items[1].reachedOn;
    expect(after.items[2].billDate > acceptedOn).toBe(true);
    expect(after.items[1].billableToday).toBe(true);
    expect(after.items[2].billableToday).toBe(false);
  });

  it('bills every due item once with gap-free numbers, tax and journal; a second run bills nothing', async () => {
    const before = (await invoiceNumbers()).length;
    const run = await ok(t.as(fin, 'POST', '/api/v1/billing/runs', { asOf: '2026-12-31' }), 201);
    expect(run.status).toBe('completed');
    expect(run.invoicesCreated).toBeGreaterThan(0);
    expect((await invoiceNumbers()).length).toBe(before + run.invoicesCreated);
    expectGapFree(await invoiceNumbers());
    // Every invoiced item points at an issued invoice of the same amount, with a balanced journal entry.
    const items = await t.handle.db.selectFrom('billingScheduleItems').selectAll().where('status', '=', 'invoiced').execute();
    expect(items.length).toBe(run.itemsInvoiced);
    for (const it of items) {
      const inv = await t.handle.db.selectFrom('invoices').selectAll().where('id', '=', it.invoiceId!).executeTakeFirstOrThrow();
      expect(inv.status).toBe('issued');
      expect(Number(inv.totalMinor)).toBe(Number(it.amountMinor));
      const lines = await t.handle.db.selectFrom('journalLines').innerJoin('journalEntries', 'journalEntries.id', 'journalLines.entryId').select(['debitMinor', 'creditMinor']).where('journalEntries.sourceId', '=', inv.id).execute();
      expect(lines.reduce((a, l) => a + Number(l.debitMinor), 0)).toBe(Number(inv.totalMinor));
      expect(lines.reduce((a, l) => a + Number(l.creditMinor), 0)).toBe(Number(inv.totalMinor));
    }
    const got = await ok(t.as(fin, 'GET', `/api/v1/billing/runs/${run.id}`));
    expect(got).toMatchObject({ id: run.id, invoicesCreated: run.invoicesCreated, firstNumber: run.firstNumber, lastNumber: run.lastNumber });
    const again = await ok(t.as(fin, 'POST', '/api/v1/billing/runs', { asOf: '2026-12-31' }), 201);
    expect(again).toMatchObject({ status: 'completed', invoicesCreated: 0, firstNumber: null });
    expect((await ok(t.as(fin, 'GET', '/api/v1/billing/runs'))).items[0].id).toBe(again.id);
    // Only finance and admins run billing.
    expect((await t.as(rep, 'POST', '/api/v1/billing/runs', {})).statusCode).toBe(403);
    expect((await t.as(ops, 'POST', '/api/v1/billing/runs', {})).statusCode).toBe(403);
  });

  it('skips an item its journal refuses (no exchange rate for its currency) and bills the others', async () => {
    const usd = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId, currency: 'USD', lines: [{ description: 'Export licence', quantity: '1', unitPriceMinor: 100_000, taxRate: '0' }] }), 201);
    await ok(t.as(ops, 'POST', `/api/v1/orders/${usd.id}/confirm`, {}));
    await ok(t.as(fin, 'PUT', `/api/v1/orders/${usd.id}/billing-schedule`, { items: [{ kind: 'payment_plan', description: 'in full', percent: '100', billDate: '2026-02-01' }] }));
    const cny = await confirmedOrder();
    await ok(t.as(fin, 'PUT', `/api/v1/orders/${cny.id}/billing-schedule`, { items: [{ kind: 'payment_plan', description: 'in full', percent: '100', billDate: '2026-02-01' }] }));
    const run = await ok(t.as(fin, 'POST', '/api/v1/billing/runs', { asOf: '2026-02-01' }), 201);
    expect(run.status).toBe('completed');
    expect(run.skipped).toBeGreaterThanOrEqual(1);
    expect(run.error).toContain('exchange rate');
    expect((await schedule(usd.id)).items[0]).toMatchObject({ status: 'planned', invoiceId: null });
    expect((await schedule(cny.id)).items[0].status).toBe('invoiced');
    expectGapFree(await invoiceNumbers());
    // Cancelled so the later runs of this file do not meet it again.
    await ok(t.as(fin, 'POST', `/api/v1/orders/${usd.id}/billing-schedule/items/${(await schedule(usd.id)).items[0].id}/cancel`, { reason: 'billed by hand in USD' }));
  });

  it('survives a run that dies between chunks and one that dies inside a chunk: no duplicate, nothing skipped, no gap', async () => {
    // 12 orders × a 4-period quarterly schedule = 48 items due by the end of 2027.
    for (let i = 0; i < 12; i++) {
      const o = await confirmedOrder([{ description: `运维 Support ${i}`, quantity: '1', unitPriceMinor: 1_000_003 + i, taxRate: '0.06' }]);
      await ok(t.as(fin, 'PUT', `/api/v1/orders/${o.id}/billing-schedule`, { recurring: [{ orderLineId: o.lines[0].id, frequency: 'quarterly', timing: 'arrears', startDate: '2027-01-01', endDate: '2027-12-31' }] }));
    }
    const ctx = { db: t.handle.db, dialect: t.handle.dialect, user: SYSTEM, requestId: 'test' };
    const due = async () => (await t.handle.db.selectFrom('billingScheduleItems').select('id').where('periodStart', '>=', '2027-01-01').execute()).length;
    expect(await due()).toBe(48);
    const billable = (await billableItems(ctx, '2027-12-31', null, 10_000)).length; // the 48 and the 10 % retention of the contract above
    expect(billable).toBeGreaterThanOrEqual(48);
    // 1. Dies after 3 committed chunks of 5.
    const first = await runBilling(ctx, { asOf: '2027-12-31' }, { chunkSize: 5, failAfterChunks: 3 });
    expect(first).toMatchObject({ status: 'failed', chunks: 3, invoicesCreated: 15 });
    // 2. Dies inside its 2nd chunk, after writing that chunk's invoices and taking its numbers.
    const second = await runBilling(ctx, { asOf: '2027-12-31' }, { chunkSize: 5, failInsideChunk: 2 });
    expect(second).toMatchObject({ status: 'failed', chunks: 1, invoicesCreated: 5 });
    expect(second.error).toContain('injected fault');
    // 3. Run again to the end.
    const third = await runBilling(ctx, { asOf: '2027-12-31' }, { chunkSize: 5 });
    expect(third).toMatchObject({ status: 'completed', invoicesCreated: billable - 20 });
    expect((await billableItems(ctx, '2027-12-31', null, 10_000)).length).toBe(0);
    const items = await t.handle.db.selectFrom('billingScheduleItems').selectAll().where('periodStart', '>=', '2027-01-01').execute();
    expect(items.every((i) => i.status === 'invoiced' && i.invoiceId)).toBe(true);
    const invoices = await t.handle.db.selectFrom('invoices').select(['id', 'number']).where('id', 'in', items.map((i) => i.invoiceId!)).execute();
    expect(invoices.length).toBe(48);
    // No invoice without an item (the failed chunk's invoices rolled back), and the series has no gap.
    const orphans = await t.handle.db.selectFrom('invoices').leftJoin('billingScheduleItems', 'billingScheduleItems.invoiceId', 'invoices.id').select('invoices.id').where('billingScheduleItems.id', 'is', null).where('invoices.deliveryId', 'is', null).where('invoices.status', '=', 'issued').execute();
    const manual = await t.handle.db.selectFrom('invoiceRequests').select('invoiceId').where('invoiceId', 'is not', null).execute();
    expect(orphans.filter((o) => !manual.some((m) => m.invoiceId === o.id))).toEqual([]);
    expectGapFree(await invoiceNumbers());
    expect(third.firstNumber! > second.lastNumber!).toBe(true);
  });

  it('invoice request for order lines: a rep asks, only finance approves, the invoice is issued and linked, in the inbox and the thread', async () => {
    const { opportunity } = await dealFor(t, rep, '南京开票客户有限公司');
    const prod = await product(t, admin, { listPriceMinor: 500_000, taxRate: '0.13' });
    const quote = await acceptedQuote(t, rep, manager, opportunity.id, prod.id);
    const order = await ok(t.as(ops, 'POST', `/api/v1/quotes/${quote.id}/order`, {}), 201);
    await ok(t.as(ops, 'POST', `/api/v1/orders/${order.id}/confirm`, {}));
    const title = { invoiceType: 'special', buyerName: '南京开票客户有限公司', buyerTaxId: '91320100MA1XXXXX0Y', buyerAddressPhone: '南京市鼓楼区中山路1号 025-88888888', buyerBankAccount: '中国工商银行南京分行 4301 0000 0000 0000', remarks: '合同号 CT-1' };
    const missing = await t.as(rep, 'POST', '/api/v1/invoice-requests', { ...title, buyerBankAccount: undefined, orderId: order.id, lines: [{ orderLineId: order.lines[0].id, quantity: '1' }] });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors.map((e: any) => e.path)).toEqual(['buyerBankAccount']);
    const over = await t.as(rep, 'POST', '/api/v1/invoice-requests', { ...title, orderId: order.id, lines: [{ orderLineId: order.lines[0].id, quantity: '3' }] });
    expect(over.json().errors[0].code).toBe('over_billing');
    const req = await ok(t.as(rep, 'POST', '/api/v1/invoice-requests', { ...title, orderId: order.id, lines: [{ orderLineId: order.lines[0].id, quantity: '1' }] }), 201);
    expect(req).toMatchObject({ status: 'pending', amountMinor: 565_000, invoiceId: null, allowedActions: ['approve', 'reject', 'withdraw'] });
    // Outsiders do not see it; the rep and the manager cannot approve it.
    expect((await t.as(outsider, 'GET', `/api/v1/invoice-requests/${req.id}`)).statusCode).toBe(404);
    expect((await t.as(rep, 'POST', `/api/v1/invoice-requests/${req.id}/approve`, {})).statusCode).toBe(403);
    expect((await t.as(manager, 'POST', `/api/v1/invoice-requests/${req.id}/approve`, {})).statusCode).toBe(403);
    expect((await t.as(ops, 'POST', '/api/v1/invoice-requests', { ...title, orderId: order.id, lines: [{ orderLineId: order.lines[0].id, quantity: '1' }] })).statusCode).toBe(403);
    const inbox = await ok(t.as(fin, 'GET', '/api/v1/approvals'));
    expect(inbox.items.find((i: any) => i.id === req.id)).toMatchObject({ type: 'invoice-requests', actions: ['approve', 'reject'], amountMinor: 565_000 });
    const approved = await ok(t.as(fin, 'POST', `/api/v1/invoice-requests/${req.id}/approve`, {}));
    expect(approved.status).toBe('approved');
    expect(approved.invoiceNumber).toMatch(/^INV-/);
    const inv = await ok(t.as(fin, 'GET', `/api/v1/invoices/${approved.invoiceId}`));
    expect(inv).toMatchObject({ status: 'issued', totalMinor: 565_000, orderId: order.id });
    expect((await t.as(fin, 'POST', `/api/v1/invoice-requests/${req.id}/approve`, {})).statusCode).toBe(409);
    // The thread: order → invoice request → invoice.
    const tr = await ok(t.as(fin, 'GET', `/api/v1/trace/invoices/${inv.id}`));
    const key = (type: string, id: string) => `${type}:${id}`;
    expect(tr.edges).toEqual(expect.arrayContaining([
      expect.objectContaining({ from: key('order', order.id), to: key('invoice_request', req.id), kind: 'requested' }),
      expect.objectContaining({ from: key('invoice_request', req.id), to: key('invoice', inv.id), kind: 'invoiced' }),
    ]));
    // Rejected requests carry the reason; the rep sees the outcome.
    const req2 = await ok(t.as(rep, 'POST', '/api/v1/invoice-requests', { ...title, invoiceType: 'normal', orderId: order.id, lines: [{ orderLineId: order.lines[0].id, quantity: '1' }] }), 201);
    expect((await t.as(fin, 'POST', `/api/v1/invoice-requests/${req2.id}/reject`, {})).statusCode).toBe(422);
    const rejected = await ok(t.as(fin, 'POST', `/api/v1/invoice-requests/${req2.id}/reject`, { reason: '抬头与合同不符 title differs from the contract' }));
    expect(rejected).toMatchObject({ status: 'rejected', rejectReason: '抬头与合同不符 title differs from the contract', invoiceId: null });
    expect((await ok(t.as(rep, 'GET', `/api/v1/invoice-requests/${req2.id}`))).status).toBe('rejected');
    const list = await ok(t.as(rep, 'GET', `/api/v1/invoice-requests?orderId=${order.id}`));
    expect(list.items.map((r: any) => r.status).sort()).toEqual(['approved', 'rejected']);
    expect((await ok(t.as(outsider, 'GET', '/api/v1/invoice-requests'))).items).toEqual([]);
  });

  it('invoice request for a schedule item holds it from the billing run until finance decides', async () => {
    const o = await confirmedOrder();
    const s = await ok(t.as(fin, 'PUT', `/api/v1/orders/${o.id}/billing-schedule`, { items: [{ kind: 'payment_plan', description: '全款 in full', percent: '100', billDate: '2026-01-01' }] }));
    const item = s.items[0];
    const title = { invoiceType: 'normal', buyerName: '上海云启科技有限公司', buyerTaxId: '91310000MA1YYYYY1Z' };
    const req = await ok(t.as(rep, 'POST', '/api/v1/invoice-requests', { ...title, orderId: o.id, scheduleItemIds: [item.id] }), 201);
    expect(req).toMatchObject({ amountMinor: o.totalMinor, scheduleItemIds: [item.id] });
    const dup = await t.as(rep, 'POST', '/api/v1/invoice-requests', { ...title, orderId: o.id, scheduleItemIds: [item.id] });
    expect(dup.json().code).toBe('item_not_open');
    // The run leaves the held item alone; cancelling it is refused while it is requested.
    await ok(t.as(fin, 'POST', '/api/v1/billing/runs', { asOf: '2026-12-31' }), 201);
    expect((await schedule(o.id)).items[0]).toMatchObject({ status: 'planned', requestId: req.id, invoiceId: null });
    expect((await t.as(fin, 'POST', `/api/v1/orders/${o.id}/billing-schedule/items/${item.id}/cancel`, { reason: 'x' })).json().code).toBe('item_requested');
    const approved = await ok(t.as(fin, 'POST', `/api/v1/invoice-requests/${req.id}/approve`, {}));
    const after = await schedule(o.id);
    expect(after.items[0]).toMatchObject({ status: 'invoiced', invoiceId: approved.invoiceId, invoiceNumber: approved.invoiceNumber });
    expect(after.invoicedMinor).toBe(o.totalMinor);
    expectGapFree(await invoiceNumbers());
  });
});
