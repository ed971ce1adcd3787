import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabase } from '@openltc/testing';
import type { Db } from '@openltc/db';
import { reuseIn } from './hot-reads.ts';

/** The events of some entities but not of one action, through reuseIn, counting the builds. */
function eventsOf(db: Db, action: string, entityIds: readonly string[], builds: { n: number }) {
  return reuseIn(db, 'test.events.of', [action], entityIds, ([a], ids) => {
    builds.n++;
    return db.selectFrom('events').select(['id', 'entityId', 'action']).where('action', '!=', a as string).where('entityId', 'in', ids as string[]).orderBy('id');
  });
}

describe.each(DIALECTS)('reuseIn: one shape per list length (%s)', (dialect) => {
  let h: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    h = await freshDatabase(dialect);
    const rows = Array.from({ length: 40 }, (_, i) => ({
      id: `evt_${String(i).padStart(3, '0')}`,
      occurredAt: '2026-11-23T10:00:00.000Z',
      actorId: 'system',
      requestId: null,
      entityType: 'lead',
      entityId: `lead_${i % 20}`,
      action: i % 3 ? 'updated' : 'created',
      before: null,
      after: null,
    }));
    await h.db.insertInto('events').values(rows).execute();
  });
  afterAll(async () => {
    await h?.drop();
  });

  it('answers what the built query answers, for every list length, building each length up to 16 once', async () => {
    const builds = { n: 0 };
    for (const round of [0, 1]) {
      for (let len = 1; len <= 20; len++) {
        const ids = Array.from({ length: len }, (_, i) => `lead_${(i * 7 + round) % 20}`);
        const action = round ? 'created' : 'updated';
        const got = await eventsOf(h.db, action, ids, builds);
        const want = await h.db.selectFrom('events').select(['id', 'entityId', 'action']).where('action', '!=', action).where('entityId', 'in', ids).orderBy('id').execute();
        expect(got).toEqual(want);
        expect(got.length).toBeGreaterThan(0);
      }
    }
    // 16 shapes built once each (first round), lengths 17–20 built on every call (both rounds).
    expect(builds.n).toBe(16 + 4 * 2);
  });

  it('runs inside a transaction on its connection and sees its uncommitted rows', async () => {
    const builds = { n: 0 };
    await h.db.transaction().execute(async (trx) => {
      await trx.insertInto('events').values({ id: 'evt_tx', occurredAt: '2026-11-23T11:00:00.000Z', actorId: 'system', requestId: null, entityType: 'lead', entityId: 'lead_tx', action: 'created', before: null, after: null }).execute();
      const got = await eventsOf(trx as unknown as Db, 'x', ['lead_tx'], builds);
      expect(got).toEqual([{ id: 'evt_tx', entityId: 'lead_tx', action: 'created' }]);
    });
  });
});
