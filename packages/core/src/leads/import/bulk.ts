import { CompiledQuery } from 'kysely';
import type { Ctx } from '../../platform/context.ts';

/**
 * Many rows into one table in few statements, inside the caller's transaction: on PostgreSQL one
 * `insert … select * from unnest($1::text[], …)` per call (one parameter per column, whatever the
 * row count); on SQLite multi-row VALUES statements of a fixed size, so the driver's statement
 * cache prepares each shape once. Columns are SQL (snake_case) names; values in column order.
 */
export type BulkColumn = readonly [name: string, type: 'text' | 'int8'];

const SQLITE_ROWS_PER_STATEMENT = 500;

/** The SQL of an n-row INSERT, built once per shape (the same string object, its hash kept, for the statement cache). */
const texts = new Map<string, string>();
function insertText(table: string, names: string, width: number, n: number): string {
  const key = `${table}|${names}|${n}`;
  let text = texts.get(key);
  if (text === undefined) {
    const one = `(${Array(width).fill('?').join(', ')})`;
    text = `insert into "${table}" (${names}) values ${Array(n).fill(one).join(', ')}`;
    if (texts.size > 200) texts.clear();
    texts.set(key, text);
  }
  return text;
}

export async function bulkInsert(
  ctx: Ctx,
  table: string,
  cols: readonly BulkColumn[],
  rows: readonly unknown[][],
): Promise<void> {
  if (!rows.length) return;
  const flat: unknown[] = new Array(rows.length * cols.length);
  let k = 0;
  for (const r of rows) for (let j = 0; j < cols.length; j++) flat[k++] = r[j] ?? null;
  await bulkInsertFlat(ctx, table, cols, flat);
}

/**
 * The same from one flat array, row after row (`values.length` a multiple of the column count):
 * what a writer that fills its rows value by value hands over without an array per row.
 * `undefined` is written as null.
 */
export async function bulkInsertFlat(
  ctx: Ctx,
  table: string,
  cols: readonly BulkColumn[],
  values: readonly unknown[],
): Promise<void> {
  const width = cols.length;
  const count = values.length / width;
  if (!count) return;
  if (!Number.isInteger(count))
    throw new Error(`bulkInsertFlat: ${values.length} values do not fill rows of ${width}`);
  const names = cols.map(([c]) => `"${c}"`).join(', ');
  if (ctx.dialect === 'postgres') {
    const arrays: unknown[][] = cols.map(() => new Array(count));
    for (let j = 0; j < width; j++) {
      const a = arrays[j]!;
      for (let i = 0, k = j; i < count; i++, k += width) a[i] = values[k] ?? null;
    }
    const text = `insert into "${table}" (${names}) select * from unnest(${cols.map(([, t], j) => `$${j + 1}::${t}[]`).join(', ')})`;
    await ctx.db.executeQuery(CompiledQuery.raw(text, arrays));
    return;
  }
  for (let i = 0; i < count; i += SQLITE_ROWS_PER_STATEMENT) {
    const n = Math.min(SQLITE_ROWS_PER_STATEMENT, count - i);
    const text = insertText(table, names, width, n);
    const params: unknown[] = new Array(n * width);
    for (let k = 0, from = i * width; k < params.length; k++) params[k] = values[from + k] ?? null;
    await ctx.db.executeQuery(CompiledQuery.raw(text, params));
  }
}
