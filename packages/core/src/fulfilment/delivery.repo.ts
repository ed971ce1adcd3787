import type { Db } from '@openltc/db';
import { reuseIn } from '../platform/hot-reads.ts';

/**
 * The SQL over deliveries and their lines that other documents need: grouped by order line, for
 * any number of orders at once, so lists never query per row.
 */
export async function deliveredByOrderLine(db: Db, orderIds: readonly string[]): Promise<Map<string, number>> {
  if (!orderIds.length) return new Map();
  const rows = await reuseIn(db, 'deliveredByOrderLine', [], orderIds, (_, ids) =>
    db
      .selectFrom('deliveryLines')
      .innerJoin('deliveries', 'deliveries.id', 'deliveryLines.deliveryId')
      .select((eb) => ['deliveryLines.orderLineId', eb.fn.sum<number>('deliveryLines.qtyMilli').as('qtyMilli')])
      .where('deliveries.orderId', 'in', ids as string[])
      .groupBy('deliveryLines.orderLineId'),
  );
  return new Map(rows.map((r) => [r.orderLineId, Number(r.qtyMilli)]));
}

export async function deliveryCountByOrder(db: Db, orderId: string): Promise<number> {
  const r = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('orderId', '=', orderId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function deliveryLinesOf(db: Db, deliveryIds: readonly string[]) {
  if (!deliveryIds.length) return [];
  return db
    .selectFrom('deliveryLines')
    .selectAll()
    .where('deliveryId', 'in', deliveryIds)
    .orderBy('deliveryId')
    .orderBy('id')
    .execute();
}
