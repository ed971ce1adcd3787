import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { CompiledQuery } from 'kysely';
import type { Ctx } from '@openltc/core';
import { createDatabase, migrateToLatest, sql, type Dialect } from '@openltc/db';
import { freshBenchDb, type BenchDb } from './lib/db.ts';
import { generateDataset, type Dataset } from './lib/bulk.ts';
import * as core from '@openltc/core';
import { HOT_QUERIES, HTTP_QUERIES, KPI_CALLS, contexts, kpiFiguresOf, kpiPeriod, type Actor, type Picks } from './lib/hot-queries.ts';
import { captureQueries, explain, timeQueries } from './lib/plans.ts';
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

/**
 * LTC_BENCH_W4_KEEP=<folder>: the data set is generated once and kept there (the SQLite file, or the
 * name of the PostgreSQL database, with the ids the measurements pick from, in `<dialect>-<size>.json`);
 * later runs with the same folder migrate it to the latest schema and measure it again, so a change to
 * the queries or indexes is measured before and after on the very same rows without regenerating them
 * (large takes minutes). The kept data is never dropped by the harness.
 */
async function keptDataset(dialect: Dialect, pgUrl: string | undefined, size: Size, keep: string, log: (m: string) => void): Promise<Prepared | null> {
  const meta = path.join(path.resolve(keep), `${dialect}-${size.name}.json`);
  if (!fs.existsSync(meta)) return null;
  const saved = JSON.parse(fs.readFileSync(meta, 'utf8')) as { data: Dataset; setupSeconds: number; pgDatabase?: string; sqliteDir?: string };
  let db: BenchDb;
  if (dialect === 'sqlite') {
    const handle = createDatabase({ dataDir: saved.sqliteDir! });
    db = { dialect, handle, dir: saved.sqliteDir!, serverEnv: { LTC_DATA_DIR: saved.sqliteDir! }, drop: () => handle.close() };
  } else {
    if (!pgUrl) throw new Error('PostgreSQL was asked for but no server is available');
    const u = new URL(pgUrl);
    u.pathname = `/${saved.pgDatabase}`;
    const url = u.toString();
    const handle = createDatabase({ databaseUrl: url });
    const dir = fs.mkdtempSync(path.join(path.resolve(keep), 'pg-server-'));
    db = {
      dialect,
      handle,
      dir,
      url,
      serverEnv: { LTC_DATA_DIR: dir, DATABASE_URL: url },
      drop: async () => {
        await handle.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const applied = await migrateToLatest(db.handle);
  log(`W4 ${dialect}: kept data set from ${meta}${applied.length ? `, migrations applied: ${applied.map((m) => m.migrationName).join(', ')}` : ''}`);
  // As the generation left it: PostgreSQL analysed (new indexes need their statistics), SQLite not.
  if (dialect === 'postgres') await sql`analyze`.execute(db.handle.db);
  return { db, data: saved.data, setupSeconds: 0 };
}

function keepDataset(p: Prepared, size: Size, keep: string): Prepared {
  const dir = path.resolve(keep);
  fs.mkdirSync(dir, { recursive: true });
  const meta = path.join(dir, `${p.db.dialect}-${size.name}.json`);
  const pgDatabase = p.db.url ? new URL(p.db.url).pathname.slice(1) : undefined;
  fs.writeFileSync(meta, JSON.stringify({ data: p.data, setupSeconds: p.setupSeconds, pgDatabase, sqliteDir: p.db.dialect === 'sqlite' ? p.db.dir : undefined }));
  const handle = p.db.handle;
  return { ...p, db: { ...p.db, drop: () => handle.close() } };
}

export async function prepareDataset(dialect: Dialect, pgUrl: string | undefined, size: Size, log: (m: string) => void): Promise<Prepared> {
  const keep = process.env.LTC_BENCH_W4_KEEP;
  if (keep) {
    const kept = await keptDataset(dialect, pgUrl, size, keep, log);
    if (kept) return kept;
  }
  const db = await freshBenchDb(dialect, pgUrl);
  try {
    // To measure what an index is worth (the "before" of a fix): LTC_BENCH_DROP_INDEXES=name,name.
    for (const name of (process.env.LTC_BENCH_DROP_INDEXES ?? '').split(',').filter(Boolean)) {
      if (!/^\w+$/.test(name)) throw new Error(`LTC_BENCH_DROP_INDEXES: ${name} is not an index name`);
      await sql`drop index ${sql.id(name)}`.execute(db.handle.db);
      log(`W4 ${dialect}: index ${name} dropped for this run`);
    }
    // To measure what a proposed index is worth (the "after" of an index not yet in a migration):
    // LTC_BENCH_ADD_INDEXES=name:table(col,col);name:table(col).
    for (const spec of (process.env.LTC_BENCH_ADD_INDEXES ?? '').split(';').filter(Boolean)) {
      const m = /^(\w+):(\w+)\(([\w, ]+)\)$/.exec(spec.trim());
      if (!m) throw new Error(`LTC_BENCH_ADD_INDEXES: ${spec} is not name:table(col,col)`);
      await db.handle.db.schema
        .createIndex(m[1]!)
        .on(m[2]!)
        .columns(m[3]!.split(',').map((c) => c.trim()))
        .execute();
      log(`W4 ${dialect}: index ${m[1]} on ${m[2]} (${m[3]}) added for this run`);
    }
    const t0 = performance.now();
    log(`W4 ${dialect}: generating ${size.data.leads} leads, ${size.data.opportunities} opportunities, ${size.data.invoices} invoices, ${size.data.events} events`);
    const data = await generateDataset(db, size.data, log);
    const prepared = { db, data, setupSeconds: (performance.now() - t0) / 1000 };
    return keep ? keepDataset(prepared, size, keep) : prepared;
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
  // LTC_BENCH_W4=kpis runs only the key figures (to iterate on them without the lists).
  const onlyKpis = process.env.LTC_BENCH_W4 === 'kpis';
  try {
    for (const q of onlyKpis ? [] : HOT_QUERIES) {
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

    // Key figures: each statement of the call timed, each figure given the time of its statements.
    for (const k of KPI_CALLS) {
      const ctx: Ctx = ctxs[k.as];
      const input = kpiPeriod(k.period);
      const perFigure = new Map<string, { use: number[]; raw: number[]; plans: Awaited<ReturnType<typeof explain>>[] }>();
      const whole: number[] = [];
      const wholeRaw: number[] = [];
      const started = performance.now();
      await core.computeKpis(ctx, input); // warm-up, as the lists' first run warms their pages
      // A call computes a dozen figures over the period: at most 15 runs or 30 s (at least 3 runs).
      for (let i = 0; i < Math.min(size.repeats, 15) && (i < 3 || performance.now() - started < 30_000); i++) {
        const t = performance.now();
        const timed = await timeQueries(ctx, (c) => core.computeKpis(c, input));
        whole.push(performance.now() - t);
        const statements = await captureQueries(ctx, (c) => core.computeKpis(c, input));
        const sums = new Map<string, { use: number; raw: number }>();
        let rawAll = 0;
        for (const [j, st] of statements.entries()) {
          const fig = kpiFiguresOf(st.sql);
          let g = perFigure.get(fig);
          if (!g) perFigure.set(fig, (g = { use: [], raw: [], plans: [] }));
          if (i === 0) g.plans.push(await explain(db.handle.db, dialect, st));
          const rawMs = await rawRun(db, client, [st]);
          rawAll += rawMs;
          const x = sums.get(fig) ?? { use: 0, raw: 0 };
          x.use += timed[j]?.sql === st.sql ? timed[j]!.ms : 0;
          x.raw += rawMs;
          sums.set(fig, x);
        }
        wholeRaw.push(rawAll);
        for (const [fig, x] of sums) {
          perFigure.get(fig)!.use.push(x.use);
          perFigure.get(fig)!.raw.push(x.raw);
        }
      }
      const name = `${k.name} [${k.as}]`;
      const w = summarize(whole);
      const wr = summarize(wholeRaw);
      queries[name] = { as: k.as, period: input, use_case: w, raw_driver: wr, figures: {} as Record<string, unknown> };
      figures.push(
        figure({
          workload: 'W4',
          db: dialect,
          name: `${name}: the whole call, p95`,
          value: w.p95,
          unit: 'ms',
          better: 'lower',
          ceiling: { name: 'raw driver, same SQL', value: wr.p95 },
          target: { on: 'value', op: '<', limit: 200 },
        }),
      );
      log(`W4 ${dialect}: ${name} p50 ${w.p50.toFixed(1)} ms p95 ${w.p95.toFixed(1)} ms (raw ${wr.p95.toFixed(1)} ms, ${w.n} runs)`);
      for (const [fig, g] of perFigure) {
        const s = summarize(g.use);
        const c = summarize(g.raw);
        const scans = [...new Set(g.plans.flatMap((x) => x.fullScans))];
        (queries[name] as any).figures[fig] = {
          use_case: s,
          raw_driver: c,
          plan: g.plans.map((x) => ({ sql: x.sql.slice(0, 600), lines: x.lines, fullScans: x.fullScans, sorts: x.sorts })),
        };
        figures.push(
          figure({
            workload: 'W4',
            db: dialect,
            name: `${name}: ${fig} p95${scans.length ? ` (scans ${scans.join(', ')})` : ''}`,
            value: s.p95,
            unit: 'ms',
            better: 'lower',
            ceiling: { name: 'raw driver, same SQL', value: c.p95 },
            target: { on: 'value', op: '<', limit: 200 },
          }),
        );
      }
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
      const q0 = kpiPeriod('quarter');
      const httpQueries = [
        ...(onlyKpis ? [] : HTTP_QUERIES),
        { name: 'GET /analytics/kpis (this quarter)', as: 'admin' as const, path: `/api/v1/analytics/kpis?from=${q0.from}&to=${q0.to}`, budget: 200 },
      ];
      for (const q of httpQueries) {
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
        const inProcess = (queries as any)[
          q.name.includes('kpis') ? 'KPIs, this quarter [admin]' : q.name.includes('leads') ? 'leads: status, newest (team scope)' : 'invoices: issued, by due date'
        ]?.use_case?.p95;
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
            target: { on: 'value', op: '<', limit: 'budget' in q ? q.budget : 50 },
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
