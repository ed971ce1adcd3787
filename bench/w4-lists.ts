import pg from 'pg';
import type { CompiledQuery } from 'kysely';
import type { Ctx } from '@openltc/core';
import { sql, type Dialect } from '@openltc/db';
import { freshBenchDb, type BenchDb } from './lib/db.ts';
import { generateDataset, type Dataset } from './lib/bulk.ts';
import { HOT_QUERIES, HTTP_QUERIES, contexts, type Actor, type Picks } from './lib/hot-queries.ts';
import { captureQueries, explain } from './lib/plans.ts';
import { ServerProcess } from './lib/server.ts';
import { Client } from './lib/http.ts';
import { Rand } from '../apps/server/src/demo/random.ts';
import { summarize } from './lib/stats.ts';
import { figure, type Figure } from './lib/report.ts';
import type { Size } from './lib/sizes.ts';

/**
 * W4 — lists at scale. The data set is written straight into the tables (bench/lib/bulk.ts); then each
 * hot list query runs through its real use case, as an administrator, a team-scoped sales rep or
 * finance, and two of them over HTTP. Ceiling: the very statements the use case sent, run by the raw
 * driver (better-sqlite3 / pg) — what the database alone costs for that page.
 */
export interface Prepared {
  db: BenchDb;
  data: Dataset;
  setupSeconds: number;
}

