import type { Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso } from '../platform/clock.ts';

/**
 * The transactional outbox: a side effect is a row in `jobs`, written in the same transaction
 * as the change that causes it, and run later by the worker. If the change rolls back, so does the job.
 */
export interface EnqueueOptions {
  runAt?: string;
  maxAttempts?: number;
}

export async function enqueue(ctx: Ctx, type: string, payload: unknown, opts: EnqueueOptions = {}): Promise<string> {
  const now = nowIso();
  const id = newId('job');
  await ctx.db
    .insertInto('jobs')
    .values({
      id,
      type,
      payload: JSON.stringify(payload),
      status: 'pending',
      attempts: 0,
      maxAttempts: opts.maxAttempts ?? 5,
      // Stored in one canonical ISO form: the worker compares run times as strings.
      runAt: opts.runAt ? new Date(opts.runAt).toISOString() : now,
      lockedBy: null,
      lockedUntil: null,
      lastError: null,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  return id;
}
