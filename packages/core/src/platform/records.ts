import { reuse, sql, type Database } from '@openltc/db';
import type { Ctx } from './context.ts';
import { fieldError, notFound, versionConflict } from './errors.ts';
import { assertCan, scopeOf, inScope, type Entity } from './permissions.ts';
import { paginate, type ListParams, type Page } from './list.ts';
import { diff, recordEvent } from './events.ts';
import { nowIso } from './clock.ts';

/**
 * The record kernel every document shares: load a record only if the caller may see it, list with
 * scope + filters + cursor, and update with optimistic locking and a field-level event.
 * Out-of-scope records answer 404, exactly like missing ones, so ids cannot be probed.
 */
export interface RecordDef<T extends keyof Database & string> {
  entity: Entity;
  table: T;
  /** API sort name → column. */
  sortable: Record<string, string>;
  /** API filter name → column and operator. */
  filters: Record<string, { column: string; op: '=' | '>=' | '<=' | 'like' }>;
  /** Columns matched by the free-text `q` filter. */
  search: string[];
  /** Whether rows carry ownerId/teamId (scoped by team) or are global (catalog). */
  scoped: boolean;
  /** Sortable columns that may hold nulls (sorted last); all others must be NOT NULL (a test checks). */
  nullableSort?: readonly string[];
}

export type Row<T extends keyof Database> = { [K in keyof Database[T]]: Database[T][K] };

export function isVisible(ctx: Ctx, def: RecordDef<any>, row: any): boolean {
  if (!def.scoped) return true;
  return inScope(ctx.user, def.entity, { ownerId: row.ownerId ?? null, teamId: row.teamId ?? null });
}

export async function loadVisible<T extends keyof Database & string>(
  ctx: Ctx,
  def: RecordDef<T>,
  id: string,
  action: 'read' | 'write' | 'approve' = 'read',
): Promise<Row<T>> {
  assertCan(ctx.user, def.entity, action);
  const row = await rowById(ctx, def.table, id);
  if (!row || !isVisible(ctx, def, row)) throw notFound(def.entity, id);
  return row as Row<T>;
}

/** `select * from table where id = ?`, compiled once per table (the hottest read of every request). */
async function rowById(ctx: Ctx, table: string, id: string): Promise<any> {
  const r = await reuse(ctx.db as any, `records.byId:${table}`, [id], ([v]) =>
    (ctx.db as any).selectFrom(table).selectAll().where('id', '=', v),
  );
  return r.rows[0];
}

/** Restricts a query over `def.table` to the records the caller may see (for lists and aggregates). */
export function applyScope<Q>(ctx: Ctx, def: RecordDef<any>, qb: Q, table: string = def.table): Q {
  if (!def.scoped || scopeOf(ctx.user, def.entity) !== 'team') return qb;
  const teams = ctx.user.teamIds;
  return (qb as any).where((eb: any) =>
    eb.or([eb(`${table}.ownerId`, '=', ctx.user.id), ...(teams.length ? [eb(`${table}.teamId`, 'in', teams)] : [])]),
  );
}

export interface ListQuery extends ListParams {
  q?: string | undefined;
  [filter: string]: unknown;
}

