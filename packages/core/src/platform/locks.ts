import type { Database } from '@openltc/db';
import { sql } from 'kysely';
import type { Ctx } from './context.ts';

/**
 * Locks rows until the transaction ends, so a check-then-write (remaining quantity, outstanding
 * amount) cannot interleave with another one on the same document. PostgreSQL: `FOR UPDATE`, in id
 * order so two transactions never wait on each other crosswise. SQLite has one writer and Kysely
 * runs one transaction at a time on its connection, so there is nothing to lock.
 */
export async function lockRows(ctx: Ctx, table: keyof Database & string, ids: readonly string[]): Promise<void> {
  if (ctx.dialect !== 'postgres' || !ids.length) return;
  await (ctx.db as any)
    .selectFrom(table)
    .select('id')
    .where('id', 'in', [...new Set(ids)].sort())
    .orderBy('id')
    .forUpdate()
    .execute();
}

/**
 * Serialises transactions on a name rather than a row (e.g. "orders from quote X"), for checks that
 * span tables the caller does not own. PostgreSQL: a transaction-scoped advisory lock; SQLite: one writer.
 */
export async function lockKey(ctx: Ctx, key: string): Promise<void> {
  if (ctx.dialect !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(ctx.db);
}
