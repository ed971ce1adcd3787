import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CompiledQuery, sql, type KyselyPlugin } from 'kysely';
import pg from 'pg';
import { createDatabase, migrateToLatest, type Db, type DatabaseHandle } from '@openltc/db';
import {
  FTS_DRIVE_MAX,
  createActivity,
  createLead,
  ensureDefaultPipeline,
  listActivities,
  principalFor,
  setClock,
  SYSTEM,
  type Ctx,
} from '@openltc/core';
import { DIALECTS, PG_URL, TestApp, ok, type TestUser } from '@openltc/testing';

/**
 * Activity search by the text index of migration 022 (SQLite FTS5 trigram, PostgreSQL pg_trgm): a text
 * of three characters or more is found in subject or notes over all of history, in Chinese and
 * English, regardless of case, within the caller's scope, and the query plan reads the index. Shorter
 * texts keep the bounded LIKE (activity-search.test.ts).
 */

/** The statements a Ctx runs, compiled, so that a test can ask the database for their plan. */
function recording(db: Db): { db: Db; seen: CompiledQuery[] } {
  const seen: CompiledQuery[] = [];
  const plugin: KyselyPlugin = {
    transformQuery: (a) => {
      seen.push(db.getExecutor().compileQuery(a.node, a.queryId));
      return a.node;
    },
    transformResult: async (a) => a.result,
  };
  return { db: db.withPlugin(plugin), seen };
}

/**
 * The plan of the statement that listed the activities. `noSeqScan` (PostgreSQL): for a table too small
 * for the planner to weigh indexes, plan as if sequential scans cost too much, to see what the index serves.
 */
