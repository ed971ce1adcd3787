import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';

/** Scoring rules configured by an administrator; leads scored from them with the reasons shown. */
describe.each(DIALECTS)('lead scoring rules (%s)', (dialect) => {
  let t: TestApp;
  let admin: TestUser, rep: TestUser, marketing: TestUser;
  const rules: Record<string, any> = {};

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const team = await t.team('华东 East');
    admin = await t.user('admin', null, 'Admin');
    rep = await t.user('sales_rep', team, 'Rep');
    marketing = await t.user('marketing', null, 'Marketing');
  });
  afterAll(() => t.stop());

  it('keeps a typed score while no rule is active', async () => {
    const lead = await ok(t.as(rep, 'POST', '/api/v1/leads', { name: '手填 Manual', score: 42 }), 201);
    expect(lead.score).toBe(42);
    expect(lead.scoreReasons).toEqual([]);
  });

  it('lets only administrators change the rules, and checks each operator’s value', async () => {
    const body = { name: '展会来源 Trade show', field: 'source', operator: 'eq', value: '展会', points: 20 };
    for (const u of [rep, marketing])
      expect((await t.as(u, 'POST', '/api/v1/lead-scoring/rules', body)).statusCode).toBe(403);
    rules.show = await ok(t.as(admin, 'POST', '/api/v1/lead-scoring/rules', body), 201);
    rules.industry = await ok(
      t.as(admin, 'POST', '/api/v1/lead-scoring/rules', {
        name: 'Target industry',
        field: 'industry',
        operator: 'in',
        value: ['制造业', 'Software'],
        points: 10,
      }),
      201,
    );
    rules.email = await ok(
      t.as(admin, 'POST', '/api/v1/lead-scoring/rules', {
        name: 'Has email',
        field: 'email',
        operator: 'present',
        points: 5,
      }),
      201,
    );
    rules.size = await ok(
      t.as(admin, 'POST', '/api/v1/lead-scoring/rules', {
        name: '≥ 500 staff',
        field: 'customFields.employees',
        operator: 'gte',
        value: 500,
        points: 15,
      }),
      201,
    );
    expect([rules.show.position, rules.industry.position, rules.email.position, rules.size.position]).toEqual(
      [0, 1, 2, 3],
    );

    const bad = await t.as(admin, 'POST', '/api/v1/lead-scoring/rules', {
      name: 'x',
      field: 'industry',
      operator: 'in',
      value: 'one',
      points: 5,
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].path).toBe('value');
    const badField = await t.as(admin, 'POST', '/api/v1/lead-scoring/rules', {
      name: 'x',
      field: 'passwordHash',
      operator: 'present',
      points: 5,
    });
    expect(badField.statusCode).toBe(422);
    // Everyone who reads leads may read the rules that explain a score.
    const list = await ok(t.as(rep, 'GET', '/api/v1/lead-scoring/rules'));
    expect(list.items.map((r: any) => r.name)).toEqual([
      '展会来源 Trade show',
      'Target industry',
      'Has email',
      '≥ 500 staff',
    ]);
  });

  it('scores a new lead from the rules with the reasons, and refuses a typed score', async () => {
    const lead = await ok(
      t.as(rep, 'POST', '/api/v1/leads', {
        name: '王伟',
        source: '展会',
        industry: 'software',
        customFields: { employees: '1,200' },
      }),
      201,
    );
    expect(lead.score).toBe(45);
    expect(lead.scoreReasons).toEqual([
      { ruleId: rules.show.id, name: '展会来源 Trade show', points: 20 },
      { ruleId: rules.industry.id, name: 'Target industry', points: 10 },
      { ruleId: rules.size.id, name: '≥ 500 staff', points: 15 },
    ]);
    const typed = await t.as(rep, 'POST', '/api/v1/leads', { name: 'x', score: 99 });
    expect(typed.statusCode).toBe(422);
    expect(typed.json().errors[0]).toMatchObject({ path: 'score', code: 'score_computed' });

    // An edit scores again, and the event shows the score change.
    const edited = await ok(
      t.as(
        rep,
        'PATCH',
        `/api/v1/leads/${lead.id}`,
        { email: 'wang@example.cn' },
        { 'if-match': `W/"${lead.version}"` },
      ),
    );
    expect(edited.score).toBe(50);
    expect(edited.scoreReasons.map((r: any) => r.ruleId)).toContain(rules.email.id);
    const tl = (await ok(t.as(rep, 'GET', `/api/v1/leads/${lead.id}/timeline`))).items;
    const upd = tl.find((e: any) => e.action === 'updated');
    expect(upd.before.score).toBe(45);
    expect(upd.after.score).toBe(50);
  });

  it('edits a rule with optimistic locking and rescoring applies it to existing leads', async () => {
    const stale = await t.as(
      admin,
      'PATCH',
      `/api/v1/lead-scoring/rules/${rules.show.id}`,
      { points: 30 },
      { 'if-match': 'W/"9"' },
    );
    expect(stale.statusCode).toBe(409);
    const r = await ok(
      t.as(
        admin,
        'PATCH',
        `/api/v1/lead-scoring/rules/${rules.show.id}`,
        { points: 30 },
        { 'if-match': `W/"${rules.show.version}"` },
      ),
    );
    expect(r.points).toBe(30);
    expect(r.version).toBe(2);
    expect((await t.as(rep, 'POST', '/api/v1/lead-scoring/recompute', {})).statusCode).toBe(403);
    const res = await ok(t.as(admin, 'POST', '/api/v1/lead-scoring/recompute', {}));
    expect(res.changed).toBeGreaterThanOrEqual(2); // the 王伟 lead (+10) and the hand-scored one (rules now apply)
    const leads = await ok(t.as(admin, 'GET', '/api/v1/leads?q=王伟'));
    expect(leads.items[0].score).toBe(60);
    const tl = (await ok(t.as(admin, 'GET', `/api/v1/leads/${leads.items[0].id}/timeline`))).items;
    expect(tl.at(-1)).toMatchObject({ action: 'rescored', before: { score: 50 }, after: { score: 60 } });

    const preview = await ok(
      t.as(rep, 'POST', '/api/v1/lead-scoring/preview', { lead: { source: '展会', email: 'a@b.cn' } }),
    );
    expect(preview.score).toBe(35);

    const del = await ok(t.as(admin, 'DELETE', `/api/v1/lead-scoring/rules/${rules.email.id}`));
    expect(del.deleted).toBe(true);
    const ev = await t.handle.db
      .selectFrom('events')
      .selectAll()
      .where('entityId', '=', rules.email.id)
      .orderBy('id')
      .execute();
    expect(ev.map((e) => e.action)).toEqual(['created', 'deleted']);
  });
});
