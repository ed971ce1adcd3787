import type { Kysely } from 'kysely';

/**
 * Tax codes per legal entity and price books per currency, and what the documents record of them.
 * Portable types only, like the foundation.
 *
 * - tax_codes: a code (VAT13, …) of a legal entity with one or more components (JSON
 *   `[{"name","rate","compound"}]`) and the effective rate they make together; deactivated, never
 *   deleted. Unique per (legal entity, code).
 * - legal_entities.tax_rounding: 'line' (default) or 'document'.
 * - products.tax_code: the default tax code (the code, e.g. VAT13, resolved in the document's legal entity).
 * - every priced line (quote, order, invoice, credit note) records the tax code it was priced with
 *   (id and code as they were), next to the effective rate snapshot it already keeps.
 * - quote and order lines keep the list amount, the line discount as an amount and the line's share
 *   of the document discount, so amounts that are not qty × unit price (tiers, amount discounts)
 *   stay explainable.
 * - price_books / price_book_entries: per currency, prices with or without tax, per unit, graduated
 *   or volume tiers (JSON `[{"upTo":"10","unitPriceMinor":100,"flatFeeMinor":0}]`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tax_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('legal_entity_id', 'text', (c) => c.notNull().references('legal_entities.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('components', 'text', (c) => c.notNull())
    .addColumn('rate', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('tax_codes_entity_code_uq', ['legal_entity_id', 'code'])
    .execute();

  await db.schema.alterTable('legal_entities').addColumn('tax_rounding', 'text', (c) => c.notNull().defaultTo('line')).execute();
  await db.schema.alterTable('products').addColumn('tax_code', 'text').execute();

  for (const table of ['quote_lines', 'order_lines', 'invoice_lines', 'credit_note_lines']) {
    await db.schema.alterTable(table).addColumn('tax_code_id', 'text').execute();
    await db.schema.alterTable(table).addColumn('tax_code', 'text').execute();
    // "Is this code used?" (its rate freezes once a line has it) reads the index only.
    await db.schema.createIndex(`${table}_tax_code_idx`).on(table).column('tax_code_id').execute();
  }
  for (const table of ['quote_lines', 'order_lines']) {
    await db.schema.alterTable(table).addColumn('list_amount_minor', 'bigint').execute();
    await db.schema.alterTable(table).addColumn('discount_minor', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable(table).addColumn('doc_discount_minor', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  }

  await db.schema
    .createTable('price_books')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('prices_include_tax', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('valid_from', 'text')
    .addColumn('valid_to', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('price_book_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('price_book_id', 'text', (c) => c.notNull().references('price_books.id'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    // per_unit | graduated | volume
    .addColumn('scheme', 'text', (c) => c.notNull())
    .addColumn('unit_price_minor', 'bigint')
    .addColumn('tiers', 'text')
    .addUniqueConstraint('price_book_entries_book_product_uq', ['price_book_id', 'product_id'])
    .execute();

  await db.schema.alterTable('quotes').addColumn('price_book_id', 'text').execute();
  await db.schema.alterTable('quotes').addColumn('prices_include_tax', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // The document discount as asked ("percent:0.05" or "amount:10000") and the amount it came to.
  await db.schema.alterTable('quotes').addColumn('document_discount', 'text').execute();
  await db.schema.alterTable('quotes').addColumn('document_discount_minor', 'bigint', (c) => c.notNull().defaultTo(0)).execute();

  await db.schema.createIndex('price_books_currency_idx').on('price_books').columns(['currency', 'active']).execute();
  await db.schema.createIndex('tax_codes_entity_idx').on('tax_codes').columns(['legal_entity_id', 'active']).execute();
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted; restore a backup instead.');
}
