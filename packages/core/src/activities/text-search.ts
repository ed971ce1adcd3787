import { sql, type Expression, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Db } from '@openltc/db';
import type { Ctx } from '../platform/context.ts';

/**
 * How an activity text search (`q` on subject and notes) is matched, by the text index of
 * migration 022 where it can serve the query and by LIKE otherwise:
 *
 * - `fts` (SQLite): the FTS5 trigram table `activities_fts` finds the activities whose subject or notes
 *   contain the text (any three characters or more, Chinese or English, case folded);
 * - `trgm` (PostgreSQL): `ILIKE '%…%'` on subject and notes, which the pg_trgm GIN indexes serve when the
 *   text holds three letters or digits in a row that pg_trgm takes trigrams from;
 * - `like`: a text shorter than three characters, or a database without the index, is matched by
 *   LIKE / ILIKE over a bounded stretch of the created-at index (the caller applies the reach).
 *
 * Indexed modes reach all of history; `like` reaches back one year unless told otherwise.
 */
export type TextMode = 'fts' | 'trgm' | 'like';

/**
 * SQLite, across records: the most hits (`ftsHits`) a search is read from the FTS hits outwards and
 * sorted (`activitiesByText`). A text with more is common enough that the newest activities, read in
 * created-at order and checked by LIKE, fill a page sooner than sorting every hit would.
 */
export const FTS_DRIVE_MAX = 1000;

/** The shortest text a trigram index can find: shorter ones are matched by the bounded LIKE. */
export const TEXT_INDEX_MIN_CHARS = 3;

interface PgTextIndex {
  /** Both trigram indexes exist (the migration could create the extension, or a DBA did). */
  indexed: boolean;
  /** pg_trgm takes trigrams from CJK characters (the database's LC_CTYPE is a UTF-8 one, not C). */
  cjk: boolean;
}

/** What each database offers, asked once per database handle (a new index is seen after a restart). */
const pgCache = new WeakMap<Db, Promise<PgTextIndex>>();

async function probePg(db: Db): Promise<PgTextIndex> {
  const { rows } = await sql<{ n: number | string }>`
    select count(*) as n from pg_indexes
    where tablename = 'activities' and schemaname = current_schema()
      and indexname in ('activities_subject_trgm_idx', 'activities_notes_trgm_idx')`.execute(db);
  if (Number(rows[0]?.n) !== 2) return { indexed: false, cjk: false };
  const cjk = await sql<{ cjk: boolean }>`select cardinality(show_trgm('云栈科技')) > 0 as cjk`.execute(db);
  return { indexed: true, cjk: !!cjk.rows[0]?.cjk };
}

function pgTextIndex(ctx: Ctx): Promise<PgTextIndex> {
  // In a transaction the handle is the transaction's: ask without caching (searches rarely run in one).
  if (ctx.inTx) return probePg(ctx.db);
  let p = pgCache.get(ctx.db);
  if (!p) {
    p = probePg(ctx.db);
    pgCache.set(ctx.db, p);
    p.catch(() => pgCache.delete(ctx.db));
  }
  return p;
}

/** Three letters or digits in a row: what pg_trgm extracts a trigram from in a LIKE pattern. */
const WORD3_ASCII = /[A-Za-z0-9]{3}/;
const WORD3_ANY = /[\p{L}\p{N}]{3}/u;

/** The mode a text is matched in on this database. */
export async function textMode(ctx: Ctx, text: string): Promise<TextMode> {
  if ([...text].length < TEXT_INDEX_MIN_CHARS) return 'like';
  if (ctx.dialect !== 'postgres') return 'fts';
  const idx = await pgTextIndex(ctx);
  if (!idx.indexed) return 'like';
  return (idx.cjk ? WORD3_ANY : WORD3_ASCII).test(text) ? 'trgm' : 'like';
}

/** A LIKE pattern matching the text anywhere, with `\`, `%` and `_` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** An FTS5 query matching the text as one phrase: with the trigram tokenizer, a substring match. */
export function ftsPhrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** How many activities the FTS table finds for the text, counted up to `cap`. */
export async function ftsHits(db: Db, text: string, cap = FTS_DRIVE_MAX): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from (select 1 from activities_fts where activities_fts match ${ftsPhrase(text)} limit ${cap})`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** The condition on `activities` rows for the text in the given mode. */
export function activityTextCondition(mode: TextMode, dialect: Ctx['dialect'], text: string): Expression<SqlBool> {
  if (mode === 'fts')
    return sql<SqlBool>`activities.rowid in (select rowid from activities_fts where activities_fts match ${ftsPhrase(text)})`;
  const op = sql.raw(dialect === 'postgres' ? 'ilike' : 'like');
  const pattern = containsPattern(text);
  return sql<SqlBool>`(activities.subject ${op} ${pattern} escape '\\' or activities.notes ${op} ${pattern} escape '\\')`;
}

/**
 * SQLite, across records: the activities whose text matches, read from the FTS hits outwards. A CROSS
 * JOIN fixes that order: given `rowid IN (hits)` as a mere condition, SQLite (without statistics) reads
 * every activity through the parent-type branches of the scope rule and probes the hits for each.
 */
export function activitiesByText(db: Db, text: string): SelectQueryBuilder<any, any, any> {
  return (db as any)
    .selectFrom(sql`activities_fts`.as('activities_fts'))
    .crossJoin('activities')
    .selectAll('activities')
    .where(sql<SqlBool>`activities_fts match ${ftsPhrase(text)}`)
    .where(sql<SqlBool>`activities.rowid = activities_fts.rowid`);
}
