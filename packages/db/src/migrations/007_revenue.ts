import type { Kysely } from 'kysely';

/**
 * Revenue recognition (IFRS 15 / ASC 606): products get a standalone selling price, a recognition
 * method and a default service term; each confirmed order line becomes a performance obligation with
 * its share of the order's transaction price; each obligation has schedule lines (exact minor units,
 * adding up to what is scheduled so far); a revenue period, once closed, is locked.
 *
 * A schedule line is unique per (obligation, period, kind, ref) while scheduled, and every recognised
 * line names the closed period that posted it, so a close run twice posts nothing twice.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('products').addColumn('ssp_minor', 'bigint').execute();
  await db.schema.alterTable('products').addColumn('revenue_method', 'text').execute();
  await db.schema.alterTable('products').addColumn('service_months', 'integer').execute();

  await db.schema
    .createTable('revenue_obligations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('order_line_id', 'text', (c) => c.notNull().unique())
    .addColumn('legal_entity_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text')
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('qty_milli', 'bigint', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    // Standalone selling price of the line (unit SSP × quantity) and the allocated transaction price.
    .addColumn('ssp_minor', 'bigint', (c) => c.notNull())
    .addColumn('allocated_minor', 'bigint', (c) => c.notNull())
    .addColumn('bears_discount', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('service_start', 'text')
    .addColumn('service_end', 'text')
    // JSON: milestones [{id, name, weight, reachedOn}], progress [{date, progress}], modifications [...].
    .addColumn('milestones', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('progress', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('modifications', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('revenue_obligations_order_idx').on('revenue_obligations').columns(['order_id', 'line_no']).execute();
  await db.schema.createIndex('revenue_obligations_entity_idx').on('revenue_obligations').columns(['legal_entity_id', 'id']).execute();

  await db.schema
    .createTable('revenue_periods')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('legal_entity_id', 'text', (c) => c.notNull().references('legal_entities.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text', (c) => c.notNull())
    .addColumn('closed_by', 'text')
    .addColumn('lines', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('entries', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('revenue_periods_entity_period_uq', ['legal_entity_id', 'period'])
    .execute();

  await db.schema
    .createTable('revenue_schedule_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('obligation_id', 'text', (c) => c.notNull().references('revenue_obligations.id'))
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('legal_entity_id', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('recognise_on', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    // delivery | acceptance | ratable | milestone | progress | catch_up
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref', 'text')
    // scheduled | recognised
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('period_id', 'text', (c) => c.references('revenue_periods.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('revenue_schedule_obligation_idx').on('revenue_schedule_lines').columns(['obligation_id', 'period']).execute();
  await db.schema.createIndex('revenue_schedule_order_idx').on('revenue_schedule_lines').columns(['order_id']).execute();
  await db.schema.createIndex('revenue_schedule_entity_period_idx').on('revenue_schedule_lines').columns(['legal_entity_id', 'status', 'period']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('revenue_schedule_lines').execute();
  await db.schema.dropTable('revenue_periods').execute();
  await db.schema.dropTable('revenue_obligations').execute();
  await db.schema.alterTable('products').dropColumn('service_months').execute();
  await db.schema.alterTable('products').dropColumn('revenue_method').execute();
  await db.schema.alterTable('products').dropColumn('ssp_minor').execute();
}
