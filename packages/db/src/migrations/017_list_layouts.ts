import type { Kysely } from 'kysely';

/**
 * The columns of each list as each user last arranged them (which are hidden, in what order), kept on
 * the server so a user finds their lists the same in every browser; saved views carry their own
 * columns and, when applied, set this layout.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('list_layouts')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('list_key', 'text', (c) => c.notNull())
    // JSON array of the list's column keys in the user's order (keys the list gains later go last)
    .addColumn('column_order', 'text', (c) => c.notNull().defaultTo('[]'))
    // JSON array of the hidden column keys
    .addColumn('hidden', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('list_layouts_pk', ['user_id', 'list_key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('list_layouts').execute();
}
