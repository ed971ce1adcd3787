import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * One counter that moves with every change to who may do what: users (role, team, active), teams (the
 * tree a manager sees) and API tokens (revocation). Triggers bump it in the transaction of the change,
 * whoever makes it — a second server, `ltc worker`, the CLI, a script with plain SQL — so a server can
 * keep each caller's principal in memory and reload it as soon as the counter it reads with the session
 * differs (identity/principal-cache.ts).
 */
const TABLES = ['users', 'teams', 'api_tokens'];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('auth_version')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('auth_version').values({ id: 1, n: 0 }).execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create function bump_auth_version() returns trigger language plpgsql as $$
      begin
        update auth_version set n = n + 1 where id = 1;
        return null;
      end $$`.execute(db);
    for (const t of TABLES)
      await sql
        .raw(`create trigger ${t}_auth_version after insert or update or delete or truncate on ${t} for each statement execute function bump_auth_version()`)
        .execute(db);
  } else {
    for (const t of TABLES)
      for (const ev of ['insert', 'update', 'delete'])
        await sql.raw(`create trigger ${t}_auth_version_${ev} after ${ev} on ${t} begin update auth_version set n = n + 1 where id = 1; end`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const t of TABLES) await sql.raw(`drop trigger if exists ${t}_auth_version on ${t}`).execute(db);
    await sql`drop function if exists bump_auth_version()`.execute(db);
  } else {
    for (const t of TABLES) for (const ev of ['insert', 'update', 'delete']) await sql.raw(`drop trigger if exists ${t}_auth_version_${ev}`).execute(db);
  }
  await db.schema.dropTable('auth_version').execute();
}
