import { reuse } from '@openltc/db';
import type { CompiledQuery, Kysely } from 'kysely';

/** Lists longer than this are built as usual (one cached shape per length up to it). */
const MAX_LIST = 16;

/**
 * `reuse` (compiled once per shape, then run with new values) for the hot reads of a request whose
 * values are a few fixed ones and one list for `in (…)` — the lines of an order, what was delivered or
 * billed against its lines. A list's length is part of the SQL, so each length up to MAX_LIST is its own
 * shape; longer lists are built every time.
 */
export async function reuseIn<R>(
  db: Kysely<any>,
  key: string,
  fixed: readonly unknown[],
  list: readonly unknown[],
  build: (fixed: readonly unknown[], list: readonly unknown[]) => { compile(): CompiledQuery<R> },
): Promise<R[]> {
  if (list.length > MAX_LIST) return (await db.executeQuery(build(fixed, list).compile())).rows;
  const n = fixed.length;
  const r = await reuse(db, `${key}#${list.length}`, [...fixed, ...list], (v) => build(v.slice(0, n), v.slice(n)));
  return r.rows;
}
