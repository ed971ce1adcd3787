import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';

/**
 * Each user's own preferences on the server (the pipeline home shows), on both databases: defaults
 * before the first change, one user's choice not another's, If-Match on the version (two first saves
 * at once: one wins, the other 409), an unknown or inactive pipeline refused at the field.
 */
describe.each(DIALECTS)('user preferences (%s)', (dialect) => {
  let t: TestApp;
  let admin: TestUser, rep: TestUser, viewer: TestUser;
  let renewals = '';

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    admin = await t.user('admin', null, 'Admin');
    rep = await t.user('sales_rep', await t.team('East 华东'), 'Rep Li');
    viewer = await t.user('viewer', null, 'Viewer Zhou');
    renewals = (await ok(t.as(admin, 'POST', '/api/v1/pipelines', { name: '续约 Renewals' }), 201)).id;
  });
  afterAll(() => t.stop());

  const put = (u: TestUser, body: unknown, version?: number) => t.as(u, 'PUT', '/api/v1/me/preferences', body, version === undefined ? {} : { 'if-match': `"${version}"` });

  it('keeps each user their own pipeline choice, from version 0', async () => {
    expect(await ok(t.as(rep, 'GET', '/api/v1/me/preferences'))).toEqual({ homePipelineId: null, version: 0, updatedAt: null });
    const set = await ok(put(rep, { homePipelineId: renewals }, 0));
    expect([set.homePipelineId, set.version]).toEqual([renewals, 1]);
    expect((await ok(t.as(rep, 'GET', '/api/v1/me/preferences'))).homePipelineId).toBe(renewals);
    // Another user (any role may keep preferences) is not affected.
    expect((await ok(t.as(viewer, 'GET', '/api/v1/me/preferences'))).homePipelineId).toBeNull();
    expect((await ok(put(viewer, { homePipelineId: renewals }))).version).toBe(1);
    // Back to the default.
    expect(await ok(put(rep, { homePipelineId: null }, 1))).toMatchObject({ homePipelineId: null, version: 2 });
    const events = await t.handle.db.selectFrom('events').select(['action', 'after']).where('entityType', '=', 'user_preferences').where('entityId', '=', rep.id).orderBy('id').execute();
    expect(events.map((e) => JSON.parse(String(e.after)).homePipelineId)).toEqual([renewals, null]);
  });

  it('refuses a stale version, an unknown or inactive pipeline and a stray field', async () => {
    const stale = await put(rep, { homePipelineId: renewals }, 1);
    expect([stale.statusCode, stale.json().code]).toEqual([409, 'version_conflict']);
    const unknown = await put(rep, { homePipelineId: 'pipe_nope' });
    expect([unknown.statusCode, unknown.json().errors[0].path, unknown.json().errors[0].code]).toEqual([422, 'homePipelineId', 'unknown_reference']);
    const old = (await ok(t.as(admin, 'POST', '/api/v1/pipelines', { name: 'Old 旧' }), 201)).id;
    const v = (await ok(t.as(admin, 'GET', `/api/v1/pipelines/${old}`))).version;
    await ok(t.as(admin, 'PATCH', `/api/v1/pipelines/${old}`, { active: false }, { 'if-match': `"${v}"` }));
    const inactive = await put(rep, { homePipelineId: old });
    expect([inactive.statusCode, inactive.json().errors[0].code]).toEqual([422, 'inactive']);
    expect((await put(rep, { homePipelineId: null, other: 1 })).statusCode).toBe(422);
    expect((await ok(t.as(rep, 'GET', '/api/v1/me/preferences'))).version).toBe(2);
  });

  it('two first saves at once: one wins, the other is told to reload (409, not a 500)', async () => {
    const u = await t.user('finance', null, 'Fin Qian');
    const [a, b] = await Promise.all([put(u, { homePipelineId: renewals }, 0), put(u, { homePipelineId: null }, 0)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    expect((await ok(t.as(u, 'GET', '/api/v1/me/preferences'))).version).toBe(1);
  });
});