export async function prepareDataset(dialect: Dialect, pgUrl: string | undefined, size: Size, log: (m: string) => void): Promise<Prepared> {
  const db = await freshBenchDb(dialect, pgUrl);
  try {
    // To measure what an index is worth (the "before" of a fix): LTC_BENCH_DROP_INDEXES=name,name.
    for (const name of (process.env.LTC_BENCH_DROP_INDEXES ?? '').split(',').filter(Boolean)) {
      if (!/^\w+$/.test(name)) throw new Error(`LTC_BENCH_DROP_INDEXES: ${name} is not an index name`);
      await sql`drop index ${sql.id(name)}`.execute(db.handle.db);
      log(`W4 ${dialect}: index ${name} dropped for this run`);
    }
    const t0 = performance.now();
    log(`W4 ${dialect}: generating ${size.data.leads} leads, ${size.data.opportunities} opportunities, ${size.data.invoices} invoices, ${size.data.events} events`);
    const data = await generateDataset(db, size.data, log);
    return { db, data, setupSeconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    await db.drop();
    throw e;
  }
}

/** Runs the captured statements with the driver itself and returns the wall time. */
async function rawRun(db: BenchDb, client: pg.Client | null, qs: readonly CompiledQuery[]): Promise<number> {
  const t = performance.now();
  for (const q of qs) {
    if (client) await client.query(q.sql, [...q.parameters]);
    else db.handle.sqlite!.prepare(q.sql).all(...(q.parameters as unknown[]));
  }
  return performance.now() - t;
}

function picker(data: Dataset, r: Rand): Picks {
  const chosen = new Map<string, string>();
  return {
    data,
    one: (list) => {
      let v = chosen.get(list);
      if (!v) {
        const xs = data.sample[list];
        chosen.set(list, (v = xs[r.int(0, xs.length - 1)]!));
      }
      return v;
    },
  };
}

export interface W4Result {
  figures: Figure[];
  details: Record<string, unknown>;
}

export async function runW4(p: Prepared, size: Size, log: (m: string) => void): Promise<W4Result> {
  const { db, data } = p;
  const dialect = db.dialect;
  const ctxs = await contexts(data, { db: db.handle.db, dialect, requestId: null });
  const client = dialect === 'postgres' ? new pg.Client({ connectionString: db.url }) : null;
  await client?.connect();
  const figures: Figure[] = [];
  const queries: Record<string, unknown> = {};
  const r = new Rand(7);
  try {
    for (const q of HOT_QUERIES) {
      const ctx: Ctx = ctxs[q.as];
      const times: number[] = [];
      const raw: number[] = [];
      let plan: Awaited<ReturnType<typeof explain>>[] = [];
      let rows = 0;
      const started = performance.now();
      // Bounded: the repetitions of the size, but no more than 15 s per query (at least 3 runs).
      for (let i = 0; i < size.repeats && (i < 3 || performance.now() - started < 15_000); i++) {
        const picks = picker(data, r);
        const prepared = q.prepare ? await q.prepare(ctx, picks) : {};
        const statements = await captureQueries(ctx, (c) => q.run(c, picks, prepared));
        if (i === 0) plan = await Promise.all(statements.map((s) => explain(db.handle.db, dialect, s)));
        const t = performance.now();
        const res: any = await q.run(ctx, picks, prepared);
        times.push(performance.now() - t);
        rows = Array.isArray(res?.items) ? res.items.length : 0;
        raw.push(await rawRun(db, client, statements));
      }
      const s = summarize(times);
      const c = summarize(raw);
      queries[q.name] = {
        as: q.as,
        use_case: s,
        raw_driver: c,
        rowsOnPage: rows,
        plan: plan.map((x) => ({ sql: x.sql.slice(0, 400), lines: x.lines, fullScans: x.fullScans, sorts: x.sorts })),
      };
      const scans = [...new Set(plan.flatMap((x) => x.fullScans))];
      const sorted = plan[0]?.sorts ?? false;
      figures.push(
        figure({
          workload: 'W4',
          db: dialect,
          name: `${q.name} [${q.as}] p95${scans.length ? ` (scans ${scans.join(', ')})` : ''}${sorted ? ' (sorts)' : ''}`,
          value: s.p95,
          unit: 'ms',
          better: 'lower',
          ceiling: { name: 'raw driver, same SQL', value: c.p95 },
          target: { on: 'value', op: '<', limit: 50 },
        }),
      );
      log(`W4 ${dialect}: ${q.name} [${q.as}] p50 ${s.p50.toFixed(1)} ms p95 ${s.p95.toFixed(1)} ms (raw ${c.p95.toFixed(1)} ms, ${s.n} runs)`);
    }

    // Over HTTP: the server process on the same data, users signed in.
    const server = await ServerProcess.start('app', db.serverEnv);
    const http = new Client(server.port, 1);
    try {
      const cookies = {} as Record<Actor, string>;
      for (const a of ['admin', 'rep', 'finance'] as const) {
        const res = await http.request('POST', '/api/v1/auth/login', { email: data.users.emails[a], password: data.users.password });
        if (res.status !== 200) throw new Error(`W4 login ${a}: ${res.status}`);
        cookies[a] = (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
      }
      for (const q of HTTP_QUERIES) {
        const times: number[] = [];
        const started = performance.now();
        await http.request('GET', q.path, undefined, { cookie: cookies[q.as] });
        for (let i = 0; i < size.repeats && (i < 3 || performance.now() - started < 15_000); i++) {
          const t = performance.now();
          const res = await http.request('GET', q.path, undefined, { cookie: cookies[q.as] });
          times.push(performance.now() - t);
          if (res.status !== 200) throw new Error(`W4 ${q.path}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        }
        const s = summarize(times);
        const inProcess = (queries as any)[q.name.includes('leads') ? 'leads: status, newest (team scope)' : 'invoices: issued, by due date']?.use_case?.p95;
        queries[q.name] = { as: q.as, http: s };
        figures.push(
          figure({
            workload: 'W4',
            db: dialect,
            name: `${q.name} [${q.as}] p95 over HTTP`,
            value: s.p95,
            unit: 'ms',
            better: 'lower',
            ...(inProcess ? { ceiling: { name: 'same use case in process', value: inProcess } } : {}),
            target: { on: 'value', op: '<', limit: 50 },
          }),
        );
        log(`W4 ${dialect}: ${q.name} over HTTP p50 ${s.p50.toFixed(1)} ms p95 ${s.p95.toFixed(1)} ms`);
      }
    } finally {
      http.close();
      await server.stop();
    }
  } finally {
    await client?.end();
  }
  return { figures, details: { counts: data.counts, setupSeconds: p.setupSeconds, queries } };
}
