import type { InvoiceTable, JournalEntryTable, JournalLineTable } from '@openltc/db';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';
import { assertBalanced } from '../money/journal.ts';
import { legalEntityFor } from '../billing/legal-entities.ts';
import { chartFor, type LedgerChart, type LedgerRole } from './chart.ts';
import { billsIntoDeferredRevenue, rebuildRevenueJournal } from './revenue-posting.ts';
import { functionalPlan, type FunctionalInput, type FunctionalPlan } from './functional.ts';

/**
 * Posting: every money event of lead-to-cash writes one balanced journal entry in the same
 * transaction as the event itself. An entry is keyed by (source type, source id, event) and a payment
 * allocation row is cleared from receivables by at most one line, both enforced by unique indexes, so
 * posting again (a retry, the rebuild command) never doubles anything.
 *
 * Rules (amounts in the document currency, integer minor units):
 * - invoice issued: Dr AR (total) / Cr revenue (net, per tax rate) / Cr VAT output (tax, per rate);
 * - credit note issued: the same reversed, for the credit note's lines;
 * - payment received: Dr cash (amount) / Cr AR (what it is allocated to at once, per invoice) /
 *   Cr customer advances (the rest);
 * - allocation later of unallocated money: Dr customer advances / Cr AR;
 * - credit released from a paid invoice by a credit note: Dr AR / Cr customer advances;
 * - refund: Dr customer advances / Cr cash;
 * - payment reversed by the bank: Dr AR (what it still had on invoices) / Dr customer advances (the
 *   rest) / Cr cash (amount).
 * AR lines are dated when they count in receivables (never before their invoice's issue date), so the
 * AR account as of any date equals the aging total as of that date.
 *
 * Every line also carries its amount in the legal entity's functional currency (functional.ts): a
 * document at the rate of its issue date (a credit note at its invoice's), payment events at the
 * rate of the payment's date, receivables at their invoice's booked rate, and the realised exchange
 * difference of a payment event on FX gain or FX loss.
 */

export type SourceType = 'invoice' | 'credit_note' | 'payment' | 'payment_allocation' | 'refund' | 'dunning_charge' | 'charge_allocation' | 'revenue_recognition' | 'revenue_close';

export interface Leg {
  role: LedgerRole;
  /** Signed: positive is a debit, negative a credit. */
  amount: number;
  partyAccountId?: string | null;
  documentRef?: string;
  allocationId?: string | null;
  memo?: string | null;
  /** AR legs: the invoice (or dunning charge) the receivable belongs to. */
  openItemId?: string | null;
  /**
   * The functional-currency amount when the poster knows it (signed like `amount`), e.g. deferred
   * revenue released at the rate it was billed at (revenue-posting.ts). Used only when every leg of
   * the entry has one and they balance; otherwise the entry converts as usual.
   */
  functional?: number;
}

export interface EntryDraft {
  legalEntityId: string;
  date: string;
  sourceType: SourceType;
  sourceId: string;
  event: string;
  documentRef: string;
  description: string;
  currency: string;
  accountId: string | null;
  legs: Leg[];
  /** How the entry converts to the functional currency (default: at the rate of `date`, differences to FX gain/loss). */
  fx?: Partial<Pick<FunctionalInput, 'rateDate' | 'rateOf' | 'balance' | 'booksOpenItem'>>;
}

const entryKey = (tx: Ctx, sourceType: string, sourceId: string, event: string) =>
  tx.db.selectFrom('journalEntries').select('id').where('sourceType', '=', sourceType).where('sourceId', '=', sourceId).where('event', '=', event).executeTakeFirst();

/**
 * Writes one entry unless its key is already posted (then nothing, and false). The lines are checked
 * by the journal library before anything is written: an unbalanced entry is refused (422
 * `unbalanced_entry`) and rolls back the business event with it, since it can only be a bug.
 */
