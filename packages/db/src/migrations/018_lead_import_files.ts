import { sql, type Kysely } from 'kysely';

/**
 * An import's file rows move out of `lead_import_batches` into `lead_import_files` (one row per batch,
 * the rows as JSON, written once and read by the run and the error report). The batch row is updated
 * twice per chunk (the claim, then the counts); with the file inside it, SQLite rewrote the whole
 * record — 12 MB for 100,000 rows, 40 times per import — into the WAL at every update.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('lead_import_files')
    .addColumn('batch_id', 'text', (c) => c.primaryKey().references('lead_import_batches.id'))
    .addColumn('rows', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into lead_import_files (batch_id, rows) select id, rows from lead_import_batches`.execute(
    db,
  );
  await db.schema.alterTable('lead_import_batches').dropColumn('rows').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('lead_import_batches')
    .addColumn('rows', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await sql`update lead_import_batches set rows = (select f.rows from lead_import_files f where f.batch_id = lead_import_batches.id) where exists (select 1 from lead_import_files f where f.batch_id = lead_import_batches.id)`.execute(
    db,
  );
  await db.schema.dropTable('lead_import_files').execute();
}
