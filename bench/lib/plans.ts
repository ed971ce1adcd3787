import { CompiledQuery, type KyselyPlugin } from 'kysely';
import type { Ctx } from '@openltc/core';
import type { Db, Dialect } from '@openltc/db';

/** Runs fn with a database that records every statement it sends (SQL and parameters). */
export async function captureQueries(ctx: Ctx, fn: (ctx: Ctx) => Promise<unknown>): Promise<CompiledQuery[]> {
  const out: CompiledQuery[] = [];
  const base = ctx.db;
  const recorder: KyselyPlugin = {
    transformQuery: (args) => {
      out.push(base.getExecutor().compileQuery(args.node, args.queryId));
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  await fn({ ...ctx, db: base.withPlugin(recorder) as Db });
  return out;
}

/**
 * Runs fn with a database that times every statement it sends, from the moment it is handed to the
 * driver to its result (rows and the camelCase plugin included): the statements of one call in order.
 */
export async function timeQueries(ctx: Ctx, fn: (ctx: Ctx) => Promise<unknown>): Promise<Array<{ sql: string; ms: number }>> {
  const out: Array<{ sql: string; ms: number }> = [];
  const base = ctx.db;
  const open = new Map<unknown, { sql: string; t: number }>();
  const timer: KyselyPlugin = {
    transformQuery: (args) => {
      const sql = base.getExecutor().compileQuery(args.node, args.queryId).sql;
      open.set(args.queryId, { sql, t: performance.now() });
      return args.node;
    },
    transformResult: async (args) => {
      const o = open.get(args.queryId);
      if (o) out.push({ sql: o.sql, ms: performance.now() - o.t });
      open.delete(args.queryId);
      return args.result;
    },
  };
  await fn({ ...ctx, db: base.withPlugin(timer) as Db });
  return out;
}

export interface Plan {
  sql: string;
  /** The plan as text, one line per step. */
  lines: string[];
  /** Tables read from start to end without an index. */
  fullScans: string[];
  /** Whether rows are sorted after reading rather than read in index order. */
  sorts: boolean;
}

/**
 * The plan of a statement: EXPLAIN QUERY PLAN on SQLite; EXPLAIN (FORMAT JSON) on PostgreSQL with
 * sequential scans priced out, so that on a small test table a sequential scan still shows only when
 * no index can serve the query.
 */
export async function explain(db: Db, dialect: Dialect, q: CompiledQuery): Promise<Plan> {
  if (dialect === 'sqlite') {
    const r = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${q.sql}`, [...q.parameters]));
    const lines = r.rows.map((x) => x.detail);
    const fullScans = lines.flatMap((l) => {
      const m = /^SCAN (\w+)(?: AS \w+)?$/.exec(l);
      return m ? [m[1]!] : [];
    });
    return { sql: q.sql, lines, fullScans, sorts: lines.some((l) => /TEMP B-TREE FOR (ORDER BY|RIGHT PART OF ORDER BY)/.test(l)) };
  }
  return db.transaction().execute(async (trx) => {
    await trx.executeQuery(CompiledQuery.raw('set local enable_seqscan = off'));
    const r = await trx.executeQuery<{ 'QUERY PLAN': any }>(CompiledQuery.raw(`explain (format json) ${q.sql}`, [...q.parameters]));
    const root = r.rows[0]!['QUERY PLAN'][0].Plan;
    const lines: string[] = [];
    const fullScans: string[] = [];
    let sorts = false;
    const walk = (n: any, depth: number) => {
      lines.push(`${'  '.repeat(depth)}${n['Node Type']}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}`);
      if (n['Node Type'] === 'Seq Scan') fullScans.push(n['Relation Name']);
      if (n['Node Type'] === 'Sort' || n['Node Type'] === 'Incremental Sort') sorts = true;
      for (const c of n.Plans ?? []) walk(c, depth + 1);
    };
    walk(root, 0);
    return { sql: q.sql, lines, fullScans, sorts };
  });
}
