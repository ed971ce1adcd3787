import { sql, type Kysely } from 'kysely';

/**
 * Period-end FX revaluation (unrealised exchange differences, IAS 21.23).
 *
 * - `fx_revaluations`: one run per legal entity and month (unique): the period end it revalues at,
 *   the day its reversal is dated (the first day of the next month), the functional currency, the
 *   closing rates used (JSON: currency, rate as exact text, effective date), the gain and loss in
 *   minor units of the functional currency, and what started it (`api`, `cli`, `revenue_close`).
 *   One `posted` run per legal entity and month (a partial unique index); a run replaced by a rerun
 *   (its entries voided by counter-entries on their own dates) is kept as `superseded`.
 * - `fx_revaluation_lines`: what it revalued, one line per open receivable (an invoice or a dunning
 *   charge) and per customer's unapplied money (customer advances) in a foreign currency: the
 *   balance at the period end, its carrying amount at the booked rates, the closing rate and the
 *   revalued amount, and the difference posted.
 * The journal entries themselves are in `journal_entries` (source type `fx_revaluation`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('fx_revaluations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('legal_entity_id', 'text', (c) => c.notNull().references('legal_entities.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('reversal_date', 'text', (c) => c.notNull())
    .addColumn('functional_currency', 'text', (c) => c.notNull())
    .addColumn('rates', 'text', (c) => c.notNull())
    .addColumn('items', 'integer', (c) => c.notNull())
    .addColumn('gain_minor', 'bigint', (c) => c.notNull())
    .addColumn('loss_minor', 'bigint', (c) => c.notNull())
    .addColumn('entries', 'integer', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    // 'posted', or 'superseded' by a rerun of the month.
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('posted'))
    .addColumn('superseded_at', 'text')
    .addColumn('superseded_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();
  await db.schema
    .createIndex('fx_revaluations_entity_period_uq')
    .on('fx_revaluations')
    .columns(['legal_entity_id', 'period'])
    .unique()
    .where(sql.ref('status'), '=', 'posted')
    .execute();
  await db.schema.createIndex('fx_revaluations_period_end_idx').on('fx_revaluations').columns(['period_end', 'id']).execute();

  await db.schema
    .createTable('fx_revaluation_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('revaluation_id', 'text', (c) => c.notNull().references('fx_revaluations.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    // 'receivable' (an open invoice or dunning charge) or 'advance' (a customer's unapplied money).
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('document_ref', 'text', (c) => c.notNull())
    .addColumn('party_account_id', 'text')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('balance_minor', 'bigint', (c) => c.notNull())
    .addColumn('carrying_minor', 'bigint', (c) => c.notNull())
    .addColumn('rate', 'text', (c) => c.notNull())
    .addColumn('revalued_minor', 'bigint', (c) => c.notNull())
    // Signed, the change of the item's functional balance: above zero the asset (or liability) grows.
    .addColumn('difference_minor', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('fx_revaluation_lines_no_uq', ['revaluation_id', 'line_no'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('fx_revaluation_lines').execute();
  await db.schema.dropTable('fx_revaluations').execute();
}
