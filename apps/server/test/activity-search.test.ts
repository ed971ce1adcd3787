import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import { setClock } from '@openltc/core';

/**
 * Activity search: the activities list's text filter `q` (subject and notes, within the caller's scope;
 * across records bounded to `since`, default one year back; within a record its whole history) and
 * activities in the global search.
 */
describe.each(DIALECTS)('activity search (%s)', (dialect) => {
  let t: TestApp;
  let rep: TestUser, outsider: TestUser, finance: TestUser;
  let lead: any, other: any, old: any, recent: any, note: any;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const east = await t.team('East 华东');
    const west = await t.team('West 华西');
    rep = await t.user('sales_rep', east, '李雷');
    outsider = await t.user('sales_rep', west, 'Outsider');
    finance = await t.user('finance', null, 'Finance');
    lead = await ok(
      t.as(rep, 'POST', '/api/v1/leads', { name: '王芳', company: '上海云启科技有限公司' }),
      201,
    );
    other = await ok(t.as(outsider, 'POST', '/api/v1/leads', { name: 'Zhou', company: 'West Co' }), 201);
    // Two years ago: a call about the budget (outside the default reach across records).
    const twoYearsAgo = new Date(Date.now() - 2 * 365 * 86_400_000);
    setClock(() => twoYearsAgo);
    old = await ok(
      t.as(rep, 'POST', '/api/v1/activities', {
        type: 'call',
        parentType: 'lead',
        parentId: lead.id,
        subject: '预算确认 budget call',
        outcome: 'connected',
      }),
      201,
    );
    setClock(null);
    recent = await ok(
      t.as(rep, 'POST', '/api/v1/activities', {
        type: 'meeting',
        parentType: 'lead',
        parentId: lead.id,
        subject: 'Demo',
        notes: '客户关心预算 100% 与_交付',
      }),
      201,
    );
    note = await ok(
      t.as(rep, 'POST', '/api/v1/activities', {
        type: 'note',
        parentType: 'lead',
        parentId: lead.id,
        subject: 'Unrelated',
      }),
      201,
    );
    await ok(
      t.as(outsider, 'POST', '/api/v1/activities', {
        type: 'note',
        parentType: 'lead',
        parentId: other.id,
        subject: '预算 of another team',
      }),
      201,
    );
  });
  afterAll(() => t.stop());
  afterEach(() => setClock(null));

  const ids = (page: any) => page.items.map((a: any) => a.id);

  it('filters a record’s activities by subject and notes, over its whole history', async () => {
    const got = await ok(
      t.as(
        rep,
        'GET',
        `/api/v1/activities?parentType=lead&parentId=${lead.id}&q=${encodeURIComponent('预算')}`,
      ),
    );
    expect(ids(got).sort()).toEqual([old.id, recent.id].sort());
    expect(ids(got)).not.toContain(note.id);
    // Case-insensitive on both databases; LIKE wildcards in the text are matched literally.
    expect(
      ids(await ok(t.as(rep, 'GET', `/api/v1/activities?parentType=lead&parentId=${lead.id}&q=BUDGET`))),
    ).toEqual([old.id]);
    expect(
      ids(
        await ok(
          t.as(
            rep,
            'GET',
            `/api/v1/activities?parentType=lead&parentId=${lead.id}&q=${encodeURIComponent('0%')}`,
          ),
        ),
      ),
    ).toEqual([recent.id]);
    expect(
      ids(
        await ok(
          t.as(
            rep,
            'GET',
            `/api/v1/activities?parentType=lead&parentId=${lead.id}&q=${encodeURIComponent('与_')}`,
          ),
        ),
      ),
    ).toEqual([recent.id]);
    expect(
      ids(
        await ok(
          t.as(
            rep,
            'GET',
            `/api/v1/activities?parentType=lead&parentId=${lead.id}&q=${encodeURIComponent('%')}`,
          ),
        ),
      ),
    ).toEqual([recent.id]);
  });

  it('across records: only what the caller may see, one year back unless `since` reaches further', async () => {
    const q = encodeURIComponent('预算');
    expect(ids(await ok(t.as(rep, 'GET', `/api/v1/activities?q=${q}`)))).toEqual([recent.id]);
    const since = new Date(Date.now() - 3 * 365 * 86_400_000).toISOString();
    expect(
      ids(await ok(t.as(rep, 'GET', `/api/v1/activities?q=${q}&since=${encodeURIComponent(since)}`))),
    ).toEqual([recent.id, old.id]);
    // The other team's note is not the rep's to see; theirs is not the outsider's.
    const theirs = await ok(t.as(outsider, 'GET', `/api/v1/activities?q=${q}`));
    expect(theirs.items.map((a: any) => a.subject)).toEqual(['预算 of another team']);
    // A bad `since` is a field error, not a server error.
    const bad = await t.as(rep, 'GET', `/api/v1/activities?q=${q}&since=yesterday`);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: any) => e.path)).toContain('since');
  });

  it('global search lists matching activities with the record they are on; roles that read no parent get none', async () => {
    const res = await ok(t.as(rep, 'GET', `/api/v1/search?q=${encodeURIComponent('预算')}`));
    const acts = res.items.filter((h: any) => h.type === 'activities');
    expect(acts).toEqual([
      {
        type: 'activities',
        id: recent.id,
        title: 'Demo',
        subtitle: '客户关心预算 100% 与_交付',
        status: null,
        activityType: 'meeting',
        parentType: 'lead',
        parentId: lead.id,
        parentName: '王芳',
      },
    ]);
    const theirs = await ok(t.as(outsider, 'GET', `/api/v1/search?q=${encodeURIComponent('预算')}`));
    expect(theirs.items.filter((h: any) => h.type === 'activities').map((h: any) => h.title)).toEqual([
      '预算 of another team',
    ]);
    // Finance reads accounts (so activities on accounts) but not leads: a lead's activities stay hidden.
    const fin = await ok(t.as(finance, 'GET', `/api/v1/search?q=${encodeURIComponent('预算')}`));
    expect(fin.items.filter((h: any) => h.type === 'activities')).toEqual([]);
  });
});
