import type { Kysely } from 'kysely';

/**
 * Activities and tasks: calls, meetings, emails, notes and tasks, each on one parent record (a lead,
 * an opportunity, an account or a contact). Who may see an activity is decided by its parent, so the
 * table carries no team of its own: a reassigned lead takes its history along.
 *
 * `leads.last_activity_at` is the lead's "last touched" instant (the latest call, meeting, email or
 * note, or completed task, logged on it), kept for the shared lead pool's reclaim rule.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('activities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // call | meeting | email | note | task
    .addColumn('type', 'text', (c) => c.notNull())
    // lead | opportunity | account | contact
    .addColumn('parent_type', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    // calls: connected | no_answer | left_message | busy | wrong_number
    .addColumn('outcome', 'text')
    // calls and emails: inbound | outbound
    .addColumn('direction', 'text')
    .addColumn('duration_minutes', 'integer')
    // When it happened (a task: when it was completed).
    .addColumn('occurred_at', 'text')
    // Tasks only: when it is due.
    .addColumn('due_at', 'text')
    // open (tasks not done yet) | done
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addColumn('completed_by', 'text')
    .addColumn('owner_id', 'text')
    .addColumn('assignee_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  for (const [name, cols] of [
    ['activities_parent_idx', ['parent_type', 'parent_id', 'created_at', 'id']],
    ['activities_assignee_idx', ['assignee_id', 'status', 'due_at', 'id']],
    ['activities_owner_idx', ['owner_id', 'created_at', 'id']],
    ['activities_created_idx', ['created_at', 'id']],
    ['activities_due_idx', ['status', 'due_at', 'id']],
  ] as const)
    await db.schema.createIndex(name).on('activities').columns([...cols]).execute();

  await db.schema.alterTable('leads').addColumn('last_activity_at', 'text').execute();
  await db.schema.createIndex('leads_last_activity_idx').on('leads').columns(['last_activity_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('leads_last_activity_idx').execute();
  await db.schema.alterTable('leads').dropColumn('last_activity_at').execute();
  await db.schema.dropTable('activities').execute();
}
