import type { Ctx } from './context.ts';
import { newId } from './ids.ts';
import { nowIso } from './clock.ts';

/** Fields never written to the event log (secrets, bookkeeping). */
const HIDDEN = new Set(['passwordHash', 'tokenHash', 'updatedAt', 'version']);

function clean(o: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!o) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!HIDDEN.has(k) && v !== undefined) out[k] = v;
  return out;
}

/** The fields that changed between two versions of a record, as {before, after} halves. */
export function diff(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const k of Object.keys(after)) {
    if (HIDDEN.has(k)) continue;
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) {
      b[k] = before[k] ?? null;
      a[k] = after[k] ?? null;
    }
  }
  return Object.keys(a).length ? { before: b, after: a } : null;
}

export interface EventInput {
  entityType: string;
  entityId: string;
  /** `created`, `updated`, or the lifecycle action (`qualify`, `issue`, …). */
  action: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** Appends an event in the caller's transaction: who, when, which request, before and after. */
export async function recordEvent(ctx: Ctx, e: EventInput): Promise<void> {
  const b = clean(e.before);
  const a = clean(e.after);
  await ctx.db
    .insertInto('events')
    .values({
      id: newId('evt'),
      occurredAt: nowIso(),
      actorId: ctx.user.id,
      requestId: ctx.requestId,
      entityType: e.entityType,
      entityId: e.entityId,
      action: e.action,
      before: b ? JSON.stringify(b) : null,
      after: a ? JSON.stringify(a) : null,
    })
    .execute();
}

export interface EventDto {
  id: string;
  occurredAt: string;
  actorId: string | null;
  actorName: string | null;
  requestId: string | null;
  entityType: string;
  entityId: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** The timeline of one record, oldest first. The caller has already checked visibility. */
export async function timelineOf(ctx: Ctx, entityType: string, entityId: string, limit = 500): Promise<EventDto[]> {
  const rows = await ctx.db
    .selectFrom('events')
    .leftJoin('users', 'users.id', 'events.actorId')
    .select([
      'events.id',
      'events.occurredAt',
      'events.actorId',
      'users.name as actorName',
      'events.requestId',
      'events.entityType',
      'events.entityId',
      'events.action',
      'events.before',
      'events.after',
    ])
    .where('events.entityType', '=', entityType)
    .where('events.entityId', '=', entityId)
    .orderBy('events.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    ...r,
    actorName: r.actorName ?? (r.actorId === 'system' ? 'System' : null),
    before: r.before ? JSON.parse(r.before) : null,
    after: r.after ? JSON.parse(r.after) : null,
  }));
}

/** A draft's lines replaced wholesale: one `lines_changed` event with the old and new lines as the document shows them. */
export async function recordLinesChanged<L>(
  ctx: Ctx,
  entityType: string,
  entityId: string,
  before: readonly L[],
  after: readonly L[],
  show: (l: L) => Record<string, unknown>,
): Promise<void> {
  await recordEvent(ctx, { entityType, entityId, action: 'lines_changed', before: { lines: before.map(show) }, after: { lines: after.map(show) } });
}
