import { fork } from 'node:child_process';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Kysely } from 'kysely';
import { sql, type Dialect } from '@openltc/db';
import { createAccount, createOrder, newId, runBilling, setSchedule, SYSTEM, transitionOrder, type Ctx } from '@openltc/core';
import { freshBenchDb, type BenchDb } from './lib/db.ts';
import { figure, type Figure } from './lib/report.ts';
import type { Size } from './lib/sizes.ts';

/**
 * W3 — the billing run: N billing schedule items due, each invoiced by `runBilling` (one issued
 * invoice per item with the order lines' tax, a gap-free number, a journal entry, events), in
 * chunks of 500, each chunk one transaction.
 *
 * Ceiling, same run, same database: exactly the rows the run wrote (invoices, invoice lines,
 * events, journal entries and lines, plus one UPDATE of the chunk's items — status, invoice id,
 * version and time, as the run sets them — and one of the number series per chunk) written back
 * by the raw driver (better-sqlite3: multi-row INSERTs; pg: one INSERT … SELECT FROM unnest per
 * table), one transaction per chunk — no validation, no reads, no JSON, no ids to make — on a connection with
 * the application's settings (WAL, synchronous NORMAL, foreign keys checked). Wall time and CPU time
 * of both are reported: on the shared 2-core machine the CPU time per invoice is the steadier figure.
 *
 * Then the kill-and-restart check: the run is started in a child process with small chunks and
 * killed (SIGKILL) after a few chunks have committed; a second run finishes the work; every due
 * item must have exactly one invoice, every run invoice one item, and the numbers must be gap-free.
 */
const AS_OF = '2026-12-31';
const CHUNK = 500;
const ITEMS_PER_ORDER = 4;

const CHILD = path.join(path.dirname(new URL(import.meta.url).pathname), 'lib', 'billing-child.ts');

export async function seed(db: BenchDb, items: number): Promise<void> {
  const ctx: Ctx = { db: db.handle.db, dialect: db.dialect, user: SYSTEM, requestId: 'bench-w3-seed' };
  const acc = await createAccount(ctx, { name: '基准客户 Bench Customer Co' });
  // One template order through the use cases (lines priced, confirmed, schedule split per line)...
  const tpl = await createOrder(ctx, {
    accountId: acc.id,
    lines: [
      { description: '软件许可 Licence', quantity: '10', unitPriceMinor: 300_000, taxRate: '0.06' },
      { description: '服务器 Server', quantity: '3', unitPriceMinor: 33_333, taxRate: '0.13' },
    ],
  });
  await transitionOrder(ctx, tpl.id, 'confirm');
  await setSchedule(ctx, tpl.id, {
    items: Array.from({ length: ITEMS_PER_ORDER }, (_, i) => ({ kind: 'payment_plan' as const, description: `第${i + 1}期 instalment ${i + 1}`, percent: '25', billDate: `2026-0${i + 1}-15` })),
  });
  const d = db.handle.db;
  const order = await d.selectFrom('orders').selectAll().where('id', '=', tpl.id).executeTakeFirstOrThrow();
  const lines = await d.selectFrom('orderLines').selectAll().where('orderId', '=', tpl.id).orderBy('lineNo').execute();
  const tplItems = await d.selectFrom('billingScheduleItems').selectAll().where('orderId', '=', tpl.id).orderBy('seq').execute();
  // ...cloned as rows with fresh ids (the same values the use cases would write) to reach N items.
  const orders = Math.max(1, Math.ceil(items / ITEMS_PER_ORDER)) - 1;
  for (let start = 0; start < orders; start += 100) {
    const o: any[] = [];
    const l: any[] = [];
    const it: any[] = [];
    for (let k = start; k < Math.min(orders, start + 100); k++) {
      const id = newId('ord');
      o.push({ ...order, id, number: `SO-W3-${String(k).padStart(7, '0')}` });
      const map = new Map<string, string>();
      for (const line of lines) {
        const lid = newId('oln');
        map.set(line.id, lid);
        l.push({ ...line, id: lid, orderId: id });
      }
      for (const item of tplItems) {
        let split = item.lineSplit;
        for (const [a, b] of map) split = split.replaceAll(a, b);
        it.push({ ...item, id: newId('bsi'), orderId: id, lineSplit: split });
      }
    }
    await d.insertInto('orders').values(o).execute();
    await d.insertInto('orderLines').values(l).execute();
    await d.insertInto('billingScheduleItems').values(it).execute();
  }
}