async function planOfSearch(h: DatabaseHandle, seen: CompiledQuery[], noSeqScan = false): Promise<string> {
  const q = seen.find((c) => c.sql.startsWith('select "activities".*') && c.sql.includes(' order by '));
  if (!q) throw new Error(`no activity search among ${seen.map((c) => c.sql).join('\n')}`);
  if (h.dialect === 'sqlite') {
    const rows = h.sqlite!.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as unknown[])) as Array<{ detail: string }>;
    return rows.map((r) => r.detail).join('\n');
  }
  return h.db.transaction().execute(async (trx) => {
    if (noSeqScan) await sql`set local enable_seqscan = off`.execute(trx);
    const res = await trx.executeQuery<Record<string, string>>(CompiledQuery.raw(`explain ${q.sql}`, [...q.parameters]));
    return res.rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}

const TWO_YEARS_MS = 2 * 365 * 86_400_000;

describe.each(DIALECTS)('activity search by the text index (%s)', (dialect) => {
  let t: TestApp;
  let rep: TestUser, outsider: TestUser;
  let lead: any, oldCjk: any, oldEn: any, recent: any, theirs: any;
  /** PostgreSQL databases with LC_CTYPE C (the test cluster's) give pg_trgm no trigrams of Chinese text. */
  let cjkIndexed = true;

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const east = await t.team('East 华东');
    const west = await t.team('West 华西');
    rep = await t.user('sales_rep', east, '李雷');
    outsider = await t.user('sales_rep', west, 'Outsider');
    lead = await ok(t.as(rep, 'POST', '/api/v1/leads', { name: '王芳', company: '北京云栈科技有限公司' }), 201);
    const other = await ok(t.as(outsider, 'POST', '/api/v1/leads', { name: 'Zhou', company: 'West Co' }), 201);
    setClock(() => new Date(Date.now() - TWO_YEARS_MS));
    oldCjk = await ok(
      t.as(rep, 'POST', '/api/v1/activities', { type: 'call', parentType: 'lead', parentId: lead.id, subject: '首次拜访', notes: '北京云栈科技的采购负责人，下季度预算' }),
      201,
    );
    oldEn = await ok(
      t.as(rep, 'POST', '/api/v1/activities', { type: 'meeting', parentType: 'lead', parentId: lead.id, subject: 'Quarterly Budget Review with CFO' }),
      201,
    );
    setClock(null);
    recent = await ok(
      t.as(rep, 'POST', '/api/v1/activities', { type: 'note', parentType: 'lead', parentId: lead.id, subject: '云栈科技 续约', notes: 'renewal terms' }),
      201,
    );
    theirs = await ok(
      t.as(outsider, 'POST', '/api/v1/activities', { type: 'note', parentType: 'lead', parentId: other.id, subject: '云栈科技 budget review (private to West)' }),
      201,
    );
    if (dialect === 'postgres') {
      const r = await sql<{ n: number }>`select cardinality(show_trgm('云栈科技')) as n`.execute(t.handle.db);
      cjkIndexed = Number(r.rows[0]!.n) > 0;
    }
  });
  afterAll(() => t.stop());
  afterEach(() => setClock(null));

  const search = async (user: TestUser, q: string, extra = '') =>
    (await ok(t.as(user, 'GET', `/api/v1/activities?q=${encodeURIComponent(q)}${extra}`))).items.map((a: any) => a.id);

  it('finds a Chinese substring of three characters or more in subject or notes, over all of history', async () => {
    // Where the database indexes Chinese text, all of history; otherwise the bounded LIKE (one year).
    expect((await search(rep, '云栈科')).sort()).toEqual((cjkIndexed ? [recent.id, oldCjk.id] : [recent.id]).sort());
    expect(await search(rep, '采购负责人')).toEqual(cjkIndexed ? [oldCjk.id] : []);
    // Two characters: the bounded LIKE, as before (the old activity is beyond the year).
    expect(await search(rep, '云栈')).toEqual([recent.id]);
    expect(await search(rep, '云栈科技 续约')).toEqual([recent.id]);
    expect(await search(rep, '云栈科技续约')).toEqual([]);
  });

  it('finds English text regardless of case, a substring inside words too, and quotes taken literally', async () => {
    expect(await search(rep, 'budget review')).toEqual([oldEn.id]);
    expect(await search(rep, 'BUDGET REVIEW')).toEqual([oldEn.id]);
    expect(await search(rep, 'dget Rev')).toEqual([oldEn.id]);
    expect(await search(rep, 'RENEWAL')).toEqual([recent.id]);
    expect(await search(rep, '"budget"')).toEqual([]);
    expect(await search(rep, 'budget OR renewal')).toEqual([]);
    // `since` still bounds a search across records when given.
    expect(await search(rep, 'budget review', `&since=${encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString())}`)).toEqual([]);
  });

  it('finds nothing outside the caller’s scope: another team’s activities stay hidden, in the list and in Ctrl/Cmd+K', async () => {
    expect(await search(rep, 'private to West')).toEqual([]);
    expect(await search(outsider, 'private to West')).toEqual([theirs.id]);
    expect(await search(outsider, 'budget review')).toEqual([theirs.id]);
    expect(await search(outsider, '采购负责人')).toEqual([]);
    const global = await ok(t.as(outsider, 'GET', `/api/v1/search?q=${encodeURIComponent('budget review')}`));
    expect(global.items.filter((h: any) => h.type === 'activities').map((h: any) => h.id)).toEqual([theirs.id]);
    const mine = await ok(t.as(rep, 'GET', `/api/v1/search?q=${encodeURIComponent('budget review')}`));
    expect(mine.items.filter((h: any) => h.type === 'activities').map((h: any) => h.id)).toEqual([oldEn.id]);
    // Within one record (the activity panel's filter).
    const panel = await ok(t.as(rep, 'GET', `/api/v1/activities?parentType=lead&parentId=${lead.id}&q=${encodeURIComponent('Budget')}`));
    expect(panel.items.map((a: any) => a.id)).toEqual([oldEn.id]);
  });

  it('follows edits and deletions of subject and notes', async () => {
    const a = await ok(
      t.as(rep, 'POST', '/api/v1/activities', { type: 'note', parentType: 'lead', parentId: lead.id, subject: 'Kickoff agenda', notes: '交付计划草稿' }),
      201,
    );
    expect(await search(rep, 'kickoff')).toEqual([a.id]);
    const edited = await ok(
      t.as(rep, 'PATCH', `/api/v1/activities/${a.id}`, { subject: 'Steering agenda' }, { 'if-match': `W/"${a.version}"` }),
    );
    expect(await search(rep, 'kickoff')).toEqual([]);
    expect(await search(rep, 'steering')).toEqual([a.id]);
    await ok(t.as(rep, 'PATCH', `/api/v1/activities/${a.id}`, { notes: null }, { 'if-match': `W/"${edited.version}"` }));
    expect(await search(rep, 'agenda')).toEqual([a.id]);
    expect(await search(rep, '交付计划')).toEqual([]);
    expect((await t.as(rep, 'DELETE', `/api/v1/activities/${a.id}`)).statusCode).toBe(204);
    expect(await search(rep, 'steering')).toEqual([]);
  });

  it('reads a common text newest first (SQLite: more hits than FTS_DRIVE_MAX), in order, within scope', async () => {
    const base = Date.parse('2026-06-01T00:00:00Z');
    const rows = Array.from({ length: FTS_DRIVE_MAX + 50 }, (_, i) => {
      const at = new Date(base - i * 3_600_000).toISOString();
      return { id: `act_common${String(i).padStart(6, '0')}`, type: 'note', parentType: 'lead', parentId: lead.id, subject: `Weekly Pricing sync #${i}`, status: 'done', occurredAt: at, createdAt: at, updatedAt: at, createdBy: rep.id, ownerId: rep.id, version: 1 };
    });
    for (let i = 0; i < rows.length; i += 200) await t.handle.db.insertInto('activities').values(rows.slice(i, i + 200) as any).execute();
    const row = await t.handle.db.selectFrom('users').select('id').where('id', '=', rep.id).executeTakeFirstOrThrow();
    const user = (await principalFor(t.handle.db, row.id, 'session'))!;
    const { db, seen } = recording(t.handle.db);
    const first = await listActivities({ db, dialect, user, requestId: null }, { q: 'pricing SYNC', limit: '20' });
    expect(first.items.map((a) => a.id)).toEqual(rows.slice(0, 20).map((r) => r.id));
    const next = await listActivities({ db: t.handle.db, dialect, user, requestId: null }, { q: 'pricing SYNC', limit: '20', cursor: first.nextCursor! });
    expect(next.items.map((a) => a.id)).toEqual(rows.slice(20, 40).map((r) => r.id));
    // The oldest of them, beyond any bounded reach, is found by its own text.
    expect(await search(rep, `Pricing sync #${FTS_DRIVE_MAX + 49}`)).toEqual([rows.at(-1)!.id]);
    expect(await search(outsider, 'pricing sync')).toEqual([]);
    if (dialect === 'sqlite') expect(await planOfSearch(t.handle, seen)).toMatch(/^SCAN activities USING INDEX activities_created_idx/);
    await t.handle.db.deleteFrom('activities').where('id', 'like', 'act_common%').execute();
    expect(await search(rep, 'pricing sync')).toEqual([]);
  });

  it('reads the text index in the query plan', async () => {
    const row = await t.handle.db.selectFrom('users').select('id').where('id', '=', rep.id).executeTakeFirstOrThrow();
    const user = (await principalFor(t.handle.db, row.id, 'session'))!;
    const { db, seen } = recording(t.handle.db);
    const ctx: Ctx = { db, dialect, user, requestId: null };
    expect((await listActivities(ctx, { q: 'budget review' })).items.map((a) => a.id)).toEqual([oldEn.id]);
    if (dialect === 'postgres') {
      // Enough other activities, with statistics, that the planner weighs the trigram indexes for real.
      const words = ['客户', 'demo', 'renewal', 'contract', 'follow-up', 'pricing', '交付', 'call back', 'quote', 'visit'];
      const filler = Array.from({ length: 3000 }, (_, i) => {
        const at = new Date(Date.parse('2025-01-01T00:00:00Z') + i * 60_000).toISOString();
        const text = Array.from({ length: 8 }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' ');
        return { id: `act_filler${String(i).padStart(6, '0')}`, type: 'note', parentType: 'lead', parentId: lead.id, subject: text.slice(0, 40), notes: text, status: 'done', occurredAt: at, createdAt: at, updatedAt: at, createdBy: rep.id, ownerId: rep.id, version: 1 };
      });
      for (let i = 0; i < filler.length; i += 500) await t.handle.db.insertInto('activities').values(filler.slice(i, i + 500) as any).execute();
      await sql`analyze activities`.execute(t.handle.db);
      seen.length = 0;
      expect((await listActivities(ctx, { q: 'budget review' })).items.map((a) => a.id)).toEqual([oldEn.id]);
    }
    const plan = await planOfSearch(t.handle, seen);
    if (dialect === 'postgres') await t.handle.db.deleteFrom('activities').where('id', 'like', 'act_filler%').execute();
    // SQLite: the FTS hits first (the outer loop), each activity then found by its rowid.
    if (dialect === 'sqlite') expect(plan).toMatch(/^SCAN activities_fts VIRTUAL TABLE INDEX \d+:M[\s\S]*SEARCH activities USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    else {
      expect(plan).toMatch(/Bitmap Index Scan on activities_subject_trgm_idx/);
      expect(plan).toMatch(/Bitmap Index Scan on activities_notes_trgm_idx/);
    }
  });
});

