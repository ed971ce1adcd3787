import type { DatabaseHandle } from '@openltc/db';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import { backoffMs, createLead, enqueue, inTx, leadAssignedEmail, updateLead, Worker, type JobHandler } from '@openltc/core';
import { loadConfig } from '@openltc/server/config';
import { jobHandlers } from '@openltc/server/runtime';
import { freePort, startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';

const FROM = 'OpenLTC <ltc@example.com>';

function mailHandlers(smtpUrl: string, handle: DatabaseHandle): Record<string, JobHandler> {
  return jobHandlers(loadConfig({ SMTP_URL: smtpUrl, MAIL_FROM: FROM } as NodeJS.ProcessEnv), handle);
}

describe('the lead-assigned message', () => {
  const lead = { id: 'lead_01TEST', name: '王芳', company: '上海云启科技有限公司' };
  it('puts the reader’s language first and links the lead', () => {
    const zh = leadAssignedEmail(lead, { email: 'a@example.com', name: '李雷', locale: 'zh-CN' }, '韩梅梅');
    expect(zh.subject).toBe('新线索分配给您：王芳 (上海云启科技有限公司) / New lead assigned to you: 王芳 (上海云启科技有限公司)');
    expect(zh.text.indexOf('线索编号：lead_01TEST')).toBeLessThan(zh.text.indexOf('Lead id: lead_01TEST'));
    expect(zh.text).toContain('/leads/lead_01TEST');
    const en = leadAssignedEmail({ ...lead, company: null }, { email: 'b@example.com', name: 'Tom', locale: 'en' }, 'Ann');
    expect(en.subject).toBe('New lead assigned to you: 王芳 / 新线索分配给您：王芳');
    expect(en.text.indexOf('Hello Tom,')).toBe(0);
    expect(en.text.indexOf('Lead id:')).toBeLessThan(en.text.indexOf('线索编号'));
  });
});

describe.each(DIALECTS)('outbox, worker and email (%s)', (dialect) => {
  let t: TestApp;
  let smtp: SmtpSink;
  let admin: TestUser;
  let manager: TestUser;
  let rep: TestUser;
  let enRep: TestUser;

  const jobs = () => t.handle.db.selectFrom('jobs').selectAll().orderBy('id').execute();

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    smtp = await startSmtpSink();
    const team = await t.team('East 华东');
    admin = await t.user('admin', null, 'admin');
    manager = await t.user('sales_manager', team, 'hanmeimei');
    rep = await t.user('sales_rep', team, 'lilei');
    enRep = await t.user('sales_rep', team, 'tom');
    await t.handle.db.updateTable('users').set({ name: '韩梅梅' }).where('id', '=', manager.id).execute();
    await t.handle.db.updateTable('users').set({ name: '李雷' }).where('id', '=', rep.id).execute();
    await t.handle.db.updateTable('users').set({ name: 'Tom', locale: 'en' }).where('id', '=', enRep.id).execute();
  });
  afterAll(async () => {
    await smtp.close();
    await t.stop();
  });
  beforeEach(async () => {
    await t.handle.db.deleteFrom('jobs').execute();
    smtp.messages.length = 0;
  });

  it('emails the new owner when a lead is assigned, and not when nobody else is involved', async () => {
    const worker = new Worker({ db: t.handle.db, dialect, handlers: mailHandlers(smtp.url, t.handle) });
    const lead = await ok(
      t.as(manager, 'POST', '/api/v1/leads', { name: '王芳', company: '上海云启科技有限公司', ownerId: rep.id }),
      201,
    );
    const pending = await ok(t.as(admin, 'GET', '/api/v1/jobs?status=pending'));
    expect(pending.items).toHaveLength(1);
    expect(pending.items[0]).toMatchObject({ type: 'email.send', attempts: 0, payload: { to: rep.email } });
    expect(smtp.messages).toHaveLength(0);

    expect(await worker.runOnce()).toEqual({ claimed: 1, done: 1, retried: 0, dead: 0 });
    expect(smtp.messages).toHaveLength(1);
    const m = smtp.messages[0]!;
    expect(m.envelopeTo).toEqual([rep.email]);
    expect(m.envelopeFrom).toBe('ltc@example.com');
    expect(m.headers.to).toBe(rep.email);
    expect(m.subject).toBe('新线索分配给您：王芳 (上海云启科技有限公司) / New lead assigned to you: 王芳 (上海云启科技有限公司)');
    expect(m.text).toContain('李雷，您好：');
    expect(m.text).toContain('韩梅梅 将线索「王芳 (上海云启科技有限公司)」分配给了您。');
    expect(m.text).toContain(`线索编号：${lead.id}`);
    expect(m.text).toContain(`Open: /leads/${lead.id}`);
    expect(m.text.indexOf('线索编号')).toBeLessThan(m.text.indexOf('Lead id'));
    const done = await ok(t.as(admin, 'GET', '/api/v1/jobs?status=done'));
    expect(done.items.map((j: any) => j.id)).toEqual([pending.items[0].id]);
    expect(done.items[0]).toMatchObject({ attempts: 1, lockedBy: null, lastError: null });

    // Reassigning notifies the new owner, in their language first.
    await ok(t.as(manager, 'PATCH', `/api/v1/leads/${lead.id}`, { ownerId: enRep.id }));
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, done: 1 });
    expect(smtp.messages).toHaveLength(2);
    expect(smtp.messages[1]!.envelopeTo).toEqual([enRep.email]);
    expect(smtp.messages[1]!.subject).toBe('New lead assigned to you: 王芳 (上海云启科技有限公司) / 新线索分配给您：王芳 (上海云启科技有限公司)');
    expect(smtp.messages[1]!.text.startsWith('Hello Tom,\n')).toBe(true);

    // No message: an edit that keeps the owner, the same owner again, taking a lead oneself, creating one's own lead.
    await ok(t.as(manager, 'PATCH', `/api/v1/leads/${lead.id}`, { company: '云启科技' }));
    await ok(t.as(manager, 'PATCH', `/api/v1/leads/${lead.id}`, { ownerId: enRep.id }));
    await ok(t.as(manager, 'PATCH', `/api/v1/leads/${lead.id}`, { ownerId: manager.id }));
    await ok(t.as(rep, 'POST', '/api/v1/leads', { name: 'Own Lead' }), 201);
    await ok(t.as(rep, 'POST', '/api/v1/leads', { name: 'Own Lead 2', ownerId: rep.id }), 201);
    expect((await jobs()).filter((j) => j.status === 'pending')).toEqual([]);
    expect(await worker.runOnce()).toEqual({ claimed: 0, done: 0, retried: 0, dead: 0 });
    expect(smtp.messages).toHaveLength(2);
  });

  it('writes the job in the same transaction: a rollback leaves neither lead nor job', async () => {
    // The same calls, committed, do enqueue (so the rollback below is what removes the job).
    const kept = await createLead(t.sys, { name: 'Committed Lead', ownerId: rep.id });
    expect((await jobs()).map((j) => JSON.parse(j.payload).to)).toEqual([rep.email]);
    await t.handle.db.deleteFrom('jobs').execute();

    await expect(
      inTx(t.sys, async (tx) => {
        await createLead(tx, { name: 'Rolled Back Lead', ownerId: rep.id });
        await updateLead(tx, kept.id, { ownerId: enRep.id });
        expect(await tx.db.selectFrom('jobs').select('id').execute()).toHaveLength(2);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await jobs()).toEqual([]);
    expect(await t.handle.db.selectFrom('leads').select('id').where('name', '=', 'Rolled Back Lead').execute()).toEqual([]);
    expect((await t.handle.db.selectFrom('leads').select('ownerId').where('id', '=', kept.id).executeTakeFirstOrThrow()).ownerId).toBe(rep.id);
  });

  it('retries with exponential backoff while SMTP is down, goes dead, and succeeds after a manual retry', async () => {
    const port = await freePort(); // nothing listens here yet
    let now = Date.parse('2030-01-01T00:00:00.000Z');
    const logs: string[] = [];
    const worker = new Worker({
      db: t.handle.db,
      dialect,
      handlers: mailHandlers(`smtp://127.0.0.1:${port}`, t.handle),
      clock: () => new Date(now),
      log: (msg) => logs.push(msg),
    });
    const lead = await ok(t.as(manager, 'POST', '/api/v1/leads', { name: 'Retry Lead', company: 'Down Co', ownerId: rep.id }), 201);
    const [job] = await jobs();
    expect(job!.maxAttempts).toBe(5);

    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(await worker.runOnce()).toEqual({ claimed: 1, done: 0, retried: 1, dead: 0 });
      const row = (await jobs())[0]!;
      const delay = 5_000 * 2 ** (attempt - 1);
      expect(delay).toBe(backoffMs(attempt));
      expect(row).toMatchObject({ status: 'pending', attempts: attempt, lockedBy: null, lockedUntil: null });
      expect(row.lastError).toMatch(/ECONNREFUSED|connect/i);
      expect(row.runAt).toBe(new Date(now + delay).toISOString());
      now += delay - 1;
      expect((await worker.runOnce()).claimed).toBe(0); // not before its time
      now += 1;
    }
    expect(await worker.runOnce()).toEqual({ claimed: 1, done: 0, retried: 0, dead: 1 });
    const deadRow = (await jobs())[0]!;
    expect(deadRow).toMatchObject({ status: 'dead', attempts: 5 });
    expect(deadRow.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(logs).toHaveLength(5);
    now += 10 * 3_600_000;
    expect((await worker.runOnce()).claimed).toBe(0); // dead stays dead

    const listed = await ok(t.as(admin, 'GET', '/api/v1/jobs?status=dead'));
    expect(listed.items.map((j: any) => j.id)).toEqual([job!.id]);
    const denied = await t.as(rep, 'POST', `/api/v1/jobs/${job!.id}/retry`, {});
    expect(denied.statusCode).toBe(403);
    expect(await ok(t.as(admin, 'POST', `/api/v1/jobs/${job!.id}/retry`, {}))).toEqual({ id: job!.id, status: 'pending' });
    const again = await t.as(admin, 'POST', `/api/v1/jobs/${job!.id}/retry`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('job_not_dead');
    expect((await jobs())[0]).toMatchObject({ status: 'pending', attempts: 0 });

    const up = await startSmtpSink(port);
    try {
      expect(await worker.runOnce()).toEqual({ claimed: 1, done: 1, retried: 0, dead: 0 });
      expect(up.messages).toHaveLength(1);
      expect(up.messages[0]!.envelopeTo).toEqual([rep.email]);
      expect(up.messages[0]!.subject).toContain('Retry Lead (Down Co)');
      expect(up.messages[0]!.text).toContain(`/leads/${lead.id}`);
      expect((await jobs())[0]).toMatchObject({ status: 'done', attempts: 1, lastError: null });
    } finally {
      await up.close();
    }
  });

  it('hands a job over to another worker when the lease of a crashed worker runs out, not before', async () => {
    const t0 = Date.parse('2031-06-01T08:00:00.000Z');
    const calls: Array<{ id: string; attempts: number; by: string }> = [];
    const make = (at: () => number) => {
      const w: Worker = new Worker({
        db: t.handle.db,
        dialect,
        leaseMs: 30_000,
        clock: () => new Date(at()),
        handlers: {
          'test.record': async (_p, job) => {
            calls.push({ ...job, by: w.id });
          },
        },
      });
      return w;
    };
    const id = await enqueue(t.sys, 'test.record', { n: 1 }, { runAt: new Date(t0).toISOString() });
    const crashed = make(() => t0);
    expect((await crashed.claim()).map((j) => j.id)).toEqual([id]); // claimed, then never finishes
    expect((await jobs())[0]).toMatchObject({ status: 'running', lockedBy: crashed.id, attempts: 1 });

    let now = t0 + 29_999;
    const rescuer = make(() => now);
    expect((await rescuer.runOnce()).claimed).toBe(0);
    now = t0 + 30_000;
    expect((await rescuer.runOnce()).claimed).toBe(0); // the lease is still held at its last instant
    now = t0 + 30_001;
    expect(await rescuer.runOnce()).toEqual({ claimed: 1, done: 1, retried: 0, dead: 0 });
    expect(calls).toEqual([{ id, attempts: 2, by: rescuer.id }]);
    expect((await jobs())[0]).toMatchObject({ status: 'done', attempts: 2, lockedBy: null });
  });

  it('does not run again a job whose worker died on its last allowed attempt', async () => {
    const t0 = Date.parse('2031-07-01T08:00:00.000Z');
    let ran = 0;
    const handlers = { 'test.count': async () => void ran++ };
    const id = await enqueue(t.sys, 'test.count', {}, { runAt: new Date(t0).toISOString(), maxAttempts: 1 });
    const crashed = new Worker({ db: t.handle.db, dialect, handlers, leaseMs: 1_000, clock: () => new Date(t0) });
    expect(await crashed.claim()).toHaveLength(1);
    const later = new Worker({ db: t.handle.db, dialect, handlers, leaseMs: 1_000, clock: () => new Date(t0 + 5_000) });
    expect(await later.runOnce()).toEqual({ claimed: 0, done: 0, retried: 0, dead: 0 });
    expect(ran).toBe(0);
    const row = (await jobs())[0]!;
    expect(row).toMatchObject({ id, status: 'dead', attempts: 1, lockedBy: null });
    expect(row.lastError).toContain('lease ran out');
  });

  it('keeps the lease of a slow job alive, but lets another worker take the jobs waiting behind it', async () => {
    // Real time here: the heartbeat runs on a timer. Lease 300 ms; the first job takes 900 ms.
    const runs: Array<{ n: number; by: string }> = [];
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const record = (w: () => Worker) => async (p: { n: number }) => {
      runs.push({ n: p.n, by: w().id });
      if (p.n === 1) await sleep(900);
    };
    const slow: Worker = new Worker({ db: t.handle.db, dialect, batch: 2, leaseMs: 300, handlers: { 'test.batch': record(() => slow) } });
    const other: Worker = new Worker({ db: t.handle.db, dialect, leaseMs: 300, handlers: { 'test.batch': record(() => other) } });
    const start = Date.now();
    await enqueue(t.sys, 'test.batch', { n: 1 }, { runAt: new Date(start - 2).toISOString() });
    await enqueue(t.sys, 'test.batch', { n: 2 }, { runAt: new Date(start - 1).toISOString() });
    const pass = slow.runOnce();
    let taken = 0;
    while (runs.length < 2 && Date.now() - start < 5_000) {
      await sleep(40);
      taken += (await other.runOnce()).claimed;
    }
    expect(await pass).toEqual({ claimed: 2, done: 1, retried: 0, dead: 0 });
    expect(taken).toBe(1);
    expect(runs).toEqual([
      { n: 1, by: slow.id },
      { n: 2, by: other.id },
    ]);
    expect((await jobs()).map((j) => [j.status, j.attempts])).toEqual([
      ['done', 1],
      ['done', 2],
    ]);
  });

  it('gives each of several concurrent workers its own jobs', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 60; i++) ids.add(await enqueue(t.sys, 'test.noop', { i }));
    const workers = Array.from({ length: 4 }, () => new Worker({ db: t.handle.db, dialect, batch: 5, handlers: {} }));
    const owner = new Map<string, string>();
    for (let round = 0; round < 3; round++) {
      const claimed = await Promise.all(workers.map((w) => w.claim()));
      claimed.forEach((batch, i) => {
        expect(batch).toHaveLength(5); // skipped, not blocked, by the others' locks
        for (const j of batch) {
          expect(owner.has(j.id)).toBe(false);
          owner.set(j.id, workers[i]!.id);
        }
      });
    }
    expect(owner.size).toBe(60);
    expect([...owner.keys()].every((k) => ids.has(k))).toBe(true);
    const rows = await jobs();
    for (const r of rows) expect(r.lockedBy).toBe(owner.get(r.id));
    expect((await Promise.all(workers.map((w) => w.claim()))).flat()).toEqual([]);
  });

  it('runs jobs in the background between start() and stop()', async () => {
    const worker = new Worker({ db: t.handle.db, dialect, handlers: mailHandlers(smtp.url, t.handle), pollMs: 20 });
    worker.start();
    try {
      await ok(t.as(manager, 'POST', '/api/v1/leads', { name: 'Background Lead', ownerId: rep.id }), 201);
      const [m] = await smtp.waitFor(1, 10_000);
      expect(m!.subject).toContain('Background Lead');
    } finally {
      await worker.stop();
    }
    expect((await jobs()).map((j) => j.status)).toEqual(['done']);
    // Stopped: new work waits.
    await ok(t.as(manager, 'POST', '/api/v1/leads', { name: 'After Stop', ownerId: rep.id }), 201);
    await new Promise((r) => setTimeout(r, 100));
    expect((await jobs()).map((j) => j.status)).toEqual(['done', 'pending']);
  });
});
