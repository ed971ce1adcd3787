import type { SavedViewTable } from '@openltc/db';
import { z } from 'zod';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso } from '../platform/clock.ts';
import { AppError, conflict, fieldError, notFound, versionConflict } from '../platform/errors.ts';
import { recordEvent } from '../platform/events.ts';
import type { Principal } from '../platform/permissions.ts';

/**
 * Saved views of a list (named filters + sort + columns), kept per user on the server. The owner may
 * share a view with their team or with everyone; others see a shared view read-only (they may make it
 * their default, or save a copy under their own name). Each user has at most one default view per list.
 */
export const SHARINGS = ['private', 'team', 'everyone'] as const;
const listKey = z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'a list name like leads or credit-notes');
const filters = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, 'a filter name'), z.string().max(500))
  .refine((o) => Object.keys(o).length <= 30, 'at most 30 filters');
const fields = {
  name: z.string().trim().min(1, 'a name is required').max(60),
  filters: filters.optional(),
  sort: z.string().max(50).nullable().optional(),
  columns: z.array(z.string().min(1).max(40)).max(60).nullable().optional().describe('visible column keys in order; null: the list’s default columns'),
  sharing: z.enum(SHARINGS).optional().describe('private (default), team (the owner’s team) or everyone'),
};
export const SavedViewCreate = z.object({ list: listKey, ...fields, isDefault: z.boolean().optional() }).strict();
export const SavedViewUpdate = z.object(fields).partial().strict();
export const SavedViewQuery = z.object({ list: listKey.optional() }).strict();

export interface SavedViewDto {
  id: string;
  list: string;
  name: string;
  filters: Record<string, string>;
  sort: string | null;
  columns: string[] | null;
  sharing: (typeof SHARINGS)[number];
  teamId: string | null;
  ownerId: string;
  ownerName: string | null;
  /** The caller owns it (and may edit or delete it). */
  mine: boolean;
  /** The caller's default view of this list. */
  isDefault: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

function canSee(user: Principal, v: SavedViewTable): boolean {
  if (v.userId === user.id || v.sharing === 'everyone') return true;
  return v.sharing === 'team' && !!v.teamId && (user.teamId === v.teamId || user.teamIds.includes(v.teamId));
}

function dto(user: Principal, v: SavedViewTable, defaults: Set<string>, ownerName: string | null): SavedViewDto {
  return {
    id: v.id,
    list: v.listKey,
    name: v.name,
    filters: JSON.parse(v.filters) as Record<string, string>,
    sort: v.sort,
    columns: v.columns ? (JSON.parse(v.columns) as string[]) : null,
    sharing: v.sharing as SavedViewDto['sharing'],
    teamId: v.teamId,
    ownerId: v.userId,
    ownerName,
    mine: v.userId === user.id,
    isDefault: defaults.has(v.id),
    version: v.version,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
  };
}

async function defaultsOf(ctx: Ctx): Promise<Set<string>> {
  const rows = await ctx.db.selectFrom('savedViewDefaults').select('viewId').where('userId', '=', ctx.user.id).execute();
  return new Set(rows.map((r) => r.viewId));
}

async function ownerNames(ctx: Ctx, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await ctx.db.selectFrom('users').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The views the caller may use: their own, their team's shared ones and those shared with everyone. */
export async function listSavedViews(ctx: Ctx, query: z.input<typeof SavedViewQuery> = {}): Promise<{ items: SavedViewDto[] }> {
  const q = SavedViewQuery.parse(query);
  const teams = [...new Set([ctx.user.teamId, ...ctx.user.teamIds].filter((t): t is string => !!t))];
  let sel = ctx.db
    .selectFrom('savedViews')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('userId', '=', ctx.user.id),
        eb('sharing', '=', 'everyone'),
        ...(teams.length ? [eb.and([eb('sharing', '=', 'team'), eb('teamId', 'in', teams)])] : []),
      ]),
    );
  if (q.list) sel = sel.where('listKey', '=', q.list);
  const rows = await sel.orderBy('listKey').orderBy('name').orderBy('id').limit(1000).execute();
  const defaults = await defaultsOf(ctx);
  const names = await ownerNames(ctx, rows.map((r) => r.userId));
  return { items: rows.map((r) => dto(ctx.user, r, defaults, names.get(r.userId) ?? null)) };
}

async function loadView(ctx: Ctx, id: string, forWrite: boolean): Promise<SavedViewTable> {
  const v = await ctx.db.selectFrom('savedViews').selectAll().where('id', '=', id).executeTakeFirst();
  if (!v || !canSee(ctx.user, v)) throw notFound('saved view', id);
  if (forWrite && v.userId !== ctx.user.id)
    throw new AppError(403, 'forbidden', 'Forbidden', 'a view shared with you is read-only; save a copy under your own name to change it');
  return v;
}

export async function getSavedView(ctx: Ctx, id: string): Promise<SavedViewDto> {
  const v = await loadView(ctx, id, false);
  return dto(ctx.user, v, await defaultsOf(ctx), (await ownerNames(ctx, [v.userId])).get(v.userId) ?? null);
}

function teamFor(ctx: Ctx, sharing: string): string | null {
  if (sharing !== 'team') return null;
  if (!ctx.user.teamId) throw fieldError('sharing', 'you are in no team: share the view with everyone or keep it private', 'no_team');
  return ctx.user.teamId;
}

