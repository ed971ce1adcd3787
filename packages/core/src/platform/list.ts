import type { SelectQueryBuilder } from 'kysely';
import { AppError, fieldError } from './errors.ts';

/**
 * Cursor pagination over a sort column plus the id as tie-breaker. The cursor is opaque
 * (base64url JSON of the last row's sort value and id), so it stays valid while rows are added.
 */
export interface ListParams {
  limit?: number | undefined;
  cursor?: string | undefined;
  /** `field` ascending or `-field` descending. */
  sort?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The largest page a client may ask for (the default stays 50): big pages let a list stream 100k rows in few round trips. */
export const MAX_LIMIT = 1000;

export function encodeCursor(value: unknown, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

function decodeCursor(c: string): [unknown, string] {
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    // fall through to the error below
  }
  throw fieldError('cursor', 'the cursor is not one this API returned');
}

/**
 * Applies sort, cursor and limit to a query over `table` whose rows have `id`.
 * `sortable` maps API sort names to columns; the default is newest first. Columns listed in
 * `nullable` may hold nulls: those sort last in both directions, on both databases (read as a second
 * part, by id, once the values run out). Every other
 * column is ordered as plain `(column, id)`, which the `(…, column, id)` indexes serve directly and
 * the cursor continues with one row-value comparison, so a page costs the same at row 10 or 10 million.
 */
export async function paginate<DB, TB extends keyof DB & string, O extends { id: string }>(
  qb: SelectQueryBuilder<DB, TB, O>,
  table: TB,
  params: ListParams,
  sortable: Record<string, string>,
  defaultSort = '-createdAt',
  nullable: readonly string[] = [],
): Promise<Page<O>> {
  const limit = Math.min(Math.max(params.limit ?? 50, 1), MAX_LIMIT);
  const sortSpec = params.sort ?? defaultSort;
  const desc = sortSpec.startsWith('-');
  const key = desc ? sortSpec.slice(1) : sortSpec;
  const col = sortable[key];
  if (!col)
    throw fieldError(
      'sort',
      `cannot sort by ${key}; sortable: ${Object.keys(sortable).join(', ')}`,
      'invalid_sort',
    );
  const ref = `${table}.${col}` as any;
  const idRef = `${table}.id` as any;
  const dir = desc ? 'desc' : 'asc';
  const op = desc ? '<' : '>';
  const mayBeNull = nullable.includes(col);
  const base = qb as SelectQueryBuilder<any, any, any>;
  const cursor = params.cursor ? decodeCursor(params.cursor) : null;
  if (cursor && cursor[0] === null && !mayBeNull)
    throw fieldError('cursor', 'the cursor is not one this API returned');
  const nullsOnly = mayBeNull && cursor !== null && cursor[0] === null;
  let rows: O[] = [];
  if (!nullsOnly) {
    // Values first, as plain `(column, id)` from the `(…, column, id)` index. A nullable column is
    // read in two parts (values, then nulls by id) instead of `ORDER BY (column IS NULL), …`, which
    // no index can serve: that order made SQLite sort every open deal to show the first 50.
    let q = mayBeNull ? base.where(ref, 'is not', null) : base;
    if (cursor) q = q.where((eb: any) => eb(eb.refTuple(ref, idRef), op, eb.tuple(cursor[0], cursor[1])));
    rows = (await q
      .orderBy(ref, dir)
      .orderBy(idRef, dir)
      .limit(limit + 1)
      .execute()) as O[];
  }
  if (mayBeNull && rows.length <= limit) {
    // Nulls sort last in both directions, ordered by id; after a null cursor only nulls remain.
    let q = base.where(ref, 'is', null);
    if (nullsOnly) q = q.where(idRef, op, cursor![1]);
    rows = rows.concat(
      (await q
        .orderBy(idRef, dir)
        .limit(limit + 1 - rows.length)
        .execute()) as O[],
    );
  }
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1] as Record<string, unknown> | undefined;
  return { items, nextCursor: more && last ? encodeCursor(last[col] ?? null, String(last.id)) : null };
}

/** Fields a trimmed row always keeps: the id (links, keys) and the version an If-Match is built from. */
export const ALWAYS_FIELDS: readonly string[] = ['id', 'version'];

/**
 * The `fields` parameter of a list request (`fields=name,status,ownerId`): the names in order,
 * trimmed, empty parts and repeats dropped. Undefined or blank: every field.
 */
export function parseFieldList(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const names = [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
  return names.length ? names : undefined;
}

/**
 * A page with each item trimmed to the asked fields (plus `id` and `version` when the items have
 * them). It only takes away: the rows are the ones the caller's scope and filters already chose, and
 * a field the full item does not carry cannot be asked for — a name that no item of the page has
 * answers 400 `unknown_field` naming it. On an empty page there is nothing to return and no item to
 * check the names against, so the empty page is returned as is.
 */
export function selectFields<T extends object>(page: Page<T>, raw: string | undefined): Page<Partial<T>> {
  const names = parseFieldList(raw);
  if (!names || !page.items.length) return page;
  const known = new Set<string>();
  for (const item of page.items) for (const k of Object.keys(item)) known.add(k);
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length) {
    const message = `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; this list's fields: ${[...known].join(', ')}`;
    throw new AppError(400, 'unknown_field', 'Bad request', message, {
      fields: [{ path: 'fields', message, code: 'unknown_field' }],
      unknownFields: unknown,
    });
  }
  const keep = [...ALWAYS_FIELDS.filter((k) => known.has(k) && !names.includes(k)), ...names];
  const items = page.items.map((item) => {
    const out: Record<string, unknown> = {};
    for (const k of keep) if (k in item) out[k] = (item as Record<string, unknown>)[k];
    return out as Partial<T>;
  });
  return { ...page, items };
}
