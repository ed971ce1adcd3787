import type { Db } from '@openltc/db';

export interface PaidDates {
  /** The instant of the last allocation row on the invoice (null if none was ever written). */
  paidAt: string | null;
  /** When the lead of the order's opportunity was created (null: no opportunity or no lead). */
  leadCreatedAt: string | null;
  /** When the first version of the order's quote was created (null: the order has no quote). */
  firstQuoteCreatedAt: string | null;
}

/**
 * What an invoice keeps once it is paid (migration 019), for the lead-to-cash and quote-to-cash figures:
 * its last allocation's instant and the instants its chain started, read in two statements for the batch
 * (the allocations by (invoice_id, created_at); the order, opportunity, lead and quote versions by key).
 * The same definitions as the migration's backfill.
 */
export async function paidDatesOf(db: Db, invoiceIds: readonly string[]): Promise<Map<string, PaidDates>> {
  const ids = [...new Set(invoiceIds)];
  if (!ids.length) return new Map();
  const [last, origins] = await Promise.all([
    db
      .selectFrom('paymentAllocations')
      .select((eb) => ['invoiceId', eb.fn.max('createdAt').as('paidAt')])
      .where('invoiceId', 'in', ids)
      .groupBy('invoiceId')
      .execute(),
    db
      .selectFrom('invoices')
      .innerJoin('orders', 'orders.id', 'invoices.orderId')
      .leftJoin('opportunities', 'opportunities.id', 'orders.opportunityId')
      .leftJoin('leads', 'leads.id', 'opportunities.leadId')
      .leftJoin('quotes', 'quotes.id', 'orders.quoteId')
      .select((eb) => [
        'invoices.id',
        'leads.createdAt as leadCreatedAt',
        eb
          .selectFrom('quotes as q2')
          .select((e) => e.fn.min('q2.createdAt').as('firstAt'))
          .whereRef('q2.number', '=', 'quotes.number')
          .as('firstQuoteCreatedAt'),
      ])
      .where('invoices.id', 'in', ids)
      .execute(),
  ]);
  const paidAt = new Map(last.map((r) => [r.invoiceId, (r.paidAt as string | null) ?? null]));
  return new Map(
    origins.map((o) => [
      o.id,
      { paidAt: paidAt.get(o.id) ?? null, leadCreatedAt: o.leadCreatedAt ?? null, firstQuoteCreatedAt: (o.firstQuoteCreatedAt as string | null) ?? null },
    ]),
  );
}
