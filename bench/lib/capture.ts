import type { Kysely } from 'kysely';
import { sql } from '@openltc/db';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { ID_PATTERN, idAt } from './ids.ts';

/**
 * The raw-driver ceiling of W1 writes exactly the rows the application wrote, in as many transactions.
 * To know those rows without restating every use case, one cycle is run call by call and the database
 * is compared before and after each call: rows inserted and rows changed, table by table. Replaying
 * that template with fresh ids is then pure driver work — prepared statements, no HTTP, no validation,
 * no reads.
 */
export type Op =
  | { kind: 'insert'; table: string; row: Record<string, unknown> }
  | { kind: 'update'; table: string; key: Record<string, unknown>; set: Record<string, unknown> };

/** One API call's writes: usually one transaction, plus the session row the cookie refresh writes. */
export interface StepWrites {
  name: string;
  transactions: Op[][];
}

const KEYS: Record<string, string[]> = {
  sessions: ['sid'],
  number_series: ['key', 'scope'],
  idempotency_keys: ['principal', 'key'],
};
const SKIP = new Set(['schema_migrations', 'schema_migrations_lock']);
/** Rows written outside the use case's transaction, by the session store. */
const SEPARATE = new Set(['sessions']);

type Snapshot = Map<string, Map<string, Record<string, unknown>>>;

export class WriteCapture {
  private tables: string[] = [];
  private readonly keys = new Map<string, string[]>();
  private constructor(private readonly raw: Kysely<any>) {}

  static async open(raw: Kysely<any>): Promise<WriteCapture> {
    const c = new WriteCapture(raw);
    // Tables in creation order, which is the order their foreign keys allow inserts in.
    const dialect = (await raw.introspection.getTables()).some((t) => t.schema === 'public') ? 'postgres' : 'sqlite';
    const names =
      dialect === 'postgres'
        ? await sql<{ name: string }>`select relname as name from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace order by oid`.execute(raw)
        : await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by rowid`.execute(raw);
    // Tables kept by triggers (the replayed rows fire the same triggers) and full-text tables with their
    // shadow tables are not written by the replay; the others are keyed by their primary key.
    const bodies =
      dialect === 'postgres'
        ? await sql<{ body: string }>`select p.prosrc as body from pg_trigger t join pg_proc p on p.oid = t.tgfoid where not t.tgisinternal`.execute(raw)
        : await sql<{ body: string }>`select sql as body from sqlite_master where type = 'trigger'`.execute(raw);
    const kept = new Set<string>();
    for (const { body } of bodies.rows)
      for (const m of body.matchAll(/\b(?:insert\s+(?:or\s+\w+\s+)?into|update|delete\s+from)\s+"?(\w+)"?/gi)) kept.add(m[1]!.toLowerCase());
    const virtual =
      dialect === 'sqlite'
        ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and sql like 'create virtual table%'`.execute(raw)).rows.map((r) => r.name)
        : [];
    const skipped = (n: string) => SKIP.has(n) || kept.has(n) || virtual.some((v) => n === v || n.startsWith(`${v}_`));
    c.tables = names.rows.map((r) => r.name).filter((n) => !skipped(n));
    for (const t of c.tables) {
      if (KEYS[t]) continue;
      const pk =
        dialect === 'postgres'
          ? await sql<{ name: string }>`select a.attname as name from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey) where i.indrelid = ${t}::regclass and i.indisprimary`.execute(raw)
          : await sql<{ name: string }>`select name from pragma_table_info(${t}) where pk > 0 order by pk`.execute(raw);
      c.keys.set(t, pk.rows.length ? pk.rows.map((r) => r.name) : ['id']);
    }
    return c;
  }

  async snapshot(): Promise<Snapshot> {
    const snap: Snapshot = new Map();
    for (const t of this.tables) {
      const keys = KEYS[t] ?? this.keys.get(t) ?? ['id'];
      const rows = (await sql`select * from ${sql.table(t)}`.execute(this.raw)).rows as Record<string, unknown>[];
      snap.set(t, new Map(rows.map((r) => [keys.map((k) => String(r[k])).join('\u0000'), r])));
    }
    return snap;
  }

  /** The writes between two snapshots, as the transactions the call made. */
  diff(name: string, before: Snapshot, after: Snapshot): StepWrites {
    const main: Op[] = [];
    const separate: Op[] = [];
    for (const t of this.tables) {
      const keys = KEYS[t] ?? this.keys.get(t) ?? ['id'];
      const b = before.get(t)!;
      for (const [k, row] of after.get(t)!) {
        const old = b.get(k);
        const into = SEPARATE.has(t) ? separate : main;
        if (!old) into.push({ kind: 'insert', table: t, row });
        else {
          const set: Record<string, unknown> = {};
          for (const [c, v] of Object.entries(row)) if (String(old[c]) !== String(v)) set[c] = v;
          if (Object.keys(set).length) into.push({ kind: 'update', table: t, key: Object.fromEntries(keys.map((c) => [c, row[c]])), set });
        }
      }
    }
    // Inserts first (in table order), then updates, which may point at the new rows.
    const ordered = (ops: Op[]) => [...ops.filter((o) => o.kind === 'insert'), ...ops.filter((o) => o.kind === 'update')];
    return { name, transactions: [ordered(main), ordered(separate)].filter((x) => x.length) };
  }
}