type Row = Record<string, unknown>;
interface Written {
  chunks: Array<{ invoices: Row[]; lines: Row[]; events: Row[]; entries: Row[]; jlines: Row[]; itemIds: string[] }>;
  seriesBefore: Row[];
}

/** The rows a run wrote, by chunk of invoices (in number order), read back in the database's own column names. */
async function captureRun(raw: Kysely<any>, requestId: string, seriesBefore: Row[]): Promise<Written> {
  const invoices = (await raw.selectFrom('invoices').selectAll().where('number', 'is not', null).orderBy('number').execute()) as Row[];
  const ids = new Set(invoices.map((i) => i.id as string));
  const lines = ((await raw.selectFrom('invoice_lines').selectAll().execute()) as Row[]).filter((l) => ids.has(l.invoice_id as string));
  const events = (await raw.selectFrom('events').selectAll().where('request_id', '=', requestId).execute()) as Row[];
  const entries = ((await raw.selectFrom('journal_entries').selectAll().where('source_type', '=', 'invoice').execute()) as Row[]).filter((e) => ids.has(e.source_id as string));
  const entryIds = new Set(entries.map((e) => e.id as string));
  const jlines = ((await raw.selectFrom('journal_lines').selectAll().execute()) as Row[]).filter((l) => entryIds.has(l.entry_id as string));
  const items = (await raw.selectFrom('billing_schedule_items').select(['id', 'invoice_id']).where('invoice_id', 'is not', null).execute()) as Row[];
  const itemOf = new Map(items.map((i) => [i.invoice_id as string, i.id as string]));
  const group = <T extends Row>(rows: T[], key: (r: T) => string) => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
    return m;
  };
  const linesBy = group(lines, (l) => l.invoice_id as string);
  const entriesBy = group(entries, (e) => e.source_id as string);
  const jlinesBy = group(jlines, (l) => l.entry_id as string);
  const eventsBy = group(events, (e) => e.entity_id as string);
  const chunks: Written['chunks'] = [];
  for (let i = 0; i < invoices.length; i += CHUNK) {
    const inv = invoices.slice(i, i + CHUNK);
    const itemIds = inv.map((x) => itemOf.get(x.id as string)!);
    const es = inv.flatMap((x) => entriesBy.get(x.id as string) ?? []);
    chunks.push({
      invoices: inv,
      lines: inv.flatMap((x) => linesBy.get(x.id as string) ?? []),
      events: [...inv.flatMap((x) => eventsBy.get(x.id as string) ?? []), ...itemIds.flatMap((id) => eventsBy.get(id) ?? [])],
      entries: es,
      jlines: es.flatMap((e) => jlinesBy.get(e.id as string) ?? []),
      itemIds,
    });
  }
  return { chunks, seriesBefore };
}

/** Takes the run's writes out again (untimed), so the raw driver writes the same rows into the same state. */
async function undoRun(raw: Kysely<any>, w: Written): Promise<void> {
  for (const c of w.chunks) {
    const inv = c.invoices.map((i) => i.id as string);
    const ent = c.entries.map((e) => e.id as string);
    if (ent.length) await raw.deleteFrom('journal_lines').where('entry_id', 'in', ent).execute();
    if (ent.length) await raw.deleteFrom('journal_entries').where('id', 'in', ent).execute();
    await raw.deleteFrom('events').where('id', 'in', c.events.map((e) => e.id as string)).execute();
    await raw.deleteFrom('invoice_lines').where('invoice_id', 'in', inv).execute();
    await raw.updateTable('billing_schedule_items').set({ status: 'planned', invoice_id: null, version: sql`version - 1` }).where('id', 'in', c.itemIds).execute();
    await raw.deleteFrom('invoices').where('id', 'in', inv).execute();
  }
  await raw.deleteFrom('number_series').where('key', '=', 'invoice').execute();
  if (w.seriesBefore.length) await raw.insertInto('number_series').values(w.seriesBefore).execute();
}

