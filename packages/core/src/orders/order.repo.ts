import type { Db, OrderLineTable } from '@openltc/db';
import { reuseIn } from '../platform/hot-reads.ts';

/** The lines of some orders, in order and line order. */
export async function orderLinesOf(db: Db, orderIds: readonly string[]): Promise<OrderLineTable[]> {
  if (!orderIds.length) return [];
  return reuseIn(db, 'orderLines.of', [], orderIds, (_, ids) =>
    db.selectFrom('orderLines').selectAll().where('orderId', 'in', ids as string[]).orderBy('orderId').orderBy('lineNo'),
  );
}

/** A live (not cancelled) order made from this quote or contract, if any: one document, one order. */
export async function liveOrderFrom(db: Db, by: 'quoteId' | 'contractId', id: string): Promise<{ id: string; number: string } | undefined> {
  return db
    .selectFrom('orders')
    .select(['id', 'number'])
    .where(by, '=', id)
    .where('status', '<>', 'cancelled')
    .executeTakeFirst();
}

export function groupBy<T, K>(rows: readonly T[], key: (r: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const r of rows) {
    const list = m.get(key(r));
    if (list) list.push(r);
    else m.set(key(r), [r]);
  }
  return m;
}
