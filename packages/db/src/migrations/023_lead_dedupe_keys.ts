import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The lead import's dedupe keys, indexed, so an import looks up only its chunk's keys instead of
 * loading every lead of the database into memory (bench/RESULTS.md, W2).
 *
 * - `lead_dedupe_keys`: one row per lead with its normalized email, phone and company + person name
 *   (`leads/import/mapping.ts`, `dedupeKeys`: NFKC, case, country code, legal suffixes — rules of the
 *   application, not of SQL, so the keys are computed by the application), each indexed.
 * - `lead_dedupe_dirty`: leads whose keys are missing or may be stale. Triggers put a lead there when
 *   it is inserted by anything but an import (an import writes its leads' keys itself, in the same
 *   transaction) and when its name, email, phone or company is updated, whoever writes it (the API, a
 *   script, a restore); deleting a lead deletes its keys. Before looking keys up, the import computes
 *   the keys of the dirty leads and empties the list — work in proportion to what changed since the
 *   last import, found through the list's primary key.
 *
 * Every lead already there is put on the list: the first import after this migration keys them once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const keys = db.schema
    .createTable('lead_dedupe_keys')
    .addColumn('lead_id', 'text', (c) => c.primaryKey())
    .addColumn('email_key', 'text')
    .addColumn('phone_key', 'text')
    .addColumn('person_key', 'text');
  // SQLite: the primary key is the table's own b-tree (no rowid b-tree plus an index beside it).
  await (pg ? keys : keys.modifyEnd(sql`without rowid`)).execute();
  for (const c of ['email_key', 'phone_key', 'person_key'])
    await db.schema.createIndex(`lead_dedupe_keys_${c}_idx`).on('lead_dedupe_keys').column(c).execute();
  await db.schema
    .createTable('lead_dedupe_dirty')
    .addColumn('lead_id', 'text', (c) => c.primaryKey())
    .execute();

  if (pg) {
    await sql`create function lead_dedupe_dirty_mark() returns trigger language plpgsql as $$
      begin
        insert into lead_dedupe_dirty (lead_id) values (new.id) on conflict do nothing;
        return null;
      end $$`.execute(db);
    await sql`create function lead_dedupe_forget() returns trigger language plpgsql as $$
      begin
        delete from lead_dedupe_keys where lead_id = old.id;
        delete from lead_dedupe_dirty where lead_id = old.id;
        return null;
      end $$`.execute(db);
    await sql`create trigger leads_dedupe_insert after insert on leads for each row
      when (new.import_batch_id is null) execute function lead_dedupe_dirty_mark()`.execute(db);
    await sql`create trigger leads_dedupe_update after update of name, email, phone, company on leads for each row
      execute function lead_dedupe_dirty_mark()`.execute(db);
    await sql`create trigger leads_dedupe_delete after delete on leads for each row
      execute function lead_dedupe_forget()`.execute(db);
  } else {
    await sql`create trigger leads_dedupe_insert after insert on leads
      when new.import_batch_id is null
      begin insert or ignore into lead_dedupe_dirty (lead_id) values (new.id); end`.execute(db);
    await sql`create trigger leads_dedupe_update after update of name, email, phone, company on leads
      begin insert or ignore into lead_dedupe_dirty (lead_id) values (new.id); end`.execute(db);
    await sql`create trigger leads_dedupe_delete after delete on leads
      begin
        delete from lead_dedupe_keys where lead_id = old.id;
        delete from lead_dedupe_dirty where lead_id = old.id;
      end`.execute(db);
  }
  await sql`insert into lead_dedupe_dirty (lead_id) select id from leads`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const t of ['leads_dedupe_insert', 'leads_dedupe_update', 'leads_dedupe_delete'])
    await sql.raw(pg ? `drop trigger if exists ${t} on leads` : `drop trigger if exists ${t}`).execute(db);
  if (pg) {
    await sql`drop function if exists lead_dedupe_dirty_mark()`.execute(db);
    await sql`drop function if exists lead_dedupe_forget()`.execute(db);
  }
  await db.schema.dropTable('lead_dedupe_dirty').execute();
  await db.schema.dropTable('lead_dedupe_keys').execute();
}
