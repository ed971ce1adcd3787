import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import { runTaskDue, setClock, SYSTEM, TASK_DUE_JOB } from '@openltc/core';

/** Activities and tasks over HTTP: logging, tasks, scope through the parent, timeline, last touched, reminders. */
describe.each(DIALECTS)('activities over HTTP (%s)', (dialect) => {
  let t: TestApp;
  let rep: TestUser, mate: TestUser, manager: TestUser, outsider: TestUser, viewer: TestUser, marketing: TestUser;
  let lead: any, conv: any;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const east = await t.team('East 华东');
    const west = await t.team('West 华西');
    rep = await t.user('sales_rep', east, '李雷');
    mate = await t.user('sales_rep', east, '韩梅梅');
    manager = await t.user('sales_manager', east, 'Manager');
    outsider = await t.user('sales_rep', west, 'Outsider');
    viewer = await t.user('viewer', null, 'Viewer');
    marketing = await t.user('marketing', null, 'Marketing');
    lead = await ok(t.as(rep, 'POST', '/api/v1/leads', { name: '王芳', company: '上海云启科技有限公司' }), 201);
    const other = await ok(t.as(rep, 'POST', '/api/v1/leads', { name: '张伟', company: '杭州数澜' }), 201);
    await ok(t.as(rep, 'POST', `/api/v1/leads/${other.id}/qualify`, {}));
    conv = await ok(t.as(rep, 'POST', `/api/v1/leads/${other.id}/convert`, { amountMinor: 1_000_000 }));
  });
  afterAll(() => t.stop());
  afterEach(() => setClock(null));

  it('logs a call with its outcome on a lead: in the list, in the lead timeline, and the lead is touched', async () => {
    expect((await ok(t.as(rep, 'GET', `/api/v1/leads/${lead.id}`))).lastActivityAt ?? null).toBeNull();
    const call = await ok(
      t.as(rep, 'POST', '/api/v1/activities', { type: 'call', parentType: 'lead', parentId: lead.id, subject: '首次电话', outcome: 'left_message', direction: 'outbound', durationMinutes: 2, notes: '留言，明天再打' }),
      201,
    );
    expect(call).toMatchObject({ type: 'call', status: 'done', outcome: 'left_message', ownerId: rep.id, ownerName: '李雷', parentName: '王芳', deletable: true, overdue: false });
    expect(call.occurredAt).toBeTruthy();
    const l = await ok(t.as(rep, 'GET', `/api/v1/leads/${lead.id}`));
    expect(l.lastActivityAt).toBe(call.occurredAt);
    expect(l.version).toBe(lead.version); // touching is not an edit: an open edit form stays valid
    const list = await ok(t.as(rep, 'GET', `/api/v1/activities?parentType=lead&parentId=${lead.id}`));
    expect(list.items.map((a: any) => a.id)).toEqual([call.id]);
    const tl = await ok(t.as(rep, 'GET', `/api/v1/leads/${lead.id}/timeline`));
    const ev = tl.items.find((e: any) => e.action === 'activity_logged');
    expect(ev.after).toMatchObject({ activityId: call.id, type: 'call', subject: '首次电话', outcome: 'left_message' });
    // An older call does not move last touched back.
    await ok(t.as(rep, 'POST', '/api/v1/activities', { type: 'note', parentType: 'lead', parentId: lead.id, subject: '补记', occurredAt: '2026-01-01T00:00:00Z' }), 201);
    expect((await ok(t.as(rep, 'GET', `/api/v1/leads/${lead.id}`))).lastActivityAt).toBe(call.occurredAt);
    // The call was in fact in February: last touched follows it back (recomputed, not only moved forward).
    await ok(t.as(rep, 'PATCH', `/api/v1/activities/${call.id}`, { occurredAt: '2026-02-01T08:00:00+08:00' }, { 'if-match': `W/"${call.version}"` }));
    expect((await ok(t.as(rep, 'GET', `/api/v1/leads/${lead.id}`))).lastActivityAt).toBe('2026-02-01T00:00:00.000Z');
  });

  it('gathers an account with its contacts and opportunities (accountId), and nothing of other accounts', async () => {
    const onAcc = await ok(t.as(rep, 'POST', '/api/v1/activities', { type: 'note', parentType: 'account', parentId: conv.accountId, subject: '客户备注' }), 201);
    const onContact = await ok(t.as(rep, 'POST', '/api/v1/activities', { type: 'email', parentType: 'contact', parentId: conv.contactId, subject: '发送资料', direction: 'outbound' }), 201);
    const onOpp = await ok(t.as(rep, 'POST', '/api/v1/activities', { type: 'meeting', parentType: 'opportunity', parentId: conv.opportunityId, subject: '需求会', durationMinutes: 60 }), 201);
    const other = await ok(t.as(rep, 'POST', '/api/v1/accounts', { name: '别的客户', currency: 'CNY' }), 201);
    const elsewhere = await ok(t.as(rep, 'POST', '/api/v1/activities', { type: 'note', parentType: 'account', parentId: other.id, subject: '无关' }), 201);
    const all = await ok(t.as(rep, 'GET', `/api/v1/activities?accountId=${conv.accountId}&limit=200`));
    const got = all.items.map((a: any) => a.id);
    for (const a of [onAcc, onContact, onOpp]) expect(got).toContain(a.id);
    expect(got).not.toContain(elsewhere.id);
    expect(new Set(all.items.map((a: any) => a.parentType))).toEqual(new Set(['account', 'contact', 'opportunity']));
    // Scope still applies: the other team sees none of it.
    expect((await ok(t.as(outsider, 'GET', `/api/v1/activities?accountId=${conv.accountId}`))).items).toEqual([]);
  });

  it('refuses fields that do not belong to the type, all at once, and unknown fields', async () => {
    const r = await t.as(rep, 'POST', '/api/v1/activities', { type: 'note', parentType: 'lead', parentId: lead.id, subject: 'x', outcome: 'connected', dueAt: '2026-12-01T00:00:00Z' });
    expect(r.statusCode).toBe(422);
    expect(r.json().errors.map((e: any) => e.path).sort()).toEqual(['dueAt', 'outcome']);
    const t2 = await t.as(rep, 'POST', '/api/v1/activities', { type: 'task', parentType: 'lead', parentId: lead.id, subject: 'x' });
    expect(t2.json().errors[0]).toMatchObject({ path: 'dueAt', code: 'required' });
    const u = await t.as(rep, 'POST', '/api/v1/activities', { type: 'note', parentType: 'lead', parentId: lead.id, subject: 'x', colour: 'red' });
    expect(u.statusCode).toBe(422);
  });

  it('adds a task for a teammate, who sees it in "my tasks", overdue first; completing it touches the lead', async () => {
    const past = new Date(Date.now() - 3_600_000).toISOString();
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const late = await ok(t.as(rep, 'POST', '/api/v1/activities', { type: 'task', parentType: 'lead', parentId: lead.id, subject: '发送方案', dueAt: past, assigneeId: mate.id }), 201);
    const soon = await ok(t.as(rep, 'POST', '/api/v1/activities', { type: 'task', parentType: 'opportunity', parentId: conv.opportunityId, subject: '约演示', dueAt: future, assigneeId: mate.id }), 201);
    expect(late).toMatchObject({ status: 'open', overdue: true, assigneeId: mate.id, assigneeName: '韩梅梅', occurredAt: null });
    // The teammate is told by email (the rep, who gave it, is not); a task one gives oneself sends nothing.
    // A task already past due gets no reminder (it is overdue at once); one due later does.
    const reminders = (await t.handle.db.selectFrom('jobs').selectAll().where('type', '=', TASK_DUE_JOB).execute()).map((j) => JSON.parse(j.payload).activityId);
    expect(reminders).not.toContain(late.id);
    expect(reminders).toContain(soon.id);
    const told = (await t.handle.db.selectFrom('jobs').selectAll().where('type', '=', 'email.send').execute()).map((j) => JSON.parse(j.payload));
    expect(told.filter((m) => m.subject.includes('发送方案'))).toEqual([expect.objectContaining({ to: mate.email, subject: expect.stringContaining('新任务') })]);
    expect(told.filter((m) => m.to === rep.email)).toEqual([]);
    const mine = await ok(t.as(mate, 'GET', '/api/v1/activities?type=task&status=open&assigneeId=me&sort=dueAt'));
    expect(mine.items.map((a: any) => a.id)).toEqual([late.id, soon.id]);
    const overdue = await ok(t.as(mate, 'GET', '/api/v1/activities?assigneeId=me&overdue=true'));
    expect(overdue.items.map((a: any) => a.id)).toEqual([late.id]);
    const ranged = await ok(t.as(mate, 'GET', `/api/v1/activities?assigneeId=me&dueFrom=${encodeURIComponent(new Date().toISOString())}`));
    expect(ranged.items.map((a: any) => a.id)).toEqual([soon.id]);

    // Stale If-Match: 409; then completed by the assignee.
    const stale = await t.as(mate, 'POST', `/api/v1/activities/${late.id}/complete`, {}, { 'if-match': 'W/"7"' });
    expect(stale.statusCode).toBe(409);
    const done = await ok(t.as(mate, 'POST', `/api/v1/activities/${late.id}/complete`, { notes: '已发送' }, { 'if-match': `W/"${late.version}"` }));
    expect(done).toMatchObject({ status: 'done', completedBy: mate.id, notes: '已发送', overdue: false });
    expect((await ok(t.as(rep, 'GET', `/api/v1/leads/${lead.id}`))).lastActivityAt).toBe(done.completedAt);
    const again = await t.as(mate, 'POST', `/api/v1/activities/${late.id}/complete`, {});
    expect(again.json().code).toBe('already_done');
    const tl = await ok(t.as(rep, 'GET', `/api/v1/leads/${lead.id}/timeline`));
    expect(tl.items.filter((e: any) => e.after?.activityId === late.id).map((e: any) => e.action)).toEqual(['task_added', 'task_completed']);
    const reopened = await ok(t.as(mate, 'POST', `/api/v1/activities/${late.id}/reopen`, {}));
    expect(reopened).toMatchObject({ status: 'open', completedAt: null });
    // Only a task is completed.
    const call = await ok(t.as(rep, 'POST', '/api/v1/activities', { type: 'call', parentType: 'lead', parentId: lead.id, subject: 'c' }), 201);
    expect((await t.as(rep, 'POST', `/api/v1/activities/${call.id}/complete`, {})).json().code).toBe('not_a_task');
  });

  it('edits with If-Match; only the people on it or a manager may change it', async () => {
    const task = await ok(t.as(rep, 'POST', '/api/v1/activities', { type: 'task', parentType: 'lead', parentId: lead.id, subject: '报价跟进', dueAt: '2030-01-01T01:00:00Z' }), 201);
    expect(task.assigneeId).toBe(rep.id);
    const r = await t.as(rep, 'PATCH', `/api/v1/activities/${task.id}`, { subject: '报价跟进（改）' }, { 'if-match': `W/"${task.version}"` });
    expect(r.statusCode).toBe(200);
    expect(r.headers.etag).toBe(`W/"${task.version + 1}"`);
    expect((await t.as(rep, 'PATCH', `/api/v1/activities/${task.id}`, { subject: 'again' }, { 'if-match': `W/"${task.version}"` })).statusCode).toBe(409);
    // A teammate sees it (same team's lead) but may not rewrite it; the manager may.
    expect((await t.as(mate, 'GET', `/api/v1/activities/${task.id}`)).statusCode).toBe(200);
    expect((await t.as(mate, 'PATCH', `/api/v1/activities/${task.id}`, { subject: 'mine now' })).statusCode).toBe(403);
    expect((await t.as(manager, 'PATCH', `/api/v1/activities/${task.id}`, { assigneeId: mate.id })).statusCode).toBe(200);
    // Nobody outside the lead's reach may be given the task.
    const bad = await t.as(manager, 'PATCH', `/api/v1/activities/${task.id}`, { assigneeId: outsider.id });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0]).toMatchObject({ path: 'assigneeId', code: 'out_of_scope' });
  });

  it('never shows another team’s activities: not by id, not in lists, not by parent; nor may they log on its records', async () => {
    const secret = await ok(t.as(rep, 'POST', '/api/v1/activities', { type: 'meeting', parentType: 'account', parentId: conv.accountId, subject: '机密会谈 Secret talk', durationMinutes: 45 }), 201);
    for (const [m, url, body] of [
      ['GET', `/api/v1/activities/${secret.id}`, undefined],
      ['PATCH', `/api/v1/activities/${secret.id}`, { subject: 'x' }],
      ['POST', `/api/v1/activities/${secret.id}/complete`, {}],
      ['DELETE', `/api/v1/activities/${secret.id}`, undefined],
    ] as const) {
      const r = await t.as(outsider, m, url, body);
      expect(r.statusCode, `${m} ${url}`).toBe(404);
      expect(r.body).not.toContain('Secret talk');
    }
    const all = await ok(t.as(outsider, 'GET', '/api/v1/activities?limit=200'));
    expect(all.items).toEqual([]);
    expect((await ok(t.as(outsider, 'GET', `/api/v1/activities?parentType=account&parentId=${conv.accountId}`))).items).toEqual([]);
    const log = await t.as(outsider, 'POST', '/api/v1/activities', { type: 'note', parentType: 'lead', parentId: lead.id, subject: 'x' });
    expect(log.statusCode).toBe(404);
    // Read-only roles see (the viewer reads every record) but may not log; marketing may log on leads only.
    expect((await ok(t.as(viewer, 'GET', `/api/v1/activities/${secret.id}`))).subject).toContain('Secret talk');
    expect((await t.as(viewer, 'POST', '/api/v1/activities', { type: 'note', parentType: 'lead', parentId: lead.id, subject: 'x' })).statusCode).toBe(403);
    expect((await t.as(marketing, 'POST', '/api/v1/activities', { type: 'note', parentType: 'lead', parentId: lead.id, subject: '市场部备注' })).statusCode).toBe(201);
    expect((await t.as(marketing, 'POST', '/api/v1/activities', { type: 'note', parentType: 'account', parentId: conv.accountId, subject: 'x' })).statusCode).toBe(403);
    // Reassigning the lead to the other team takes its activities with it.
    const l = await ok(t.as(rep, 'GET', `/api/v1/leads/${lead.id}`));
    const admin = await t.user('admin', null, 'Admin');
    await ok(t.as(admin, 'PATCH', `/api/v1/leads/${l.id}`, { ownerId: outsider.id }));
    const moved = await ok(t.as(outsider, 'GET', `/api/v1/activities?parentType=lead&parentId=${lead.id}`));
    expect(moved.items.length).toBeGreaterThan(0);
    expect((await ok(t.as(mate, 'GET', `/api/v1/activities?parentType=lead&parentId=${lead.id}`))).items.filter((a: any) => a.assigneeId !== mate.id)).toEqual([]);
    await ok(t.as(admin, 'PATCH', `/api/v1/leads/${l.id}`, { ownerId: rep.id }));
  });

  it('lets only the author delete, only within 15 minutes; the deletion stays in the timeline and last touched is recomputed', async () => {
    const fresh = await ok(t.as(rep, 'POST', '/api/v1/leads', { name: '赵六' }), 201);
    const t0 = Date.now();
    setClock(() => new Date(t0));
    const keep = await ok(t.as(rep, 'POST', '/api/v1/activities', { type: 'call', parentType: 'lead', parentId: fresh.id, subject: '早些的电话', occurredAt: new Date(t0 - 3_600_000).toISOString() }), 201);
    const slip = await ok(t.as(rep, 'POST', '/api/v1/activities', { type: 'note', parentType: 'lead', parentId: fresh.id, subject: '记错了' }), 201);
    expect((await ok(t.as(rep, 'GET', `/api/v1/leads/${fresh.id}`))).lastActivityAt).toBe(slip.occurredAt);
    expect((await t.as(mate, 'DELETE', `/api/v1/activities/${slip.id}`)).statusCode).toBe(403);
    const del = await t.as(rep, 'DELETE', `/api/v1/activities/${slip.id}`);
    expect(del.statusCode).toBe(204);
    expect((await t.as(rep, 'GET', `/api/v1/activities/${slip.id}`)).statusCode).toBe(404);
    expect((await ok(t.as(rep, 'GET', `/api/v1/leads/${fresh.id}`))).lastActivityAt).toBe(keep.occurredAt);
    const tl = await ok(t.as(rep, 'GET', `/api/v1/leads/${fresh.id}/timeline`));
    expect(tl.items.map((e: any) => e.action)).toEqual(['created', 'activity_logged', 'activity_logged', 'activity_deleted']);
    setClock(() => new Date(t0 + 16 * 60_000));
    const late = await t.as(rep, 'DELETE', `/api/v1/activities/${keep.id}`);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('delete_window_passed');
  });

  it('reminds the assignee when the task falls due, unless it was completed or moved', async () => {
    const due = '2030-05-01T01:00:00.000Z';
    const task = await ok(t.as(rep, 'POST', '/api/v1/activities', { type: 'task', parentType: 'opportunity', parentId: conv.opportunityId, subject: '续约提醒', dueAt: due, assigneeId: mate.id }), 201);
    const jobs = await t.handle.db.selectFrom('jobs').selectAll().where('type', '=', TASK_DUE_JOB).execute();
    const job = jobs.find((j) => JSON.parse(j.payload).activityId === task.id)!;
    expect(job.runAt).toBe(due);
    const ctx = { db: t.handle.db, dialect: t.handle.dialect, user: SYSTEM, requestId: 'test' };
    const emailId = await runTaskDue(ctx, JSON.parse(job.payload));
    const email = await t.handle.db.selectFrom('jobs').selectAll().where('id', '=', emailId!).executeTakeFirstOrThrow();
    expect(email.type).toBe('email.send');
    expect(JSON.parse(email.payload)).toMatchObject({ to: mate.email, subject: expect.stringContaining('续约提醒') });
    // Moved: the old job passes silently, a new one is due at the new time.
    const moved = await ok(t.as(rep, 'PATCH', `/api/v1/activities/${task.id}`, { dueAt: '2030-05-02T01:00:00Z' }));
    expect(await runTaskDue(ctx, JSON.parse(job.payload))).toBeNull();
    const newer = (await t.handle.db.selectFrom('jobs').selectAll().where('type', '=', TASK_DUE_JOB).execute()).filter((j) => JSON.parse(j.payload).activityId === task.id);
    expect(newer.map((j) => j.runAt).sort()).toEqual([due, moved.dueAt]);
    await ok(t.as(mate, 'POST', `/api/v1/activities/${task.id}/complete`, {}));
    expect(await runTaskDue(ctx, { activityId: task.id, dueAt: moved.dueAt, assigneeId: mate.id })).toBeNull();
  });
});
