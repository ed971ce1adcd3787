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

export async function bulkInsert(
  ctx: Ctx,
  table: string,
  cols: readonly BulkColumn[],
  rows: readonly unknown[][],
): Promise<void> {
  if (!rows.length) return;
  const names = cols.map(([c]) => `"${c}"`).join(', ');
  if (ctx.dialect === 'postgres') {
    const arrays = cols.map((_, j) => rows.map((r) => r[j] ?? null));
    const text = `insert into "${table}" (${names}) select * from unnest(${cols.map(([, t], j) => `$${j + 1}::${t}[]`).join(', ')})`;
    await ctx.db.executeQuery(CompiledQuery.raw(text, arrays));
    return;
  }
  const one = `(${cols.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += SQLITE_ROWS_PER_STATEMENT) {
    const part = rows.slice(i, i + SQLITE_ROWS_PER_STATEMENT);
    const text = `insert into "${table}" (${names}) values ${Array(part.length).fill(one).join(', ')}`;
    // Array.prototype.flat is slow on large arrays of arrays: copy by hand.
    const params: unknown[] = new Array(part.length * cols.length);
    let k = 0;
    for (const r of part) for (let j = 0; j < cols.length; j++) params[k++] = r[j] ?? null;
    await ctx.db.executeQuery(CompiledQuery.raw(text, params));
  }
}
