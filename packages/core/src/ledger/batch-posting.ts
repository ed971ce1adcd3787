import type { InvoiceTable, JournalEntryTable, JournalLineTable } from '@openltc/db';
import type { Ctx } from '../platform/context.ts';
import { bulkInsertRows } from '../platform/bulk-insert.ts';
import { chartFor, type LedgerChart } from './chart.ts';
import { functionalPlan, type FunctionalLookups } from './functional.ts';
import { entryRows, functionalInputOf, invoiceEntryDraft, invoicePosts, postableLegs, type EntryDraft } from './posting.ts';

/**
 * Batch posting: the journal entries of many documents issued in one transaction (a billing run's
 * chunk), written with the rules of posting.ts — the same drafts (invoiceEntryDraft), the same
 * functional-currency plan (functional.ts), the same balance check and rows (entryRows) — but with
 * one read of each shared fact instead of one per entry, and multi-row INSERTs:
 *
 * - the idempotency keys (source type, id, event) of the batch: one query per 500 source ids; an entry
 *   whose key is already posted, or repeated in the batch, is left out as writeEntry would;
 * - the chart of each legal entity, the legal entities and the exchange rates by (currency, date):
 *   read once per batch (`PostingLookups`, one transaction, so every entry sees what the
 *   transaction sees, as one-by-one posting would);
 * - whether each order bills into deferred revenue: one query for the batch;
 * - the entries, then their lines: multi-row INSERTs (platform/bulk-insert.ts: `unnest` on PostgreSQL).
 *
 * Every entry is built and checked before the first row is written, so an entry that fails (an
 * unbalanced entry, a missing exchange rate) writes nothing and its error rolls back the caller's
 * transaction, as with writeEntry.
 *
 * Only self-contained document entries may be batched: their receivable legs book the entry's own
 * open item and their rate is that of a date, never another entry's. Entries that read earlier
 * postings (payments clearing receivables, credit notes at their invoice's rate) depend on the order
 * of writing and stay with writeEntry.
 */

export interface PostingLookups extends FunctionalLookups {
  charts: Map<string, LedgerChart>;
}

/** Lookups for one transaction: share them between batches of the same transaction only. */
export function postingLookups(): PostingLookups {
  return { charts: new Map(), entities: new Map(), rates: new Map() };
}

const KEYS_PER_QUERY = 500;
const keyOf = (sourceType: string, sourceId: string, event: string) => `${sourceType}\u0000${sourceId}\u0000${event}`;

/** The keys of `drafts` that already have an entry. */
async function postedKeys(tx: Ctx, drafts: readonly EntryDraft[]): Promise<Set<string>> {
  const done = new Set<string>();
  const ids = [...new Set(drafts.map((d) => d.sourceId))];
  for (let i = 0; i < ids.length; i += KEYS_PER_QUERY) {
    const rows = await tx.db
      .selectFrom('journalEntries')
      .select(['sourceType', 'sourceId', 'event'])
      .where('sourceId', 'in', ids.slice(i, i + KEYS_PER_QUERY))
      .execute();
    for (const r of rows) done.add(keyOf(r.sourceType, r.sourceId, r.event));
  }
  return done;
}

/** Refuses a draft whose functional amounts would depend on other entries (see the module comment). */
function assertSelfContained(d: EntryDraft): void {
  const foreign = d.legs.some((l) => l.role === 'ar' && l.openItemId && l.openItemId !== d.fx?.booksOpenItem);
  if (d.fx?.rateOf || foreign)
    throw new Error(`batch posting takes self-contained document entries only; ${d.sourceType} ${d.sourceId} ${d.event} reads other entries (use writeEntry)`);
}

/** The rows of the drafts not posted yet, each checked; nothing written. */
export async function buildEntries(tx: Ctx, drafts: readonly EntryDraft[], lookups: PostingLookups = postingLookups()): Promise<{ entries: JournalEntryTable[]; lines: JournalLineTable[] }> {
  for (const d of drafts) assertSelfContained(d);
  const done = await postedKeys(tx, drafts);
  const entries: JournalEntryTable[] = [];
  const lines: JournalLineTable[] = [];
  for (const d of drafts) {
    const key = keyOf(d.sourceType, d.sourceId, d.event);
    if (done.has(key)) continue;
    done.add(key);
    let chart = lookups.charts.get(d.legalEntityId);
    if (!chart) lookups.charts.set(d.legalEntityId, (chart = await chartFor(tx, d.legalEntityId)));
    const legs = postableLegs(d);
    const fx = await functionalPlan(tx, functionalInputOf(d), legs, lookups);
    const rows = entryRows(tx, chart, d, legs, fx);
    entries.push(rows.entry);
    lines.push(...rows.lines);
  }
  return { entries, lines };
}

/**
 * Writes the entries of `drafts` that are not posted yet (the batch counterpart of writeEntry) and
 * returns how many it wrote.
 */
export async function writeEntries(tx: Ctx, drafts: readonly EntryDraft[], lookups: PostingLookups = postingLookups()): Promise<number> {
  const { entries, lines } = await buildEntries(tx, drafts, lookups);
  await bulkInsertRows(tx, 'journalEntries', entries);
  await bulkInsertRows(tx, 'journalLines', lines);
  return entries.length;
}

export type InvoiceForPosting = Pick<InvoiceTable, 'id' | 'legalEntityId' | 'orderId' | 'number' | 'issueDate' | 'status' | 'currency' | 'accountId' | 'totalMinor'>;
export type LineForPosting = { invoiceId: string; taxRate: string; taxCode?: string | null; netMinor: number; taxMinor: number };

/** The issue entries of invoices (postInvoiceJournal's rule for each), from their rows in hand; drafts and cancelled invoices post nothing. */
export async function invoiceDrafts(tx: Ctx, invoices: readonly InvoiceForPosting[], lines: readonly LineForPosting[]): Promise<EntryDraft[]> {
  const posting = invoices.filter(invoicePosts);
  if (!posting.length) return [];
  const orderIds = [...new Set(posting.map((i) => i.orderId))];
  const deferred = new Set<string>();
  for (let i = 0; i < orderIds.length; i += KEYS_PER_QUERY) {
    const rows = await tx.db.selectFrom('revenueObligations').select('orderId').distinct().where('orderId', 'in', orderIds.slice(i, i + KEYS_PER_QUERY)).execute();
    for (const r of rows) deferred.add(r.orderId);
  }
  const linesOf = new Map<string, LineForPosting[]>();
  for (const l of lines) {
    const mine = linesOf.get(l.invoiceId);
    if (mine) mine.push(l);
    else linesOf.set(l.invoiceId, [l]);
  }
  return posting.map((inv) => invoiceEntryDraft(inv, linesOf.get(inv.id) ?? [], deferred.has(inv.orderId)));
}

/** Posts the issue entries of many invoices in one go (the batch counterpart of postInvoiceJournal); returns how many were written. */
export async function postInvoiceJournals(tx: Ctx, invoices: readonly InvoiceForPosting[], lines: readonly LineForPosting[], lookups: PostingLookups = postingLookups()): Promise<number> {
  return writeEntries(tx, await invoiceDrafts(tx, invoices, lines), lookups);
}
