import { sql, type Kysely } from 'kysely';

/**
 * Multi-currency and dunning charges.
 *
 * - `fx_rates`: dated exchange rates per currency pair (exact decimal strings), one per pair and
 *   effective date; a later date takes over from an earlier one.
 * - The journal keeps each line in the transaction currency (as before) AND in the functional
 *   currency of its legal entity (`functional_debit_minor` / `functional_credit_minor`); the entry
 *   records the functional currency and the exact rate it was converted at. Receivable (AR) lines
 *   name the open item they belong to (`open_item_id`: an invoice or a dunning charge), so the
 *   carrying amount of each open item in the functional currency is a sum over its lines.
 *   Lines posted before this migration in the legal entity's own currency get functional amounts
 *   equal to their amounts; lines in another currency had no rate and keep null (reported as
 *   unconverted by the functional trial balance).
 * - `dunning_policies`: per legal entity, how a run escalates (`step` or `jump`).
 * - `dunning_charges`: the fee and interest a dunning notice charges, a receivable of its own with a
 *   gap-free number per legal entity; `dunning_charge_allocations`: payments allocated to them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('fx_rates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('base', 'text', (c) => c.notNull())
    .addColumn('quote', 'text', (c) => c.notNull())
    // Units of quote per one unit of base, exact decimal text ("7.1234"), never a float.
    .addColumn('rate', 'text', (c) => c.notNull())
    .addColumn('effective_date', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('fx_rates_pair_date_uq', ['base', 'quote', 'effective_date'])
    .execute();

  await db.schema.alterTable('journal_entries').addColumn('functional_currency', 'text').execute();
  // Units of the functional currency per unit of the entry currency: a decimal, or "num/den" when exact only as a fraction.
  await db.schema.alterTable('journal_entries').addColumn('fx_rate', 'text').execute();
  await db.schema.alterTable('journal_entries').addColumn('fx_rate_date', 'text').execute();
  await db.schema.alterTable('journal_lines').addColumn('functional_debit_minor', 'bigint').execute();
  await db.schema.alterTable('journal_lines').addColumn('functional_credit_minor', 'bigint').execute();
  await db.schema.alterTable('journal_lines').addColumn('functional_currency', 'text').execute();
  await db.schema.alterTable('journal_lines').addColumn('open_item_id', 'text').execute();

  await sql`update journal_entries set functional_currency = currency
    where currency = (select le.currency from legal_entities le where le.id = journal_entries.legal_entity_id)`.execute(db);
  await sql`update journal_lines set functional_currency = currency, functional_debit_minor = debit_minor, functional_credit_minor = credit_minor
    where exists (select 1 from journal_entries e where e.id = journal_lines.entry_id and e.functional_currency = journal_lines.currency)`.execute(db);
  await sql`update journal_lines set open_item_id = (select min(i.id) from invoices i where i.number = journal_lines.document_ref)
    where account_role = 'ar'`.execute(db);

  await db.schema
    .createTable('dunning_policies')
    .addColumn('legal_entity_id', 'text', (c) => c.primaryKey().references('legal_entities.id'))
    // 'step': one level per run; 'jump': straight to the level the days overdue reach.
    .addColumn('escalation', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema
    .createTable('dunning_charges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('legal_entity_id', 'text', (c) => c.notNull().references('legal_entities.id'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('notice_id', 'text', (c) => c.notNull().references('dunning_notices.id'))
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('fee_minor', 'bigint', (c) => c.notNull())
    .addColumn('interest_minor', 'bigint', (c) => c.notNull())
    .addColumn('total_minor', 'bigint', (c) => c.notNull())
    .addColumn('interest_annual_rate', 'text')
    .addColumn('interest_from', 'text')
    .addColumn('interest_through', 'text')
    .addColumn('interest_days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('interest_base_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('issue_date', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    // open → paid (derived from allocations; kept for lists)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text')
    .addColumn('team_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('dunning_charges_entity_number_uq', ['legal_entity_id', 'number'])
    .addUniqueConstraint('dunning_charges_notice_uq', ['notice_id'])
    .execute();

  await db.schema
    .createTable('dunning_charge_allocations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.id'))
    .addColumn('charge_id', 'text', (c) => c.notNull().references('dunning_charges.id'))
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    // 'allocation' (positive) or 'reversal' (negative counter-row when the payment is reversed)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('effective_on', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();

  const idx: Array<[string, string, string[]]> = [
    ['fx_rates_pair_idx', 'fx_rates', ['base', 'quote', 'effective_date']],
    ['fx_rates_date_idx', 'fx_rates', ['effective_date', 'id']],
    ['journal_lines_open_item_idx', 'journal_lines', ['open_item_id']],
    ['dunning_charges_account_idx', 'dunning_charges', ['account_id', 'issue_date']],
    ['dunning_charges_invoice_idx', 'dunning_charges', ['invoice_id']],
    ['dunning_charges_status_idx', 'dunning_charges', ['status', 'due_date']],
    ['dunning_charge_allocations_charge_idx', 'dunning_charge_allocations', ['charge_id']],
    ['dunning_charge_allocations_payment_idx', 'dunning_charge_allocations', ['payment_id']],
  ];
  for (const [name, table, cols] of idx) await db.schema.createIndex(name).on(table).columns(cols).execute();
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted; restore a backup instead.');
}
