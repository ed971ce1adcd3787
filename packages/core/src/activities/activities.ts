import type { ActivityTable } from '@openltc/db';
import { sql } from 'kysely';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso } from '../platform/clock.ts';
import { conflict, fieldError, forbidden, notFound } from '../platform/errors.ts';
import { can, inScope, type Entity } from '../platform/permissions.ts';
import { recordEvent } from '../platform/events.ts';
import { paginate, type Page } from '../platform/list.ts';
import { applyScope, isVisible, loadVisible, updateRecord, type RecordDef } from '../platform/records.ts';
import { principalFor } from '../identity/users.ts';
import { leadDef } from '../leads/defs.ts';
import { accountDef, contactDef, opportunityDef } from '../sales/defs.ts';
import { enqueue } from '../jobs/outbox.ts';
import {
  ActivityComplete,
  ActivityCreate,
  ActivityQuery,
  ActivityUpdate,
  PARENT_TYPES,
  type ActivityDto,
  type ActivityType,
  type ParentType,
} from './activity.schema.ts';
import { canDelete, checkFields, isOverdue, touchInstant } from './activity.rules.ts';
import { notifyTaskAssigned, TASK_DUE_JOB, type TaskDuePayload } from './reminders.ts';
import { activitiesByText, activityTextCondition, FTS_DRIVE_MAX, ftsHits, textMode } from './text-search.ts';

/**
 * Activities (calls, meetings, emails, notes) and tasks on a lead, an opportunity, an account or a
 * contact. An activity has no scope of its own: whoever may see its parent sees it, whoever may
 * write the parent may log on it. Every change also lands in the parent's timeline, and what has
 * happened on a lead moves its "last touched" (`lastActivityAt`).
 */

/** The parents, each with the records-kernel definition that decides who sees it. */
export const PARENTS: Record<ParentType, RecordDef<'leads' | 'opportunities' | 'accounts' | 'contacts'>> = {
  lead: leadDef,
  opportunity: opportunityDef,
  account: accountDef,
  contact: contactDef,
};

/** The definition of the activities table for the kernel's sort/cursor; scope comes from the parent. */
const SORTABLE = { createdAt: 'createdAt', occurredAt: 'occurredAt', dueAt: 'dueAt', updatedAt: 'updatedAt' };
const NULLABLE_SORT = ['occurredAt', 'dueAt'] as const;

const entityOf = (t: ParentType): Entity => PARENTS[t].entity;

/** Loads the parent only if the caller may see it (else 404) and has the right on its entity (else 403). */
async function loadParent(ctx: Ctx, type: ParentType, id: string, action: 'read' | 'write') {
  return loadVisible(ctx, PARENTS[type] as RecordDef<any>, id, action) as Promise<{ id: string; name: string; ownerId: string | null; teamId: string | null }>;
}

async function loadActivity(ctx: Ctx, id: string, action: 'read' | 'write'): Promise<{ row: ActivityTable; parent: { id: string; name: string; ownerId: string | null; teamId: string | null } }> {
  const row = await ctx.db.selectFrom('activities').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('activity', id);
  const type = row.parentType as ParentType;
  // The parent decides: out of scope answers 404 as if the activity did not exist.
  if (!can(ctx.user, entityOf(type), 'read')) throw notFound('activity', id);
  const parent = await ctx.db.selectFrom(PARENTS[type].table).selectAll().where('id', '=', row.parentId).executeTakeFirst();
  if (!parent || !isVisible(ctx, PARENTS[type], parent)) throw notFound('activity', id);
  if (action === 'write' && !can(ctx.user, entityOf(type), 'write')) throw forbidden(`log activities on ${entityOf(type)}s`);
  return { row, parent: parent as any };
}

/** The one who did it, the one who must do it, and managers (approve on the parent) may change an activity. */
function assertMayChange(ctx: Ctx, a: ActivityTable): void {
  const mine = [a.ownerId, a.assigneeId, a.createdBy].includes(ctx.user.id);
  if (!mine && !can(ctx.user, entityOf(a.parentType as ParentType), 'approve'))
    throw forbidden('change an activity someone else logged or was given');
}

