import type { Kysely } from 'kysely';

/**
 * Settings an administrator edits without code, and saved list views:
 * - pipelines can be deactivated and are versioned; stages can be deactivated and carry the
 *   opportunity fields they require (a stage gate, JSON array of field names);
 * - number series formats per series and scope (legal entity, or the whole company): prefix, date
 *   part and padding used for future numbers; the counters stay in `number_series`;
 * - saved views of a list per user, optionally shared with the owner's team or everyone, and each
 *   user's default view per list.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('pipelines').addColumn('active', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('pipelines').addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('pipelines').addColumn('updated_at', 'text').execute();
  await db.schema.alterTable('pipeline_stages').addColumn('active', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema
    .alterTable('pipeline_stages')
    .addColumn('required_fields', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema.createIndex('pipeline_stages_pipeline_idx').on('pipeline_stages').columns(['pipeline_id', 'sort_order']).execute();

  await db.schema
    .createTable('number_series_formats')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    // 'YYYY' (counter per year), 'YYYYMM' (per month) or 'none' (one counter for ever)
    .addColumn('date_part', 'text', (c) => c.notNull())
    .addColumn('padding', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addPrimaryKeyConstraint('number_series_formats_pk', ['key', 'scope'])
    .execute();

  await db.schema
    .createTable('saved_views')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('list_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // JSON object of filter name → value, as the list's URL carries them
    .addColumn('filters', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('sort', 'text')
    // JSON array of the visible column keys, in order; null = the list's default columns
    .addColumn('columns', 'text')
    // 'private', 'team' or 'everyone'
    .addColumn('sharing', 'text', (c) => c.notNull().defaultTo('private'))
    .addColumn('team_id', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('saved_views_user_list_name_uq', ['user_id', 'list_key', 'name'])
    .execute();
  await db.schema.createIndex('saved_views_list_idx').on('saved_views').columns(['list_key', 'sharing']).execute();

  await db.schema
    .createTable('saved_view_defaults')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('list_key', 'text', (c) => c.notNull())
    .addColumn('view_id', 'text', (c) => c.notNull().references('saved_views.id'))
    .addPrimaryKeyConstraint('saved_view_defaults_pk', ['user_id', 'list_key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('saved_view_defaults').execute();
  await db.schema.dropTable('saved_views').execute();
  await db.schema.dropTable('number_series_formats').execute();
  await db.schema.dropIndex('pipeline_stages_pipeline_idx').execute();
  await db.schema.alterTable('pipeline_stages').dropColumn('required_fields').execute();
  await db.schema.alterTable('pipeline_stages').dropColumn('active').execute();
  await db.schema.alterTable('pipelines').dropColumn('updated_at').execute();
  await db.schema.alterTable('pipelines').dropColumn('version').execute();
  await db.schema.alterTable('pipelines').dropColumn('active').execute();
}
