import { CompiledQuery } from 'kysely';
import type { Database } from '@openltc/db';
import type { Ctx } from './context.ts';

/**
 * Many rows of one table in few statements, inside the caller's transaction, without building a
 * query tree per value (Kysely's multi-row insert spends more time parsing and transforming the
 * values than the database spends storing them):
 *
 * - PostgreSQL: one `insert … select * from unnest($1::type[], …)` per call, one parameter per
 *   column whatever the row count (far below the 65,535 parameter limit), each array cast to the
 *   column's own type (read once per table from information_schema);
 * - SQLite: multi-row VALUES statements of at most 500 rows and 32,766 parameters, the same text for
 *   every full statement, so the driver's statement cache prepares each shape once.
 *
 * Rows are the table's row objects in camelCase (as Kysely's values() takes them), every row with
 * the same keys; a key becomes its snake_case column as the database's CamelCasePlugin names it.
 */
export type BulkTable = keyof Database & string;

const SQLITE_MAX_PARAMS = 32_766;
const SQLITE_MAX_ROWS = 500;

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const snakeTable = (t: string) => snake(t);

/**
 * PostgreSQL column types per table, read once per process (not per transaction: each transaction
 * is a new Kysely object). Every database of a process is migrated to the same schema; a column the
 * cache does not know (a newer schema) reads the table's columns again.
 */
const pgTypes = new Map<string, Promise<Map<string, string>>>();

async function columnTypes(ctx: Ctx, table: string, cols: readonly string[]): Promise<Map<string, string>> {
  const read = () => {
    const types = ctx.db
      .executeQuery<Record<string, string>>(
        CompiledQuery.raw('select column_name, udt_name from information_schema.columns where table_schema = current_schema() and table_name = $1', [table]),
      )
      // The CamelCasePlugin may turn result keys into camelCase; accept either spelling.
      .then((r) => new Map(r.rows.map((c) => [(c.column_name ?? c.columnName)!, (c.udt_name ?? c.udtName)!])));
    pgTypes.set(table, types);
    types.catch(() => pgTypes.delete(table));
    return types;
  };
  let types = await (pgTypes.get(table) ?? read());
  if (cols.some((c) => !types.has(c))) types = await read();
  return types;
}

const sqliteText = new Map<string, string>();
function sqliteInsert(table: string, cols: readonly string[], rows: number): string {
  const key = `${table}|${cols.join(',')}|${rows}`;
  let text = sqliteText.get(key);
  if (!text) {
    const one = `(${cols.map(() => '?').join(', ')})`;
    text = `insert into "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) values ${Array(rows).fill(one).join(', ')}`;
    if (sqliteText.size > 200) sqliteText.clear();
    sqliteText.set(key, text);
  }
  return text;
}

export async function bulkInsertRows(ctx: Ctx, table: BulkTable, rows: readonly object[]): Promise<void> {
  if (!rows.length) return;
  const keys = Object.keys(rows[0]!);
  for (const r of rows)
    if (Object.keys(r).length !== keys.length || !keys.every((k) => k in r)) throw new Error(`bulk insert into ${table}: every row must have the same columns`);
  const sqlTable = snakeTable(table);
  const cols = keys.map(snake);
  const value = (r: object, k: string) => (r as Record<string, unknown>)[k] ?? null;

  if (ctx.dialect === 'postgres') {
    const types = await columnTypes(ctx, sqlTable, cols);
    const casts = cols.map((c) => {
      const t = types.get(c);
      if (!t) throw new Error(`bulk insert into ${sqlTable}: no column ${c}`);
      return t;
    });
    const arrays = keys.map((k) => rows.map((r) => value(r, k)));
    const text = `insert into "${sqlTable}" (${cols.map((c) => `"${c}"`).join(', ')}) select * from unnest(${casts.map((t, j) => `$${j + 1}::${t}[]`).join(', ')})`;
    await ctx.db.executeQuery(CompiledQuery.raw(text, arrays));
    return;
  }
  const per = Math.max(1, Math.min(SQLITE_MAX_ROWS, Math.floor(SQLITE_MAX_PARAMS / keys.length)));
  for (let i = 0; i < rows.length; i += per) {
    const part = rows.slice(i, i + per);
    const params: unknown[] = new Array(part.length * keys.length);
    let n = 0;
    for (const r of part) for (const k of keys) params[n++] = value(r, k);
    await ctx.db.executeQuery(CompiledQuery.raw(sqliteInsert(sqlTable, cols, part.length), params));
  }
}