function insertSql(table: string, rows: Row[], dialect: Dialect): { text: string; values: unknown[] } {
  const cols = Object.keys(rows[0]!);
  const values: unknown[] = [];
  const tuples = rows.map((r) => {
    const ph = cols.map((c) => {
      values.push(r[c]);
      return dialect === 'postgres' ? `$${values.length}` : '?';
    });
    return `(${ph.join(',')})`;
  });
  return { text: `insert into ${table} (${cols.map((c) => `"${c}"`).join(',')}) values ${tuples.join(',')}`, values };
}

/** PostgreSQL: one INSERT … SELECT FROM unnest per table, one array parameter per column (the fastest bulk path short of COPY). */
function unnestSql(table: string, rows: Row[], types: Map<string, string>): { text: string; values: unknown[] } {
  const cols = Object.keys(rows[0]!);
  return {
    text: `insert into ${table} (${cols.map((c) => `"${c}"`).join(',')}) select * from unnest(${cols.map((c, i) => `$${i + 1}::${types.get(`${table}.${c}`)}[]`).join(',')})`,
    values: cols.map((c) => rows.map((r) => r[c] ?? null)),
  };
}

function chunkStatements(c: Written['chunks'][number], dialect: Dialect, pgTypes: Map<string, string>): Array<{ text: string; values: unknown[] }> {
  const out: Array<{ text: string; values: unknown[] }> = [];
  const add = (table: string, rows: Row[], per: number) => {
    if (dialect === 'postgres') {
      if (rows.length) out.push(unnestSql(table, rows, pgTypes));
      return;
    }
    for (let i = 0; i < rows.length; i += per) out.push(insertSql(table, rows.slice(i, i + per), dialect));
  };
  add('invoices', c.invoices, 250);
  add('invoice_lines', c.lines, 250);
  add('events', c.events, 500);
  add('journal_entries', c.entries, 250);
  add('journal_lines', c.jlines, 500);
  const p = (i: number) => (dialect === 'postgres' ? `$${i}` : '?');
  // The items move as the run moves them: status, their invoice, version and time (one statement, each
  // item found by primary key through the list of pairs).
  const invoiceIds = c.invoices.map((i) => i.id as string);
  const at = c.invoices[0]?.created_at ?? null;
  out.push(
    dialect === 'postgres'
      ? {
          text: `update billing_schedule_items set status = 'invoiced', version = version + 1, updated_at = $1, invoice_id = c.invoice_id
            from unnest($2::text[], $3::text[]) as c(id, invoice_id) where billing_schedule_items.id = c.id`,
          values: [at, c.itemIds, invoiceIds],
        }
      : {
          text: `update billing_schedule_items set status = 'invoiced', version = version + 1, updated_at = ?, invoice_id = c.column2
            from (values ${c.itemIds.map(() => '(?, ?)').join(', ')}) as c where billing_schedule_items.id = c.column1`,
          values: [at, ...c.itemIds.flatMap((id, i) => [id, invoiceIds[i]])],
        },
  );
  out.push({ text: `update number_series set next_value = next_value + ${p(1)} where key = 'invoice'`, values: [c.invoices.length] });
  return out;
}

/** Wall and CPU milliseconds of the raw driver writing the rows (CPU: this process; on PostgreSQL the server's is not in it). */
async function replay(db: BenchDb, w: Written): Promise<{ ms: number; cpuMs: number }> {
  const pgTypes = new Map<string, string>();
  if (db.dialect === 'postgres') {
    const raw = db.handle.db.withoutPlugins() as unknown as Kysely<any>;
    const cols = (await raw.selectFrom('information_schema.columns').select(['table_name', 'column_name', 'udt_name']).where('table_schema', '=', sql`current_schema()`).execute()) as Row[];
    for (const c of cols) pgTypes.set(`${c.table_name}.${c.column_name}`, c.udt_name as string);
  }
  const plans = w.chunks.map((c) => chunkStatements(c, db.dialect, pgTypes));
  const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
  if (db.dialect === 'sqlite') {
    const s = new SQLite(db.handle.location);
    // The application's connection settings (packages/db): the same constraints checked on every row.
    s.pragma('journal_mode = WAL');
    s.pragma('synchronous = NORMAL');
    s.pragma('foreign_keys = ON');
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const stmts of plans) s.transaction(() => stmts.forEach((st) => s.prepare(st.text).run(...(st.values as any[]))))();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    s.close();
    return { ms, cpuMs: cpuMs(cpu) };
  }
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const stmts of plans) {
    await c.query('begin');
    for (const st of stmts) await c.query(st.text, st.values as any[]);
    await c.query('commit');
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  await c.end();
  return { ms, cpuMs: cpuMs(cpu) };
}

