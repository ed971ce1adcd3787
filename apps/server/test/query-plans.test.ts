import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '@openltc/core';
import { DIALECTS, PG_URL } from '@openltc/testing';
import { freshBenchDb, type BenchDb } from '../../../bench/lib/db.ts';
import { generateDataset, type Dataset } from '../../../bench/lib/bulk.ts';
import { HOT_QUERIES, contexts, type Actor, type HotQuery, type Picks } from '../../../bench/lib/hot-queries.ts';
import { captureQueries, explain, type Plan } from '../../../bench/lib/plans.ts';
import { SIZES } from '../../../bench/lib/sizes.ts';

/**
 * The hot list queries (the ones the W4 benchmark times at a million leads) read through indexes:
 * every statement their use case sends is explained, and none may read a whole table. On PostgreSQL
 * sequential scans are priced out for the EXPLAIN, so on this small data set a sequential scan still
 * appears only where no index can serve.
 */
describe.each(DIALECTS)('query plans of the hot lists (%s)', (dialect) => {
  let db: BenchDb;
  let data: Dataset;
  let ctxs: Record<Actor, Ctx>;

  beforeAll(async () => {
    db = await freshBenchDb(dialect, PG_URL, 3);
    data = await generateDataset(db, SIZES.small.data);
    ctxs = await contexts(data, { db: db.handle.db, dialect, requestId: null });
  });
  afterAll(() => db?.drop());

  async function plans(q: HotQuery): Promise<Plan[]> {
    const picks: Picks = { data, one: (list) => data.sample[list][0]! };
    const ctx = ctxs[q.as];
    const prepared = q.prepare ? await q.prepare(ctx, picks) : {};
    const statements = await captureQueries(ctx, (c) => q.run(c, picks, prepared));
    expect(statements.length).toBeGreaterThan(0);
    return Promise.all(statements.map((s) => explain(db.handle.db, dialect, s)));
  }

  it.each(HOT_QUERIES.filter((q) => q.indexed).map((q) => [q.name, q] as const))('%s: no full table scan', async (_name, q) => {
    for (const p of await plans(q)) expect(p.fullScans, `${p.sql}\n${p.lines.join('\n')}`).toEqual([]);
  });

  it('the check sees a full scan where there is no index (sort by score)', async () => {
    const q = HOT_QUERIES.find((x) => !x.indexed && x.name.includes('score'))!;
    const [p] = await plans(q);
    expect(p!.fullScans).toContain('leads');
  });
});
