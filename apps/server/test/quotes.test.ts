import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import { expireLapsedQuotes, quoteForOrder, today } from '@openltc/core';
import { acceptedQuote, dealFor, product } from './support/quote-fixtures.ts';

const QUOTE_ACTIONS = ['submit', 'approve', 'decline', 'send', 'accept', 'reject', 'expire', 'revise'] as const;
const REASONED = new Set(['decline', 'reject']);

describe.each(DIALECTS)('catalog and quotes over HTTP (%s)', (dialect) => {
  let t: TestApp;
  let admin: TestUser;
  let rep: TestUser;
  let manager: TestUser;
  let outsider: TestUser;
  let oppId: string;
  let accountId: string;
  let server: any;

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const east = await t.team('East 华东');
    const west = await t.team('West 华西');
    admin = await t.user('admin', null, 'Admin');
    rep = await t.user('sales_rep', east, 'Li Lei');
    manager = await t.user('sales_manager', east, 'Han Meimei');
    outsider = await t.user('sales_rep', west, 'Zhang San');
    const deal = await dealFor(t, rep);
    oppId = deal.opportunity.id;
    accountId = deal.account.id;
    server = await product(t, admin, { sku: 'SRV-R740', name: 'Server 服务器 R740', listPriceMinor: 123_456, taxRate: '0.13' });
  });
  afterAll(() => t.stop());

  describe('catalog', () => {
    it('creates products, refuses a duplicate SKU and lets only catalog keepers write', async () => {
      const p = await ok(
        t.as(admin, 'POST', '/api/v1/products', { sku: 'SVC-IMPL', name: 'Implementation 实施服务', kind: 'service', unit: 'hour', listPriceMinor: 80_000, taxRate: '0.060' }),
        201,
      );
      expect(p).toMatchObject({ sku: 'SVC-IMPL', kind: 'service', currency: 'CNY', taxRate: '0.06', active: true, version: 1 });
      const dup = await t.as(admin, 'POST', '/api/v1/products', { sku: 'SVC-IMPL', name: 'Again', kind: 'service', unit: 'hour', listPriceMinor: 1, taxRate: '0.06' });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().code).toBe('sku_taken');
      const taken = await t.as(admin, 'PATCH', `/api/v1/products/${p.id}`, { sku: 'SRV-R740' });
      expect(taken.json().code).toBe('sku_taken');
      expect((await t.as(rep, 'POST', '/api/v1/products', { sku: 'X-1', name: 'x', kind: 'goods', unit: '台', listPriceMinor: 1, taxRate: '0' })).statusCode).toBe(403);
      expect((await t.as(rep, 'GET', `/api/v1/products/${p.id}`)).statusCode).toBe(200);
    });

    it('refuses bad rates, unknown kinds and unknown fields per field', async () => {
      const r = await t.as(admin, 'POST', '/api/v1/products', { sku: 'BAD 1', name: 'Bad', kind: 'rental', unit: '台', listPriceMinor: 1.5, taxRate: '13%', colour: 'red' });
      expect(r.statusCode).toBe(422);
      const paths = r.json().errors.map((e: any) => e.path);
      expect(paths).toEqual(expect.arrayContaining(['sku', 'kind', 'listPriceMinor', 'taxRate', '(root)']));
      const over = await t.as(admin, 'POST', '/api/v1/products', { sku: 'OVER', name: 'Over', kind: 'goods', unit: '台', listPriceMinor: 1, taxRate: '1.5' });
      expect(over.json().errors[0].path).toBe('taxRate');
    });

    it('lists with active, kind and q filters and sorts by price', async () => {
      const tag = Math.random().toString(36).slice(2, 7).toUpperCase();
      const a = await product(t, admin, { sku: `LST-${tag}-A`, name: `List ${tag} cheap`, listPriceMinor: 100, kind: 'digital' });
      const b = await product(t, admin, { sku: `LST-${tag}-B`, name: `List ${tag} dear`, listPriceMinor: 900, kind: 'digital' });
      const c = await product(t, admin, { sku: `LST-${tag}-C`, name: `List ${tag} old`, listPriceMinor: 500, kind: 'goods' });
      const off = await ok(t.as(admin, 'POST', `/api/v1/products/${c.id}/deactivate`, {}));
      expect(off.active).toBe(false);
      expect((await t.as(admin, 'POST', `/api/v1/products/${c.id}/deactivate`, {})).statusCode).toBe(409);

      const all = await ok(t.as(rep, 'GET', `/api/v1/products?q=${tag}&sort=-listPrice`));
      expect(all.items.map((p: any) => p.id)).toEqual([b.id, c.id, a.id]);
      const active = await ok(t.as(rep, 'GET', `/api/v1/products?q=${tag}&active=true&sort=listPrice`));
      expect(active.items.map((p: any) => p.id)).toEqual([a.id, b.id]);
      const inactive = await ok(t.as(rep, 'GET', `/api/v1/products?q=${tag}&active=false`));
      expect(inactive.items.map((p: any) => p.id)).toEqual([c.id]);
      const goods = await ok(t.as(rep, 'GET', `/api/v1/products?q=${tag}&kind=goods`));
      expect(goods.items.map((p: any) => p.id)).toEqual([c.id]);
      const bySku = await ok(t.as(rep, 'GET', `/api/v1/products?q=LST-${tag}-B`));
      expect(bySku.items.map((p: any) => p.id)).toEqual([b.id]);

      const tl = await ok(t.as(admin, 'GET', `/api/v1/products/${c.id}/timeline`));
      expect(tl.items.map((e: any) => e.action)).toEqual(['created', 'deactivate']);
    });
  });

  describe('quotes', () => {
    it('converts an opportunity into a priced quote with exact fen per line and in total', async () => {
      const r = await t.as(rep, 'POST', `/api/v1/opportunities/${oppId}/quotes`, {
        validUntil: '2099-12-31',
        lines: [
          { productId: server.id, quantity: '3', discountRate: '0.1' },
          { description: 'Implementation 实施', quantity: '1.5', unitPriceMinor: 80_000, taxRate: '0.06' },
        ],
      });
      expect(r.statusCode).toBe(201);
      expect(r.headers.etag).toBe('W/"1"');
      const q = r.json();
      expect(q.number).toMatch(new RegExp(`^QT-${today().slice(0, 4)}-\\d{6}$`));
      expect(q).toMatchObject({ versionNo: 1, status: 'draft', opportunityId: oppId, accountId, ownerId: rep.id, teamId: rep.teamId, currency: 'CNY' });
      // 3 × 123456 × 0.9 = 333331.2 → 333331; VAT 13 % = 43333.03 → 43333
      expect(q.lines[0]).toMatchObject({ lineNo: 1, description: 'Server 服务器 R740', quantity: '3', qtyMilli: 3000, unitPriceMinor: 123_456, discountRate: '0.1', taxRate: '0.13', netMinor: 333_331, taxMinor: 43_333, totalMinor: 376_664 });
      // 1.5 × 80000 = 120000; VAT 6 % = 7200
      expect(q.lines[1]).toMatchObject({ lineNo: 2, productId: null, quantity: '1.5', qtyMilli: 1500, netMinor: 120_000, taxMinor: 7_200, totalMinor: 127_200 });
      expect([q.netMinor, q.taxMinor, q.totalMinor]).toEqual([453_331, 50_533, 503_864]);
      expect(q.allowedActions).toEqual(['submit', 'revise']);
      const got = await ok(t.as(rep, 'GET', `/api/v1/quotes/${q.id}`));
      expect(got.lines).toHaveLength(2);
      expect(got.totalMinor).toBe(503_864);
    });

    it('numbers quotes one after another and defaults validity to 30 days ahead', async () => {
      const a = await ok(t.as(rep, 'POST', '/api/v1/quotes', { opportunityId: oppId, lines: [] }), 201);
      const b = await ok(t.as(rep, 'POST', '/api/v1/quotes', { opportunityId: oppId }), 201);
      expect(Number(b.number.slice(-6))).toBe(Number(a.number.slice(-6)) + 1);
      expect(a.validUntil > today()).toBe(true);
      expect(a.lines).toEqual([]);
    });

    it('refuses a product in another currency, an inactive product and a past validity as field errors', async () => {
      const before = await ok(t.as(rep, 'GET', `/api/v1/quotes?opportunityId=${oppId}&limit=200`));
      const usd = await product(t, admin, { currency: 'USD' });
      const r = await t.as(rep, 'POST', '/api/v1/quotes', { opportunityId: oppId, lines: [{ productId: server.id, quantity: '1' }, { productId: usd.id, quantity: '1' }] });
      expect(r.statusCode).toBe(422);
      expect(r.json().errors[0]).toMatchObject({ path: 'lines.1.productId', code: 'currency_mismatch' });
      const old = await product(t, admin, { active: false });
      const r2 = await t.as(rep, 'POST', '/api/v1/quotes', { opportunityId: oppId, lines: [{ productId: old.id, quantity: '1' }] });
      expect(r2.json().errors[0]).toMatchObject({ path: 'lines.0.productId', code: 'inactive' });
      const r3 = await t.as(rep, 'POST', '/api/v1/quotes', { opportunityId: oppId, validUntil: '2020-01-01' });
      expect(r3.json().errors[0].path).toBe('validUntil');
      // Refused requests leave nothing behind: no quote and no number used up.
      const after = await ok(t.as(rep, 'GET', `/api/v1/quotes?opportunityId=${oppId}&limit=200`));
      expect(after.items).toHaveLength(before.items.length);
      const next = await ok(t.as(rep, 'POST', '/api/v1/quotes', { opportunityId: oppId }), 201);
      expect(Number(next.number.slice(-6))).toBe(Math.max(...before.items.map((q: any) => Number(q.number.slice(-6)))) + 1);
    });

    it('rejects unknown fields in the quote, its lines and its edits (422)', async () => {
      const a = await t.as(rep, 'POST', '/api/v1/quotes', { opportunityId: oppId, discount: '0.5' });
      expect(a.statusCode).toBe(422);
      expect(a.json().errors[0].message).toContain('discount');
      const b = await t.as(rep, 'POST', '/api/v1/quotes', { opportunityId: oppId, lines: [{ productId: server.id, quantity: '1', totalMinor: 1 }] });
      expect(b.statusCode).toBe(422);
      expect(b.json().errors[0].path).toBe('lines.0');
      const c = await t.as(rep, 'POST', '/api/v1/quotes', { opportunityId: oppId, lines: [{ productId: server.id, quantity: 2 }] });
      expect(c.json().errors[0].path).toBe('lines.0.quantity');
      const q = await ok(t.as(rep, 'POST', '/api/v1/quotes', { opportunityId: oppId }), 201);
      const d = await t.as(rep, 'PATCH', `/api/v1/quotes/${q.id}`, { status: 'approved' });
      expect(d.statusCode).toBe(422);
      const e = await t.as(rep, 'POST', `/api/v1/quotes/${q.id}/submit`, { force: true });
      expect(e.statusCode).toBe(422);
    });

    it('edits a draft by replacing its lines, honours If-Match, records one event, and freezes after submit', async () => {
      const q = await ok(t.as(rep, 'POST', '/api/v1/quotes', { opportunityId: oppId, lines: [{ productId: server.id, quantity: '1' }] }), 201);
      expect(q.totalMinor).toBe(123_456 + 16_049); // 16049.28 → 16049
      const edited = await t.as(rep, 'PATCH', `/api/v1/quotes/${q.id}`, { notes: '含三年维保', lines: [{ productId: server.id, quantity: '0.5', unitPriceMinor: 99_999 }] }, { 'if-match': 'W/"1"' });
      expect(edited.statusCode).toBe(200);
      expect(edited.headers.etag).toBe('W/"2"');
      const e = edited.json();
      // 0.5 × 99999 = 49999.5 → 50000; 13 % = 6500
      expect(e.lines).toHaveLength(1);
      expect(e.lines[0]).toMatchObject({ quantity: '0.5', qtyMilli: 500, netMinor: 50_000, taxMinor: 6_500, totalMinor: 56_500 });
      expect([e.netMinor, e.taxMinor, e.totalMinor, e.notes]).toEqual([50_000, 6_500, 56_500, '含三年维保']);
      const stale = await t.as(rep, 'PATCH', `/api/v1/quotes/${q.id}`, { notes: 'late' }, { 'if-match': 'W/"1"' });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().code).toBe('version_conflict');

      const tl = await ok(t.as(rep, 'GET', `/api/v1/quotes/${q.id}/timeline`));
      expect(tl.items.map((x: any) => x.action)).toEqual(['created', 'updated']);
      expect(tl.items[1]).toMatchObject({ actorId: rep.id, before: { totalMinor: 139_505 }, after: { totalMinor: 56_500, notes: '含三年维保' } });

      await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/submit`, {}));
      const frozen = await t.as(rep, 'PATCH', `/api/v1/quotes/${q.id}`, { notes: 'after submit' });
      expect(frozen.statusCode).toBe(409);
      expect(frozen.json()).toMatchObject({ code: 'quote_not_draft', allowedActions: ['approve', 'decline', 'revise'] });
    });

    it('refuses to submit a quote without lines', async () => {
      const q = await ok(t.as(rep, 'POST', '/api/v1/quotes', { opportunityId: oppId }), 201);
      const r = await t.as(rep, 'POST', `/api/v1/quotes/${q.id}/submit`, {});
      expect(r.statusCode).toBe(409);
      expect(r.json().code).toBe('quote_empty');
      expect((await ok(t.as(rep, 'GET', `/api/v1/quotes/${q.id}`))).status).toBe('draft');
    });

    it('goes draft → submitted → approved → sent → accepted, with approval reserved to managers, all on the timeline', async () => {
      const q = await ok(t.as(rep, 'POST', `/api/v1/opportunities/${oppId}/quotes`, { lines: [{ productId: server.id, quantity: '1' }] }), 201);
      expect((await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/submit`, {}))).status).toBe('submitted');
      const denied = await t.as(rep, 'POST', `/api/v1/quotes/${q.id}/approve`, {});
      expect(denied.statusCode).toBe(403);
      expect(denied.json().code).toBe('forbidden');
      expect((await t.as(rep, 'POST', `/api/v1/quotes/${q.id}/decline`, { reason: 'self' })).statusCode).toBe(403);
      expect((await ok(t.as(manager, 'POST', `/api/v1/quotes/${q.id}/approve`, {}))).status).toBe('approved');
      expect((await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/send`, {}))).status).toBe('sent');
      const acc = await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/accept`, {}));
      expect(acc.status).toBe('accepted');
      expect(acc.allowedActions).toEqual([]);
      // Accepting leaves the opportunity alone: winning it is the seller's own step.
      expect((await ok(t.as(rep, 'GET', `/api/v1/opportunities/${oppId}`))).status).toBe('open');

      const tl = await ok(t.as(rep, 'GET', `/api/v1/quotes/${q.id}/timeline`));
      expect(tl.items.map((e: any) => [e.action, e.actorId])).toEqual([
        ['created', rep.id],
        ['submit', rep.id],
        ['approve', manager.id],
        ['send', rep.id],
        ['accept', rep.id],
      ]);
      expect(tl.items[2]).toMatchObject({ before: { status: 'submitted' }, after: { status: 'approved' } });

      const forOrder = await quoteForOrder(t.sys, q.id);
      expect(forOrder.quote.status).toBe('accepted');
      expect(forOrder.lines.map((l) => l.totalMinor)).toEqual([acc.lines[0].totalMinor]);
    });

    it('declines back to draft and rejects with a reason', async () => {
      const q = await ok(t.as(rep, 'POST', '/api/v1/quotes', { opportunityId: oppId, lines: [{ productId: server.id, quantity: '1' }] }), 201);
      await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/submit`, {}));
      expect((await t.as(manager, 'POST', `/api/v1/quotes/${q.id}/decline`, {})).statusCode).toBe(422);
      const declined = await ok(t.as(manager, 'POST', `/api/v1/quotes/${q.id}/decline`, { reason: '折扣超出权限' }));
      expect(declined).toMatchObject({ status: 'draft', declineReason: '折扣超出权限' });
      await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/submit`, {}));
      await ok(t.as(manager, 'POST', `/api/v1/quotes/${q.id}/approve`, {}));
      await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/send`, {}));
      const noReason = await t.as(rep, 'POST', `/api/v1/quotes/${q.id}/reject`, { reason: '  ' });
      expect(noReason.statusCode).toBe(422);
      expect(noReason.json().errors[0].path).toBe('reason');
      const rejected = await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/reject`, { reason: 'Price too high 价格太高' }));
      expect(rejected).toMatchObject({ status: 'rejected', rejectReason: 'Price too high 价格太高', allowedActions: ['revise'] });
      await expect(quoteForOrder(t.sys, q.id)).rejects.toMatchObject({ status: 409, code: 'quote_not_accepted' });
    });

    it('answers every illegal transition with 409 invalid_transition and the allowed actions', async () => {
      const expectIllegal = async (id: string, allowed: string[], except: readonly string[]) => {
        for (const action of QUOTE_ACTIONS.filter((a) => !except.includes(a))) {
          const r = await t.as(admin, 'POST', `/api/v1/quotes/${id}/${action}`, REASONED.has(action) ? { reason: 'test' } : {});
          expect([action, r.statusCode]).toEqual([action, 409]);
          expect(r.json()).toMatchObject({ code: 'invalid_transition', allowedActions: allowed, currentState: expect.any(String) });
        }
      };
      const q = await ok(t.as(rep, 'POST', '/api/v1/quotes', { opportunityId: oppId, lines: [{ productId: server.id, quantity: '1' }] }), 201);
      await expectIllegal(q.id, ['submit', 'revise'], ['submit', 'revise']);
      await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/submit`, {}));
      await expectIllegal(q.id, ['approve', 'decline', 'revise'], ['approve', 'decline', 'revise']);
      await ok(t.as(manager, 'POST', `/api/v1/quotes/${q.id}/approve`, {}));
      await expectIllegal(q.id, ['send', 'expire', 'revise'], ['send', 'expire', 'revise']);
      await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/send`, {}));
      await expectIllegal(q.id, ['accept', 'reject', 'expire', 'revise'], ['accept', 'reject', 'expire', 'revise']);
      await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/accept`, {}));
      await expectIllegal(q.id, [], []);
    });

    it('revises into the next version under the same number and supersedes the old one', async () => {
      const v1 = await ok(t.as(rep, 'POST', '/api/v1/quotes', { opportunityId: oppId, lines: [{ productId: server.id, quantity: '3', discountRate: '0.1' }] }), 201);
      await ok(t.as(rep, 'POST', `/api/v1/quotes/${v1.id}/submit`, {}));
      await ok(t.as(manager, 'POST', `/api/v1/quotes/${v1.id}/approve`, {}));
      await ok(t.as(rep, 'POST', `/api/v1/quotes/${v1.id}/send`, {}));
      await ok(t.as(rep, 'POST', `/api/v1/quotes/${v1.id}/reject`, { reason: '要求更大折扣' }));

      const v2 = await ok(t.as(rep, 'POST', `/api/v1/quotes/${v1.id}/revise`, {}), 201);
      expect(v2.id).not.toBe(v1.id);
      expect(v2).toMatchObject({ number: v1.number, versionNo: 2, status: 'draft', rejectReason: null, totalMinor: v1.totalMinor, ownerId: rep.id });
      expect(v2.lines.map((l: any) => [l.productId, l.quantity, l.discountRate, l.totalMinor])).toEqual([[server.id, '3', '0.1', 376_664]]);
      expect(v2.lines[0].id).not.toBe(v1.lines[0].id);
      const old = await ok(t.as(rep, 'GET', `/api/v1/quotes/${v1.id}`));
      expect(old).toMatchObject({ status: 'superseded', supersededById: v2.id, rejectReason: '要求更大折扣', allowedActions: [] });
      expect(old.lines).toHaveLength(1);

      const again = await t.as(rep, 'POST', `/api/v1/quotes/${v1.id}/revise`, {});
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ code: 'invalid_transition', allowedActions: [] });

      await ok(t.as(rep, 'PATCH', `/api/v1/quotes/${v2.id}`, { lines: [{ productId: server.id, quantity: '3', discountRate: '0.15' }] }));
      const v3 = await ok(t.as(rep, 'POST', `/api/v1/quotes/${v2.id}/revise`, {}), 201);
      expect(v3.versionNo).toBe(3);
      expect(v3.lines[0].discountRate).toBe('0.15');

      const versions = await ok(t.as(rep, 'GET', `/api/v1/quotes/${v3.id}/versions`));
      expect(versions.items.map((v: any) => [v.versionNo, v.status, v.id])).toEqual([
        [1, 'superseded', v1.id],
        [2, 'superseded', v2.id],
        [3, 'draft', v3.id],
      ]);
      const byNumber = await ok(t.as(rep, 'GET', `/api/v1/quotes?number=${v1.number}`));
      expect(byNumber.items).toHaveLength(3);
      const tl = await ok(t.as(rep, 'GET', `/api/v1/quotes/${v1.id}/timeline`));
      expect(tl.items.map((e: any) => e.action)).toEqual(['created', 'submit', 'approve', 'send', 'reject', 'revise']);
      expect(tl.items[5].after).toEqual({ status: 'superseded', supersededById: v2.id });
    });

    it('opens exactly one next version when two revisions race', async () => {
      const q = await ok(t.as(rep, 'POST', '/api/v1/quotes', { opportunityId: oppId, lines: [{ productId: server.id, quantity: '1' }] }), 201);
      const results = await Promise.all([1, 2, 3].map(() => t.as(rep, 'POST', `/api/v1/quotes/${q.id}/revise`, {})));
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
      const versions = await ok(t.as(rep, 'GET', `/api/v1/quotes/${q.id}/versions`));
      expect(versions.items.map((v: any) => [v.versionNo, v.status])).toEqual([
        [1, 'superseded'],
        [2, 'draft'],
      ]);
    });

    it('refuses to send or accept a quote whose validity has passed, and expires it', async () => {
      const q = await ok(t.as(rep, 'POST', '/api/v1/quotes', { opportunityId: oppId, lines: [{ productId: server.id, quantity: '1' }] }), 201);
      await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/submit`, {}));
      await ok(t.as(manager, 'POST', `/api/v1/quotes/${q.id}/approve`, {}));
      await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/send`, {}));
      // The customer answers late: the offer ran out yesterday.
      await t.handle.db.updateTable('quotes').set({ validUntil: '2021-06-30' }).where('id', '=', q.id).execute();
      const late = await t.as(rep, 'POST', `/api/v1/quotes/${q.id}/accept`, {});
      expect(late.statusCode).toBe(409);
      expect(late.json()).toMatchObject({ code: 'quote_expired', validUntil: '2021-06-30' });
      expect((await ok(t.as(rep, 'GET', `/api/v1/quotes/${q.id}`))).status).toBe('sent');
      const expired = await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/expire`, {}));
      expect(expired).toMatchObject({ status: 'expired', allowedActions: ['revise'] });
      // The next version starts with a fresh validity.
      const v2 = await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/revise`, {}), 201);
      expect(v2.validUntil > today()).toBe(true);
    });

    it('expires lapsed approved and sent quotes in a sweep, leaving current ones alone', async () => {
      const make = async (steps: string[]) => {
        const q = await ok(t.as(rep, 'POST', '/api/v1/quotes', { opportunityId: oppId, lines: [{ productId: server.id, quantity: '1' }] }), 201);
        for (const s of steps) await ok(t.as(s === 'approve' ? manager : rep, 'POST', `/api/v1/quotes/${q.id}/${s}`, {}));
        return q.id as string;
      };
      const approved = await make(['submit', 'approve']);
      const sent = await make(['submit', 'approve', 'send']);
      const current = await make(['submit', 'approve', 'send']);
      const draft = await make([]);
      await t.handle.db.updateTable('quotes').set({ validUntil: '2021-06-30' }).where('id', 'in', [approved, sent, draft]).execute();
      const expired = await expireLapsedQuotes(t.sys);
      expect(expired.sort()).toEqual([approved, sent].sort());
      const status = async (id: string) => (await ok(t.as(rep, 'GET', `/api/v1/quotes/${id}`))).status;
      expect([await status(approved), await status(sent), await status(current), await status(draft)]).toEqual(['expired', 'expired', 'sent', 'draft']);
      const tl = await ok(t.as(rep, 'GET', `/api/v1/quotes/${sent}/timeline`));
      expect(tl.items.at(-1)).toMatchObject({ action: 'expire', actorId: 'system', after: { status: 'expired' } });
      expect(await expireLapsedQuotes(t.sys)).toEqual([]);
    });

    it('describes every quote, product and contract endpoint in the OpenAPI document', async () => {
      const doc = await ok(t.as(null, 'GET', '/api/openapi.json'));
      for (const a of ['submit', 'approve', 'decline', 'send', 'accept', 'reject', 'expire', 'revise', 'contract'])
        expect(doc.paths[`/api/v1/quotes/{id}/${a}`]?.post, a).toBeDefined();
      const create = doc.paths['/api/v1/quotes'].post.requestBody.content['application/json'].schema;
      expect(create.required).toContain('opportunityId');
      expect(create.additionalProperties).toBe(false);
      expect(doc.paths['/api/v1/quotes/{id}/reject'].post.requestBody.content['application/json'].schema.required).toEqual(['reason']);
      expect(doc.paths['/api/v1/opportunities/{id}/quotes'].post).toBeDefined();
      expect(doc.paths['/api/v1/products'].get.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['active', 'kind', 'q', 'sort']));
      expect(doc.paths['/api/v1/contracts/{id}/sign'].post.requestBody.content['application/json'].schema.required).toEqual(['signedBy']);
    });

    it("hides another team's quotes: 404 on read, edit, actions, versions and timeline", async () => {
      const q = await ok(t.as(rep, 'POST', '/api/v1/quotes', { opportunityId: oppId, lines: [{ productId: server.id, quantity: '1' }] }), 201);
      const calls: Array<[string, string, unknown]> = [
        ['GET', `/api/v1/quotes/${q.id}`, undefined],
        ['PATCH', `/api/v1/quotes/${q.id}`, { notes: 'x' }],
        ['POST', `/api/v1/quotes/${q.id}/submit`, {}],
        ['POST', `/api/v1/quotes/${q.id}/revise`, {}],
        ['GET', `/api/v1/quotes/${q.id}/versions`, undefined],
        ['GET', `/api/v1/quotes/${q.id}/timeline`, undefined],
      ];
      for (const [method, url, body] of calls) {
        const r = await t.as(outsider, method as any, url, body);
        expect([method, url, r.statusCode]).toEqual([method, url, 404]);
        expect(r.json().code).toBe('not_found');
      }
      const list = await ok(t.as(outsider, 'GET', '/api/v1/quotes'));
      expect(list.items.map((x: any) => x.id)).not.toContain(q.id);
      // The opportunity in the URL is the addressed resource (404); in a body it is a reference (422).
      const viaOpp = await t.as(outsider, 'POST', `/api/v1/opportunities/${oppId}/quotes`, {});
      expect(viaOpp.statusCode).toBe(404);
      const viaBody = await t.as(outsider, 'POST', '/api/v1/quotes', { opportunityId: oppId });
      expect(viaBody.statusCode).toBe(422);
      expect(viaBody.json().errors[0]).toMatchObject({ path: 'opportunityId', code: 'unknown_reference' });
      expect((await ok(t.as(rep, 'GET', `/api/v1/quotes/${q.id}`))).status).toBe('draft');
    });

    it('takes no new quote for a lost opportunity', async () => {
      const deal = await dealFor(t, rep, '北京远航贸易有限公司');
      await ok(t.as(rep, 'POST', `/api/v1/opportunities/${deal.opportunity.id}/lose`, { reason: 'budget' }));
      const r = await t.as(rep, 'POST', `/api/v1/opportunities/${deal.opportunity.id}/quotes`, {});
      expect(r.statusCode).toBe(409);
      expect(r.json().code).toBe('opportunity_closed');
    });

    it('builds an order input only from an accepted quote', async () => {
      const q = await acceptedQuote(t, rep, manager, oppId, server.id);
      const { quote, lines } = await quoteForOrder(t.sys, q.id);
      expect([quote.id, quote.status, lines.length, lines[0]!.qtyMilli]).toEqual([q.id, 'accepted', 1, 2000]);
    });
  });
});
