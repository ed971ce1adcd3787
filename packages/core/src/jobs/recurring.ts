import type { Db } from '@openltc/db';

/**
 * Recurring work (sweeps that expire lapsed quotes and ended contracts, and later dunning runs) is
 * an ordinary job enqueued once per time slot. The job id is derived from the type and the slot, so
 * however many servers and workers run, a slot's job is inserted once (the insert is a no-op after).
 */
export interface Recurring {
  type: string;
  everyMinutes: number;
}

export const RECURRING: readonly Recurring[] = [
  { type: 'sweep.expire_documents', everyMinutes: 60 },
  // Daily (slots start at 00:00 UTC): the dunning run of each legal entity for its business date.
  { type: 'collections.dunning_run', everyMinutes: 1440 },
  // Daily: the billing run invoices the billing schedule items that fell due (billing/billing-run.ts).
  { type: 'billing.run', everyMinutes: 1440 },
];

export function slotStart(now: Date, everyMinutes: number): Date {
  const ms = everyMinutes * 60_000;
  return new Date(Math.floor(now.getTime() / ms) * ms);
}

export function recurringJobId(type: string, slot: Date): string {
  return `job_${type.replace(/[^a-z0-9]+/gi, '_')}_${slot.toISOString().replace(/[-:.]/g, '').slice(0, 13)}`;
}

/** Inserts the current slot's job of each recurring task if it is not there yet; returns how many were new. */
export async function enqueueRecurring(db: Db, now: Date, tasks: readonly Recurring[] = RECURRING): Promise<number> {
  let added = 0;
  for (const t of tasks) {
    const slot = slotStart(now, t.everyMinutes);
    const iso = now.toISOString();
    const r = await db
      .insertInto('jobs')
      .values({
        id: recurringJobId(t.type, slot),
        type: t.type,
        payload: JSON.stringify({ slot: slot.toISOString() }),
        status: 'pending',
        attempts: 0,
        maxAttempts: 3,
        runAt: slot.toISOString(),
        lockedBy: null,
        lockedUntil: null,
        lastError: null,
        createdAt: iso,
        updatedAt: iso,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    added += Number(r.numInsertedOrUpdatedRows ?? 0);
  }
  return added;
}

/**
 * Housekeeping for the hourly sweep: sessions past their expiry and idempotency keys older than a day
 * (clients retry within minutes; a day is generous) are deleted. Returns how many rows went.
 */
export async function purgeExpired(db: Db, now: Date): Promise<{ sessions: number; idempotencyKeys: number }> {
  const s = await db.deleteFrom('sessions').where('expiresAt', '<', now.toISOString()).executeTakeFirst();
  const dayAgo = new Date(now.getTime() - 86_400_000).toISOString();
  const k = await db.deleteFrom('idempotencyKeys').where('createdAt', '<', dayAgo).where('statusCode', '<>', 0).executeTakeFirst();
  return { sessions: Number(s.numDeletedRows), idempotencyKeys: Number(k.numDeletedRows) };
}