/** Runs billing in a child process and kills it with SIGKILL once `killAfter` chunks have committed. */
async function killedRun(db: BenchDb, chunk: number, killAfter: number): Promise<{ chunksSeen: number; finished: boolean }> {
  const child = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...db.serverEnv, W3_AS_OF: AS_OF, W3_CHUNK: String(chunk) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let seen = 0;
    let finished = false;
    child.on('message', (m: any) => {
      if (m?.type === 'chunk') {
        seen = m.chunks;
        if (seen >= killAfter) child.kill('SIGKILL');
      }
      if (m?.type === 'done') finished = true;
    });
    child.once('error', reject);
    child.once('exit', () => resolve({ chunksSeen: seen, finished }));
  });
}

/** Every due item invoiced exactly once, every invoice of an item, and the number series without a gap. */
async function verify(raw: Kysely<any>): Promise<{ items: number; invoiced: number; invoices: number; duplicates: number; orphans: number; gaps: number; exact: boolean }> {
  const items = (await raw.selectFrom('billing_schedule_items').select(['id', 'invoice_id', 'status']).execute()) as Row[];
  const invoices = (await raw.selectFrom('invoices').select(['id', 'number']).where('number', 'is not', null).execute()) as Row[];
  const invoiced = items.filter((i) => i.status === 'invoiced' && i.invoice_id);
  const byInvoice = new Map<string, number>();
  for (const i of invoiced) byInvoice.set(i.invoice_id as string, (byInvoice.get(i.invoice_id as string) ?? 0) + 1);
  const duplicates = [...byInvoice.values()].filter((n) => n > 1).length;
  const ids = new Set(invoices.map((i) => i.id as string));
  const orphans = invoices.filter((i) => !byInvoice.has(i.id as string)).length + invoiced.filter((i) => !ids.has(i.invoice_id as string)).length;
  const seq = invoices.map((i) => Number(String(i.number).split('-').at(-1))).sort((a, b) => a - b);
  const gaps = seq.filter((n, k) => n !== k + 1).length;
  return { items: items.length, invoiced: invoiced.length, invoices: invoices.length, duplicates, orphans, gaps, exact: invoiced.length === items.length && !duplicates && !orphans && !gaps };
}