/**
 * PostgreSQL with a UTF-8 LC_CTYPE (how a Chinese deployment creates its database): pg_trgm takes
 * trigrams from Chinese text, so a Chinese search reaches all of history through the index.
 */
describe.runIf(!!PG_URL)('activity search by pg_trgm in a database with a UTF-8 ctype', () => {
  let h: DatabaseHandle;
  let name: string;
  let sys: Ctx;
  let old: any, recent: any;

  beforeAll(async () => {
    name = `ltc_t_utf8_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'`);
    await admin.end();
    const url = new URL(PG_URL!);
    url.pathname = `/${name}`;
    h = createDatabase({ databaseUrl: url.toString(), poolSize: 2 });
    await migrateToLatest(h);
    await ensureDefaultPipeline(h.db);
    sys = { db: h.db, dialect: 'postgres', user: SYSTEM, requestId: null };
    const lead = await createLead(sys, { name: '王芳', company: '北京云栈科技有限公司' });
    setClock(() => new Date(Date.now() - TWO_YEARS_MS));
    old = await createActivity(sys, { type: 'note', parentType: 'lead', parentId: lead.id, subject: '首次拜访', notes: '北京云栈科技的采购负责人' } as any);
    setClock(null);
    recent = await createActivity(sys, { type: 'note', parentType: 'lead', parentId: lead.id, subject: '云栈科技 续约' } as any);
  });
  afterAll(async () => {
    setClock(null);
    await h?.close();
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
  });

  it('finds a Chinese substring over all of history, by the trigram indexes', async () => {
    const { db, seen } = recording(h.db);
    const ctx: Ctx = { ...sys, db };
    const got = await listActivities(ctx, { q: '云栈科' });
    expect(got.items.map((a) => a.id).sort()).toEqual([old.id, recent.id].sort());
    expect(seen.some((c) => c.sql.includes('"created_at" >='))).toBe(false);
    const plan = await planOfSearch(h, seen, true);
    expect(plan).toMatch(/Bitmap Index Scan on activities_subject_trgm_idx/);
    expect((await listActivities(sys, { q: '采购负责人' })).items.map((a) => a.id)).toEqual([old.id]);
    // Two characters stay the bounded LIKE: the two-year-old note is out of reach.
    expect((await listActivities(sys, { q: '云栈' })).items.map((a) => a.id)).toEqual([recent.id]);
  });
});
