import type { Kysely } from 'kysely';

/**
 * Each user's own preferences that are not a list's layout, kept on the server so the user finds the
 * app the same in every browser: for now the pipeline the home page's chart and "My pipeline" show.
 * One row per user, written on the first change; a pipeline that is later deactivated is ignored by
 * the reader (the default one is shown), so the column keeps only a reference.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('user_preferences')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('home_pipeline_id', 'text', (c) => c.references('pipelines.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('user_preferences').execute();
}
