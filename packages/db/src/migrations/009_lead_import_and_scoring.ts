import type { Kysely } from 'kysely';

/**
 * Lead scoring rules and lead imports.
 *
 * - `lead_scoring_rules`: an administrator's rules (field condition → points); a lead's score is the
 *   clamped sum of the rules it matches, and `leads.score_reasons` keeps which ones (JSON).
 * - `lead_import_batches`: one uploaded file (its rows kept as JSON so a job can run it and a crashed
 *   run can resume), the mapping and options, progress and counts.
 * - `lead_import_issues`: per row and field — validation errors, duplicates (with the lead or the
 *   earlier row they matched) and rows that updated an existing lead.
 * - `leads.import_batch_id` + `leads.import_row_no`: where an imported lead came from; unique, so a
 *   resumed batch can never insert a row twice.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('lead_scoring_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('operator', 'text', (c) => c.notNull())
    // JSON: a string, a number or a list of strings, depending on the operator.
    .addColumn('value', 'text', (c) => c.notNull().defaultTo('null'))
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .alterTable('leads')
    .addColumn('score_reasons', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema.alterTable('leads').addColumn('import_batch_id', 'text').execute();
  await db.schema.alterTable('leads').addColumn('import_row_no', 'integer').execute();
  await db.schema
    .createIndex('leads_import_row_uq')
    .unique()
    .on('leads')
    .columns(['import_batch_id', 'import_row_no'])
    .execute();

  await db.schema
    .createTable('lead_import_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('encoding', 'text', (c) => c.notNull())
    // pending → running → done | failed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('dedupe', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text')
    .addColumn('headers', 'text', (c) => c.notNull())
    .addColumn('mapping', 'text', (c) => c.notNull())
    .addColumn('rows', 'text', (c) => c.notNull())
    .addColumn('total_rows', 'integer', (c) => c.notNull())
    // Rows finished so far, committed with them: a resumed run starts after this row.
    .addColumn('processed_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('duplicate_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('job_id', 'text')
    .addColumn('failure', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('lead_import_batches_created_idx')
    .on('lead_import_batches')
    .columns(['created_at', 'id'])
    .execute();

  await db.schema
    .createTable('lead_import_issues')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull().references('lead_import_batches.id'))
    .addColumn('row_no', 'integer', (c) => c.notNull())
    // error | duplicate | updated
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('matched_lead_id', 'text')
    .addColumn('matched_row_no', 'integer')
    .addColumn('matched_on', 'text')
    .addUniqueConstraint('lead_import_issues_row_uq', ['batch_id', 'row_no', 'kind', 'field'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('lead_import_issues').execute();
  await db.schema.dropTable('lead_import_batches').execute();
  await db.schema.dropIndex('leads_import_row_uq').execute();
  await db.schema.alterTable('leads').dropColumn('import_row_no').execute();
  await db.schema.alterTable('leads').dropColumn('import_batch_id').execute();
  await db.schema.alterTable('leads').dropColumn('score_reasons').execute();
  await db.schema.dropTable('lead_scoring_rules').execute();
}
