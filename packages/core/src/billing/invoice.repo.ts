import type { Db } from '@openltc/db';
import { reuseIn } from '../platform/hot-reads.ts';

/**
 * The SQL over invoices and invoice lines that other documents need. "Billed" counts every invoice
 * except cancelled ones: a draft already reserves its quantities, so two drafts cannot bill the same goods.
 */
export interface Billed {
  qtyMilli: number;
  netMinor: number;
  taxMinor: number;
}
export const NOTHING_BILLED: Billed = { qtyMilli: 0, netMinor: 0, taxMinor: 0 };

export async function billedByOrderLine(
  db: Db,
  orderIds: readonly string[],
  exceptInvoiceId?: string,
): Promise<Map<string, Billed>> {
  if (!orderIds.length) return new Map();
  const rows = await reuseIn(db, exceptInvoiceId ? 'billedByOrderLine.except' : 'billedByOrderLine', exceptInvoiceId ? ['cancelled', exceptInvoiceId] : ['cancelled'], orderIds, ([cancelled, except], ids) => {
    let q = db
      .selectFrom('invoiceLines')
      .innerJoin('invoices', 'invoices.id', 'invoiceLines.invoiceId')
      .select((eb) => [
        'invoiceLines.orderLineId',
        eb.fn.sum<number>('invoiceLines.qtyMilli').as('qtyMilli'),
        eb.fn.sum<number>('invoiceLines.netMinor').as('netMinor'),
        eb.fn.sum<number>('invoiceLines.taxMinor').as('taxMinor'),
      ])
      .where('invoices.orderId', 'in', ids as string[])
      .where('invoices.status', '<>', cancelled as 'cancelled');
    if (except !== undefined) q = q.where('invoices.id', '<>', except as string);
    return q.groupBy('invoiceLines.orderLineId');
  });
  return new Map(
    rows.map((r) => [r.orderLineId, { qtyMilli: Number(r.qtyMilli), netMinor: Number(r.netMinor), taxMinor: Number(r.taxMinor) }]),
  );
}

/** Quantities already billed against delivery lines (invoices made from a delivery). */
export async function billedByDeliveryLine(db: Db, deliveryLineIds: readonly string[]): Promise<Map<string, number>> {
  if (!deliveryLineIds.length) return new Map();
  const rows = await db
    .selectFrom('invoiceLines')
    .innerJoin('invoices', 'invoices.id', 'invoiceLines.invoiceId')
    .select((eb) => ['invoiceLines.deliveryLineId', eb.fn.sum<number>('invoiceLines.qtyMilli').as('qtyMilli')])
    .where('invoiceLines.deliveryLineId', 'in', deliveryLineIds)
    .where('invoices.status', '<>', 'cancelled')
    .groupBy('invoiceLines.deliveryLineId')
    .execute();
  return new Map(rows.map((r) => [r.deliveryLineId!, Number(r.qtyMilli)]));
}

/** Per order: the total of its (not cancelled) invoices and how many there are. */
export async function invoiceTotalsByOrder(db: Db, orderIds: readonly string[]): Promise<Map<string, { billedMinor: number; count: number }>> {
  if (!orderIds.length) return new Map();
  const rows = await db
    .selectFrom('invoices')
    .select((eb) => ['orderId', eb.fn.sum<number>('totalMinor').as('billedMinor'), eb.fn.countAll<number>().as('count')])
    .where('orderId', 'in', orderIds)
    .where('status', '<>', 'cancelled')
    .groupBy('orderId')
    .execute();
  return new Map(rows.map((r) => [r.orderId, { billedMinor: Number(r.billedMinor), count: Number(r.count) }]));
}

export async function invoiceLinesOf(db: Db, invoiceIds: readonly string[]) {
  if (!invoiceIds.length) return [];
  return db
    .selectFrom('invoiceLines')
    .selectAll()
    .where('invoiceId', 'in', invoiceIds)
    .orderBy('invoiceId')
    .orderBy('lineNo')
    .execute();
}
