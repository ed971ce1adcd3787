import type { Kysely } from 'kysely';

/**
 * Collections: dunning levels per legal entity, the notices dunning runs send, promises to pay and
 * invoice disputes. Portable types only, like the foundation.
 *
 * A notice is unique per (invoice, level) and per (invoice, run date): two runs on the same day, or
 * two runs at the same time on PostgreSQL, cannot send an invoice the same notice twice.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dunning_levels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('legal_entity_id', 'text', (c) => c.notNull().references('legal_entities.id'))
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('min_days_past_due', 'integer', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    // Fees per currency in minor units, JSON: {"CNY":"5000"}.
    .addColumn('fees', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('interest_annual_rate', 'text')
    .addColumn('escalate', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hold_orders', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addUniqueConstraint('dunning_levels_entity_level_uq', ['legal_entity_id', 'level'])
    .execute();

  await db.schema
    .createTable('dunning_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('legal_entity_id', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('run_date', 'text', (c) => c.notNull())
    .addColumn('days_past_due', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('outstanding_minor', 'bigint', (c) => c.notNull())
    .addColumn('fee_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('interest_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('interest_from', 'text')
    .addColumn('interest_through', 'text')
    .addColumn('interest_days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('escalate', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hold_orders', 'integer', (c) => c.notNull().defaultTo(0))
    // 'queued': emails enqueued; 'no_recipient': the account has no contact with an email.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('recipients', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addUniqueConstraint('dunning_notices_invoice_level_uq', ['invoice_id', 'level'])
    .addUniqueConstraint('dunning_notices_invoice_run_uq', ['invoice_id', 'run_date'])
    .execute();

  await db.schema
    .createTable('payment_promises')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('promised_date', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint')
    .addColumn('note', 'text', (c) => c.notNull())
    // open → kept | broken | replaced
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('closed_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();

  await db.schema
    .createTable('invoice_disputes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    // open → resolved
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('resolution', 'text')
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('opened_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'text')
    .execute();

  const idx: Array<[string, string, string[]]> = [
    ['dunning_notices_account_idx', 'dunning_notices', ['account_id', 'run_date']],
    ['dunning_notices_run_idx', 'dunning_notices', ['legal_entity_id', 'run_date']],
    ['payment_promises_invoice_idx', 'payment_promises', ['invoice_id', 'status']],
    ['payment_promises_status_idx', 'payment_promises', ['status', 'promised_date']],
    ['invoice_disputes_invoice_idx', 'invoice_disputes', ['invoice_id', 'status']],
    ['invoice_disputes_status_idx', 'invoice_disputes', ['status']],
  ];
  for (const [name, table, cols] of idx) await db.schema.createIndex(name).on(table).columns(cols).execute();
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted; restore a backup instead.');
}
