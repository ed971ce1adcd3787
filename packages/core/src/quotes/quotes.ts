import type { QuoteLineTable, QuoteTable } from '@openltc/db';
import { z } from 'zod';
import { noInput, validated } from '../platform/validation.ts';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { addDays, nowIso, today } from '../platform/clock.ts';
import { conflict, fieldError } from '../platform/errors.ts';
import { allowedActions, transition } from '../platform/machine.ts';
import { formatQty, sumAmounts } from '../platform/money.ts';
import { nextNumber } from '../platform/numbering.ts';
import { assertCan } from '../platform/permissions.ts';
import { insertRecord, isVisible, listVisible, loadVisible, requireRef, updateRecord, type ListQuery } from '../platform/records.ts';
import { opportunityDef } from '../sales/defs.ts';
import { priceLines, type LineInput, type PricedLines, type ProductFacts } from './pricing.ts';
import { QuoteCreate, QuoteFromOpportunity, QuoteUpdate, type DocumentDiscount, type QuoteDto, type QuoteSummaryDto } from './quote.schema.ts';
import { taxCodesOf, taxRoundingOf } from '../pricing/tax-codes.ts';
import { booksFor } from '../pricing/price-books.ts';
import { legalEntityFor, roundingModeOf } from '../billing/legal-entities.ts';
import type { PriceDiscount } from '../money/pricing.ts';
import { quoteMachine, type QuoteState } from './quote.machine.ts';
import { quoteLinesOf } from './for-order.ts';
import { quoteDef } from './defs.ts';

/** How long a quote holds when no validity is given (days). */
export const DEFAULT_QUOTE_VALIDITY_DAYS = 30;

/** The document discount as stored ("percent:0.05", "amount:10000") and as the API shows it. */
const encodeDiscount = (d: DocumentDiscount | null | undefined): string | null => (!d ? null : 'rate' in d ? `percent:${d.rate}` : `amount:${d.amountMinor}`);
function decodeDiscount(s: string | null | undefined): DocumentDiscount | null {
  if (!s) return null;
  const [kind, v] = s.split(':') as [string, string];
  return kind === 'percent' ? { rate: v } : { amountMinor: Number(v) };
}

export function quoteSummaryDto(q: QuoteTable): QuoteSummaryDto {
  return {
    ...q,
    legalEntityId: q.legalEntityId ?? null,
    priceBookId: q.priceBookId ?? null,
    pricesIncludeTax: !!q.pricesIncludeTax,
    documentDiscount: decodeDiscount(q.documentDiscount),
    documentDiscountMinor: Number(q.documentDiscountMinor ?? 0),
    status: q.status as QuoteState,
    allowedActions: allowedActions(quoteMachine, q.status as QuoteState),
  };
}

export function quoteDto(q: QuoteTable, lines: QuoteLineTable[]): QuoteDto {
  return {
    ...quoteSummaryDto(q),
    lines: lines.map((l) => ({
      ...l,
      taxCodeId: l.taxCodeId ?? null,
      taxCode: l.taxCode ?? null,
      listAmountMinor: l.listAmountMinor === null || l.listAmountMinor === undefined ? null : Number(l.listAmountMinor),
      discountMinor: Number(l.discountMinor ?? 0),
      docDiscountMinor: Number(l.docDiscountMinor ?? 0),
      quantity: formatQty(l.qtyMilli),
    })),
  };
}

function assertValidity(validUntil: string | null | undefined): void {
  if (validUntil && validUntil < today())
    throw fieldError('validUntil', `the offer cannot end in the past (today is ${today()})`, 'in_past');
}

/**
 * Prices input lines: loads every product named, the tax codes and rounding of the legal entity that
 * quotes (the quote's own; a tax code of another entity is unknown here: 422 on the line) and the
 * active price books of the currency, then the pure pricing.
 */
async function priceInputs(
  ctx: Ctx,
  legalEntityId: string | null | undefined,
  inputs: readonly LineInput[],
  currency: string,
  doc: { priceBookId?: string | null | undefined; documentDiscount?: DocumentDiscount | null | undefined },
): Promise<PricedLines> {
  const ids = [...new Set(inputs.map((l) => l.productId).filter((x): x is string => !!x))];
  const products: ProductFacts[] = ids.length
    ? await ctx.db
        .selectFrom('products')
        .select(['id', 'sku', 'name', 'listPriceMinor', 'currency', 'taxRate', 'taxCode', 'active'])
        .where('id', 'in', ids)
        .execute()
    : [];
  const [{ le, codes }, books] = await Promise.all([taxCodesOf(ctx, legalEntityId), booksFor(ctx, currency)]);
  const d = doc.documentDiscount;
  const documentDiscount: PriceDiscount | undefined = !d ? undefined : 'rate' in d ? { kind: 'percent', rate: d.rate } : { kind: 'amount', amount: { minor: BigInt(d.amountMinor), currency } };
  return priceLines(inputs, new Map(products.map((p) => [p.id, p])), currency, {
    taxCodes: codes,
    books,
    priceBookId: doc.priceBookId,
    date: today(le.timezone),
    rounding: taxRoundingOf(le),
    mode: roundingModeOf(le),
    documentDiscount,
  });
}