export async function writeEntry(tx: Ctx, chart: LedgerChart, d: EntryDraft): Promise<boolean> {
  if (await entryKey(tx, d.sourceType, d.sourceId, d.event)) return false;
  const legs = postableLegs(d);
  const fx = givenFunctional(legs, await functionalPlan(tx, functionalInputOf(d), legs));
  const { entry, lines } = entryRows(tx, chart, d, legs, fx);
  await tx.db.insertInto('journalEntries').values(entry).execute();
  await tx.db.insertInto('journalLines').values(lines).execute();
  return true;
}

/** The plan with the functional amounts the legs carry themselves, when all of them do (see Leg.functional). */
function givenFunctional(legs: readonly Leg[], fx: FunctionalPlan): FunctionalPlan {
  if (fx.rate === null || !legs.length || legs.some((l) => l.functional === undefined)) return fx;
  const functional = legs.map((l) => l.functional!);
  if (functional.some((f) => !Number.isSafeInteger(f)) || functional.reduce((a, b) => a + b, 0) !== 0) return fx;
  return { ...fx, functional, differences: [] };
}

/** The legs that post (zero amounts dropped), refused unless every amount is an integer. */
export function postableLegs(d: EntryDraft): Leg[] {
  const legs = d.legs.filter((l) => l.amount !== 0);
  for (const l of legs)
    if (!Number.isSafeInteger(l.amount)) throw new AppError(500, 'invalid_posting', 'Invalid posting', `${d.sourceType} ${d.documentRef}: amount ${l.amount} is not an integer`);
  return legs;
}

/** How the entry converts to the functional currency (default: at the rate of its date, differences to FX gain/loss). */
export function functionalInputOf(d: EntryDraft): FunctionalInput {
  return { legalEntityId: d.legalEntityId, currency: d.currency, rateDate: d.fx?.rateDate ?? d.date, rateOf: d.fx?.rateOf, balance: d.fx?.balance ?? 'gainLoss', booksOpenItem: d.fx?.booksOpenItem };
}

/**
 * The rows of one entry (checked balanced by the journal library first), with the functional
 * amounts of its plan and the plan's exchange-difference lines. Writes nothing (writeEntry and the
 * batch posting of batch-posting.ts insert them).
 */
export function entryRows(tx: Ctx, chart: LedgerChart, d: EntryDraft, legs: readonly Leg[], fx: FunctionalPlan): { entry: JournalEntryTable; lines: JournalLineTable[] } {
  assertBalanced({
    date: d.date,
    documentRef: d.documentRef,
    description: d.description,
    currency: d.currency,
    lines: legs.map((l) => ({ account: chart[l.role].code, debit: l.amount > 0 ? BigInt(l.amount) : 0n, credit: l.amount < 0 ? BigInt(-l.amount) : 0n })),
  });
  const entry: JournalEntryTable = {
    id: newId('jen'),
    legalEntityId: d.legalEntityId,
    entryDate: d.date,
    sourceType: d.sourceType,
    sourceId: d.sourceId,
    event: d.event,
    documentRef: d.documentRef,
    description: d.description,
    currency: d.currency,
    accountId: d.accountId,
    createdAt: nowIso(),
    createdBy: tx.user.id,
    functionalCurrency: fx.functionalCurrency,
    fxRate: fx.rateText,
    fxRateDate: fx.rateDate,
  };
  const line = (l: Leg, functional: number, lineNo: number): JournalLineTable => ({
    id: newId('jln'),
    entryId: entry.id,
    lineNo,
    accountCode: chart[l.role].code,
    accountRole: l.role,
    debitMinor: l.amount > 0 ? l.amount : 0,
    creditMinor: l.amount < 0 ? -l.amount : 0,
    currency: d.currency,
    entryDate: d.date,
    partyAccountId: l.partyAccountId ?? null,
    documentRef: l.documentRef ?? d.documentRef,
    allocationId: l.allocationId ?? null,
    memo: l.memo ?? null,
    functionalDebitMinor: functional > 0 ? functional : 0,
    functionalCreditMinor: functional < 0 ? -functional : 0,
    functionalCurrency: fx.functionalCurrency,
    openItemId: l.openItemId ?? null,
  });
  // The legs with their functional amounts, then the plan's exchange-difference lines (no transaction amount).
  const lines = legs.map((l, i) => line(l, fx.functional[i]!, i + 1));
  for (const x of fx.differences) lines.push(line({ role: x.role, amount: 0, memo: 'realised exchange difference' }, x.functional, lines.length + 1));
  return { entry, lines };
}

