import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';

/** Each user's column layout of a list (hidden columns and order), kept on the server next to the saved views. */
describe.each(DIALECTS)('list column layouts (%s)', (dialect) => {
  let t: TestApp;
  let rep: TestUser, mate: TestUser, viewer: TestUser;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const east = await t.team('East 华东');
    rep = await t.user('sales_rep', east, '李雷');
    mate = await t.user('sales_rep', east, '韩梅梅');
    viewer = await t.user('viewer', null, 'Viewer');
  });
  afterAll(() => t.stop());
  const url = '/api/v1/saved-views/layouts/leads';

  it('starts empty (version 0), saves order and hidden columns per user, with optimistic locking', async () => {
    expect(await ok(t.as(rep, 'GET', url))).toEqual({
      list: 'leads',
      order: [],
      hidden: [],
      version: 0,
      updatedAt: null,
    });
    const first = await ok(
      t.as(
        rep,
        'PUT',
        url,
        { order: ['company', 'name', 'email', 'status'], hidden: ['email'] },
        { 'if-match': 'W/"0"' },
      ),
    );
    expect(first).toMatchObject({
      list: 'leads',
      order: ['company', 'name', 'email', 'status'],
      hidden: ['email'],
      version: 1,
    });
    expect(await ok(t.as(rep, 'GET', url))).toEqual(first);
    // Another browser of the same user, still on version 0: a conflict, nothing lost.
    const stale = await t.as(rep, 'PUT', url, { order: ['name'], hidden: [] }, { 'if-match': 'W/"0"' });
    expect(stale.statusCode).toBe(409);
    expect((await ok(t.as(rep, 'GET', url))).order).toEqual(['company', 'name', 'email', 'status']);
    // Per user: a teammate's layout is their own; every role may keep one (a viewer too).
    expect((await ok(t.as(mate, 'GET', url))).version).toBe(0);
    expect(
      (
        await ok(
          t.as(viewer, 'PUT', '/api/v1/saved-views/layouts/invoices', {
            order: ['number', 'total'],
            hidden: ['total'],
          }),
        )
      ).version,
    ).toBe(1);
    // Back to the list's default columns.
    expect(await ok(t.as(rep, 'PUT', url, { order: [], hidden: [] }))).toMatchObject({
      order: [],
      hidden: [],
      version: 2,
    });
    const events = await t.handle.db
      .selectFrom('events')
      .select(['action', 'actorId'])
      .where('entityType', '=', 'list_layout')
      .execute();
    expect(events.filter((e) => e.actorId === rep.id)).toHaveLength(2);
  });

  it('two first saves at once: one wins, the other is told to reload (409), never a 500', async () => {
    const u = '/api/v1/saved-views/layouts/opportunities';
    const body = { order: ['name', 'stage', 'amount'], hidden: ['amount'] };
    const rs = await Promise.all([1, 2, 3, 4].map(() => t.as(mate, 'PUT', u, body, { 'if-match': 'W/"0"' })));
    const codes = rs.map((r) => r.statusCode).sort();
    expect(codes[0]).toBe(200);
    for (const c of codes.slice(1)) expect([200, 409]).toContain(c);
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(await ok(t.as(mate, 'GET', u))).toMatchObject({ version: 1, hidden: ['amount'] });
  });

  it('refuses a layout that hides every column, names a column twice or hides one not in the order, at the field', async () => {
    const cases: Array<[unknown, string, string]> = [
      [{ order: ['name', 'email'], hidden: ['name', 'email'] }, 'hidden', 'nothing_visible'],
      [{ order: ['name', 'name'], hidden: [] }, 'order', 'duplicate'],
      [{ order: ['name', 'email'], hidden: ['phone'] }, 'hidden', 'unknown_reference'],
    ];
    for (const [body, path, code] of cases) {
      const res = await t.as(rep, 'PUT', url, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(res.json().errors).toEqual([expect.objectContaining({ path, code })]);
    }
    const bad = await t.as(rep, 'PUT', url, { order: ['name'], hidden: [], extra: 1 });
    expect(bad.statusCode).toBe(422);
    expect((await t.as(rep, 'GET', '/api/v1/saved-views/layouts/Not_A_List')).statusCode).toBe(422);
  });
});
