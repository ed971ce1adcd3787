import { sql, type Kysely } from 'kysely';

/**
 * Money correctness gaps.
 *
 * - `price_books`: at most one default book per currency, enforced by a unique partial index
 *   (`currency` where `is_default = 1`). Databases that already hold two defaults of a currency (the
 *   race this closes) keep the most recently updated one as the default.
 * - `payments.legal_entity_id`: the legal entity a payment belongs to (the one of the invoices it
 *   pays); its journal, exchange differences and the customer's credit post there. Payments from
 *   before this migration posted to the first legal entity, so that is what they get.
 * - `quotes.legal_entity_id`: the legal entity whose tax codes a quote uses; its order inherits it.
 *   Existing quotes get the first legal entity (the one they were priced with).
 * - `dunning_charges`: a waiver (`waived_on`, `waived_by`, `waive_reason`, `waived_minor`) and VAT
 *   on the charge when the legal entity says so (`tax_code`, `tax_rate`, `tax_minor`; `total_minor`
 *   then includes the tax). `dunning_policies.charge_tax_code`: the code charges carry (null: none).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`update price_books set is_default = 0
    where is_default = 1 and exists (
      select 1 from price_books o
      where o.currency = price_books.currency and o.is_default = 1 and o.id <> price_books.id
        and (o.updated_at > price_books.updated_at or (o.updated_at = price_books.updated_at and o.id > price_books.id)))`.execute(db);
  await db.schema.createIndex('price_books_one_default_uq').on('price_books').column('currency').unique().where(sql.ref('is_default'), '=', 1).execute();

  await db.schema.alterTable('payments').addColumn('legal_entity_id', 'text').execute();
  await sql`update payments set legal_entity_id = (select le.id from legal_entities le order by le.created_at, le.id limit 1)`.execute(db);
  await db.schema.createIndex('payments_legal_entity_idx').on('payments').columns(['legal_entity_id', 'received_on']).execute();

  await db.schema.alterTable('quotes').addColumn('legal_entity_id', 'text').execute();
  await sql`update quotes set legal_entity_id = (select le.id from legal_entities le order by le.created_at, le.id limit 1)`.execute(db);

  await db.schema.alterTable('dunning_charges').addColumn('waived_on', 'text').execute();
  await db.schema.alterTable('dunning_charges').addColumn('waived_by', 'text').execute();
  await db.schema.alterTable('dunning_charges').addColumn('waive_reason', 'text').execute();
  await db.schema.alterTable('dunning_charges').addColumn('waived_minor', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('dunning_charges').addColumn('tax_code', 'text').execute();
  await db.schema.alterTable('dunning_charges').addColumn('tax_rate', 'text').execute();
  await db.schema.alterTable('dunning_charges').addColumn('tax_minor', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('dunning_policies').addColumn('charge_tax_code', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted; restore a backup instead.');
}