/**
 * Net and tax per tax code of document lines (lines from before tax codes: per rate), rates in
 * ascending order, then by code — so VAT0 (zero-rated) and VATEX (exempt) post apart.
 */
function perRate(
  lines: ReadonlyArray<{ taxRate: string; taxCode?: string | null; netMinor: number; taxMinor: number }>,
): Array<{ rate: string; code: string | null; net: number; tax: number }> {
  const m = new Map<string, { rate: string; code: string | null; net: number; tax: number }>();
  for (const l of lines) {
    const key = l.taxCode ? `code:${l.taxCode}` : `rate:${l.taxRate}`;
    const cur = m.get(key) ?? { rate: l.taxRate, code: l.taxCode ?? null, net: 0, tax: 0 };
    m.set(key, { ...cur, net: cur.net + Number(l.netMinor), tax: cur.tax + Number(l.taxMinor) });
  }
  const groups = [...m.values()].sort((a, b) => Number(a.rate) - Number(b.rate) || (a.code ?? '').localeCompare(b.code ?? ''));
  // The memo names the rate ("VAT 6%"), and the code too where two codes share a rate ("VAT 0% VATEX").
  return groups.map((g) => ({ ...g, code: groups.some((o) => o !== g && Number(o.rate) === Number(g.rate)) ? g.code : null }));
}

const pctOf = (rate: string) => `${(Number(rate) * 100).toFixed(2).replace(/\.?0+$/, '')}%`;
const pct = (r: string | { rate: string; code: string | null }) => (typeof r === 'string' ? pctOf(r) : r.code ? `${pctOf(r.rate)} ${r.code}` : pctOf(r.rate));

/** Invoice issued: Dr AR / Cr revenue and VAT output per tax rate. Skips drafts and cancelled invoices. */
export async function postInvoiceJournal(tx: Ctx, invoiceId: string): Promise<boolean> {
  const inv = await tx.db.selectFrom('invoices').selectAll().where('id', '=', invoiceId).executeTakeFirstOrThrow();
  if (!invoicePosts(inv)) return false;
  const lines = await tx.db.selectFrom('invoiceLines').select(['taxRate', 'taxCode', 'netMinor', 'taxMinor']).where('invoiceId', '=', inv.id).execute();
  const chart = await chartFor(tx, inv.legalEntityId);
  return writeEntry(tx, chart, invoiceEntryDraft(inv, lines, await billsIntoDeferredRevenue(tx, inv.orderId)));
}

/** Whether an invoice has an issue entry: issued (numbered and dated), not a draft nor cancelled. */
export const invoicePosts = (inv: Pick<InvoiceTable, 'number' | 'issueDate' | 'status'>): boolean =>
  !!inv.number && !!inv.issueDate && inv.status !== 'draft' && inv.status !== 'cancelled';

