import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import { dealFor } from './support/quote-fixtures.ts';

/** Settings over HTTP: pipelines and stage gates, number series, saved views — on both databases. */
describe.each(DIALECTS)('settings (%s)', (dialect) => {
  let t: TestApp;
  let admin: TestUser, rep: TestUser, teammate: TestUser, outsider: TestUser, manager: TestUser, ops: TestUser, fin: TestUser;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const east = await t.team('East 华东');
    const west = await t.team('West 华西');
    admin = await t.user('admin', null, 'Admin');
    rep = await t.user('sales_rep', east, 'Rep Li');
    teammate = await t.user('sales_rep', east, 'Rep Wang');
    manager = await t.user('sales_manager', east, 'Manager Zhou');
    outsider = await t.user('sales_rep', west, 'Rep Wu');
    ops = await t.user('operations', null, 'Ops Zhao');
    fin = await t.user('finance', null, 'Fin Qian');
  });
  afterAll(() => t.stop());

  const events = async (entityType: string, entityId: string) =>
    t.handle.db.selectFrom('events').select(['action', 'before', 'after']).where('entityType', '=', entityType).where('entityId', '=', entityId).orderBy('id').execute();

  describe('pipelines and stages', () => {
    it('lets only administrators change pipelines', async () => {
      for (const u of [rep, manager, fin]) {
        const r = await t.as(u, 'POST', '/api/v1/pipelines', { name: 'Mine' });
        expect(r.statusCode, u.id).toBe(403);
      }
      const [p] = await ok(t.as(rep, 'GET', '/api/v1/pipelines'));
      expect((await t.as(rep, 'PATCH', `/api/v1/pipelines/${p.id}`, { name: 'x' })).statusCode).toBe(403);
      expect((await t.as(rep, 'GET', `/api/v1/pipelines/${p.id}`)).statusCode).toBe(403);
      expect((await t.as(rep, 'PUT', `/api/v1/pipelines/${p.id}/stage-order`, { stageIds: p.stages.map((s: any) => s.id) })).statusCode).toBe(403);
    });

    it('creates a second pipeline with the standard stages, renames it with If-Match, makes it default and back', async () => {
      const p = await ok(t.as(admin, 'POST', '/api/v1/pipelines', { name: 'Renewals 续约' }), 201);
      expect(p).toMatchObject({ name: 'Renewals 续约', isDefault: false, active: true, version: 1 });
      expect(p.stages.map((s: any) => s.kind)).toEqual(['open', 'open', 'open', 'open', 'won', 'lost']);
      const get = await t.as(admin, 'GET', `/api/v1/pipelines/${p.id}`);
      expect(get.headers.etag).toBe('W/"1"');
      const renamed = await ok(t.as(admin, 'PATCH', `/api/v1/pipelines/${p.id}`, { name: 'Renewals 续约流程' }, { 'if-match': 'W/"1"' }));
      expect(renamed).toMatchObject({ name: 'Renewals 续约流程', version: 2 });
      const stale = await t.as(admin, 'PATCH', `/api/v1/pipelines/${p.id}`, { name: 'Stale' }, { 'if-match': 'W/"1"' });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().code).toBe('version_conflict');

      const made = await ok(t.as(admin, 'PATCH', `/api/v1/pipelines/${p.id}`, { isDefault: true }));
      expect(made.isDefault).toBe(true);
      const all = await ok(t.as(rep, 'GET', '/api/v1/pipelines'));
      expect(all.filter((x: any) => x.isDefault).map((x: any) => x.id)).toEqual([p.id]);
      // The default pipeline cannot be deactivated.
      const off = await t.as(admin, 'PATCH', `/api/v1/pipelines/${p.id}`, { active: false });
      expect(off.statusCode).toBe(409);
      expect(off.json().code).toBe('pipeline_is_default');
      const std = all.find((x: any) => x.id !== p.id);
      await ok(t.as(admin, 'PATCH', `/api/v1/pipelines/${std.id}`, { isDefault: true }));
      const deactivated = await ok(t.as(admin, 'PATCH', `/api/v1/pipelines/${p.id}`, { active: false }));
      expect(deactivated).toMatchObject({ active: false, isDefault: false });
      // No new opportunity in an inactive pipeline.
      const { account } = await dealFor(t, rep, '停用流程客户');
      const r = await t.as(rep, 'POST', '/api/v1/opportunities', { name: 'x', accountId: account.id, amountMinor: 1, pipelineId: p.id });
      expect(r.statusCode).toBe(422);
      expect(r.json().errors[0]).toMatchObject({ path: 'pipelineId', code: 'pipeline_inactive' });
      expect((await events('pipeline', p.id)).map((e) => e.action)).toEqual(['created', 'updated', 'updated', 'updated']);
    });

    it('refuses a pipeline without exactly one won and one lost stage', async () => {
      const r = await t.as(admin, 'POST', '/api/v1/pipelines', {
        name: 'Broken',
        stages: [
          { name: 'A', probability: 10 },
          { name: 'W', probability: 100, kind: 'won' },
          { name: 'W2', probability: 100, kind: 'won' },
        ],
      });
      expect(r.statusCode).toBe(422);
      expect(r.json().errors.map((e: any) => e.code).sort()).toEqual(['one_lost_stage', 'one_won_stage']);
    });

    it('adds, edits and reorders stages; the stage gate answers 422 naming the empty fields', async () => {
      const p = await ok(
        t.as(admin, 'POST', '/api/v1/pipelines', {
          name: 'Projects 项目型',
          stages: [
            { name: 'Lead-in 初步接触', probability: 10 },
            { name: 'Proposal 方案', probability: 40 },
            { name: 'Won 赢单', probability: 100, kind: 'won' },
            { name: 'Lost 输单', probability: 0, kind: 'lost' },
          ],
        }),
        201,
      );
      // A new open stage goes after the last open stage by default.
      const added = await ok(t.as(admin, 'POST', `/api/v1/pipelines/${p.id}/stages`, { name: 'Negotiation 谈判', probability: 70, requiredFields: ['contactId', 'expectedCloseDate'] }), 201);
      expect(added.stages.map((s: any) => s.name)).toEqual(['Lead-in 初步接触', 'Proposal 方案', 'Negotiation 谈判', 'Won 赢单', 'Lost 输单']);
      expect(added.stages.map((s: any) => s.sortOrder)).toEqual([1, 2, 3, 4, 5]);
      const neg = added.stages[2];
      expect(neg.requiredFields).toEqual(['contactId', 'expectedCloseDate']);
      const second = await t.as(admin, 'POST', `/api/v1/pipelines/${p.id}/stages`, { name: 'Won again', probability: 100, kind: 'won' });
      expect(second.statusCode).toBe(409);
      expect(second.json().code).toBe('stage_kind_taken');

      // Reorder: Proposal first. Every stage must be listed once.
      const ids = added.stages.map((s: any) => s.id);
      const bad = await t.as(admin, 'PUT', `/api/v1/pipelines/${p.id}/stage-order`, { stageIds: ids.slice(1) });
      expect(bad.statusCode).toBe(422);
      expect(bad.json().errors[0].code).toBe('not_a_permutation');
      const reordered = await ok(t.as(admin, 'PUT', `/api/v1/pipelines/${p.id}/stage-order`, { stageIds: [ids[1], ids[0], ids[2], ids[3], ids[4]] }));
      expect(reordered.stages.map((s: any) => s.name)).toEqual(['Proposal 方案', 'Lead-in 初步接触', 'Negotiation 谈判', 'Won 赢单', 'Lost 输单']);

      // Gate on the won stage too: a deal is won only with an amount.
      await ok(t.as(admin, 'PATCH', `/api/v1/pipelines/${p.id}/stages/${ids[3]}`, { requiredFields: ['amountMinor'], probability: 100 }));

      // A new deal starts in the first open stage (Proposal now), which has no gate.
      const { account } = await dealFor(t, rep, '门控客户 Gate Co');
      const opp = await ok(t.as(rep, 'POST', '/api/v1/opportunities', { name: 'Gate deal', accountId: account.id, amountMinor: 0, pipelineId: p.id }), 201);
      expect(opp.stageId).toBe(ids[1]);
      const gate = await t.as(rep, 'PATCH', `/api/v1/opportunities/${opp.id}`, { stageId: neg.id });
      expect(gate.statusCode).toBe(422);
      const problem = gate.json();
      expect(problem.code).toBe('stage_requirements');
      expect(problem.detail).toContain('contactId, expectedCloseDate');
      expect(problem.errors.map((e: any) => [e.path, e.code])).toEqual([
        ['contactId', 'required_by_stage'],
        ['expectedCloseDate', 'required_by_stage'],
      ]);
      expect((await ok(t.as(rep, 'GET', `/api/v1/opportunities/${opp.id}`))).stageId).toBe(ids[1]);
      // Filling the fields in the same edit passes the gate.
      const contact = await ok(t.as(rep, 'POST', '/api/v1/contacts', { accountId: account.id, name: '赵敏' }), 201);
      const moved = await ok(t.as(rep, 'PATCH', `/api/v1/opportunities/${opp.id}`, { stageId: neg.id, contactId: contact.id, expectedCloseDate: '2026-12-31' }));
      expect(moved).toMatchObject({ stageId: neg.id, probability: 70 });
      // Winning needs the amount (zero is empty).
      const win = await t.as(rep, 'POST', `/api/v1/opportunities/${opp.id}/win`, {});
      expect(win.statusCode).toBe(422);
      expect(win.json().errors.map((e: any) => e.path)).toEqual(['amountMinor']);
      await ok(t.as(rep, 'PATCH', `/api/v1/opportunities/${opp.id}`, { amountMinor: 8_800_000 }));
      expect((await ok(t.as(rep, 'POST', `/api/v1/opportunities/${opp.id}/win`, {}))).status).toBe('won');
    });

    it('never deletes a stage with opportunities: deactivate it, or move its deals first', async () => {
      const p = await ok(t.as(admin, 'POST', '/api/v1/pipelines', { name: 'Channel 渠道' }), 201);
      const [first, second, third] = p.stages;
      const { account } = await dealFor(t, rep, '渠道客户 Channel Co');
      const opp = await ok(t.as(rep, 'POST', '/api/v1/opportunities', { name: 'Channel deal', accountId: account.id, amountMinor: 100, pipelineId: p.id, stageId: second.id }), 201);

      const del = await t.as(admin, 'DELETE', `/api/v1/pipelines/${p.id}/stages/${second.id}`);
      expect(del.statusCode).toBe(409);
      expect(del.json()).toMatchObject({ code: 'stage_in_use', opportunityCount: 1 });
      expect((await ok(t.as(admin, 'GET', `/api/v1/pipelines/${p.id}`))).stages[1]).toMatchObject({ id: second.id, opportunityCount: 1 });

      // Deactivated: the deal stays where it is, nobody can move a deal into it.
      const off = await ok(t.as(admin, 'PATCH', `/api/v1/pipelines/${p.id}/stages/${second.id}`, { active: false }));
      expect(off.stages[1].active).toBe(false);
      expect((await ok(t.as(rep, 'GET', `/api/v1/opportunities/${opp.id}`))).stageId).toBe(second.id);
      await ok(t.as(rep, 'PATCH', `/api/v1/opportunities/${opp.id}`, { stageId: third.id }));
      const back = await t.as(rep, 'PATCH', `/api/v1/opportunities/${opp.id}`, { stageId: second.id });
      expect(back.statusCode).toBe(422);
      expect(back.json().errors[0].code).toBe('stage_inactive');
      // Won and lost stages stay.
      const won = p.stages.find((s: any) => s.kind === 'won');
      expect((await t.as(admin, 'PATCH', `/api/v1/pipelines/${p.id}/stages/${won.id}`, { active: false })).json().code).toBe('stage_required');
      expect((await t.as(admin, 'DELETE', `/api/v1/pipelines/${p.id}/stages/${won.id}`)).json().code).toBe('stage_required');

      // Moving the deals lets the stage go; the deal keeps its history.
      const moved = await ok(t.as(admin, 'DELETE', `/api/v1/pipelines/${p.id}/stages/${third.id}?moveTo=${first.id}`));
      expect(moved.stages.map((s: any) => s.id)).not.toContain(third.id);
      expect(moved.stages.map((s: any) => s.sortOrder)).toEqual([1, 2, 3, 4, 5]);
      const after = await ok(t.as(rep, 'GET', `/api/v1/opportunities/${opp.id}`));
      expect(after.stageId).toBe(first.id);
      expect((await events('opportunity', opp.id)).at(-1)).toMatchObject({ action: 'stage_moved' });
      // An empty stage is simply deleted.
      const gone = await ok(t.as(admin, 'DELETE', `/api/v1/pipelines/${p.id}/stages/${p.stages[3].id}`));
      expect(gone.stages).toHaveLength(4);
    });
  });

  describe('number series', () => {
    const year = new Date().toISOString().slice(0, 4);
    async function issuedInvoice() {
      const { account } = await dealFor(t, rep, `编号客户 ${Math.random().toString(36).slice(2, 6)}`);
      const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId: account.id, lines: [{ description: '服务', quantity: '1', unitPriceMinor: 10_000, taxRate: '0.06' }] }), 201);
      await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
      const inv = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, {}), 201);
      return ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/issue`, {}));
    }

    it('lists every series per legal entity with its format and next number, to administrators only', async () => {
      expect((await t.as(fin, 'GET', '/api/v1/number-series')).statusCode).toBe(403);
      const { items } = await ok(t.as(admin, 'GET', '/api/v1/number-series'));
      const keys = new Set(items.map((s: any) => s.key));
      for (const k of ['quote', 'contract', 'order', 'delivery', 'invoice', 'credit_note', 'payment', 'refund']) expect(keys.has(k), k).toBe(true);
      const inv = items.find((s: any) => s.key === 'invoice');
      expect(inv).toMatchObject({ prefix: 'INV', datePart: 'YYYY', padding: 6, gapFree: true, period: year });
      expect(inv.legalEntityId).toBe(inv.scope);
      expect(inv.nextNumber).toBe(`INV-${year}-${String(inv.nextValue).padStart(6, '0')}`);
    });

    it('changes the format of future invoice numbers; issued numbers stay; the counter never goes back', async () => {
      const first = await issuedInvoice();
      expect(first.number).toMatch(new RegExp(`^INV-${year}-\\d{6}$`));
      const { items } = await ok(t.as(admin, 'GET', '/api/v1/number-series'));
      const inv = items.find((s: any) => s.key === 'invoice');
      expect(inv.issued).toBeGreaterThanOrEqual(1);

      expect((await t.as(fin, 'PATCH', `/api/v1/number-series/invoice/${inv.scope}`, { prefix: 'FP' })).statusCode).toBe(403);
      const bad = await t.as(admin, 'PATCH', `/api/v1/number-series/invoice/${inv.scope}`, { prefix: 'fp-1' });
      expect(bad.statusCode).toBe(422);
      const changed = await ok(t.as(admin, 'PATCH', `/api/v1/number-series/invoice/${inv.scope}`, { prefix: 'FP', datePart: 'YYYYMM', padding: 5 }));
      const month = new Date().toISOString().slice(0, 7).replace('-', '');
      expect(changed).toMatchObject({ prefix: 'FP', datePart: 'YYYYMM', padding: 5, period: month, version: 1 });
      const second = await issuedInvoice();
      expect(second.number).toBe(changed.nextNumber);
      expect(second.number).toMatch(new RegExp(`^FP-${month}-\\d{5}$`));
      expect((await ok(t.as(fin, 'GET', `/api/v1/invoices/${first.id}`))).number).toBe(first.number);

      // Below what is issued: refused. A gap-free series cannot jump either once it has issued numbers.
      const low = await t.as(admin, 'PATCH', `/api/v1/number-series/invoice/${inv.scope}`, { nextValue: 1 });
      expect(low.statusCode).toBe(422);
      expect(low.json().errors[0]).toMatchObject({ path: 'nextValue', code: 'counter_below_issued' });
      const jump = await t.as(admin, 'PATCH', `/api/v1/number-series/invoice/${inv.scope}`, { nextValue: 500 });
      expect(jump.statusCode).toBe(409);
      expect(jump.json().code).toBe('gap_free_series');
      // Stale version.
      const stale = await t.as(admin, 'PATCH', `/api/v1/number-series/invoice/${inv.scope}`, { padding: 6 }, { 'if-match': 'W/"0"' });
      expect(stale.statusCode).toBe(409);
      const ev = await events('number_series', `invoice:${inv.scope}`);
      expect(ev.map((e) => e.action)).toEqual(['updated']);
      expect(JSON.parse(ev[0]!.after!)).toMatchObject({ prefix: 'FP', datePart: 'YYYYMM', padding: 5 });
    });

    it('moves the counter of a series that may have gaps forward, never back', async () => {
      const { items } = await ok(t.as(admin, 'GET', '/api/v1/number-series'));
      const order = items.find((s: any) => s.key === 'order');
      const up = await ok(t.as(admin, 'PATCH', `/api/v1/number-series/order/${order.scope}`, { nextValue: order.nextValue + 1000 }));
      expect(up.nextValue).toBe(order.nextValue + 1000);
      const { account } = await dealFor(t, rep, '订单编号客户');
      const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId: account.id, lines: [{ description: 'x', quantity: '1', unitPriceMinor: 100, taxRate: '0.13' }] }), 201);
      expect(o.number).toBe(up.nextNumber);
      const back = await t.as(admin, 'PATCH', `/api/v1/number-series/order/${order.scope}`, { nextValue: order.nextValue + 1000 });
      expect(back.statusCode).toBe(422);
      expect((await t.as(admin, 'PATCH', '/api/v1/number-series/invoice/le_01M80000000000000000000000', { prefix: 'X' })).statusCode).toBe(404);
      expect((await t.as(admin, 'PATCH', '/api/v1/number-series/nothing/all', { prefix: 'X' })).statusCode).toBe(404);
    });
  });

  describe('saved views', () => {
    it('keeps a view private until it is shared with the team, read-only to the teammates', async () => {
      const v = await ok(
        t.as(rep, 'POST', '/api/v1/saved-views', { list: 'leads', name: '华东新线索', filters: { status: 'new', region: '华东' }, sort: '-createdAt', columns: ['name', 'company', 'status'] }),
        201,
      );
      expect(v).toMatchObject({ list: 'leads', sharing: 'private', mine: true, isDefault: false, filters: { status: 'new', region: '华东' }, columns: ['name', 'company', 'status'] });
      expect((await ok(t.as(teammate, 'GET', '/api/v1/saved-views?list=leads'))).items).toEqual([]);
      expect((await t.as(teammate, 'GET', `/api/v1/saved-views/${v.id}`)).statusCode).toBe(404);

      const shared = await ok(t.as(rep, 'PATCH', `/api/v1/saved-views/${v.id}`, { sharing: 'team' }, { 'if-match': 'W/"1"' }));
      expect(shared).toMatchObject({ sharing: 'team', version: 2 });
      const seen = (await ok(t.as(teammate, 'GET', '/api/v1/saved-views?list=leads'))).items;
      expect(seen.map((x: any) => [x.id, x.mine, x.ownerName])).toEqual([[v.id, false, 'Rep Li']]);
      // Read-only to the teammate; invisible to another team.
      const edit = await t.as(teammate, 'PATCH', `/api/v1/saved-views/${v.id}`, { name: 'mine now' });
      expect(edit.statusCode).toBe(403);
      expect((await t.as(teammate, 'DELETE', `/api/v1/saved-views/${v.id}`)).statusCode).toBe(403);
      expect((await ok(t.as(outsider, 'GET', '/api/v1/saved-views'))).items).toEqual([]);
      for (const [m, url, body] of [
        ['GET', `/api/v1/saved-views/${v.id}`, undefined],
        ['PATCH', `/api/v1/saved-views/${v.id}`, { name: 'x' }],
        ['DELETE', `/api/v1/saved-views/${v.id}`, undefined],
        ['PUT', `/api/v1/saved-views/${v.id}/default`, {}],
      ] as const) {
        const r = await t.as(outsider, m, url, body);
        expect(r.statusCode, `${m} ${url}`).toBe(404);
        expect(r.body).not.toContain('华东新线索');
      }
      // The teammate may make it their default; it stays the owner's view.
      const def = await ok(t.as(teammate, 'PUT', `/api/v1/saved-views/${v.id}/default`, {}));
      expect(def.isDefault).toBe(true);
      expect((await ok(t.as(rep, 'GET', `/api/v1/saved-views/${v.id}`))).isDefault).toBe(false);
      // Unsharing takes it away from the teammate, default included.
      await ok(t.as(rep, 'PATCH', `/api/v1/saved-views/${v.id}`, { sharing: 'private' }));
      expect((await ok(t.as(teammate, 'GET', '/api/v1/saved-views'))).items).toEqual([]);
      expect(await t.handle.db.selectFrom('savedViewDefaults').selectAll().where('userId', '=', teammate.id).execute()).toEqual([]);
    });

    it('shares with everyone, keeps one default per list per user, refuses a duplicate name, deletes', async () => {
      const a = await ok(t.as(manager, 'POST', '/api/v1/saved-views', { list: 'invoices', name: '逾期 Overdue', filters: { status: 'issued' }, sharing: 'everyone', isDefault: true }), 201);
      expect(a.isDefault).toBe(true);
      const b = await ok(t.as(manager, 'POST', '/api/v1/saved-views', { list: 'invoices', name: 'Paid', filters: { status: 'paid' } }), 201);
      await ok(t.as(manager, 'PUT', `/api/v1/saved-views/${b.id}/default`, {}));
      const mine = (await ok(t.as(manager, 'GET', '/api/v1/saved-views?list=invoices'))).items;
      expect(mine.filter((x: any) => x.isDefault).map((x: any) => x.id)).toEqual([b.id]);
      expect((await ok(t.as(outsider, 'GET', '/api/v1/saved-views?list=invoices'))).items.map((x: any) => x.id)).toEqual([a.id]);
      expect((await ok(t.as(fin, 'GET', '/api/v1/saved-views?list=orders'))).items).toEqual([]);

      const dup = await t.as(manager, 'POST', '/api/v1/saved-views', { list: 'invoices', name: 'Paid' });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().code).toBe('view_name_taken');
      // The same name on another list, or by another user, is fine.
      await ok(t.as(manager, 'POST', '/api/v1/saved-views', { list: 'orders', name: 'Paid' }), 201);
      await ok(t.as(outsider, 'POST', '/api/v1/saved-views', { list: 'invoices', name: 'Paid' }), 201);

      const noTeam = await t.as(fin, 'POST', '/api/v1/saved-views', { list: 'payments', name: 'x', sharing: 'team' });
      expect(noTeam.statusCode).toBe(422);
      expect(noTeam.json().errors[0].code).toBe('no_team');
      const badList = await t.as(fin, 'POST', '/api/v1/saved-views', { list: '../x', name: 'x' });
      expect(badList.statusCode).toBe(422);

      await ok(t.as(outsider, 'PUT', `/api/v1/saved-views/${a.id}/default`, {}));
      await ok(t.as(manager, 'DELETE', `/api/v1/saved-views/${a.id}`));
      expect((await t.as(manager, 'GET', `/api/v1/saved-views/${a.id}`)).statusCode).toBe(404);
      expect(await t.handle.db.selectFrom('savedViewDefaults').selectAll().where('viewId', '=', a.id).execute()).toEqual([]);
    });
  });
});