/** The quote's columns that pricing decides. */
const pricedHeader = (p: PricedLines, discount: DocumentDiscount | null | undefined) => ({
  priceBookId: p.priceBookId,
  pricesIncludeTax: p.pricesIncludeTax ? 1 : 0,
  documentDiscount: encodeDiscount(discount),
  documentDiscountMinor: p.documentDiscountMinor,
  ...sumAmounts(p.lines),
});

async function insertLines(ctx: Ctx, quoteId: string, lines: readonly Omit<QuoteLineTable, 'id' | 'quoteId'>[]): Promise<QuoteLineTable[]> {
  const rows: QuoteLineTable[] = lines.map((l) => ({
    id: newId('qln'),
    quoteId,
    lineNo: l.lineNo,
    productId: l.productId,
    description: l.description,
    qtyMilli: l.qtyMilli,
    unitPriceMinor: l.unitPriceMinor,
    discountRate: l.discountRate,
    taxRate: l.taxRate,
    taxCodeId: l.taxCodeId ?? null,
    taxCode: l.taxCode ?? null,
    listAmountMinor: l.listAmountMinor ?? null,
    discountMinor: l.discountMinor ?? 0,
    docDiscountMinor: l.docDiscountMinor ?? 0,
    netMinor: l.netMinor,
    taxMinor: l.taxMinor,
    totalMinor: l.totalMinor,
  }));
  if (rows.length) await ctx.db.insertInto('quoteLines').values(rows).execute();
  return rows;
}

/**
 * Opportunity → quote. Account, owner, team and currency come from the opportunity, so the quote is
 * seen by exactly the people who see the deal. A lost opportunity takes no new quotes (reopen it
 * first); a won one still may, e.g. for an add-on.
 */
export async function createQuote(ctx: Ctx, input: z.input<typeof QuoteCreate>): Promise<QuoteDto> {
  const data = QuoteCreate.parse(input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'quote', 'write');
    const opp = await requireRef(tx, opportunityDef, data.opportunityId, 'opportunityId');
    if (opp.status === 'lost')
      throw conflict('opportunity_closed', `opportunity ${opp.name} is lost; reopen it before quoting`, { opportunityStatus: opp.status });
    assertValidity(data.validUntil);
    const le = await legalEntityFor(tx.db, data.legalEntityId);
    const priced = await priceInputs(tx, le.id, data.lines, opp.currency, data);
    const now = nowIso();
    const row: QuoteTable = {
      id: newId('quo'),
      number: await nextNumber(tx, 'quote', 'global', today()),
      versionNo: 1,
      legalEntityId: le.id,
      opportunityId: opp.id,
      accountId: opp.accountId,
      status: quoteMachine.initial,
      currency: opp.currency,
      ...pricedHeader(priced, data.documentDiscount),
      validUntil: data.validUntil === undefined ? addDays(today(), DEFAULT_QUOTE_VALIDITY_DAYS) : data.validUntil,
      notes: data.notes ?? null,
      supersededById: null,
      rejectReason: null,
      declineReason: null,
      ownerId: opp.ownerId,
      teamId: opp.teamId,
      createdAt: now,
      updatedAt: now,
      createdBy: ctx.user.id,
      version: 1,
    };
    const quote = await insertRecord(tx, quoteDef, row);
    return quoteDto(quote, await insertLines(tx, quote.id, priced.lines));
  });
}

/** The conversion endpoint: `POST /opportunities/:id/quotes`. */
export async function quoteOpportunity(ctx: Ctx, opportunityId: string, input: unknown): Promise<QuoteDto> {
  const data = validated(QuoteFromOpportunity, input ?? {});
  // The opportunity is the addressed resource here: an unknown or invisible one is a 404, as for any URL id.
  await loadVisible(ctx, opportunityDef, opportunityId);
  return createQuote(ctx, { ...data, opportunityId });
}