/** The issue entry of an invoice from its row and lines (postInvoiceJournal, and the billing run's batch). */
export function invoiceEntryDraft(
  inv: Pick<InvoiceTable, 'id' | 'legalEntityId' | 'number' | 'issueDate' | 'currency' | 'accountId' | 'totalMinor'>,
  lines: ReadonlyArray<{ taxRate: string; taxCode?: string | null; netMinor: number; taxMinor: number }>,
  deferredRevenue: boolean,
): EntryDraft {
  const rates = perRate(lines);
  // Orders with performance obligations bill into deferred revenue; the revenue close recognises it (revenue-posting.ts).
  const revenueRole: LedgerRole = deferredRevenue ? 'deferredRevenue' : 'revenue';
  return {
    legalEntityId: inv.legalEntityId,
    date: inv.issueDate!,
    sourceType: 'invoice',
    sourceId: inv.id,
    event: 'issue',
    documentRef: inv.number!,
    description: `Invoice ${inv.number} issued`,
    currency: inv.currency,
    accountId: inv.accountId,
    fx: { rateDate: inv.issueDate!, balance: 'spread', booksOpenItem: inv.id },
    legs: [
      { role: 'ar', amount: Number(inv.totalMinor), partyAccountId: inv.accountId, openItemId: inv.id },
      ...rates.map((r): Leg => ({ role: revenueRole, amount: -r.net, memo: `net at ${pct(r)}` })),
      ...rates.map((r): Leg => ({ role: 'vatOutput', amount: -r.tax, memo: `VAT ${pct(r)}` })),
    ],
  };
}

/**
 * Credit note issued: the invoice posting reversed for its lines; then whatever it released from the
 * invoice's payments (to the customer's credit, or refunded) through the payments' postings.
 */
export async function postCreditNoteJournal(tx: Ctx, creditNoteId: string): Promise<boolean> {
  const cn = await tx.db.selectFrom('creditNotes').selectAll().where('id', '=', creditNoteId).executeTakeFirstOrThrow();
  if (cn.status !== 'issued' || !cn.number || !cn.issueDate) return false;
  const [lines, inv] = await Promise.all([
    tx.db.selectFrom('creditNoteLines').select(['taxRate', 'taxCode', 'netMinor', 'taxMinor']).where('creditNoteId', '=', cn.id).execute(),
    tx.db.selectFrom('invoices').select(['number']).where('id', '=', cn.invoiceId).executeTakeFirstOrThrow(),
  ]);
  const chart = await chartFor(tx, cn.legalEntityId);
  const rates = perRate(lines);
  const revenueRole: LedgerRole = (await billsIntoDeferredRevenue(tx, cn.orderId)) ? 'deferredRevenue' : 'revenue';
  const posted = await writeEntry(tx, chart, {
    legalEntityId: cn.legalEntityId,
    date: cn.issueDate,
    sourceType: 'credit_note',
    sourceId: cn.id,
    event: 'issue',
    documentRef: cn.number,
    description: `Credit note ${cn.number} on invoice ${inv.number ?? cn.invoiceId}`,
    currency: cn.currency,
    accountId: cn.accountId,
    // A credit note corrects its invoice: it reverses at the invoice's booked rate, no exchange difference.
    fx: { rateOf: { sourceType: 'invoice', sourceId: cn.invoiceId, event: 'issue' }, balance: 'spread' },
    legs: [
      ...rates.map((r): Leg => ({ role: revenueRole, amount: r.net, memo: `net at ${pct(r)}` })),
      ...rates.map((r): Leg => ({ role: 'vatOutput', amount: r.tax, memo: `VAT ${pct(r)}` })),
      { role: 'ar', amount: -Number(cn.totalMinor), partyAccountId: cn.accountId, documentRef: inv.number ?? cn.invoiceId, openItemId: cn.invoiceId },
    ],
  });
  const released = await tx.db.selectFrom('paymentAllocations').select('paymentId').distinct().where('creditNoteId', '=', cn.id).execute();
  for (const r of released) await postPaymentJournal(tx, r.paymentId);
  return posted;
}

/** The legal entity a payment posts to: its own (migration 013), the first for a row without one. */
async function paymentEntity(tx: Ctx, p: { legalEntityId?: string | null }): Promise<string> {
  return p.legalEntityId ?? (await legalEntityFor(tx.db, null)).id;
}

