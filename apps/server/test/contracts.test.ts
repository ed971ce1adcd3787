import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import { contractForOrder, expireEndedContracts, today } from '@openltc/core';
import { acceptedQuote, dealFor, product } from './support/quote-fixtures.ts';

const ACTIONS = ['submit', 'approve', 'return', 'sign', 'activate', 'expire', 'terminate'] as const;
const BODY: Record<string, unknown> = { return: { reason: 'r' }, terminate: { reason: 'r' }, sign: { signedBy: '王总' } };

describe.each(DIALECTS)('contracts over HTTP (%s)', (dialect) => {
  let t: TestApp;
  let admin: TestUser;
  let rep: TestUser;
  let manager: TestUser;
  let legal: TestUser;
  let outsider: TestUser;
  let deal: { account: any; opportunity: any };
  let productId: string;

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const east = await t.team('East 华东');
    const west = await t.team('West 华西');
    admin = await t.user('admin', null, 'Admin');
    rep = await t.user('sales_rep', east, 'Li Lei');
    manager = await t.user('sales_manager', east, 'Han Meimei');
    legal = await t.user('legal', null, 'Legal 法务');
    outsider = await t.user('sales_rep', west, 'Zhang San');
    deal = await dealFor(t, rep, '杭州星河电子有限公司');
    productId = (await product(t, admin, { listPriceMinor: 500_000, taxRate: '0.13' })).id;
  });
  afterAll(() => t.stop());

  it('turns an accepted quote into a contract carrying its amount, currency, owner and links', async () => {
    const q = await acceptedQuote(t, rep, manager, deal.opportunity.id, productId);
    const r = await t.as(rep, 'POST', `/api/v1/quotes/${q.id}/contract`, { endDate: '2027-12-31' });
    expect(r.statusCode).toBe(201);
    const c = r.json();
    expect(c.number).toMatch(new RegExp(`^CT-${today().slice(0, 4)}-\\d{6}$`));
    // 2 × ¥5,000.00 + 13 % VAT
    expect(c).toMatchObject({
      title: `杭州星河电子有限公司 ${q.number}`,
      status: 'draft',
      quoteId: q.id,
      opportunityId: deal.opportunity.id,
      accountId: deal.account.id,
      currency: 'CNY',
      totalMinor: 1_130_000,
      endDate: '2027-12-31',
      ownerId: rep.id,
      teamId: rep.teamId,
      allowedActions: ['submit'],
    });
    const twice = await t.as(rep, 'POST', `/api/v1/quotes/${q.id}/contract`, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'contract_exists', contractId: c.id });
  });

  it('makes only one contract when two requests for the same quote race', async () => {
    const q = await acceptedQuote(t, rep, manager, deal.opportunity.id, productId);
    const results = await Promise.all([1, 2, 3].map(() => t.as(rep, 'POST', `/api/v1/quotes/${q.id}/contract`, {})));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    const list = await ok(t.as(rep, 'GET', `/api/v1/contracts?quoteId=${q.id}`));
    expect(list.items).toHaveLength(1);
  });

  it('refuses a contract from a quote that is not accepted', async () => {
    const q = await ok(t.as(rep, 'POST', `/api/v1/opportunities/${deal.opportunity.id}/quotes`, { lines: [{ productId, quantity: '1' }] }), 201);
    const r = await t.as(rep, 'POST', `/api/v1/quotes/${q.id}/contract`, {});
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: 'quote_not_accepted', currentState: 'draft' });
  });

  it('runs the full lifecycle: review, legal approval, signature, activation, expiry — all on the timeline', async () => {
    const q = await acceptedQuote(t, rep, manager, deal.opportunity.id, productId);
    const c = await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/contract`, { title: '年度采购合同' }), 201);
    await expect(contractForOrder(t.sys, c.id)).rejects.toMatchObject({ status: 409, code: 'contract_not_signed' });

    expect((await ok(t.as(rep, 'POST', `/api/v1/contracts/${c.id}/submit`, {}))).status).toBe('in_review');
    for (const who of [rep, manager]) {
      const denied = await t.as(who, 'POST', `/api/v1/contracts/${c.id}/approve`, {});
      expect(denied.statusCode).toBe(403);
    }
    expect((await ok(t.as(legal, 'POST', `/api/v1/contracts/${c.id}/approve`, {}))).status).toBe('approved');
    const noName = await t.as(rep, 'POST', `/api/v1/contracts/${c.id}/sign`, {});
    expect(noName.statusCode).toBe(422);
    expect(noName.json().errors[0].path).toBe('signedBy');
    const signed = await ok(t.as(rep, 'POST', `/api/v1/contracts/${c.id}/sign`, { signedBy: '陈总 (CEO)' }));
    expect(signed).toMatchObject({ status: 'signed', signedBy: '陈总 (CEO)', allowedActions: ['activate', 'terminate'] });
    expect(Date.parse(signed.signedAt)).toBeGreaterThan(Date.now() - 60_000);

    const forOrder = await contractForOrder(t.sys, c.id);
    expect(forOrder.contract.id).toBe(c.id);
    expect(forOrder.quote?.id).toBe(q.id);
    expect(forOrder.lines.map((l) => l.totalMinor)).toEqual([q.lines[0].totalMinor]);

    const active = await ok(t.as(rep, 'POST', `/api/v1/contracts/${c.id}/activate`, {}));
    expect(active).toMatchObject({ status: 'active', startDate: today() });
    expect((await contractForOrder(t.sys, c.id)).contract.status).toBe('active');
    const expired = await ok(t.as(rep, 'POST', `/api/v1/contracts/${c.id}/expire`, {}));
    expect(expired).toMatchObject({ status: 'expired', allowedActions: [] });

    const tl = await ok(t.as(rep, 'GET', `/api/v1/contracts/${c.id}/timeline`));
    expect(tl.items.map((e: any) => [e.action, e.actorId])).toEqual([
      ['created', rep.id],
      ['submit', rep.id],
      ['approve', legal.id],
      ['sign', rep.id],
      ['activate', rep.id],
      ['expire', rep.id],
    ]);
    expect(tl.items[3].after).toMatchObject({ status: 'signed', signedBy: '陈总 (CEO)' });
  });

  it('lets legal return a contract to draft with a reason; edits only while draft', async () => {
    const c = await ok(
      t.as(rep, 'POST', '/api/v1/contracts', { accountId: deal.account.id, title: '框架协议', totalMinor: 5_000_000, startDate: '2026-01-01', endDate: '2026-12-31' }),
      201,
    );
    expect(c).toMatchObject({ quoteId: null, currency: 'CNY', ownerId: rep.id, status: 'draft' });
    await ok(t.as(rep, 'POST', `/api/v1/contracts/${c.id}/submit`, {}));
    const frozen = await t.as(rep, 'PATCH', `/api/v1/contracts/${c.id}`, { title: 'changed in review' });
    expect(frozen.statusCode).toBe(409);
    expect(frozen.json()).toMatchObject({ code: 'contract_not_draft', allowedActions: ['approve', 'return'] });
    expect((await t.as(legal, 'POST', `/api/v1/contracts/${c.id}/return`, {})).statusCode).toBe(422);
    const back = await ok(t.as(legal, 'POST', `/api/v1/contracts/${c.id}/return`, { reason: '违约条款需修改' }));
    expect(back).toMatchObject({ status: 'draft', returnReason: '违约条款需修改' });

    const edit = await t.as(rep, 'PATCH', `/api/v1/contracts/${c.id}`, { totalMinor: 4_500_000 }, { 'if-match': `W/"${back.version}"` });
    expect(edit.statusCode).toBe(200);
    expect(edit.json().totalMinor).toBe(4_500_000);
    const stale = await t.as(rep, 'PATCH', `/api/v1/contracts/${c.id}`, { title: 'stale' }, { 'if-match': `W/"${back.version}"` });
    expect(stale.json().code).toBe('version_conflict');
    const backwards = await t.as(rep, 'PATCH', `/api/v1/contracts/${c.id}`, { endDate: '2025-12-31' });
    expect(backwards.statusCode).toBe(422);
    expect(backwards.json().errors[0].path).toBe('endDate');
  });

  it('keeps the amount of a contract made from a quote tied to the quote', async () => {
    const q = await acceptedQuote(t, rep, manager, deal.opportunity.id, productId);
    const c = await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/contract`, {}), 201);
    const r = await t.as(rep, 'PATCH', `/api/v1/contracts/${c.id}`, { totalMinor: 1 });
    expect(r.statusCode).toBe(422);
    expect(r.json().errors[0]).toMatchObject({ path: 'totalMinor', code: 'from_quote' });
    expect((await ok(t.as(rep, 'PATCH', `/api/v1/contracts/${c.id}`, { title: '新标题' }))).title).toBe('新标题');
  });

  it('terminates a signed contract with a reason', async () => {
    const c = await ok(t.as(rep, 'POST', '/api/v1/contracts', { accountId: deal.account.id, title: 'Short deal', totalMinor: 100_000, currency: 'USD' }), 201);
    expect(c.currency).toBe('USD');
    await ok(t.as(rep, 'POST', `/api/v1/contracts/${c.id}/submit`, {}));
    await ok(t.as(admin, 'POST', `/api/v1/contracts/${c.id}/approve`, {}));
    await ok(t.as(rep, 'POST', `/api/v1/contracts/${c.id}/sign`, { signedBy: 'Jane Doe' }));
    expect((await t.as(rep, 'POST', `/api/v1/contracts/${c.id}/terminate`, {})).statusCode).toBe(422);
    const done = await ok(t.as(rep, 'POST', `/api/v1/contracts/${c.id}/terminate`, { reason: 'Customer insolvent 客户破产' }));
    expect(done).toMatchObject({ status: 'terminated', terminationReason: 'Customer insolvent 客户破产', allowedActions: [] });
    await expect(contractForOrder(t.sys, c.id)).rejects.toMatchObject({ code: 'contract_not_signed' });
  });

  it('expires active contracts past their end date in a sweep', async () => {
    const make = async (endDate: string, activate: boolean) => {
      const c = await ok(t.as(rep, 'POST', '/api/v1/contracts', { accountId: deal.account.id, title: `Ends ${endDate}`, totalMinor: 1, startDate: '2020-01-01', endDate }), 201);
      await ok(t.as(rep, 'POST', `/api/v1/contracts/${c.id}/submit`, {}));
      await ok(t.as(legal, 'POST', `/api/v1/contracts/${c.id}/approve`, {}));
      await ok(t.as(rep, 'POST', `/api/v1/contracts/${c.id}/sign`, { signedBy: '李总' }));
      if (activate) await ok(t.as(rep, 'POST', `/api/v1/contracts/${c.id}/activate`, {}));
      return c.id as string;
    };
    const ended = await make('2021-12-31', true);
    const running = await make('2099-12-31', true);
    const signedOnly = await make('2021-12-31', false);
    expect(await expireEndedContracts(t.sys)).toEqual([ended]);
    const status = async (id: string) => (await ok(t.as(rep, 'GET', `/api/v1/contracts/${id}`))).status;
    expect([await status(ended), await status(running), await status(signedOnly)]).toEqual(['expired', 'active', 'signed']);
    const tl = await ok(t.as(rep, 'GET', `/api/v1/contracts/${ended}/timeline`));
    expect(tl.items.at(-1)).toMatchObject({ action: 'expire', actorId: 'system' });
  });

  it('answers every illegal transition with 409 invalid_transition and the allowed actions', async () => {
    const expectIllegal = async (id: string, allowed: string[]) => {
      for (const action of ACTIONS.filter((a) => !allowed.includes(a))) {
        const r = await t.as(admin, 'POST', `/api/v1/contracts/${id}/${action}`, BODY[action] ?? {});
        expect([action, r.statusCode]).toEqual([action, 409]);
        expect(r.json()).toMatchObject({ code: 'invalid_transition', allowedActions: allowed });
      }
    };
    const c = await ok(t.as(rep, 'POST', '/api/v1/contracts', { accountId: deal.account.id, title: 'Path', totalMinor: 1 }), 201);
    const steps: Array<[string, string[]]> = [
      ['submit', ['submit']],
      ['approve', ['approve', 'return']],
      ['sign', ['sign']],
      ['activate', ['activate', 'terminate']],
      ['terminate', ['expire', 'terminate']],
    ];
    for (const [next, allowed] of steps) {
      await expectIllegal(c.id, allowed);
      await ok(t.as(admin, 'POST', `/api/v1/contracts/${c.id}/${next}`, BODY[next] ?? {}));
    }
    await expectIllegal(c.id, []);
  });

  it('refuses unknown fields and bad dates (422)', async () => {
    const a = await t.as(rep, 'POST', '/api/v1/contracts', { accountId: deal.account.id, title: 'x', totalMinor: 1, status: 'active' });
    expect(a.statusCode).toBe(422);
    expect(a.json().errors[0].message).toContain('status');
    const b = await t.as(rep, 'POST', '/api/v1/contracts', { accountId: deal.account.id, title: 'x', totalMinor: 1, startDate: '2026-05-01', endDate: '2026-04-30' });
    expect(b.json().errors[0].path).toBe('endDate');
    const c = await ok(t.as(rep, 'POST', '/api/v1/contracts', { accountId: deal.account.id, title: 'x', totalMinor: 1 }), 201);
    expect((await t.as(rep, 'PATCH', `/api/v1/contracts/${c.id}`, { signedBy: 'me' })).statusCode).toBe(422);
    expect((await t.as(rep, 'POST', `/api/v1/contracts/${c.id}/submit`, { note: 'hi' })).statusCode).toBe(422);
  });

  it("hides another team's contracts: 404 on read, edit, actions and timeline; legal sees all", async () => {
    const c = await ok(t.as(rep, 'POST', '/api/v1/contracts', { accountId: deal.account.id, title: 'Secret 保密', totalMinor: 1 }), 201);
    const calls: Array<[string, string, unknown]> = [
      ['GET', `/api/v1/contracts/${c.id}`, undefined],
      ['PATCH', `/api/v1/contracts/${c.id}`, { title: 'mine now' }],
      ['POST', `/api/v1/contracts/${c.id}/submit`, {}],
      ['POST', `/api/v1/contracts/${c.id}/terminate`, { reason: 'x' }],
      ['GET', `/api/v1/contracts/${c.id}/timeline`, undefined],
    ];
    for (const [method, url, body] of calls) {
      const r = await t.as(outsider, method as any, url, body);
      expect([method, url, r.statusCode]).toEqual([method, url, 404]);
    }
    expect((await ok(t.as(outsider, 'GET', '/api/v1/contracts'))).items.map((x: any) => x.id)).not.toContain(c.id);
    expect((await ok(t.as(legal, 'GET', `/api/v1/contracts/${c.id}`))).title).toBe('Secret 保密');
    const listed = await ok(t.as(legal, 'GET', `/api/v1/contracts?accountId=${deal.account.id}&q=${encodeURIComponent('Secret')}`));
    expect(listed.items.map((x: any) => x.id)).toEqual([c.id]);
    // A quote the outsider cannot see cannot be turned into a contract by them either.
    const q = await acceptedQuote(t, rep, manager, deal.opportunity.id, productId);
    expect((await t.as(outsider, 'POST', `/api/v1/quotes/${q.id}/contract`, {})).statusCode).toBe(404);
  });
});
