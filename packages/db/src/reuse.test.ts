import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DIALECTS, freshDatabase } from '@openltc/testing';
import { reuse, type Db } from './index.ts';

const event = (id: string, action: string, requestId: string | null = null) => ({
  id,
  occurredAt: '2026-11-23T10:00:00.000Z',
  actorId: 'system',
  requestId,
  entityType: 'lead',
  entityId: 'lead_1',
  action,
  before: null,
  after: JSON.stringify({ n: id }),
});
type Ev = ReturnType<typeof event>;
const COLS = Object.keys(event('x', 'x')) as Array<keyof Ev>;

/** Inserts through reuse, counting how often the query had to be built. */
function insertEvent(db: Db, e: Ev, builds: { n: number }) {
  return reuse(db, 'test.events.insert', COLS.map((c) => e[c]), (v) => {
    builds.n++;
    return db.insertInto('events').values(Object.fromEntries(COLS.map((c, i) => [c, v[i]])) as any);
  });
}

function byEntityNotAction(db: Db, entityId: string, action: string, builds: { n: number }) {
  return reuse(db, 'test.events.byEntity', [entityId, action], ([id, a]) => {
    builds.n++;
    // 'lead' stays a constant of the shape; the two values are bound.
    return db.selectFrom('events').select(['id', 'requestId', 'action']).where('entityType', '=', 'lead').where('entityId', '=', id as string).where('action', '!=', a as string).orderBy('id');
  });
}

describe.each(DIALECTS)('reuse: compiled once, run with new values (%s)', (dialect) => {
  let h: Awaited<ReturnType<typeof freshDatabase>>;
  let other: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    h = await freshDatabase(dialect);
    other = await freshDatabase(dialect);
  });
  afterAll(async () => {
    await h?.drop();
    await other?.drop();
  });

  it('builds a shape once, then answers exactly what the built query answers', async () => {
    const builds = { n: 0 };
    for (const [i, a] of ['created', 'qualify', 'convert'].entries()) await insertEvent(h.db, event(`evt_${i}`, a, i === 1 ? 'req_1' : null), builds);
    expect(builds.n).toBe(1);
    const reads = { n: 0 };
    const got = (await byEntityNotAction(h.db, 'lead_1', 'qualify', reads)).rows;
    const again = (await byEntityNotAction(h.db, 'lead_1', 'convert', reads)).rows;
    expect(reads.n).toBe(1);
    // Results come back camelCased, like any query of this handle.
    expect(got).toEqual([
      { id: 'evt_0', requestId: null, action: 'created' },
      { id: 'evt_2', requestId: null, action: 'convert' },
    ]);
    expect(again.map((r) => r.id)).toEqual(['evt_0', 'evt_1']);
    const built = await h.db.selectFrom('events').select(['id', 'requestId', 'action']).where('entityType', '=', 'lead').where('entityId', '=', 'lead_1').where('action', '!=', 'convert').orderBy('id').execute();
    expect(again).toEqual(built);
  });

  it('keeps shapes apart per database, and runs inside a transaction that rolls back', async () => {
    const builds = { n: 0 };
    await insertEvent(other.db, event('evt_other', 'created'), builds);
    expect((await byEntityNotAction(other.db, 'lead_1', 'x', builds)).rows.map((r) => r.id)).toEqual(['evt_other']);
    expect(builds.n).toBe(2); // a shape of its own for this database
    await expect(
      other.db.transaction().execute(async (trx) => {
        await insertEvent(trx as unknown as Db, event('evt_rolled_back', 'created'), builds);
        expect((await byEntityNotAction(trx as unknown as Db, 'lead_1', 'x', builds)).rows).toHaveLength(2);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await byEntityNotAction(other.db, 'lead_1', 'x', builds)).rows.map((r) => r.id)).toEqual(['evt_other']);
    // Transactions share their database's shapes: nothing was built again inside them.
    for (let i = 0; i < 3; i++) await other.db.transaction().execute((trx) => byEntityNotAction(trx as unknown as Db, 'lead_1', 'x', builds));
    expect(builds.n).toBe(2);
  });

  it('builds every time when a value is not plain (undefined, a list, an expression)', async () => {
    const builds = { n: 0 };
    const run = (v: unknown) =>
      reuse(h.db, 'test.events.requestIdOf', [v], ([x]) => {
        builds.n++;
        return h.db.selectFrom('events').select('id').where('id', Array.isArray(x) ? 'in' : '=', x as any).orderBy('id');
      });
    expect((await run(['evt_0', 'evt_2'])).rows.map((r) => r.id)).toEqual(['evt_0', 'evt_2']);
    expect((await run(['evt_1'])).rows.map((r) => r.id)).toEqual(['evt_1']);
    expect((await run(sql<string>`${'evt_2'}`)).rows.map((r) => r.id)).toEqual(['evt_2']);
    expect(builds.n).toBe(3);
    // Plain values after that: the shape is built once more (with placeholders), then reused.
    expect((await run('evt_0')).rows.map((r) => r.id)).toEqual(['evt_0']);
    expect((await run('evt_1')).rows.map((r) => r.id)).toEqual(['evt_1']);
    expect(builds.n).toBe(4);
  });

  it('leaves a handle with a watching plugin alone: the plugin sees every query as run, never a placeholder', async () => {
    const seen: unknown[][] = [];
    const watched = h.db.withPlugin({
      transformQuery: (args) => {
        seen.push([...h.db.getExecutor().compileQuery(args.node, args.queryId).parameters]);
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const builds = { n: 0 };
    expect((await byEntityNotAction(watched, 'lead_1', 'created', builds)).rows.map((r) => r.id)).toEqual(['evt_1', 'evt_2']);
    expect((await byEntityNotAction(watched, 'lead_1', 'qualify', builds)).rows.map((r) => r.id)).toEqual(['evt_0', 'evt_2']);
    expect(builds.n).toBe(2);
    expect(seen).toEqual([
      ['lead', 'lead_1', 'created'],
      ['lead', 'lead_1', 'qualify'],
    ]);
  });

  it('never caches a shape where a value is not a bound parameter', async () => {
    const builds = { n: 0 };
    // sql.lit inlines the value into the SQL text: the shape cannot be reused, so each call builds.
    const run = (id: string) =>
      reuse(h.db, 'test.events.inlined', [id], ([x]) => {
        builds.n++;
        return h.db.selectFrom('events').select('id').where('id', '=', sql.lit(typeof x === 'string' ? x : 'placeholder'));
      });
    expect((await run('evt_0')).rows).toEqual([{ id: 'evt_0' }]);
    expect((await run('evt_1')).rows).toEqual([{ id: 'evt_1' }]);
    expect(builds.n).toBe(3); // the placeholder attempt, then each call
  });
});