/**
 * Posts whatever of a payment is not posted yet: its receipt (with the allocations it was made
 * with), later allocations, credit released to it, refunds drawn on it and its reversal. Called at
 * the end of every use case that changes a payment; calling it again posts nothing.
 */
export async function postPaymentJournal(tx: Ctx, paymentId: string): Promise<number> {
  const p = await tx.db.selectFrom('payments').selectAll().where('id', '=', paymentId).executeTakeFirstOrThrow();
  const allocs = await tx.db
    .selectFrom('paymentAllocations')
    .innerJoin('invoices', 'invoices.id', 'paymentAllocations.invoiceId')
    .select([
      'paymentAllocations.id',
      'paymentAllocations.kind',
      'paymentAllocations.amountMinor',
      'paymentAllocations.effectiveOn',
      'paymentAllocations.invoiceId',
      'invoices.number as invoiceNumber',
      'invoices.issueDate as invoiceIssueDate',
    ])
    .where('paymentAllocations.paymentId', '=', p.id)
    .orderBy('paymentAllocations.id')
    .execute();
  const covered = new Set(
    allocs.length
      ? (await tx.db.selectFrom('journalLines').select('allocationId').where('allocationId', 'in', allocs.map((a) => a.id)).execute()).map((r) => r.allocationId)
      : [],
  );
  const legalEntityId = await paymentEntity(tx, p);
  const chart = await chartFor(tx, legalEntityId);
  // Every event of a payment converts at the rate of the day the money arrived.
  const base = { legalEntityId, currency: p.currency, accountId: p.accountId, fx: { rateDate: p.receivedOn } };
  const party = { partyAccountId: p.accountId };
  const invoiceRef = (a: (typeof allocs)[number]) => a.invoiceNumber ?? a.id;
  let posted = 0;

  if (!(await entryKey(tx, 'payment', p.id, 'receive'))) {
    // Allocations made with the payment clear receivables in the receipt itself, unless their invoice
    // was issued after the money arrived (then they post on the invoice's issue date, below).
    const now = allocs.filter((a) => a.kind === 'allocation' && !covered.has(a.id) && (a.invoiceIssueDate ?? '') <= p.receivedOn);
    const cleared = now.reduce((s, a) => s + Number(a.amountMinor), 0);
    if (
      await writeEntry(tx, chart, {
        ...base,
        date: p.receivedOn,
        sourceType: 'payment',
        sourceId: p.id,
        event: 'receive',
        documentRef: p.number,
        description: `Payment ${p.number} received`,
        legs: [
          { role: 'cash', amount: Number(p.amountMinor) },
          ...now.map((a): Leg => ({ role: 'ar', amount: -Number(a.amountMinor), ...party, documentRef: invoiceRef(a), allocationId: a.id, openItemId: a.invoiceId })),
          { role: 'customerAdvances', amount: -(Number(p.amountMinor) - cleared), ...party },
        ],
      })
    ) {
      posted++;
      for (const a of now) covered.add(a.id);
    }
  }

  for (const a of allocs) {
    if (covered.has(a.id) || a.kind === 'reversal') continue;
    const amount = Number(a.amountMinor);
    const effective = a.effectiveOn ?? p.receivedOn;
    const date = a.invoiceIssueDate && a.invoiceIssueDate > effective ? a.invoiceIssueDate : effective;
    const release = a.kind === 'credit_release';
    posted += Number(
      await writeEntry(tx, chart, {
        ...base,
        date,
        sourceType: 'payment_allocation',
        sourceId: a.id,
        event: release ? 'credit_release' : 'allocate',
        documentRef: p.number,
        description: release ? `Credit on invoice ${invoiceRef(a)} released to payment ${p.number}` : `Payment ${p.number} allocated to invoice ${invoiceRef(a)}`,
        // An allocation is positive (Dr advances / Cr AR), a release negative (Dr AR / Cr advances).
        legs: [
          { role: 'customerAdvances', amount, ...party },
          { role: 'ar', amount: -amount, ...party, documentRef: invoiceRef(a), allocationId: a.id, openItemId: a.invoiceId },
        ],
      }),
    );
    covered.add(a.id);
  }

  if (p.status === 'reversed' && !(await entryKey(tx, 'payment', p.id, 'reverse'))) {
    const counters = allocs.filter((a) => a.kind === 'reversal' && !covered.has(a.id));
    const back = counters.reduce((s, a) => s - Number(a.amountMinor), 0);
    posted += Number(
      await writeEntry(tx, chart, {
        ...base,
        date: p.reversedOn ?? p.receivedOn,
        sourceType: 'payment',
        sourceId: p.id,
        event: 'reverse',
        documentRef: p.number,
        description: `Payment ${p.number} reversed${p.reversalReason ? `: ${p.reversalReason}` : ''}`,
        legs: [
          ...counters.map((a): Leg => ({ role: 'ar', amount: -Number(a.amountMinor), ...party, documentRef: invoiceRef(a), allocationId: a.id, openItemId: a.invoiceId })),
          { role: 'customerAdvances', amount: Number(p.amountMinor) - back, ...party },
          { role: 'cash', amount: -Number(p.amountMinor) },
        ],
      }),
    );
  }

  const refunds = await tx.db.selectFrom('refunds').selectAll().where('paymentId', '=', p.id).orderBy('id').execute();
  for (const r of refunds)
    posted += Number(
      await writeEntry(tx, chart, {
        ...base,
        date: r.refundOn,
        sourceType: 'refund',
        sourceId: r.id,
        event: 'refund',
        documentRef: r.number,
        description: `Refund ${r.number} from payment ${p.number}`,
        legs: [
          { role: 'customerAdvances', amount: Number(r.amountMinor), ...party },
          { role: 'cash', amount: -Number(r.amountMinor) },
        ],
      }),
    );
  return posted;
}

