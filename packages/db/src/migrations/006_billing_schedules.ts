import type { Kysely } from 'kysely';

/**
 * Billing schedules, contract payment plans (回款计划), invoice requests (开票申请) and billing runs.
 *
 * - `contract_payment_terms`: the payment plan agreed in a contract, in percent of its value; copied
 *   into the billing schedule of the orders made from it.
 * - `billing_schedule_items`: what an order bills and when (payment plan, milestones, recurring
 *   periods). `invoice_id` is unique: an item is invoiced at most once, whoever tries (two billing
 *   runs, a run and an approved invoice request). `line_split` holds the item's exact share of each
 *   order line (JSON), fixed when the schedule is set.
 * - `invoice_requests`: sales asks finance for an invoice with the buyer's title data.
 * - `billing_runs`: one row per run with its counters, updated in each chunk's transaction.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('contract_payment_terms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('percent', 'text', (c) => c.notNull())
    // on_signing | on_order | fixed_date | on_acceptance | after_acceptance
    .addColumn('due', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text')
    .addColumn('days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('contract_payment_terms_seq_uq', ['contract_id', 'seq'])
    .execute();

  await db.schema
    .createTable('invoice_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('legal_entity_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // special (增值税专用发票) | normal (普通发票)
    .addColumn('invoice_type', 'text', (c) => c.notNull())
    .addColumn('buyer_name', 'text', (c) => c.notNull())
    .addColumn('buyer_tax_id', 'text', (c) => c.notNull())
    .addColumn('buyer_address_phone', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('buyer_bank_account', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('remarks', 'text', (c) => c.notNull().defaultTo(''))
    // JSON [{orderLineId, qtyMilli}] when order lines are asked for; null when schedule items are.
    .addColumn('lines', 'text')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('invoice_id', 'text', (c) => c.unique())
    .addColumn('reject_reason', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('owner_id', 'text')
    .addColumn('team_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('invoice_requests_status_idx').on('invoice_requests').columns(['status', 'updated_at']).execute();
  await db.schema.createIndex('invoice_requests_order_idx').on('invoice_requests').columns(['order_id', 'created_at']).execute();
  await db.schema.createIndex('invoice_requests_created_idx').on('invoice_requests').columns(['created_at', 'id']).execute();

  await db.schema
    .createTable('billing_schedule_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('contract_id', 'text')
    .addColumn('legal_entity_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    // payment_plan | milestone | recurring
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    // The order line a recurring item bills; null: the order's lines not billed by recurring items.
    .addColumn('order_line_id', 'text')
    .addColumn('percent', 'text')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('net_minor', 'bigint', (c) => c.notNull())
    .addColumn('tax_minor', 'bigint', (c) => c.notNull())
    // date | delivery_accepted | order_accepted | manual
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('delivery_id', 'text')
    .addColumn('offset_days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('bill_date', 'text')
    .addColumn('reached_on', 'text')
    .addColumn('frequency', 'text')
    .addColumn('timing', 'text')
    .addColumn('period_start', 'text')
    .addColumn('period_end', 'text')
    .addColumn('line_split', 'text', (c) => c.notNull())
    // planned → due → invoiced | cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('invoice_id', 'text', (c) => c.unique())
    .addColumn('request_id', 'text', (c) => c.references('invoice_requests.id'))
    .addColumn('cancel_reason', 'text')
    .addColumn('owner_id', 'text')
    .addColumn('team_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('billing_schedule_items_seq_uq', ['order_id', 'seq'])
    .execute();
  // The billing run's scan: open items by bill date.
  await db.schema.createIndex('billing_schedule_items_run_idx').on('billing_schedule_items').columns(['status', 'bill_date', 'id']).execute();
  await db.schema.createIndex('billing_schedule_items_delivery_idx').on('billing_schedule_items').column('delivery_id').execute();
  await db.schema.createIndex('billing_schedule_items_request_idx').on('billing_schedule_items').column('request_id').execute();

  await db.schema
    .createTable('billing_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('legal_entity_id', 'text')
    // running → completed | failed | abandoned
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('chunk_size', 'integer', (c) => c.notNull())
    .addColumn('chunks', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('items_invoiced', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('invoices_created', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('first_number', 'text')
    .addColumn('last_number', 'text')
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('heartbeat_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('created_by', 'text')
    .execute();
  await db.schema.createIndex('billing_runs_started_idx').on('billing_runs').columns(['started_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('billing_runs').execute();
  await db.schema.dropTable('billing_schedule_items').execute();
  await db.schema.dropTable('invoice_requests').execute();
  await db.schema.dropTable('contract_payment_terms').execute();
}
