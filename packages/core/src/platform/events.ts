import { reuse } from '@openltc/db';
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
  const values = [
    newId('evt'),
    nowIso(),
    ctx.user.id,
    ctx.requestId ?? null,
    e.entityType,
    e.entityId,
    e.action,
    b ? JSON.stringify(b) : null,
    a ? JSON.stringify(a) : null,
  ];
  // The event insert runs in every write: compiled once (see reuse in @openltc/db).
  await reuse(ctx.db, 'events.insert', values, (v) =>
    ctx.db.insertInto('events').values({
      id: v[0] as string,
      occurredAt: v[1] as string,
      actorId: v[2] as string,
      requestId: v[3] as string | null,
      entityType: v[4] as string,
      entityId: v[5] as string,
      action: v[6] as string,
      before: v[7] as string | null,
      after: v[8] as string | null,
    }),
  );
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
