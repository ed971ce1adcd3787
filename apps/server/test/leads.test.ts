import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';

describe.each(DIALECTS)('leads over HTTP (%s)', (dialect) => {
  let t: TestApp;
  let rep: TestUser;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    rep = await t.user('sales_rep', await t.team('East 华东'), 'Li Lei');
  });
  afterAll(() => t.stop());

  it('creates, qualifies and converts a lead into account, contact and opportunity', async () => {
    const lead = await ok(t.as(rep, 'POST', '/api/v1/leads', { name: '王芳', company: '上海云启科技有限公司', email: 'Wang.Fang@Yunqi.cn', source: 'web' }), 201);
    expect(lead.status).toBe('new');
    expect(lead.email).toBe('wang.fang@yunqi.cn');
    expect(lead.ownerId).toBe(rep.id);
    expect(lead.allowedActions).toContain('qualify');

    const q = await ok(t.as(rep, 'POST', `/api/v1/leads/${lead.id}/qualify`, {}));
    expect(q.status).toBe('qualified');
    const conv = await ok(t.as(rep, 'POST', `/api/v1/leads/${lead.id}/convert`, { amountMinor: 12_000_000, expectedCloseDate: '2026-12-31' }));
    expect(conv.lead.status).toBe('converted');
    const acc = await ok(t.as(rep, 'GET', `/api/v1/accounts/${conv.accountId}`));
    expect(acc.name).toBe('上海云启科技有限公司');
    expect(acc.leadId).toBe(lead.id);
    const opp = await ok(t.as(rep, 'GET', `/api/v1/opportunities/${conv.opportunityId}`));
    expect(opp).toMatchObject({ amountMinor: 12_000_000, status: 'open', leadId: lead.id, contactId: conv.contactId });

    const tl = await ok(t.as(rep, 'GET', `/api/v1/leads/${lead.id}/timeline`));
    expect(tl.items.map((e: any) => e.action)).toEqual(['created', 'qualify', 'convert']);
    expect(tl.items[1]).toMatchObject({ actorId: rep.id, before: { status: 'new' }, after: { status: 'qualified' } });
  });

  it('refuses a transition the lifecycle does not allow, naming the allowed ones', async () => {
    const lead = await ok(t.as(rep, 'POST', '/api/v1/leads', { name: 'Tom Baker' }), 201);
    const r = await t.as(rep, 'POST', `/api/v1/leads/${lead.id}/convert`, {});
    expect(r.statusCode).toBe(409);
    expect(r.headers['content-type']).toContain('application/problem+json');
    const p = r.json();
    expect(p.code).toBe('invalid_transition');
    expect(p.allowedActions).toEqual(['work', 'nurture', 'qualify', 'disqualify']);
  });

  it('rejects unknown fields and bad values with per-field problems', async () => {
    const r = await t.as(rep, 'POST', '/api/v1/leads', { name: '', email: 'nope', colour: 'red' });
    expect(r.statusCode).toBe(422);
    const p = r.json();
    expect(p.code).toBe('validation_failed');
    const paths = p.errors.map((e: any) => e.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['name', 'email', '(root)']));
    expect(p.errors.find((e: any) => e.path === '(root)').message).toContain('colour');
  });

  it('detects a stale edit with If-Match and keeps the newer data', async () => {
    const lead = await ok(t.as(rep, 'POST', '/api/v1/leads', { name: 'Stale Sam' }), 201);
    const get = await t.as(rep, 'GET', `/api/v1/leads/${lead.id}`);
    const etag = get.headers.etag as string;
    expect(etag).toBe('W/"1"');
    await ok(t.as(rep, 'PATCH', `/api/v1/leads/${lead.id}`, { company: 'First Co' }, { 'if-match': etag }));
    const stale = await t.as(rep, 'PATCH', `/api/v1/leads/${lead.id}`, { company: 'Second Co' }, { 'if-match': etag });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('version_conflict');
    expect((await ok(t.as(rep, 'GET', `/api/v1/leads/${lead.id}`))).company).toBe('First Co');
  });

  it('replays the first response for a repeated Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'k-lead-1' };
    const a = await t.as(rep, 'POST', '/api/v1/leads', { name: 'Once Only' }, headers);
    const b = await t.as(rep, 'POST', '/api/v1/leads', { name: 'Once Only' }, headers);
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.headers['idempotency-replayed']).toBe('true');
    expect(b.json().id).toBe(a.json().id);
    const c = await t.as(rep, 'POST', '/api/v1/leads', { name: 'Different' }, headers);
    expect(c.statusCode).toBe(422);
    expect(c.json().code).toBe('idempotency_key_reused');
    // Search is case-insensitive on both databases, and % is a literal, not a wildcard.
    const list = await ok(t.as(rep, 'GET', '/api/v1/leads?q=once%20ONLY'));
    expect(list.items).toHaveLength(1);
    expect((await ok(t.as(rep, 'GET', '/api/v1/leads?q=%25'))).items).toHaveLength(0);
  });

  it('paginates with a cursor, sorted, without repeats or gaps', async () => {
    for (let i = 0; i < 7; i++) await ok(t.as(rep, 'POST', '/api/v1/leads', { name: `Page ${i}`, source: 'pager', score: i % 3 }), 201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const qs: string = `source=pager&sort=-score&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page: any = await ok(t.as(rep, 'GET', `/api/v1/leads?${qs}`));
      seen.push(...page.items.map((l: any) => `${l.score}:${l.name}`));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    const scores = seen.map((s) => Number(s.split(':')[0]));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });
});
