import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { cycleStatements, type StepWrites } from './capture.ts';

/**
 * W1's third ceiling, the fair physical limit of "HTTP + the same rows": the raw driver's writes of each
 * call executed behind a bare route of the same framework. The client makes the same calls (method,
 * request body, cookie header) in the same order and concurrency; each route runs that call's captured
 * transactions with prepared statements (fresh ids per cycle, computed before the clock starts) and
 * answers the real call's status and JSON body, so request parsing and reply serialization cost the same.
 * What it leaves out is exactly our code: sessions, principals, validation, the reads and checks of the
 * use cases, events built by the kernel, query building.
 */
export interface RawCall {
  step: string;
  method: string;
  status: number;
  /** The real request body (undefined for a GET). */
  body: unknown;
  /** The real response body, answered again. */
  reply: unknown;
}

export interface RawTemplate {
  dialect: 'sqlite' | 'postgres';
  /** SQLite file or PostgreSQL URL. */
  location: string;
  steps: StepWrites[];
  calls: RawCall[];
  /** Cycles to prepare (the client must not ask for more). */
  cycles: number;
  /** Cycle numbers start here (unique document numbers across ceilings). */
  first: number;
  poolSize: number;
}

export function writeTemplate(dir: string, t: RawTemplate): string {
  const file = path.join(dir, 'w1-raw-http.json');
  fs.writeFileSync(file, JSON.stringify(t));
  return file;
}

/** The server side, started in the bench server child (kind 'raw-http'). */
export async function rawHttpServer(logLevel: string, templateFile: string): Promise<{ app: FastifyInstance; stop: () => Promise<void> }> {
  const t = JSON.parse(fs.readFileSync(templateFile, 'utf8')) as RawTemplate;
  // Per cycle, per call: the statements of that call's transactions.
  const perCall = t.steps.map((s) => s.transactions.length);
  const plans = Array.from({ length: t.cycles }, (_, c) => {
    const txs = cycleStatements(t.steps, t.first + c, t.dialect);
    let at = 0;
    return perCall.map((n) => txs.slice(at, (at += n)));
  });
  const app = Fastify({ logger: { level: logLevel } });
  let run: (txs: (typeof plans)[number][number]) => Promise<void>;
  let close: () => Promise<void>;
  if (t.dialect === 'sqlite') {
    const db = new SQLite(t.location);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const prepared = new Map<string, SQLite.Statement>();
    const prep = (s: string) => {
      let st = prepared.get(s);
      if (!st) prepared.set(s, (st = db.prepare(s)));
      return st;
    };
    run = async (txs) => {
      for (const tx of txs)
        db.transaction(() => {
          for (const st of tx) prep(st.sql).run(...(st.values as any[]));
        })();
    };
    close = async () => {
      db.close();
    };
  } else {
    const pool = new pg.Pool({ connectionString: t.location, max: t.poolSize });
    const names = new Map<string, string>();
    const nameOf = (s: string) => {
      let n = names.get(s);
      if (!n) names.set(s, (n = `w1_${names.size}`));
      return n;
    };
    run = async (txs) => {
      if (!txs.length) return;
      const c = await pool.connect();
      try {
        for (const tx of txs) {
          await c.query('begin');
          for (const st of tx) await c.query({ name: nameOf(st.sql), text: st.sql, values: st.values });
          await c.query('commit');
        }
      } finally {
        c.release();
      }
    };
    close = () => pool.end();
  }
  const handler = async (req: { params: unknown }, reply: { status(n: number): unknown }) => {
    const { cycle, call } = req.params as { cycle: string; call: string };
    const c = Number(call);
    const plan = plans[Number(cycle)]?.[c];
    if (!plan) throw new Error(`raw-http: no plan for cycle ${cycle} call ${call}`);
    await run(plan);
    reply.status(t.calls[c]!.status);
    return t.calls[c]!.reply;
  };
  app.post('/raw/:cycle/:call', handler);
  app.get('/raw/:cycle/:call', handler);
  return {
    app,
    stop: async () => {
      await app.close();
      await close();
    },
  };
}
