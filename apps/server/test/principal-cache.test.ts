import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '@openltc/db';
import * as core from '@openltc/core';
import { DIALECTS, PG_URL, TestApp, ok } from '@openltc/testing';

/** A second connection to the test's database, as another server process or the CLI would have. */
function otherProcess(t: TestApp): DatabaseHandle {
  if (t.dialect === 'sqlite') return createDatabase({ dataDir: path.dirname(t.handle.location), sqliteFile: path.basename(t.handle.location) });
  const url = new URL(PG_URL!);
  url.pathname = new URL(t.handle.location.replace(':***@', ':x@')).pathname;
  return createDatabase({ databaseUrl: url.toString(), poolSize: 1 });
}

describe('PrincipalCache', () => {
  const p = (id: string): core.Principal => ({ id, name: id, email: `${id}@x`, role: 'sales_rep', teamId: null, teamIds: [], via: 'session' });
  it('loads once per key while the auth version stays, again after it moves', async () => {
    const c = new core.PrincipalCache();
    let loads = 0;
    const load = async () => (loads++, p('u1'));
    const a = await c.get(1, 'session:u1', load);
    const b = await c.get(1, 'session:u1', load);
    expect(loads).toBe(1);
    expect(b).toBe(a);
    expect(Object.isFrozen(a) && Object.isFrozen(a!.teamIds)).toBe(true);
    await c.get(2, 'session:u1', load);
    expect(loads).toBe(2);
    // Not found (deactivated, unknown) is never kept.
    let misses = 0;
    await c.get(2, 'session:gone', async () => (misses++, null));
    await c.get(2, 'session:gone', async () => (misses++, null));
    expect(misses).toBe(2);
  });

  it('does not keep a load that raced a newer version', async () => {
    const c = new core.PrincipalCache();
    let release!: () => void;
    const slow = c.get(1, 'session:u1', () => new Promise((r) => (release = () => r(p('old')))));
    // Meanwhile another request read version 2 (a change committed) and loaded the new principal.
    const fresh = await c.get(2, 'session:u1', async () => p('new'));
    release();
    expect((await slow)!.id).toBe('old'); // its own request still gets what it loaded…
    expect(await c.get(2, 'session:u1', async () => p('other'))).toBe(fresh); // …but it is not kept
    expect(c.size).toBe(1);
  });

  it('is bounded', async () => {
    const c = new core.PrincipalCache(3);
    for (let i = 0; i < 10; i++) await c.get(1, `k${i}`, async () => p(`u${i}`));
    expect(c.size).toBe(3);
  });
});

describe.each(DIALECTS)('principals cached per session, invalidated by any process (%s)', (dialect) => {
  let t: TestApp;
  let other: DatabaseHandle;
  const version = async () => Number((await t.handle.db.selectFrom('authVersion').select('n').where('id', '=', 1).executeTakeFirstOrThrow()).n);
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    other = otherProcess(t);
  });
  afterAll(async () => {
    await other.close();
    await t.stop();
  });

  it('auth_version moves with every change to users, teams and API tokens, in the change’s transaction', async () => {
    const v0 = await version();
    const team = await t.team('Triggers');
    const v1 = await version();
    expect(v1).toBeGreaterThan(v0);
    const u = await t.user('sales_rep', team, 'Trig');
    const v2 = await version();
    expect(v2).toBeGreaterThan(v1);
    await other.db.updateTable('users').set({ name: 'Renamed' }).where('id', '=', u.id).execute();
    const v3 = await version();
    expect(v3).toBeGreaterThan(v2);
    await core.createApiToken(t.sys, u.id, 'ci');
    const v4 = await version();
    expect(v4).toBeGreaterThan(v3);
    await other.db.updateTable('apiTokens').set({ revokedAt: new Date().toISOString() }).where('userId', '=', u.id).execute();
    const v5 = await version();
    expect(v5).toBeGreaterThan(v4);
    await other.db.deleteFrom('apiTokens').where('userId', '=', u.id).execute();
    const v6 = await version();
    expect(v6).toBeGreaterThan(v5);
    // A change rolled back leaves the counter where it was.
    await expect(
      other.db.transaction().execute(async (tx) => {
        await tx.updateTable('teams').set({ name: 'Rolled back' }).where('id', '=', team).execute();
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await version()).toBe(v6);
    // Sessions and business records do not move it (they are not who-may-do-what).
    await ok(t.as(u, 'POST', '/api/v1/leads', { name: '王芳', company: '恒信' }), 201);
    await ok(t.as(u, 'POST', '/api/v1/auth/logout'));
    expect(await version()).toBe(v6);
  });

  it('a user deactivated by another process is refused on the next request', async () => {
    const u = await t.user('sales_rep', null, 'Deactivated');
    for (let i = 0; i < 3; i++) await ok(t.as(u, 'GET', '/api/v1/auth/me'));
    await other.db.updateTable('users').set({ active: 0 }).where('id', '=', u.id).execute();
    const r = await t.as(u, 'GET', '/api/v1/leads');
    expect(r.statusCode).toBe(401);
    await other.db.updateTable('users').set({ active: 1 }).where('id', '=', u.id).execute();
    await ok(t.as(u, 'GET', '/api/v1/leads'));
  });

  it('a role changed by another process counts from the next request', async () => {
    const u = await t.user('sales_rep', null, 'Demoted');
    await ok(t.as(u, 'POST', '/api/v1/leads', { name: '李雷', company: '星河' }), 201);
    expect((await ok(t.as(u, 'GET', '/api/v1/auth/me'))).user.role).toBe('sales_rep');
    await other.db.updateTable('users').set({ role: 'viewer' }).where('id', '=', u.id).execute();
    expect((await ok(t.as(u, 'GET', '/api/v1/auth/me'))).user.role).toBe('viewer');
    const refused = await t.as(u, 'POST', '/api/v1/leads', { name: '李雷', company: '星河' });
    expect(refused.statusCode).toBe(403);
  });

  it('a sub-team added by another process is in the manager’s scope on the next request', async () => {
    const east = await t.team('East');
    const m = await t.user('sales_manager', east, 'Manager');
    expect((await ok(t.as(m, 'GET', '/api/v1/auth/me'))).user.teamIds).toEqual([east]);
    await other.db.insertInto('teams').values({ id: 'team_sub_east', name: 'East · Hangzhou', parentId: east, createdAt: new Date().toISOString() }).execute();
    expect((await ok(t.as(m, 'GET', '/api/v1/auth/me'))).user.teamIds).toEqual([east, 'team_sub_east']);
  });

  it('an API token revoked by another process is refused on the next request', async () => {
    const u = await t.user('sales_rep', null, 'Tokened');
    const { token } = await core.createApiToken(t.sys, u.id, 'integration');
    const bearer = { authorization: `Bearer ${token}` };
    for (let i = 0; i < 2; i++) expect((await t.as(null, 'GET', '/api/v1/auth/me', undefined, bearer)).json().user.via).toBe('token');
    await other.db.updateTable('apiTokens').set({ revokedAt: new Date().toISOString() }).where('userId', '=', u.id).execute();
    const r = await t.as(null, 'GET', '/api/v1/auth/me', undefined, bearer);
    expect(r.statusCode).toBe(401);
  });
});
