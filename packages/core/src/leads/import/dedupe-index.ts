import type { Ctx } from '../../platform/context.ts';
import { dedupeKeys, type MatchedOn } from './mapping.ts';

/**
 * The dedupe keys of the leads in the database, kept in `lead_dedupe_keys` (migration 023) and looked
 * up by index, a chunk's keys at a time — instead of every lead's keys loaded into memory for each
 * import. The keys are `dedupeKeys` (mapping.ts) without their `e:` / `p:` / `c:` prefix, one column
 * each. Triggers list the leads whose keys are missing or stale in `lead_dedupe_dirty`;
 * `refreshDedupeKeys` computes those and empties the list, in the caller's transaction.
 */

/** What the dedupe index knows of a key: the lead holding it, and the file row when this batch wrote it. */
export interface Known {
  leadId: string;
  rowNo?: number;
}

/** The key columns of a lead, in `lead_dedupe_keys` order (email, phone, person), from its dedupe keys. */
export function keyColumns(keys: ReadonlyArray<readonly [MatchedOn, string]>): [string | null, string | null, string | null] {
  const out: [string | null, string | null, string | null] = [null, null, null];
  for (const [on, key] of keys) out[on === 'email' ? 0 : on === 'phone' ? 1 : 2] = key.slice(2);
  return out;
}

export const KEY_COLS = ['lead_id', 'email_key', 'phone_key', 'person_key'] as const;
const REFRESH_BATCH = 2_000;
/** Keys per lookup statement and column: far below either database's parameter limit. */
const LOOKUP_BATCH = 2_000;

/** Computes the keys of every lead on the dirty list (new or changed outside an import); returns how many. */
export async function refreshDedupeKeys(ctx: Ctx): Promise<number> {
  let done = 0;
  for (;;) {
    const dirty = await ctx.db
      .selectFrom('leadDedupeDirty as d')
      .leftJoin('leads as l', 'l.id', 'd.leadId')
      .select(['d.leadId', 'l.id', 'l.name', 'l.email', 'l.phone', 'l.company'])
      .orderBy('d.leadId')
      .limit(REFRESH_BATCH)
      .execute();
    if (!dirty.length) return done;
    const rows = dirty
      .filter((d) => d.id !== null)
      .map((d) => {
        const [emailKey, phoneKey, personKey] = keyColumns(dedupeKeys(d));
        return { leadId: d.leadId, emailKey, phoneKey, personKey };
      });
    if (rows.length)
      await ctx.db
        .insertInto('leadDedupeKeys')
        .values(rows)
        .onConflict((oc) =>
          oc.column('leadId').doUpdateSet((eb) => ({
            emailKey: eb.ref('excluded.emailKey'),
            phoneKey: eb.ref('excluded.phoneKey'),
            personKey: eb.ref('excluded.personKey'),
          })),
        )
        .execute();
    await ctx.db
      .deleteFrom('leadDedupeDirty')
      .where(
        'leadId',
        'in',
        dirty.map((d) => d.leadId),
      )
      .execute();
    done += dirty.length;
  }
}

/**
 * The leads holding any of the given keys (prefixed, as `dedupeKeys` writes them), through the key
 * columns' indexes. Of several leads with one key, a lead this batch wrote wins (with its file row),
 * else the oldest (the smallest id: ids grow with time).
 */
export async function findByKeys(ctx: Ctx, keys: Iterable<string>, batchId: string): Promise<Map<string, Known>> {
  const byColumn: Record<'emailKey' | 'phoneKey' | 'personKey', string[]> = { emailKey: [], phoneKey: [], personKey: [] };
  for (const k of keys) byColumn[k[0] === 'e' ? 'emailKey' : k[0] === 'p' ? 'phoneKey' : 'personKey'].push(k.slice(2));
  const found = new Map<string, Known>();
  const prefix = { emailKey: 'e:', phoneKey: 'p:', personKey: 'c:' } as const;
  for (const col of ['emailKey', 'phoneKey', 'personKey'] as const) {
    const list = byColumn[col];
    for (let i = 0; i < list.length; i += LOOKUP_BATCH) {
      const rows = await ctx.db
        .selectFrom('leadDedupeKeys as k')
        .innerJoin('leads as l', 'l.id', 'k.leadId')
        .select([`k.${col} as key`, 'k.leadId', 'l.importBatchId', 'l.importRowNo'])
        .where(`k.${col}`, 'in', list.slice(i, i + LOOKUP_BATCH))
        .execute();
      for (const r of rows) {
        const key = prefix[col] + r.key;
        const k: Known =
          r.importBatchId === batchId && r.importRowNo !== null
            ? { leadId: r.leadId, rowNo: Number(r.importRowNo) }
            : { leadId: r.leadId };
        const had = found.get(key);
        if (
          !had ||
          (k.rowNo !== undefined && (had.rowNo === undefined || k.rowNo < had.rowNo)) ||
          (k.rowNo === undefined && had.rowNo === undefined && k.leadId < had.leadId)
        )
          found.set(key, k);
      }
    }
  }
  return found;
}
