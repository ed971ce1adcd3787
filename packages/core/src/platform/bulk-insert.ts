import { CompiledQuery } from 'kysely';
import type { Database } from '@openltc/db';
import type { Ctx } from './context.ts';

/**
 * Many rows of one table in few statements, inside the caller's transaction, without building a
 * query tree per value (Kysely's multi-row insert spends more time parsing and transforming the
 * values than the database spends storing them). The one bulk writer of the code base: the lead
 * import, the billing run and the batch journal posting all come here.
 *
 * - PostgreSQL: one `COPY "table" (columns) FROM STDIN` per call, the rows in COPY's text format
 *   (`copyText`), streamed on the transaction's own connection (packages/db, copy.ts). The server
 *   parses each value as its column's type, so no types are needed here; constraints, foreign keys
 *   and unique indexes are checked as for INSERT, and an error aborts the transaction as usual.
 * - SQLite: multi-row VALUES statements of at most 500 rows and 32,766 parameters, the same text for
 *   every full statement, so the driver's statement cache prepares each shape once.
 *
 * Two ways in: `bulkInsertRows` takes the table's row objects in camelCase (as Kysely's values()
 * takes them, every row with the same keys; a key becomes its snake_case column as the database's
 * CamelCasePlugin names it); `bulkInsertValues` takes SQL column names and one flat array of values,
 * row after row — what a writer that fills rows value by value hands over without an object per row.
 * `undefined` is written as null.
 */
export type BulkTable = keyof Database & string;

const SQLITE_MAX_PARAMS = 32_766;
const SQLITE_MAX_ROWS = 500;

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const quoted = (cols: readonly string[]) => cols.map((c) => `"${c}"`).join(', ');

/** The SQL of an n-row INSERT, built once per shape (the same string object, for the statement cache). */
const sqliteText = new Map<string, string>();
function sqliteInsert(table: string, names: string, width: number, rows: number): string {
  const key = `${table}|${names}|${rows}`;
  let text = sqliteText.get(key);
  if (text === undefined) {
    const one = `(${Array(width).fill('?').join(', ')})`;
    text = `insert into "${table}" (${names}) values ${Array(rows).fill(one).join(', ')}`;
    if (sqliteText.size > 200) sqliteText.clear();
    sqliteText.set(key, text);
  }
  return text;
}

// --- COPY text format ---------------------------------------------------------------------------

const NEEDS_ESCAPE = /[\\\t\n\r\0]/;
const ESCAPES = /[\\\t\n\r]/g;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * One value as a field of COPY's text format (PostgreSQL docs, COPY, "Text Format"): null is `\N`;
 * backslash, tab, newline and carriage return are written as `\\`, `\t`, `\n`, `\r` (everything else,
 * Chinese included, as it is, UTF-8); the empty string stays empty (distinct from null). PostgreSQL
 * text cannot hold the NUL character, so a value with one is refused here, naming the column.
 * Numbers and bigints in decimal, booleans `t`/`f`, dates as ISO instants, bytes as `\\x` hex, other
 * objects as JSON (as the pg driver sends them as parameters).
 */
export function copyField(v: unknown, column = '?'): string {
  if (v === null || v === undefined) return '\\N';
  switch (typeof v) {
    case 'string':
      if (!NEEDS_ESCAPE.test(v)) return v;
      if (v.includes('\0')) throw new Error(`bulk insert: column ${column} holds a NUL character, which PostgreSQL text cannot store`);
      return v.replace(ESCAPES, (c) => ESCAPED[c]!);
    case 'number':
      if (!Number.isFinite(v)) throw new Error(`bulk insert: column ${column} holds ${v}, not a finite number`);
      return String(v);
    case 'bigint':
      return String(v);
    case 'boolean':
      return v ? 't' : 'f';
    default:
      if (v instanceof Date) return v.toISOString();
      if (v instanceof Uint8Array) return `\\\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
      return copyField(JSON.stringify(v), column);
  }
}

/** Rows (a flat array of values, `columns.length` per row) as COPY text: fields by tabs, rows by newlines. */
export function copyText(columns: readonly string[], values: readonly unknown[]): string {
  const width = columns.length;
  let out = '';
  for (let k = 0; k < values.length; k += width) {
    let line = copyField(values[k], columns[0]);
    for (let j = 1; j < width; j++) line += '\t' + copyField(values[k + j], columns[j]);
    out += line + '\n';
  }
  return out;
}

// --- The writers --------------------------------------------------------------------------------

/**
 * Rows into `table` (its SQL name) from one flat array of values, row after row, in `columns`
 * (SQL names) order; `values.length` must be a multiple of the column count.
 */
export async function bulkInsertValues(
  ctx: Ctx,
  table: string,
  columns: readonly string[],
  values: readonly unknown[],
): Promise<void> {
  const width = columns.length;
  const count = values.length / width;
  if (!count) return;
  if (!Number.isInteger(count))
    throw new Error(`bulk insert into ${table}: ${values.length} values do not fill rows of ${width}`);
  const names = quoted(columns);
  if (ctx.dialect === 'postgres') {
    await ctx.db.executeQuery(CompiledQuery.raw(`copy "${table}" (${names}) from stdin`, [copyText(columns, values)]));
    return;
  }
  const per = Math.max(1, Math.min(SQLITE_MAX_ROWS, Math.floor(SQLITE_MAX_PARAMS / width)));
  for (let i = 0; i < count; i += per) {
    const n = Math.min(per, count - i);
    const params: unknown[] = new Array(n * width);
    for (let k = 0, from = i * width; k < params.length; k++) params[k] = values[from + k] ?? null;
    await ctx.db.executeQuery(CompiledQuery.raw(sqliteInsert(table, names, width, n), params));
  }
}

/** Row objects (camelCase keys, the same keys in every row) into a table named as Kysely names it. */
export async function bulkInsertRows(ctx: Ctx, table: BulkTable, rows: readonly object[]): Promise<void> {
  if (!rows.length) return;
  const keys = Object.keys(rows[0]!);
  for (const r of rows)
    if (Object.keys(r).length !== keys.length || !keys.every((k) => k in r))
      throw new Error(`bulk insert into ${table}: every row must have the same columns`);
  const values: unknown[] = new Array(rows.length * keys.length);
  let n = 0;
  for (const r of rows) for (const k of keys) values[n++] = (r as Record<string, unknown>)[k];
  await bulkInsertValues(ctx, snake(table), keys.map(snake), values);
}