/** An assignee (or owner) must be an active user who can see the parent, or the task would be invisible to them. */
async function checkPerson(ctx: Ctx, field: 'assigneeId' | 'ownerId', userId: string, type: ParentType, parent: { ownerId: string | null; teamId: string | null }) {
  if (userId === ctx.user.id) return;
  const p = await principalFor(ctx.db, userId, 'system');
  if (!p) throw fieldError(field, `user ${userId} does not exist or is inactive`, 'unknown_reference');
  const entity = entityOf(type);
  if (!can(p, entity, 'read') || !inScope(p, entity, parent))
    throw fieldError(field, `${p.name} cannot see this ${entity}`, 'out_of_scope');
}

/** Moves the lead's "last touched" forward (never back), without a version bump: nobody's open edit form goes stale. */
async function touchParent(ctx: Ctx, a: Pick<ActivityTable, 'parentType' | 'parentId' | 'type' | 'status' | 'occurredAt'>): Promise<void> {
  if (a.parentType !== 'lead') return;
  const at = touchInstant(a, new Date(nowIso()));
  if (!at) return;
  await ctx.db
    .updateTable('leads')
    .set({ lastActivityAt: at })
    .where('id', '=', a.parentId)
    .where((eb) => eb.or([eb('lastActivityAt', 'is', null), eb('lastActivityAt', '<', at)]))
    .execute();
}

/** The lead's "last touched" recomputed from what is left (after a deletion). */
async function retouchLead(ctx: Ctx, leadId: string): Promise<void> {
  const now = nowIso();
  const r = await ctx.db
    .selectFrom('activities')
    .select((eb) => eb.fn.max('occurredAt').as('last'))
    .where('parentType', '=', 'lead')
    .where('parentId', '=', leadId)
    .where('status', '=', 'done')
    .where('occurredAt', '<=', now)
    .executeTakeFirst();
  await ctx.db.updateTable('leads').set({ lastActivityAt: (r?.last as string | null) ?? null }).where('id', '=', leadId).execute();
}

/** What the parent's timeline shows of an activity. */
const summary = (a: ActivityTable) => ({
  activityId: a.id,
  type: a.type,
  subject: a.subject,
  ...(a.outcome ? { outcome: a.outcome } : {}),
  ...(a.dueAt && a.type === 'task' ? { dueAt: a.dueAt } : {}),
});

async function parentEvent(ctx: Ctx, a: ActivityTable, action: string, extra: Record<string, unknown> = {}): Promise<void> {
  await recordEvent(ctx, { entityType: entityOf(a.parentType as ParentType), entityId: a.parentId, action, after: { ...summary(a), ...extra } });
}

/**
 * A reminder to the assignee when the task falls due; a moved due time enqueues a new one and the old
 * one finds it moved. A task already past due when written gets none (it shows as overdue at once).
 */
async function scheduleReminder(ctx: Ctx, a: ActivityTable): Promise<void> {
  if (a.type !== 'task' || a.status !== 'open' || !a.dueAt || !a.assigneeId) return;
  if (Date.parse(a.dueAt) <= Date.parse(nowIso())) return;
  const payload: TaskDuePayload = { activityId: a.id, dueAt: a.dueAt, assigneeId: a.assigneeId };
  await enqueue(ctx, TASK_DUE_JOB, payload, { runAt: a.dueAt });
}

export async function createActivity(ctx: Ctx, input: ActivityCreate): Promise<ActivityDto> {
  const data = ActivityCreate.parse(input);
  return inTx(ctx, async (tx) => {
    const now = new Date(nowIso());
    checkFields(data.type, data, now, true);
    const parent = await loadParent(tx, data.parentType, data.parentId, 'write');
    const ownerId = data.ownerId ?? (tx.user.via === 'system' ? null : tx.user.id);
    if (ownerId) await checkPerson(tx, 'ownerId', ownerId, data.parentType, parent);
    const isTask = data.type === 'task';
    const assigneeId = isTask ? (data.assigneeId ?? ownerId) : null;
    if (assigneeId && assigneeId !== ownerId) await checkPerson(tx, 'assigneeId', assigneeId, data.parentType, parent);
    const iso = now.toISOString();
    const row: ActivityTable = {
      id: newId('act'),
      type: data.type,
      parentType: data.parentType,
      parentId: parent.id,
      subject: data.subject,
      notes: data.notes ?? null,
      outcome: data.outcome ?? null,
      direction: data.direction ?? null,
      durationMinutes: data.durationMinutes ?? null,
      occurredAt: isTask ? null : (data.occurredAt ?? iso),
      dueAt: isTask ? data.dueAt! : null,
      status: isTask ? 'open' : 'done',
      completedAt: null,
      completedBy: null,
      ownerId,
      assigneeId,
      createdAt: iso,
      updatedAt: iso,
      createdBy: tx.user.via === 'system' ? null : tx.user.id,
      version: 1,
    };
    await tx.db.insertInto('activities').values(row).execute();
    await recordEvent(tx, { entityType: 'activity', entityId: row.id, action: 'created', after: row as any });
    await parentEvent(tx, row, isTask ? 'task_added' : 'activity_logged');
    await touchParent(tx, row);
    await scheduleReminder(tx, row);
    await notifyTaskAssigned(tx, row, null, parent.name);
    return (await dtos(tx, [row]))[0]!;
  });
}

