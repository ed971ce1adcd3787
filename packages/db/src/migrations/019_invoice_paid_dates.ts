import { sql, type Kysely } from 'kysely';

/**
 * The lead-to-cash and quote-to-cash figures read the invoice alone (bench/RESULTS.md, W4 at large: a
 * year's figure followed 40k paid invoices back through order → opportunity → lead and the quote's
 * versions by random lookups, 0.8 s at a million leads). Each invoice now keeps:
 * - `paid_at`: while the invoice is paid, the instant of the last payment allocation written to it (the
 *   allocation that paid it in full, or a later counter-row such as a credit note's release); null while
 *   it is not paid (draft, issued, partially paid after a reversal…) and on a paid invoice no payment
 *   was ever allocated to (paid by credit notes alone);
 * - `lead_created_at` and `first_quote_created_at`: when the chain it comes from started — the lead of
 *   the order's opportunity, the first version of the order's quote — written with `paid_at` (null where
 *   the order has no lead or no quote).
 * They are written by the transaction that settles the invoice after any change to its allocations or
 * credit notes (`settleInvoices`). The index (status, paid_at, origins, owner, team) makes each figure one
 * range scan of the index and a histogram, for a team-scoped rep too.
 *
 * The backfill is one set-based UPDATE of the paid invoices (three correlated look-ups by primary key or
 * index per row, one pass over the rows), the same SQL on SQLite and PostgreSQL; `backfillInvoicePaidDates`
 * is exported so bulk-loaded data (the benchmark's) can be completed the same way.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('invoices').addColumn('paid_at', 'text').execute();
  await db.schema.alterTable('invoices').addColumn('lead_created_at', 'text').execute();
  await db.schema.alterTable('invoices').addColumn('first_quote_created_at', 'text').execute();
  await backfillInvoicePaidDates(db);
  await db.schema
    .createIndex('invoices_paid_kpi_idx')
    .on('invoices')
    .columns(['status', 'paid_at', 'lead_created_at', 'first_quote_created_at', 'owner_id', 'team_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('invoices_paid_kpi_idx').execute();
  await db.schema.alterTable('invoices').dropColumn('first_quote_created_at').execute();
  await db.schema.alterTable('invoices').dropColumn('lead_created_at').execute();
  await db.schema.alterTable('invoices').dropColumn('paid_at').execute();
}

/** Writes the paid date and origin dates of every paid invoice from its allocations and its chain. */
export async function backfillInvoicePaidDates(db: Kysely<any>): Promise<void> {
  await sql`
    update invoices set
      paid_at = (select max(pa.created_at) from payment_allocations pa where pa.invoice_id = invoices.id),
      lead_created_at = (
        select l.created_at from orders o
        join opportunities op on op.id = o.opportunity_id
        join leads l on l.id = op.lead_id
        where o.id = invoices.order_id),
      first_quote_created_at = (
        select min(q2.created_at) from orders o
        join quotes q on q.id = o.quote_id
        join quotes q2 on q2.number = q.number
        where o.id = invoices.order_id)
    where status = 'paid'`.execute(db);
}
