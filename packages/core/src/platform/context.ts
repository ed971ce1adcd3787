import type { Db, Dialect } from '@openltc/db';
import type { Principal } from './permissions.ts';

/** What every use case receives: the database (or the open transaction), the caller and the request. */
export interface Ctx {
  db: Db;
  dialect: Dialect;
  user: Principal;
  requestId: string | null;
  /** Set when `db` is already a transaction. */
  inTx?: boolean;
}

/** Runs fn in one transaction (or the one already open), so rows, events and outbox commit together. */
export async function inTx<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.inTx) return fn(ctx);
  return ctx.db.transaction().execute((trx) => fn({ ...ctx, db: trx as unknown as Db, inTx: true }));
}