export async function listVisible<T extends keyof Database & string>(
  ctx: Ctx,
  def: RecordDef<T>,
  query: ListQuery,
  extra?: (qb: any) => any,
): Promise<Page<Row<T>>> {
  assertCan(ctx.user, def.entity, 'read');
  let qb = applyScope(ctx, def, (ctx.db as any).selectFrom(def.table).selectAll(def.table));
  for (const [name, f] of Object.entries(def.filters)) {
    const v = query[name];
    if (v === undefined || v === null || v === '') continue;
    const col = `${def.table}.${f.column}`;
    if (f.op === 'like') qb = qb.where(col, 'like', `%${String(v)}%`);
    else if (Array.isArray(v)) qb = qb.where(col, 'in', v);
    else qb = qb.where(col, f.op, v);
  }
  if (query.q && def.search.length) {
    // Case-insensitive on both databases (SQLite's LIKE already is for ASCII).
    const pattern = `%${String(query.q).trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const op = ctx.dialect === 'postgres' ? 'ilike' : 'like';
    qb = qb.where((eb: any) =>
      eb.or(def.search.map((c) => sql<boolean>`${sql.ref(`${def.table}.${c}`)} ${sql.raw(op)} ${pattern} escape '\\'`)),
    );
  }
  if (extra) qb = extra(qb);
  return (paginate as any)(qb, def.table, query, def.sortable, '-createdAt', def.nullableSort ?? []) as unknown as Promise<Page<Row<T>>>;
}

/**
 * Writes a change to a loaded record: checks the expected version (If-Match), bumps the version,
 * and records which fields changed. Returns the new row.
 */
export async function updateRecord<T extends keyof Database & string>(
  ctx: Ctx,
  def: RecordDef<T>,
  before: Row<T>,
  patch: Partial<Row<T>>,
  opts: { expectedVersion?: number | undefined; action?: string } = {},
): Promise<Row<T>> {
  const b = before as any;
  if (opts.expectedVersion !== undefined && opts.expectedVersion !== b.version)
    throw versionConflict(def.entity, b.id, b.version);
  const hasUpdatedAt = 'updatedAt' in b;
  const next = { ...patch, version: b.version + 1, ...(hasUpdatedAt ? { updatedAt: nowIso() } : {}) };
  // Compiled once per table and set of columns (undefined fields are not written, as Kysely does).
  const cols = Object.keys(next).filter((k) => (next as any)[k] !== undefined);
  const res = await reuse(ctx.db as any, `records.update:${def.table}:${cols.join(',')}`, [...cols.map((k) => (next as any)[k]), b.id, b.version], (v) =>
    (ctx.db as any)
      .updateTable(def.table)
      .set(Object.fromEntries(cols.map((k, i) => [k, v[i]])))
      .where('id', '=', v[cols.length])
      .where('version', '=', v[cols.length + 1]),
  );
  if (Number(res.numAffectedRows) !== 1) {
    const cur = await (ctx.db as any).selectFrom(def.table).select('version').where('id', '=', b.id).executeTakeFirst();
    throw versionConflict(def.entity, b.id, cur?.version ?? b.version);
  }
  const after = { ...b, ...next };
  const d = diff(b, after);
  if (d || opts.action) {
    await recordEvent(ctx, {
      entityType: def.entity,
      entityId: b.id,
      action: opts.action ?? 'updated',
      before: d?.before ?? null,
      after: d?.after ?? null,
    });
  }
  return after as Row<T>;
}

/** Inserts a new record and its `created` event. */
export async function insertRecord<T extends keyof Database & string>(
  ctx: Ctx,
  def: RecordDef<T>,
  row: Row<T>,
): Promise<Row<T>> {
  const cols = Object.keys(row).filter((k) => (row as any)[k] !== undefined);
  await reuse(ctx.db as any, `records.insert:${def.table}:${cols.join(',')}`, cols.map((k) => (row as any)[k]), (v) =>
    (ctx.db as any).insertInto(def.table).values(Object.fromEntries(cols.map((k, i) => [k, v[i]]))),
  );
  await recordEvent(ctx, { entityType: def.entity, entityId: (row as any).id, action: 'created', after: row as any });
  return row;
}

/** Loads a referenced record the caller must be able to see, reporting a field error if not. */
export async function requireRef<T extends keyof Database & string>(
  ctx: Ctx,
  def: RecordDef<T>,
  id: string,
  field: string,
): Promise<Row<T>> {
  const row = await rowById(ctx, def.table, id);
  if (!row || !isVisible(ctx, def, row)) throw fieldError(field, `${def.entity} ${id} does not exist or is not visible to you`, 'unknown_reference');
  return row as Row<T>;
}