export async function runW3(dialect: Dialect, pgUrl: string | undefined, size: Size, log: (m: string) => void): Promise<{ figures: Figure[]; details: unknown }> {
  const n = size.w3.items;
  const db = await freshBenchDb(dialect, pgUrl);
  try {
    const tSeed = performance.now();
    await seed(db, n);
    const items = Number((await db.handle.db.selectFrom('billingScheduleItems').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    log(`W3 ${dialect}: ${items} schedule items seeded in ${((performance.now() - tSeed) / 1000).toFixed(1)} s`);
    const raw = db.handle.db.withoutPlugins() as unknown as Kysely<any>;
    const seriesBefore = (await raw.selectFrom('number_series').selectAll().where('key', '=', 'invoice').execute()) as Row[];

    // The run, measured.
    const ctx: Ctx = { db: db.handle.db, dialect, user: SYSTEM, requestId: 'bench-w3-run' };
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const run = await runBilling(ctx, { asOf: AS_OF }, { chunkSize: CHUNK });
    const runMs = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    if (run.status !== 'completed' || run.invoicesCreated !== items) throw new Error(`W3: the run ended ${run.status} with ${run.invoicesCreated} of ${items} invoices: ${run.error}`);
    const perSec = (run.invoicesCreated / runMs) * 1000;
    log(`W3 ${dialect}: ${run.invoicesCreated} invoices in ${(runMs / 1000).toFixed(2)} s (${perSec.toFixed(0)}/s), ${run.firstNumber} … ${run.lastNumber}`);
    const afterRun = await verify(raw);

    // The ceiling: the same rows by the raw driver, same chunks, same database state.
    const written = await captureRun(raw, 'bench-w3-run', seriesBefore);
    await undoRun(raw, written);
    const { ms: rawMs, cpuMs: rawCpuMs } = await replay(db, written);
    const rawPerSec = (run.invoicesCreated / rawMs) * 1000;
    const runCpuMs = (cpu.user + cpu.system) / 1000;
    const cpuPer = (ms: number) => `${((ms * 1000) / run.invoicesCreated).toFixed(0)} µs CPU/invoice`;
    log(`W3 ${dialect}: raw driver, same rows: ${(rawMs / 1000).toFixed(2)} s (${rawPerSec.toFixed(0)}/s); CPU: run ${cpuPer(runCpuMs)}, raw ${cpuPer(rawCpuMs)}`);

    // Kill and restart: back to the seeded state, a child process killed mid-run, a second run.
    await undoRun(raw, written);
    const killChunk = Math.max(2, Math.floor(items / 20));
    const killed = await killedRun(db, killChunk, 3);
    const middle = await verify(raw);
    const rerun = await runBilling({ ...ctx, requestId: 'bench-w3-rerun' }, { asOf: AS_OF }, { chunkSize: CHUNK });
    const final = await verify(raw);
    log(`W3 ${dialect}: killed after ${killed.chunksSeen} chunk(s) of ${killChunk} with ${middle.invoiced} of ${items} invoiced; rerun ${rerun.invoicesCreated}; exactly once: ${final.exact} (duplicates ${final.duplicates}, orphans ${final.orphans}, gaps ${final.gaps})`);

    const figures = [
      figure({
        workload: 'W3',
        db: dialect,
        name: 'billing run invoices/s vs raw driver',
        value: perSec,
        unit: '/s',
        better: 'higher',
        ceiling: { name: 'raw driver, same rows, same chunks', value: rawPerSec },
        target: { on: 'value', op: '>=', limit: 10_000 },
        note: `${items} items, chunks of ${CHUNK}`,
      }),
      // On a shared machine wall time moves with everyone's load; CPU time hardly does. On SQLite the
      // database works inside this process, so the raw driver's CPU time is a ceiling of the same kind.
      figure({
        workload: 'W3',
        db: dialect,
        name: `invoices per CPU-second (${cpuPer(runCpuMs)})${dialect === 'sqlite' ? ' vs raw driver CPU' : ' (client side; the server works in its own processes)'}`,
        value: run.invoicesCreated / (runCpuMs / 1000),
        unit: '/s',
        better: 'higher',
        ...(dialect === 'sqlite' ? { ceiling: { name: `raw driver, ${cpuPer(rawCpuMs)}`, value: run.invoicesCreated / (rawCpuMs / 1000) } } : {}),
      }),
      figure({
        workload: 'W3',
        db: dialect,
        name: 'kill & restart: due items invoiced exactly once, no gap',
        value: final.exact && !killed.finished ? 1 : final.exact ? 0.5 : Number.MIN_VALUE,
        unit: 'ok',
        better: 'higher',
        target: { on: 'value', op: '>=', limit: 1 },
        note: `killed after ${killed.chunksSeen} chunk(s) with ${middle.invoiced}/${items} invoiced`,
      }),
    ];
    return {
      figures,
      details: {
        items,
        chunkSize: CHUNK,
        run: { ms: runMs, cpuMs: runCpuMs, firstNumber: run.firstNumber, lastNumber: run.lastNumber },
        afterRun,
        rawDriver: { ms: rawMs, cpuMs: rawCpuMs, chunks: written.chunks.length },
        killRestart: { killChunk, killedAfterChunks: killed.chunksSeen, childFinished: killed.finished, invoicedWhenKilled: middle.invoiced, rerunInvoices: rerun.invoicesCreated, final },
      },
    };
  } finally {
    await db.drop();
  }
}