export async function getQuote(ctx: Ctx, id: string): Promise<QuoteDto> {
  const q = await loadVisible(ctx, quoteDef, id);
  return quoteDto(q, await quoteLinesOf(ctx, q.id));
}

export async function listQuotes(ctx: Ctx, q: ListQuery) {
  const page = await listVisible(ctx, quoteDef, q);
  return { ...page, items: page.items.map(quoteSummaryDto) };
}

/** Every version under the quote's number, oldest first (only those the caller may see). */
export async function quoteVersions(ctx: Ctx, id: string): Promise<{ items: QuoteSummaryDto[] }> {
  const q = await loadVisible(ctx, quoteDef, id);
  const rows = await ctx.db.selectFrom('quotes').selectAll().where('number', '=', q.number).orderBy('versionNo').execute();
  return { items: rows.filter((r) => isVisible(ctx, quoteDef, r)).map(quoteSummaryDto) };
}

/**
 * Edits a draft: validity, notes and, when given, all lines at once (replaced, re-priced, totals
 * recomputed). One `updated` event; a line-only change shows there as the changed totals.
 */
export async function updateQuote(ctx: Ctx, id: string, input: unknown, expectedVersion?: number): Promise<QuoteDto> {
  const data = QuoteUpdate.parse(input);
  return inTx(ctx, async (tx) => {
    const before = await loadVisible(tx, quoteDef, id, 'write');
    if (before.status !== 'draft')
      throw conflict('quote_not_draft', `quote ${before.number} v${before.versionNo} is ${before.status}; only a draft can be edited — revise it to change it`, {
        currentState: before.status,
        allowedActions: allowedActions(quoteMachine, before.status as QuoteState),
      });
    const patch: Partial<QuoteTable> = {};
    if (data.validUntil !== undefined) {
      assertValidity(data.validUntil);
      patch.validUntil = data.validUntil;
    }
    if (data.notes !== undefined) patch.notes = data.notes;
    let lines: QuoteLineTable[] | null = null;
    if ((data.priceBookId !== undefined || data.documentDiscount !== undefined) && !data.lines)
      throw fieldError('lines', 'send the lines with a new price book or document discount: they are priced again', 'required');
    if (data.lines) {
      // A book or discount not sent stays as it was.
      const doc = {
        priceBookId: data.priceBookId !== undefined ? data.priceBookId : (before.priceBookId ?? null),
        documentDiscount: data.documentDiscount !== undefined ? data.documentDiscount : decodeDiscount(before.documentDiscount),
      };
      const priced = await priceInputs(tx, before.legalEntityId, data.lines, before.currency, doc);
      Object.assign(patch, pricedHeader(priced, doc.documentDiscount));
      await tx.db.deleteFrom('quoteLines').where('quoteId', '=', before.id).execute();
      lines = await insertLines(tx, before.id, priced.lines);
    }
    const after = await updateRecord(tx, quoteDef, before, patch, { expectedVersion, action: 'updated' });
    return quoteDto(after, lines ?? (await quoteLinesOf(tx, after.id)));
  });
}

/**
 * Opens the next version under the same number (a draft with the lines copied) and supersedes this
 * one. The old version keeps its lines and history untouched. Validity is kept unless it has passed.
 */
export async function reviseQuote(ctx: Ctx, id: string, input: unknown = {}, expectedVersion?: number): Promise<QuoteDto> {
  noInput(input);
  return inTx(ctx, async (tx) => {
    const before = await loadVisible(tx, quoteDef, id, 'write');
    transition(quoteMachine, before.status as QuoteState, 'revise');
    const lines = await quoteLinesOf(tx, before.id);
    const now = nowIso();
    const next: QuoteTable = {
      ...before,
      id: newId('quo'),
      versionNo: before.versionNo + 1,
      status: quoteMachine.initial,
      validUntil:
        before.validUntil && before.validUntil < today() ? addDays(today(), DEFAULT_QUOTE_VALIDITY_DAYS) : before.validUntil,
      supersededById: null,
      rejectReason: null,
      declineReason: null,
      createdAt: now,
      updatedAt: now,
      createdBy: ctx.user.id,
      version: 1,
    };
    // Supersede first: the optimistic lock on the old version makes a concurrent second revise fail.
    await updateRecord(tx, quoteDef, before, { status: 'superseded', supersededById: next.id }, { expectedVersion, action: 'revise' });
    const created = await insertRecord(tx, quoteDef, next);
    return quoteDto(created, await insertLines(tx, created.id, lines));
  });
}
