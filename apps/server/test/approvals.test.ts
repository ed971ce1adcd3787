import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import { acceptedQuote, dealFor, product } from './support/quote-fixtures.ts';

describe.each(DIALECTS)('approvals inbox (%s)', (dialect) => {
  let t: TestApp;
  let admin: TestUser, rep: TestUser, manager: TestUser, otherManager: TestUser, legal: TestUser, ops: TestUser, fin: TestUser;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const east = await t.team('East');
    admin = await t.user('admin', null, 'Admin');
    rep = await t.user('sales_rep', east, 'Rep');
    manager = await t.user('sales_manager', east, 'Manager');
    otherManager = await t.user('sales_manager', await t.team('West'), 'OtherManager');
    legal = await t.user('legal', null, 'Legal');
    ops = await t.user('operations', null, 'Ops');
    fin = await t.user('finance', null, 'Finance');
  });
  afterAll(() => t.stop());

  const inbox = async (u: TestUser) => (await ok(t.as(u, 'GET', '/api/v1/approvals'))).items;

  it('shows each gatekeeper what waits for them, and nothing to others', async () => {
    const p = await product(t, admin);
    const { opportunity } = await dealFor(t, rep);
    const q = await ok(t.as(rep, 'POST', `/api/v1/opportunities/${opportunity.id}/quotes`, { lines: [{ productId: p.id, quantity: '3' }] }), 201);
    await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/submit`, {}));
    expect((await inbox(manager)).map((i: any) => [i.type, i.id, i.actions])).toEqual([['quotes', q.id, ['approve', 'decline']]]);
    expect(await inbox(otherManager)).toEqual([]);
    expect(await inbox(rep)).toEqual([]);

    await ok(t.as(manager, 'POST', `/api/v1/quotes/${q.id}/approve`, {}));
    expect(await inbox(manager)).toEqual([]);

    const { opportunity: o2 } = await dealFor(t, rep, '杭州第二客户有限公司');
    const accepted = await acceptedQuote(t, rep, manager, o2.id, p.id);
    const c = await ok(t.as(rep, 'POST', `/api/v1/quotes/${accepted.id}/contract`, {}), 201);
    await ok(t.as(rep, 'POST', `/api/v1/contracts/${c.id}/submit`, {}));
    expect((await inbox(legal)).map((i: any) => [i.type, i.id])).toEqual([['contracts', c.id]]);

    const order = await ok(t.as(ops, 'POST', `/api/v1/quotes/${accepted.id}/order`, {}), 201);
    await ok(t.as(ops, 'POST', `/api/v1/orders/${order.id}/confirm`, {}));
    const inv = await ok(t.as(fin, 'POST', `/api/v1/orders/${order.id}/invoices`, {}), 201);
    const finItems = await inbox(fin);
    expect(finItems.map((i: any) => [i.type, i.id, i.amountMinor])).toEqual([['invoices', inv.id, inv.totalMinor]]);
    // The admin holds every key: sees the contract and the invoice, oldest first.
    expect((await inbox(admin)).map((i: any) => i.type)).toEqual(['contracts', 'invoices']);
  });
});