export async function getActivity(ctx: Ctx, id: string): Promise<ActivityDto> {
  const { row } = await loadActivity(ctx, id, 'read');
  return (await dtos(ctx, [row]))[0]!;
}

export async function updateActivity(ctx: Ctx, id: string, input: unknown, expectedVersion?: number): Promise<ActivityDto> {
  const data = ActivityUpdate.parse(input);
  return inTx(ctx, async (tx) => {
    const { row: before, parent } = await loadActivity(tx, id, 'write');
    assertMayChange(tx, before);
    checkFields(before.type as ActivityType, data, new Date(nowIso()), false);
    const patch: Partial<ActivityTable> = {};
    for (const [k, v] of Object.entries(data)) if (v !== undefined) (patch as any)[k] = v;
    if (patch.assigneeId !== undefined) {
      if (patch.assigneeId) await checkPerson(tx, 'assigneeId', patch.assigneeId, before.parentType as ParentType, parent);
      else patch.assigneeId = before.ownerId;
    }
    const after = (await updateRecord(tx, activityRecord, before as any, patch as any, { expectedVersion })) as unknown as ActivityTable;
    // An activity moved back in time may have been what made the lead "last touched": recompute then.
    if (after.parentType === 'lead' && after.occurredAt !== before.occurredAt) await retouchLead(tx, after.parentId);
    else await touchParent(tx, after);
    if (after.dueAt !== before.dueAt || after.assigneeId !== before.assigneeId) await scheduleReminder(tx, after);
    await notifyTaskAssigned(tx, after, before.assigneeId, parent.name);
    return (await dtos(tx, [after]))[0]!;
  });
}

/** Marks a task done (optionally with what came of it); it then counts as touching its parent. */
export async function completeActivity(ctx: Ctx, id: string, input: unknown = {}, expectedVersion?: number): Promise<ActivityDto> {
  const data = ActivityComplete.parse(input ?? {});
  return inTx(ctx, async (tx) => {
    const { row: before } = await loadActivity(tx, id, 'write');
    assertMayChange(tx, before);
    if (before.type !== 'task') throw conflict('not_a_task', 'only a task is completed; a call, meeting, email or note is done when logged');
    if (before.status === 'done') throw conflict('already_done', 'this task is already done');
    if (data.outcome != null) throw fieldError('outcome', 'only a call has an outcome', 'not_for_type');
    const now = nowIso();
    const patch: Partial<ActivityTable> = { status: 'done', completedAt: now, completedBy: tx.user.id, occurredAt: now };
    if (data.notes !== undefined) patch.notes = data.notes;
    const after = (await updateRecord(tx, activityRecord, before as any, patch as any, { expectedVersion, action: 'complete' })) as unknown as ActivityTable;
    await parentEvent(tx, after, 'task_completed');
    await touchParent(tx, after);
    return (await dtos(tx, [after]))[0]!;
  });
}

/** Opens a completed task again (done by mistake). The parent's "last touched" keeps what happened. */
export async function reopenActivity(ctx: Ctx, id: string, expectedVersion?: number): Promise<ActivityDto> {
  return inTx(ctx, async (tx) => {
    const { row: before } = await loadActivity(tx, id, 'write');
    assertMayChange(tx, before);
    if (before.type !== 'task') throw conflict('not_a_task', 'only a task can be reopened');
    if (before.status !== 'done') throw conflict('not_done', 'this task is still open');
    const patch: Partial<ActivityTable> = { status: 'open', completedAt: null, completedBy: null, occurredAt: null };
    const after = (await updateRecord(tx, activityRecord, before as any, patch as any, { expectedVersion, action: 'reopen' })) as unknown as ActivityTable;
    await parentEvent(tx, after, 'task_reopened');
    await scheduleReminder(tx, after);
    return (await dtos(tx, [after]))[0]!;
  });
}

