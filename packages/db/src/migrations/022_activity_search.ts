import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * A text index for activity search (subject and notes; the activity panel's filter and Ctrl/Cmd+K),
 * so a search matches a substring in Chinese or English over all of history instead of scanning a
 * bounded stretch of the created-at index with LIKE:
 *
 * - SQLite: an FTS5 table with the `trigram` tokenizer (any three characters, CJK included, case
 *   folded), whose content is the activities table itself (external content: the index only, no copy
 *   of the text), kept by triggers on insert, delete and on updates of subject or notes. Its rows are
 *   the activities' rowids, which VACUUM keeps for a table with indexes; should they ever part,
 *   `INSERT INTO activities_fts(activities_fts) VALUES ('rebuild')` reads the table again.
 * - PostgreSQL: `pg_trgm` GIN indexes on subject and on notes, which serve `ILIKE '%…%'` as it is.
 *   The extension is created when the database allows it (already there, or trusted and the user may
 *   create in the database, or a superuser); otherwise nothing is created and search stays the bounded
 *   ILIKE (a DBA may run `CREATE EXTENSION pg_trgm` and the two CREATE INDEX statements below later:
 *   the search looks for the index by name). pg_trgm takes trigrams only from characters the
 *   database's LC_CTYPE calls letters or digits: under `C` that is ASCII only, so Chinese text is
 *   indexed in databases created with a UTF-8 ctype (C.UTF-8, zh_CN.UTF-8, en_US.UTF-8 …).
 */
export const ACTIVITY_TRGM_INDEXES = ['activities_subject_trgm_idx', 'activities_notes_trgm_idx'] as const;

const isPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter;

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    const { rows } = await sql<{ installed: boolean; installable: boolean }>`
      select
        exists (select 1 from pg_extension where extname = 'pg_trgm') as installed,
        exists (
          select 1 from pg_available_extension_versions v
          where v.name = 'pg_trgm'
            and ((v.trusted and has_database_privilege(current_database(), 'CREATE'))
                 or (select rolsuper from pg_roles where rolname = current_user))
        ) as installable`.execute(db);
    const { installed, installable } = rows[0]!;
    if (!installed && !installable) return;
    if (!installed) await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`create index activities_subject_trgm_idx on activities using gin (subject gin_trgm_ops)`.execute(db);
    await sql`create index activities_notes_trgm_idx on activities using gin (notes gin_trgm_ops)`.execute(db);
    return;
  }
  await sql`create virtual table activities_fts using fts5(subject, notes, content = 'activities', tokenize = 'trigram')`.execute(db);
  await sql`insert into activities_fts (activities_fts) values ('rebuild')`.execute(db);
  await sql`create trigger activities_fts_insert after insert on activities begin
    insert into activities_fts (rowid, subject, notes) values (new.rowid, new.subject, new.notes);
  end`.execute(db);
  await sql`create trigger activities_fts_delete after delete on activities begin
    insert into activities_fts (activities_fts, rowid, subject, notes) values ('delete', old.rowid, old.subject, old.notes);
  end`.execute(db);
  await sql`create trigger activities_fts_update after update of subject, notes on activities begin
    insert into activities_fts (activities_fts, rowid, subject, notes) values ('delete', old.rowid, old.subject, old.notes);
    insert into activities_fts (rowid, subject, notes) values (new.rowid, new.subject, new.notes);
  end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    // The extension stays: other objects may have come to use it.
    for (const name of ACTIVITY_TRGM_INDEXES) await sql`drop index if exists ${sql.id(name)}`.execute(db);
    return;
  }
  for (const t of ['activities_fts_insert', 'activities_fts_delete', 'activities_fts_update'])
    await sql`drop trigger if exists ${sql.id(t)}`.execute(db);
  await sql`drop table if exists activities_fts`.execute(db);
}
