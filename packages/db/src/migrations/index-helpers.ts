import type { Kysely } from 'kysely';

/**
 * Index helpers shared by the migrations that add and widen indexes (012, 015). A migration keeps
 * its own lists of indexes; these functions only turn a list into the statements, in a fixed order,
 * so that what a migration runs never depends on who runs it.
 */

/** An index added by a migration: its name, table and column(s). */
export type AddedIndex = [name: string, table: string, cols: string | readonly string[]];

/** An index replaced by a wider one: the old index (name, columns) and the new (name, table, columns). */
export type ReplacedIndex = [old: string, oldCols: readonly string[], name: string, table: string, cols: readonly string[]];

const colsOf = (c: string | readonly string[]): string[] => (typeof c === 'string' ? [c] : [...c]);

/** Creates each index, in list order. */
export async function createIndexes(db: Kysely<any>, list: readonly AddedIndex[]): Promise<void> {
  for (const [name, table, cols] of list) await db.schema.createIndex(name).on(table).columns(colsOf(cols)).execute();
}

/** Drops each index, in list order (a migration's down). */
export async function dropIndexes(db: Kysely<any>, list: readonly AddedIndex[]): Promise<void> {
  for (const [name] of list) await db.schema.dropIndex(name).execute();
}

/** For each pair, creates the new index before dropping the old one (no moment without either). */
export async function replaceIndexes(db: Kysely<any>, list: readonly ReplacedIndex[]): Promise<void> {
  for (const [old, , name, table, cols] of list) {
    await db.schema.createIndex(name).on(table).columns([...cols]).execute();
    await db.schema.dropIndex(old).execute();
  }
}

/** Undoes replaceIndexes: the old index back first, then the new one dropped. */
export async function restoreIndexes(db: Kysely<any>, list: readonly ReplacedIndex[]): Promise<void> {
  for (const [old, oldCols, name, table] of list) {
    await db.schema.createIndex(old).on(table).columns([...oldCols]).execute();
    await db.schema.dropIndex(name).execute();
  }
}