/**
 * Deletes an activity: only its author, and only within the deletion window (a slip of the finger).
 * After that it is history, corrected by editing or by logging another one. The deletion stays in
 * the event log (with the whole row) and in the parent's timeline.
 */
export async function deleteActivity(ctx: Ctx, id: string): Promise<void> {
  await inTx(ctx, async (tx) => {
    const { row } = await loadActivity(tx, id, 'write');
    if (row.createdBy !== tx.user.id) throw forbidden('delete an activity someone else logged');
    if (!canDelete(row, tx.user.id, new Date(nowIso())))
      throw conflict('delete_window_passed', 'an activity can be deleted only within minutes of logging it; edit it or log another one');
    await tx.db.deleteFrom('activities').where('id', '=', id).execute();
    await recordEvent(tx, { entityType: 'activity', entityId: id, action: 'deleted', before: row as any });
    await parentEvent(tx, row, 'activity_deleted');
    if (row.parentType === 'lead') await retouchLead(tx, row.parentId);
  });
}

/**
 * How far back a text search across records reaches by default when LIKE matches it (a text of one or
 * two characters, or no text index); a search by the index, or within one record, reaches all of it.
 */
export const SEARCH_REACH_MS = 365 * 86_400_000;

/** The activities table as the records kernel sees it for updates (version check, field-diff event). */
const activityRecord = { entity: 'activity', table: 'activities', sortable: SORTABLE, filters: {}, search: [], scoped: false } as unknown as RecordDef<'activities'>;

/**
 * Lists the activities the caller may see: those whose parent is inside the caller's scope for the
 * parent's entity (the records kernel's scope rule applied to the parent, in a subquery, so a lead
 * moved to another team takes its activities with it). Filters by parent, type, status, owner,
 * assignee (`me` allowed), overdue and a due range; `accountId` gathers an account with its contacts and
 * opportunities; `q` matches subject and notes by the text index (text-search.ts), or by LIKE within
 * `since` (default the last year) when the text is too short for it.
 */
