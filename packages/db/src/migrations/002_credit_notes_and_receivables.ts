import type { Kysely, CreateTableBuilder } from 'kysely';
import { sql } from 'kysely';

/**
 * Credit notes (with their lines pointing at invoice lines), refunds, payment reversals and
 * credit holds. Portable types only, like the foundation.
 *
 * Payment allocations become an append-only ledger: a reversal or a credit note releasing money
 * from a paid invoice adds a counter-row with a negative amount (`kind`, `reverses_id`,
 * `credit_note_id`) instead of changing or deleting the original, so every existing sum over
 * allocations (paid per invoice, per order, allocated per payment) stays right without a filter.
 * `effective_on` is the business date the row counts from, for receivables "as of" a date.
 */
type Tb = CreateTableBuilder<any, any>;

const owned = (t: Tb): Tb =>
  t
    .addColumn('owner_id', 'text')
    .addColumn('team_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1));

export async function up(db: Kysely<any>): Promise<void> {
  await owned(
    db.schema
      .createTable('credit_notes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('number', 'text')
      .addColumn('legal_entity_id', 'text', (c) => c.notNull().references('legal_entities.id'))
      .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('net_minor', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('tax_minor', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('total_minor', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('settlement', 'text', (c) => c.notNull().defaultTo('balance'))
      .addColumn('issue_date', 'text')
      .addColumn('issued_at', 'text')
      .addColumn('applied_minor', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('to_balance_minor', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('refunded_minor', 'bigint', (c) => c.notNull().defaultTo(0))
      .addUniqueConstraint('credit_notes_entity_number_uq', ['legal_entity_id', 'number']),
  ).execute();

  await db.schema
    .createTable('credit_note_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('credit_note_id', 'text', (c) => c.notNull().references('credit_notes.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('invoice_line_id', 'text', (c) => c.notNull().references('invoice_lines.id'))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('qty_milli', 'bigint', (c) => c.notNull())
    .addColumn('unit_price_minor', 'bigint', (c) => c.notNull())
    .addColumn('discount_rate', 'text', (c) => c.notNull().defaultTo('0'))
    .addColumn('tax_rate', 'text', (c) => c.notNull())
    .addColumn('net_minor', 'bigint', (c) => c.notNull())
    .addColumn('tax_minor', 'bigint', (c) => c.notNull())
    .addColumn('total_minor', 'bigint', (c) => c.notNull())
    .execute();

  await owned(
    db.schema
      .createTable('refunds')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('number', 'text', (c) => c.notNull().unique())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.id'))
      .addColumn('credit_note_id', 'text', (c) => c.references('credit_notes.id'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('amount_minor', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('refund_on', 'text', (c) => c.notNull()),
  ).execute();

  await db.schema.alterTable('payment_allocations').addColumn('kind', 'text', (c) => c.notNull().defaultTo('allocation')).execute();
  await db.schema.alterTable('payment_allocations').addColumn('reverses_id', 'text').execute();
  await db.schema.alterTable('payment_allocations').addColumn('credit_note_id', 'text').execute();
  await db.schema.alterTable('payment_allocations').addColumn('effective_on', 'text').execute();
  // Allocations made before this migration count from the day their payment was received.
  await sql`update payment_allocations set effective_on = (select p.received_on from payments p where p.id = payment_allocations.payment_id)`.execute(db);

  await db.schema.alterTable('payments').addColumn('reversed_at', 'text').execute();
  await db.schema.alterTable('payments').addColumn('reversed_on', 'text').execute();
  await db.schema.alterTable('payments').addColumn('reversal_reason', 'text').execute();

  await db.schema.alterTable('orders').addColumn('hold_reason', 'text').execute();
  await db.schema.alterTable('orders').addColumn('release_reason', 'text').execute();

  const idx: Array<[string, string, string[]]> = [
    ['credit_notes_invoice_idx', 'credit_notes', ['invoice_id']],
    ['credit_notes_account_idx', 'credit_notes', ['account_id', 'status']],
    ['credit_notes_team_idx', 'credit_notes', ['team_id', 'created_at']],
    ['credit_note_lines_note_idx', 'credit_note_lines', ['credit_note_id', 'line_no']],
    ['credit_note_lines_invoice_line_idx', 'credit_note_lines', ['invoice_line_id']],
    ['refunds_account_idx', 'refunds', ['account_id']],
    ['refunds_payment_idx', 'refunds', ['payment_id']],
    ['refunds_credit_note_idx', 'refunds', ['credit_note_id']],
    ['invoices_account_status_idx', 'invoices', ['account_id', 'status', 'due_date']],
    ['invoices_issue_date_idx', 'invoices', ['issue_date']],
  ];
  for (const [name, table, cols] of idx) await db.schema.createIndex(name).on(table).columns(cols).execute();
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted; restore a backup instead.');
}
