import type { Kysely } from 'kysely';

/**
 * The journal: a chart of accounts per legal entity (role → code and names), journal entries (one per
 * business event, unique per source document and event so a retry never posts twice) and their lines
 * (integer minor units, one side each). Lines keep the account code and role they were posted with,
 * so changing the chart later does not rewrite history.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('chart_of_accounts')
    .addColumn('legal_entity_id', 'text', (c) => c.notNull().references('legal_entities.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addPrimaryKeyConstraint('chart_of_accounts_pk', ['legal_entity_id', 'role'])
    .execute();

  await db.schema
    .createTable('journal_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('legal_entity_id', 'text', (c) => c.notNull().references('legal_entities.id'))
    .addColumn('entry_date', 'text', (c) => c.notNull())
    .addColumn('source_type', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('document_ref', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addUniqueConstraint('journal_entries_source_uq', ['source_type', 'source_id', 'event'])
    .execute();

  await db.schema
    .createTable('journal_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('entry_id', 'text', (c) => c.notNull().references('journal_entries.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('account_code', 'text', (c) => c.notNull())
    .addColumn('account_role', 'text', (c) => c.notNull())
    .addColumn('debit_minor', 'bigint', (c) => c.notNull())
    .addColumn('credit_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('entry_date', 'text', (c) => c.notNull())
    .addColumn('party_account_id', 'text')
    .addColumn('document_ref', 'text', (c) => c.notNull())
    .addColumn('allocation_id', 'text')
    .addColumn('memo', 'text')
    .addUniqueConstraint('journal_lines_entry_line_uq', ['entry_id', 'line_no'])
    .execute();

  // A payment allocation row is cleared from receivables by exactly one journal line.
  await db.schema.createIndex('journal_lines_allocation_uq').on('journal_lines').column('allocation_id').unique().where('allocation_id', 'is not', null).execute();
  const idx: Array<[string, string, string[]]> = [
    ['journal_entries_date_idx', 'journal_entries', ['entry_date', 'id']],
    ['journal_entries_source_idx', 'journal_entries', ['source_id']],
    ['journal_lines_account_idx', 'journal_lines', ['account_code', 'entry_date']],
    ['journal_lines_role_idx', 'journal_lines', ['account_role', 'currency', 'entry_date']],
  ];
  for (const [name, table, cols] of idx) await db.schema.createIndex(name).on(table).columns(cols).execute();
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted; restore a backup instead.');
}