export async function listActivities(ctx: Ctx, query: unknown): Promise<Page<ActivityDto>> {
  const q = ActivityQuery.parse(query ?? {});
  const readable = PARENT_TYPES.filter((t) => can(ctx.user, entityOf(t), 'read'));
  if (!readable.length) throw forbidden('read activities');
  if (q.parentType && !readable.includes(q.parentType)) throw forbidden(`read ${entityOf(q.parentType)}s`);
  const me = (v: string | undefined) => (v === 'me' ? ctx.user.id : v);
  const now = nowIso();
  const text = q.q?.trim() || undefined;
  const mode = text ? await textMode(ctx, text) : null;
  const acrossRecords = !q.parentId && !q.accountId;
  // SQLite across records: a text with few hits is read from the hits outwards (activitiesByText); a
  // common one in created-at order, each activity checked against the hits, which fills a page sooner.
  // Within a record its parent index drives the query either way.
  const drive = mode === 'fts' && acrossRecords ? ((await ftsHits(ctx.db, text!)) < FTS_DRIVE_MAX ? 'hits' : 'newest') : null;
  let qb: any = drive === 'hits' ? activitiesByText(ctx.db, text!) : ctx.db.selectFrom('activities').selectAll('activities');
  qb = qb.where((eb: any) =>
    eb.or(
      readable.map((t) => {
        const def = PARENTS[t];
        const inScopeParent = applyScope(ctx, def, eb.selectFrom(def.table).select(sql.lit(1).as('one')).whereRef(`${def.table}.id`, '=', 'activities.parentId'));
        // `+parent_type` for a common text: no index on it, so SQLite reads the newest first instead of every activity by type.
        const type = drive === 'newest' ? sql`+activities.parent_type` : sql.ref('activities.parentType');
        return eb.and([eb(type, '=', t), eb.exists(inScopeParent)]);
      }),
    ),
  );
  if (q.parentType) qb = qb.where('activities.parentType', '=', q.parentType);
  if (q.parentId) qb = qb.where('activities.parentId', '=', q.parentId);
  if (q.accountId) {
    const acc = q.accountId;
    qb = qb.where((eb: any) =>
      eb.or([
        eb.and([eb('activities.parentType', '=', 'account'), eb('activities.parentId', '=', acc)]),
        eb.and([eb('activities.parentType', '=', 'contact'), eb('activities.parentId', 'in', eb.selectFrom('contacts').select('contacts.id').where('contacts.accountId', '=', acc))]),
        eb.and([eb('activities.parentType', '=', 'opportunity'), eb('activities.parentId', 'in', eb.selectFrom('opportunities').select('opportunities.id').where('opportunities.accountId', '=', acc))]),
      ]),
    );
  }
  if (q.type) qb = qb.where('activities.type', '=', q.type);
  if (q.status) qb = qb.where('activities.status', '=', q.status);
  if (q.ownerId) qb = qb.where('activities.ownerId', '=', me(q.ownerId));
  if (q.assigneeId) qb = qb.where('activities.assigneeId', '=', me(q.assigneeId));
  if (q.overdue === true) qb = qb.where('activities.type', '=', 'task').where('activities.status', '=', 'open').where('activities.dueAt', '<', now);
  if (q.overdue === false) qb = qb.where((eb: any) => eb.or([eb('activities.status', '=', 'done'), eb('activities.dueAt', 'is', null), eb('activities.dueAt', '>=', now)]));
  if (q.dueFrom) qb = qb.where('activities.dueAt', '>=', q.dueFrom);
  if (q.dueTo) qb = qb.where('activities.dueAt', '<=', q.dueTo);
  if (text && mode) {
    // By the text index (migration 022) when it can serve the text: all of history. Otherwise LIKE,
    // bounded: across records the text is matched only over a stretch of the created-at index (one
    // year unless `since` says otherwise); within a record its parent index bounds the scan already.
    const since = q.since ?? (mode === 'like' ? new Date(Date.parse(now) - SEARCH_REACH_MS).toISOString() : undefined);
    if (since && acrossRecords) qb = qb.where('activities.createdAt', '>=', since);
    // A common text read newest first is checked by LIKE on the rows read (listing every hit to check
    // against would cost what the ordered scan saves); the two agree but on the case of non-ASCII letters.
    if (drive === 'newest') qb = qb.where(activityTextCondition('like', ctx.dialect, text));
    else if (drive !== 'hits') qb = qb.where(activityTextCondition(mode, ctx.dialect, text));
  }
  const page = (await (paginate as any)(qb, 'activities', q, SORTABLE, '-createdAt', NULLABLE_SORT)) as Page<ActivityTable>;
  return { ...page, items: await dtos(ctx, page.items) };
}

/** Open tasks assigned to the caller, soonest due first (the home page's "my tasks"). */
export async function myOpenTasks(ctx: Ctx, limit = 100): Promise<Page<ActivityDto>> {
  return listActivities(ctx, { type: 'task', status: 'open', assigneeId: 'me', sort: 'dueAt', limit: String(limit) });
}

/** Rows → DTOs with the parent's name and the people's names: one query per parent type and one for users. */
async function dtos(ctx: Ctx, rows: ActivityTable[]): Promise<ActivityDto[]> {
  if (!rows.length) return [];
  const names = new Map<string, string>();
  for (const t of PARENT_TYPES) {
    const ids = [...new Set(rows.filter((r) => r.parentType === t).map((r) => r.parentId))];
    if (!ids.length) continue;
    const found = await (ctx.db as any).selectFrom(PARENTS[t].table).select(['id', 'name']).where('id', 'in', ids).execute();
    for (const f of found) names.set(f.id, f.name);
  }
  const userIds = [...new Set(rows.flatMap((r) => [r.ownerId, r.assigneeId]).filter((x): x is string => !!x))];
  const users = new Map<string, string>();
  if (userIds.length) for (const u of await ctx.db.selectFrom('users').select(['id', 'name']).where('id', 'in', userIds).execute()) users.set(u.id, u.name);
  const now = new Date(nowIso());
  return rows.map((r) => ({
    ...r,
    type: r.type as ActivityDto['type'],
    parentType: r.parentType as ParentType,
    parentName: names.get(r.parentId) ?? null,
    outcome: r.outcome as ActivityDto['outcome'],
    direction: r.direction as ActivityDto['direction'],
    status: r.status as ActivityDto['status'],
    overdue: isOverdue(r, now),
    ownerName: r.ownerId ? (users.get(r.ownerId) ?? null) : null,
    assigneeName: r.assigneeId ? (users.get(r.assigneeId) ?? null) : null,
    deletable: canDelete(r, ctx.user.id, now),
  }));
}