async function nameFree(ctx: Ctx, list: string, name: string, except?: string): Promise<void> {
  let q = ctx.db.selectFrom('savedViews').select('id').where('userId', '=', ctx.user.id).where('listKey', '=', list).where('name', '=', name);
  if (except) q = q.where('id', '!=', except);
  if (await q.executeTakeFirst()) throw conflict('view_name_taken', `you already have a view “${name}” on this list`, { fields: [{ path: 'name', message: 'name taken', code: 'view_name_taken' }] });
}

async function setDefault(ctx: Ctx, list: string, viewId: string): Promise<void> {
  await ctx.db.deleteFrom('savedViewDefaults').where('userId', '=', ctx.user.id).where('listKey', '=', list).execute();
  await ctx.db.insertInto('savedViewDefaults').values({ userId: ctx.user.id, listKey: list, viewId }).execute();
}

export async function createSavedView(ctx: Ctx, input: z.input<typeof SavedViewCreate>): Promise<SavedViewDto> {
  const data = SavedViewCreate.parse(input);
  return inTx(ctx, async (tx) => {
    const sharing = data.sharing ?? 'private';
    await nameFree(tx, data.list, data.name);
    const now = nowIso();
    const row: SavedViewTable = {
      id: newId('view'),
      userId: tx.user.id,
      listKey: data.list,
      name: data.name,
      filters: JSON.stringify(data.filters ?? {}),
      sort: data.sort ?? null,
      columns: data.columns ? JSON.stringify(data.columns) : null,
      sharing,
      teamId: teamFor(tx, sharing),
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await tx.db.insertInto('savedViews').values(row).execute();
    if (data.isDefault) await setDefault(tx, data.list, row.id);
    await recordEvent(tx, { entityType: 'saved_view', entityId: row.id, action: 'created', after: { list: row.listKey, name: row.name, sharing } });
    return getSavedView(tx, row.id);
  });
}

export async function updateSavedView(ctx: Ctx, id: string, input: z.input<typeof SavedViewUpdate>, expectedVersion?: number): Promise<SavedViewDto> {
  const data = SavedViewUpdate.parse(input);
  return inTx(ctx, async (tx) => {
    const before = await loadView(tx, id, true);
    if (expectedVersion !== undefined && expectedVersion !== before.version) throw versionConflict('saved view', id, before.version);
    if (data.name !== undefined && data.name !== before.name) await nameFree(tx, before.listKey, data.name, id);
    const patch: Partial<SavedViewTable> = {};
    if (data.name !== undefined) patch.name = data.name;
    if (data.filters !== undefined) patch.filters = JSON.stringify(data.filters);
    if (data.sort !== undefined) patch.sort = data.sort;
    if (data.columns !== undefined) patch.columns = data.columns ? JSON.stringify(data.columns) : null;
    if (data.sharing !== undefined) {
      patch.sharing = data.sharing;
      patch.teamId = teamFor(tx, data.sharing);
    }
    const r = await tx.db
      .updateTable('savedViews')
      .set({ ...patch, version: before.version + 1, updatedAt: nowIso() })
      .where('id', '=', id)
      .where('version', '=', before.version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw versionConflict('saved view', id, before.version + 1);
    if (patch.sharing && patch.sharing !== before.sharing) {
      // Unsharing: other users who had made it their default lose it as a default.
      const after = { ...before, ...patch };
      const holders = await tx.db.selectFrom('savedViewDefaults').innerJoin('users', 'users.id', 'savedViewDefaults.userId').select(['users.id', 'users.teamId']).where('viewId', '=', id).execute();
      for (const h of holders)
        if (h.id !== before.userId && !(after.sharing === 'everyone' || (after.sharing === 'team' && h.teamId === after.teamId)))
          await tx.db.deleteFrom('savedViewDefaults').where('userId', '=', h.id).where('viewId', '=', id).execute();
    }
    await recordEvent(tx, { entityType: 'saved_view', entityId: id, action: 'updated', before: { name: before.name, sharing: before.sharing }, after: { name: patch.name ?? before.name, sharing: patch.sharing ?? before.sharing } });
    return getSavedView(tx, id);
  });
}

export async function deleteSavedView(ctx: Ctx, id: string): Promise<{ id: string; deleted: true }> {
  return inTx(ctx, async (tx) => {
    const before = await loadView(tx, id, true);
    await tx.db.deleteFrom('savedViewDefaults').where('viewId', '=', id).execute();
    await tx.db.deleteFrom('savedViews').where('id', '=', id).execute();
    await recordEvent(tx, { entityType: 'saved_view', entityId: id, action: 'deleted', before: { list: before.listKey, name: before.name, sharing: before.sharing } });
    return { id, deleted: true as const };
  });
}

/** Makes a view the caller can see their default for its list (replacing the previous one). */
export async function makeDefaultView(ctx: Ctx, id: string): Promise<SavedViewDto> {
  return inTx(ctx, async (tx) => {
    const v = await loadView(tx, id, false);
    await setDefault(tx, v.listKey, v.id);
    return getSavedView(tx, id);
  });
}

/** The caller no longer has a default view for this view's list (if it was this one). */
export async function clearDefaultView(ctx: Ctx, id: string): Promise<SavedViewDto> {
  return inTx(ctx, async (tx) => {
    await loadView(tx, id, false);
    await tx.db.deleteFrom('savedViewDefaults').where('userId', '=', tx.user.id).where('viewId', '=', id).execute();
    return getSavedView(tx, id);
  });
}