export interface RebuildResult {
  invoices: number;
  creditNotes: number;
  paymentEntries: number;
  /** Revenue recognition and contract-asset entries of closed revenue periods. */
  revenueEntries: number;
  entriesBefore: number;
  entriesAfter: number;
}

const entryCount = async (ctx: Ctx) => Number((await ctx.db.selectFrom('journalEntries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

/**
 * Posts every document that has no entry yet (a database from before the journal existed), each in
 * its own transaction; running it again posts nothing.
 */
export async function rebuildJournal(ctx: Ctx): Promise<RebuildResult> {
  const entriesBefore = await entryCount(ctx);
  const unposted = (table: 'invoices' | 'creditNotes', sourceType: SourceType) =>
    ctx.db
      .selectFrom(table)
      .select(['id'])
      .where('status', 'in', table === 'invoices' ? ['issued', 'partially_paid', 'paid'] : ['issued'])
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('journalEntries')
              .select('journalEntries.id')
              .where('journalEntries.sourceType', '=', sourceType)
              .whereRef('journalEntries.sourceId', '=', `${table}.id` as any),
          ),
        ),
      )
      .orderBy('issueDate')
      .orderBy('id')
      .execute();
  let invoices = 0;
  for (const r of await unposted('invoices', 'invoice')) invoices += Number(await inTx(ctx, (tx) => postInvoiceJournal(tx, r.id)));
  let creditNotes = 0;
  for (const r of await unposted('creditNotes', 'credit_note')) creditNotes += Number(await inTx(ctx, (tx) => postCreditNoteJournal(tx, r.id)));
  let paymentEntries = 0;
  const payments = await ctx.db.selectFrom('payments').select('id').orderBy('receivedOn').orderBy('id').execute();
  for (const p of payments) paymentEntries += await inTx(ctx, (tx) => postPaymentJournal(tx, p.id));
  const revenueEntries = await rebuildRevenueJournal(ctx);
  return { invoices, creditNotes, paymentEntries, revenueEntries, entriesBefore, entriesAfter: await entryCount(ctx) };
}
