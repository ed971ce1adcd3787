import type { Kysely } from 'kysely';

/**
 * Indexes for the key figures (GET /analytics/kpis) that read a document by the date it reached a
 * step: without them each figure scans its whole table, which grows with the business
 * (bench/RESULTS.md, W4 key figures). Measured on the medium bench set: order fulfilment, delivery
 * cycle and cash collected fall from 11–25 ms to ~1 ms on SQLite.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('orders_fulfilled_at_idx').on('orders').column('fulfilled_at').execute();
  await db.schema.createIndex('deliveries_accepted_at_idx').on('deliveries').column('accepted_at').execute();
  await db.schema.createIndex('payments_received_on_idx').on('payments').column('received_on').execute();
  await db.schema
    .createIndex('payment_allocations_created_at_idx')
    .on('payment_allocations')
    .column('created_at')
    .execute();
  await db.schema
    .createIndex('opportunities_closed_at_idx')
    .on('opportunities')
    .column('closed_at')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [
    'opportunities_closed_at_idx',
    'payment_allocations_created_at_idx',
    'payments_received_on_idx',
    'deliveries_accepted_at_idx',
    'orders_fulfilled_at_idx',
  ])
    await db.schema.dropIndex(name).execute();
}
