import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import { purgeExpired, RECURRING, setClock, Worker } from '@openltc/core';
import { jobHandlers } from '@openltc/server/runtime';
import { loadConfig } from '@openltc/server/config';
import { dealFor, product } from './support/quote-fixtures.ts';

/** The hourly sweep: enqueued once per slot however often workers look, and it expires lapsed quotes. */
describe.each(DIALECTS)('recurring sweeps (%s)', (dialect) => {
  let t: TestApp;
  let admin: TestUser, rep: TestUser, manager: TestUser;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const team = await t.team('East');
    admin = await t.user('admin', null, 'Admin');
    rep = await t.user('sales_rep', team, 'Rep');
    manager = await t.user('sales_manager', team, 'Manager');
  });
  afterEach(() => setClock(null));
  afterAll(() => t.stop());

  it('expires a sent quote after its validity, once, as the system', async () => {
    const p = await product(t, admin);
    const { opportunity } = await dealFor(t, rep);
    const q = await ok(t.as(rep, 'POST', `/api/v1/opportunities/${opportunity.id}/quotes`, { lines: [{ productId: p.id, quantity: '1' }] }), 201);
    await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/submit`, {}));
    await ok(t.as(manager, 'POST', `/api/v1/quotes/${q.id}/approve`, {}));
    await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/send`, {}));

    const later = new Date(Date.parse(`${q.validUntil}T12:00:00Z`) + 2 * 86_400_000);
    setClock(() => later);
    const worker = new Worker({
      db: t.handle.db,
      dialect,
      handlers: jobHandlers(loadConfig({} as NodeJS.ProcessEnv), t.handle),
      recurring: RECURRING,
      clock: () => later,
    });
    const first = await worker.runOnce();
    expect(first.done).toBe(3); // the hourly sweep, the day's dunning run (nothing overdue to dun) and billing run (nothing due)
    const billing = await t.handle.db.selectFrom('jobs').select('status').where('type', '=', 'billing.run').execute();
    expect(billing.map((j) => j.status)).toEqual(['done']);
    const after = await ok(t.as(rep, 'GET', `/api/v1/quotes/${q.id}`));
    expect(after.status).toBe('expired');
    const tl = await ok(t.as(rep, 'GET', `/api/v1/quotes/${q.id}/timeline`));
    expect(tl.items.at(-1)).toMatchObject({ action: 'expire', actorId: 'system' });

    // Another worker in the same hour finds nothing new to enqueue; the next hour gets its own job.
    const other = new Worker({ db: t.handle.db, dialect, handlers: jobHandlers(loadConfig({} as NodeJS.ProcessEnv), t.handle), recurring: RECURRING, clock: () => later });
    expect((await other.runOnce()).claimed).toBe(0);
    const nextHour = new Date(later.getTime() + 3_600_000);
    const third = new Worker({ db: t.handle.db, dialect, handlers: jobHandlers(loadConfig({} as NodeJS.ProcessEnv), t.handle), recurring: RECURRING, clock: () => nextHour });
    expect((await third.runOnce()).done).toBe(1);
    const sweeps = await t.handle.db.selectFrom('jobs').select(['id', 'status']).where('type', '=', 'sweep.expire_documents').execute();
    expect(sweeps).toHaveLength(2);
    expect(sweeps.every((j) => j.status === 'done')).toBe(true);
  });

  it('purges expired sessions and day-old idempotency keys, keeping the rest', async () => {
    const db = t.handle.db;
    const now = new Date();
    const iso = (ms: number) => new Date(now.getTime() + ms).toISOString();
    await db.insertInto('sessions').values([
      { sid: 'old', data: '{}', expiresAt: iso(-1000) },
      { sid: 'live', data: '{}', expiresAt: iso(3_600_000) },
    ]).execute();
    const key = (k: string, ageMs: number, statusCode = 201) => ({ key: k, principal: 'p', method: 'POST', path: '/x', requestHash: 'h', statusCode, responseBody: '{}', createdAt: iso(-ageMs) });
    await db.insertInto('idempotencyKeys').values([key('stale', 2 * 86_400_000), key('fresh', 60_000)]).execute();
    expect(await purgeExpired(db, now)).toEqual({ sessions: 1, idempotencyKeys: 1 });
    expect((await db.selectFrom('sessions').select('sid').where('sid', 'in', ['old', 'live']).execute()).map((r) => r.sid)).toEqual(['live']);
    expect((await db.selectFrom('idempotencyKeys').select('key').where('principal', '=', 'p').execute()).map((r) => r.key)).toEqual(['fresh']);
  });
});