/** Ids of rows the template inserted: these get fresh ids in every replayed cycle. */
function templateIds(steps: readonly StepWrites[]): Set<string> {
  const ids = new Set<string>();
  for (const s of steps)
    for (const tx of s.transactions) for (const op of tx) if (op.kind === 'insert' && typeof op.row.id === 'string') ids.add(op.row.id);
  return ids;
}

interface Statement {
  sql: string;
  values: unknown[];
}

/** The statements of one replayed cycle: template ids replaced, document numbers made unique. */
export function cycleStatements(steps: readonly StepWrites[], cycle: number, dialect: 'sqlite' | 'postgres'): Statement[][] {
  const own = templateIds(steps);
  const fresh = new Map<string, string>();
  const now = Date.now();
  const remap = (v: unknown, column: string): unknown => {
    if (typeof v !== 'string') return v;
    let s = v.replace(ID_PATTERN, (m) => {
      if (!own.has(m)) return m;
      let n = fresh.get(m);
      if (!n) fresh.set(m, (n = idAt(m.slice(0, m.indexOf('_')), now)));
      return n;
    });
    if (column === 'number') s = `${s}/${cycle}`;
    return s;
  };
  const p = (i: number) => (dialect === 'postgres' ? `$${i}` : '?');
  const q = (name: string) => `"${name}"`;
  const txs: Statement[][] = [];
  for (const step of steps)
    for (const tx of step.transactions)
      txs.push(
        tx.map((op) => {
          if (op.kind === 'insert') {
            const cols = Object.keys(op.row);
            return {
              sql: `insert into ${q(op.table)} (${cols.map(q).join(', ')}) values (${cols.map((_, i) => p(i + 1)).join(', ')})`,
              values: cols.map((c) => remap(op.row[c], c)),
            };
          }
          const sets = Object.keys(op.set);
          const keys = Object.keys(op.key);
          return {
            sql: `update ${q(op.table)} set ${sets.map((c, i) => `${q(c)} = ${p(i + 1)}`).join(', ')} where ${keys
              .map((c, i) => `${q(c)} = ${p(sets.length + i + 1)}`)
              .join(' and ')}`,
            values: [...sets.map((c) => remap(op.set[c], c)), ...keys.map((c) => remap(op.key[c], c))],
          };
        }),
      );
  return txs;
}

export function countRows(steps: readonly StepWrites[]): { transactions: number; inserts: number; updates: number } {
  let transactions = 0;
  let inserts = 0;
  let updates = 0;
  for (const s of steps) {
    transactions += s.transactions.length;
    for (const tx of s.transactions)
      for (const op of tx) {
        if (op.kind === 'insert') inserts++;
        else updates++;
      }
  }
  return { transactions, inserts, updates };
}

/** Replays `cycles` cycles with better-sqlite3: prepared statements, one transaction per call as captured. */
export function replaySqlite(file: string, steps: readonly StepWrites[], cycles: number, first = 1): { ms: number; cpuMs: number } {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  const prepared = new Map<string, SQLite.Statement>();
  const prep = (s: string) => {
    let st = prepared.get(s);
    if (!st) prepared.set(s, (st = db.prepare(s)));
    return st;
  };
  const plans = Array.from({ length: cycles }, (_, c) => cycleStatements(steps, first + c, 'sqlite'));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (const txs of plans)
    for (const tx of txs)
      db.transaction(() => {
        for (const st of tx) prep(st.sql).run(...(st.values as any[]));
      })();
  const c1 = process.cpuUsage(c0);
  const ms = performance.now() - t0;
  db.close();
  return { ms, cpuMs: (c1.user + c1.system) / 1000 };
}

/** Replays with pg: `users` concurrent clients, named prepared statements, BEGIN/COMMIT per captured transaction. */
export async function replayPostgres(url: string, steps: readonly StepWrites[], cycles: number, users: number, first = 1): Promise<{ ms: number }> {
  const plans = Array.from({ length: cycles }, (_, c) => cycleStatements(steps, first + c, 'postgres'));
  const names = new Map<string, string>();
  const nameOf = (s: string) => {
    let n = names.get(s);
    if (!n) names.set(s, (n = `w1_${names.size}`));
    return n;
  };
  const clients = await Promise.all(
    Array.from({ length: users }, async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      return c;
    }),
  );
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    clients.map(async (c) => {
      while (next < plans.length) {
        const txs = plans[next++]!;
        for (const tx of txs) {
          await c.query('begin');
          for (const st of tx) await c.query({ name: nameOf(st.sql), text: st.sql, values: st.values });
          await c.query('commit');
        }
      }
    }),
  );
  const ms = performance.now() - t0;
  await Promise.all(clients.map((c) => c.end()));
  return { ms };
}
