import type { InvoiceLineTable, InvoiceTable, LegalEntityTable, OrderLineTable, OrderTable } from '@openltc/db';
import { noInput, validated } from '../platform/validation.ts';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { addDays, nowIso, today } from '../platform/clock.ts';
import { AppError, conflict, fieldError, validationError, type FieldError } from '../platform/errors.ts';
import { recordEvent, recordLinesChanged } from '../platform/events.ts';
import { transition } from '../platform/machine.ts';
import { formatQty, parseQty, sumAmounts, type RoundingMode } from '../platform/money.ts';
import { nextNumber } from '../platform/numbering.ts';
import { assertCan } from '../platform/permissions.ts';
import { lockRows } from '../platform/locks.ts';
import { isVisible, listVisible, loadVisible, updateRecord, type ListQuery } from '../platform/records.ts';
import { orderForDownstream } from '../orders/orders.ts';
import { groupBy } from '../orders/order.repo.ts';
import { deliveryForInvoice } from '../fulfilment/deliveries.ts';
import { paidByInvoice } from '../payments/payment.repo.ts';
import { InvoiceFromDelivery, InvoiceFromOrder, InvoiceUpdate, type InvoiceDto } from './invoice.schema.ts';
import { invoiceMachine, invoiceUserActions, paidState, settleAction, type InvoiceState } from './invoice.machine.ts';
import { paidDatesOf } from './paid-dates.ts';
import { creditedByInvoice } from './credit-note.repo.ts';
import { billLineAmounts, documentTaxOfInvoice, type DocumentTaxGroup } from './invoice-amounts.ts';
import { billedByDeliveryLine, billedByOrderLine, invoiceLinesOf, NOTHING_BILLED, type Billed } from './invoice.repo.ts';
import { legalEntityFor, roundingModeOf } from './legal-entities.ts';
import { taxCodesOf, taxRoundingOf } from '../pricing/tax-codes.ts';
import { codeForRate } from '../pricing/document-pricing.ts';
import { postInvoiceJournal } from '../ledger/posting.ts';
import { invoiceDef } from './defs.ts';
import { assertNotBilledBySchedule } from './schedule-guard.ts';

export const DEFAULT_PAYMENT_TERMS_DAYS = 30;

type LineValues = Omit<InvoiceLineTable, 'id' | 'invoiceId'>;

/** One thing to bill: a quantity of an order line, optionally of a delivery line, and where it was asked for. */
interface BillRequest {
  orderLine: OrderLineTable;
  qtyMilli: number;
  deliveryLineId: string | null;
  path: string;
}

const lineForEvent = (l: LineValues) => ({
  lineNo: l.lineNo,
  orderLineId: l.orderLineId,
  deliveryLineId: l.deliveryLineId,
  quantity: formatQty(l.qtyMilli),
  netMinor: l.netMinor,
  taxMinor: l.taxMinor,
});

async function invoiceDtos(ctx: Ctx, rows: readonly InvoiceTable[]): Promise<InvoiceDto[]> {
  const ids = rows.map((r) => r.id);
  const [lines, paid, credited] = await Promise.all([invoiceLinesOf(ctx.db, ids), paidByInvoice(ctx.db, ids), creditedByInvoice(ctx.db, ids)]);
  const byInvoice = groupBy(lines, (l) => l.invoiceId);
  // The origin dates an invoice keeps for the key figures belong to its order's documents, not to it.
  return rows.map(({ leadCreatedAt: _lead, firstQuoteCreatedAt: _quote, ...inv }) => {
    const status = inv.status as InvoiceState;
    const paidMinor = paid.get(inv.id) ?? 0;
    const creditedMinor = credited.get(inv.id) ?? 0;
    return {
      ...inv,
      paidAt: inv.paidAt ?? null,
      status,
      paidMinor,
      creditedMinor,
      // Nothing is owed before an invoice is issued, nor on a cancelled draft.
      outstandingMinor: status === 'draft' || status === 'cancelled' ? 0 : inv.totalMinor - paidMinor - creditedMinor,
      lines: (byInvoice.get(inv.id) ?? []).map((l) => ({
        id: l.id,
        lineNo: l.lineNo,
        orderLineId: l.orderLineId,
        deliveryLineId: l.deliveryLineId,
        productId: l.productId,
        description: l.description,
        quantity: formatQty(l.qtyMilli),
        unitPriceMinor: l.unitPriceMinor,
        discountRate: l.discountRate,
        taxRate: l.taxRate,
        taxCodeId: l.taxCodeId ?? null,
        taxCode: l.taxCode ?? null,
        netMinor: l.netMinor,
        taxMinor: l.taxMinor,
        totalMinor: l.totalMinor,
      })),
      allowedActions: invoiceUserActions(status),
    };
  });
}

async function invoiceDto(ctx: Ctx, row: InvoiceTable): Promise<InvoiceDto> {
  return (await invoiceDtos(ctx, [row]))[0]!;
}

function assertBillable(order: OrderTable): void {
  if (order.status !== 'confirmed' && order.status !== 'fulfilled')
    throw conflict('order_not_billable', `order ${order.number} is ${order.status}; only a confirmed or fulfilled order can be billed`, {
      currentState: order.status,
    });
}

/** Parses `lines` of a request against the order: known lines, positive quantities (422 otherwise). */
function requestsFromInput(order: OrderTable, lines: readonly OrderLineTable[], input: ReadonlyArray<{ orderLineId: string; quantity: string }>): BillRequest[] {
  const byId = new Map(lines.map((l) => [l.id, l]));
  const errors: FieldError[] = [];
  const out: BillRequest[] = [];
  input.forEach((l, i) => {
    const orderLine = byId.get(l.orderLineId);
    const qtyMilli = parseQty(l.quantity, `lines.${i}.quantity`);
    if (!orderLine) errors.push({ path: `lines.${i}.orderLineId`, message: `order ${order.number} has no line ${l.orderLineId}`, code: 'unknown_reference' });
    if (qtyMilli <= 0) errors.push({ path: `lines.${i}.quantity`, message: 'the quantity must be more than 0', code: 'invalid' });
    if (orderLine) out.push({ orderLine, qtyMilli, deliveryLineId: null, path: `lines.${i}.quantity` });
  });
  if (errors.length) throw validationError(errors);
  return out;
}

/**
 * Prices what is asked for against what other invoices (not cancelled) already bill. Billing more
 * than is left on a line is refused line by line (409 `over_billing`) before anything is written.
 */
async function priceRequests(tx: Ctx, order: OrderTable, le: LegalEntityTable, requests: readonly BillRequest[], exceptInvoiceId?: string): Promise<LineValues[]> {
  const running = new Map<string, Billed>(await billedByOrderLine(tx.db, [order.id], exceptInvoiceId));
  const errors: FieldError[] = [];
  const mode = roundingModeOf(le);
  const lines: LineValues[] = [];
  // Order lines from before tax codes get the entity's code for their rate (the compatibility rule), if one.
  const codes = requests.some((r) => !r.orderLine.taxCodeId) ? (await taxCodesOf(tx, le.id)).codes : [];
  for (const r of requests) {
    const ol = r.orderLine;
    const billed = running.get(ol.id) ?? NOTHING_BILLED;
    const left = ol.qtyMilli - billed.qtyMilli;
    if (r.qtyMilli > left) {
      errors.push({
        path: r.path,
        message: `only ${formatQty(Math.max(left, 0))} left to bill on line ${ol.lineNo} (${ol.description}): ordered ${formatQty(ol.qtyMilli)}, billed ${formatQty(billed.qtyMilli)}`,
        code: 'over_billing',
      });
      continue;
    }
    const amounts = billLineAmounts(ol, billed, r.qtyMilli, mode);
    running.set(ol.id, {
      qtyMilli: billed.qtyMilli + r.qtyMilli,
      netMinor: billed.netMinor + amounts.netMinor,
      taxMinor: billed.taxMinor + amounts.taxMinor,
    });
    lines.push({
      lineNo: lines.length + 1,
      orderLineId: ol.id,
      deliveryLineId: r.deliveryLineId,
      productId: ol.productId,
      description: ol.description,
      qtyMilli: r.qtyMilli,
      unitPriceMinor: ol.unitPriceMinor,
      discountRate: ol.discountRate,
      taxRate: ol.taxRate,
      ...(ol.taxCodeId
        ? { taxCodeId: ol.taxCodeId, taxCode: ol.taxCode ?? null }
        : (() => {
            const c = codeForRate(codes, ol.taxRate);
            return { taxCodeId: c?.id ?? null, taxCode: c?.code ?? null };
          })()),
      ...amounts,
    });
  }
  if (errors.length)
    throw new AppError(409, 'over_billing', 'Over-billing', `the invoice bills more than is left to bill on ${errors.length} line(s)`, { fields: errors });
  if (lines.length && taxRoundingOf(le) === 'document') await documentTax(tx, order, lines, running, mode);
  return lines;
}

const taxGroup = (l: { taxCodeId?: string | null; taxRate: string }) => `${l.taxCodeId ?? ''}|${l.taxRate}`;

/**
 * A legal entity that rounds tax per document: the invoice's lines are a document of their own per
 * tax group (documentTaxOfInvoice), capped by the order's tax of the group still unbilled, and the
 * invoice that bills the group's last quantity takes the remainder. `running` holds what is billed
 * per order line after this invoice (nets included, taxes from line shares): taxes are replaced.
 */
async function documentTax(tx: Ctx, order: OrderTable, lines: LineValues[], running: Map<string, Billed>, mode: RoundingMode): Promise<void> {
  const orderLines = await tx.db.selectFrom('orderLines').select(['id', 'qtyMilli', 'taxMinor', 'taxRate', 'taxCodeId']).where('orderId', '=', order.id).execute();
  const here = new Map<string, number>();
  for (const l of lines) here.set(l.orderLineId, (here.get(l.orderLineId) ?? 0) + l.taxMinor);
  const groups = new Map<string, DocumentTaxGroup>();
  for (const ol of orderLines) {
    const key = taxGroup(ol);
    const b = running.get(ol.id) ?? NOTHING_BILLED;
    const g = groups.get(key) ?? { orderTaxMinor: 0, billedTaxMinor: 0, completes: true };
    groups.set(key, {
      orderTaxMinor: g.orderTaxMinor + Number(ol.taxMinor),
      // Earlier invoices only: this invoice's share-based taxes are what is being replaced.
      billedTaxMinor: g.billedTaxMinor + b.taxMinor - (here.get(ol.id) ?? 0),
      completes: g.completes && b.qtyMilli >= Number(ol.qtyMilli),
    });
  }
  const taxes = documentTaxOfInvoice(
    lines.map((l) => ({ group: taxGroup(orderLines.find((o) => o.id === l.orderLineId) ?? l), netMinor: l.netMinor, taxRate: l.taxRate })),
    groups,
    mode,
  );
  lines.forEach((l, i) => {
    l.taxMinor = taxes[i]!;
    l.totalMinor = l.netMinor + l.taxMinor;
  });
}

async function insertLines(tx: Ctx, invoiceId: string, lines: readonly LineValues[]): Promise<void> {
  await tx.db
    .insertInto('invoiceLines')
    .values(lines.map((l) => ({ ...l, id: newId('iln'), invoiceId })))
    .execute();
}

/** Writes a draft invoice (no number yet) with its lines and a `created` event carrying them. */
async function insertDraft(tx: Ctx, order: OrderTable, deliveryId: string | null, lines: readonly LineValues[], paymentTermsDays: number | undefined): Promise<InvoiceTable> {
  const now = nowIso();
  const row: InvoiceTable = {
    id: newId('inv'),
    number: null,
    legalEntityId: order.legalEntityId,
    orderId: order.id,
    deliveryId,
    accountId: order.accountId,
    status: invoiceMachine.initial,
    currency: order.currency,
    ...sumAmounts(lines),
    issueDate: null,
    dueDate: null,
    paymentTermsDays: paymentTermsDays ?? DEFAULT_PAYMENT_TERMS_DAYS,
    issuedAt: null,
    ownerId: order.ownerId,
    teamId: order.teamId,
    createdAt: now,
    updatedAt: now,
    createdBy: tx.user.id,
    version: 1,
  };
  await tx.db.insertInto('invoices').values(row).execute();
  await insertLines(tx, row.id, lines);
  await recordEvent(tx, { entityType: 'invoice', entityId: row.id, action: 'created', after: { ...row, lines: lines.map(lineForEvent) } });
  return row;
}

/** A draft invoice for an order: the quantities given, or by default everything not yet billed. */
export async function createInvoiceFromOrder(ctx: Ctx, orderId: string, input: unknown = {}): Promise<InvoiceDto> {
  const data = InvoiceFromOrder.parse(input ?? {});
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'invoice', 'write');
    const { order, lines } = await orderForDownstream(tx, orderId);
    assertBillable(order);
    await assertNotBilledBySchedule(tx, order);
    let requests: BillRequest[];
    if (data.lines) requests = requestsFromInput(order, lines, data.lines);
    else {
      const billed = await billedByOrderLine(tx.db, [order.id]);
      requests = lines
        .map((ol) => ({ orderLine: ol, qtyMilli: ol.qtyMilli - (billed.get(ol.id)?.qtyMilli ?? 0), deliveryLineId: null, path: 'lines' }))
        .filter((r) => r.qtyMilli > 0);
      if (!requests.length) throw conflict('nothing_to_bill', `order ${order.number} is billed in full`);
    }
    const le = await legalEntityFor(tx.db, order.legalEntityId);
    const priced = await priceRequests(tx, order, le, requests);
    return invoiceDto(tx, await insertDraft(tx, order, null, priced, data.paymentTermsDays));
  });
}

/**
 * A draft invoice for what a delivery shipped and no invoice bills yet. A line is also capped by
 * what is left to bill on its order line, since that may already be billed in advance from the order.
 */
export async function createInvoiceFromDelivery(ctx: Ctx, deliveryId: string, input: unknown = {}): Promise<InvoiceDto> {
  const data = validated(InvoiceFromDelivery, input ?? {});
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'invoice', 'write');
    const { delivery, lines: deliveryLines } = await deliveryForInvoice(tx, deliveryId);
    const { order, lines } = await orderForDownstream(tx, delivery.orderId);
    assertBillable(order);
    await assertNotBilledBySchedule(tx, order);
    const byId = new Map(lines.map((l) => [l.id, l]));
    const [billedDl, billedOl] = await Promise.all([
      billedByDeliveryLine(tx.db, deliveryLines.map((l) => l.id)),
      billedByOrderLine(tx.db, [order.id]),
    ]);
    const taken = new Map<string, number>();
    const requests: BillRequest[] = [];
    deliveryLines.forEach((dl, i) => {
      const ol = byId.get(dl.orderLineId)!;
      const leftOnOrderLine = ol.qtyMilli - (billedOl.get(ol.id)?.qtyMilli ?? 0) - (taken.get(ol.id) ?? 0);
      const qtyMilli = Math.min(dl.qtyMilli - (billedDl.get(dl.id) ?? 0), leftOnOrderLine);
      if (qtyMilli <= 0) return;
      taken.set(ol.id, (taken.get(ol.id) ?? 0) + qtyMilli);
      requests.push({ orderLine: ol, qtyMilli, deliveryLineId: dl.id, path: `lines.${i}.quantity` });
    });
    if (!requests.length) throw conflict('nothing_to_bill', `delivery ${delivery.number} is billed in full`);
    const le = await legalEntityFor(tx.db, order.legalEntityId);
    const priced = await priceRequests(tx, order, le, requests);
    return invoiceDto(tx, await insertDraft(tx, order, delivery.id, priced, data.paymentTermsDays));
  });
}

export async function getInvoice(ctx: Ctx, id: string): Promise<InvoiceDto> {
  return invoiceDto(ctx, await loadVisible(ctx, invoiceDef, id));
}

export async function listInvoices(ctx: Ctx, q: ListQuery) {
  const page = await listVisible(ctx, invoiceDef, q);
  return { ...page, items: await invoiceDtos(ctx, page.items) };
}

function immutable(inv: InvoiceTable): AppError {
  return conflict('invoice_immutable', `invoice ${inv.number ?? inv.id} is ${inv.status}; only a draft can change (correct an issued invoice with a credit note)`, {
    currentState: inv.status,
  });
}

/** Edits a draft: payment terms, and for invoices made from an order its lines (replaced as a whole). */
export async function updateInvoice(ctx: Ctx, id: string, input: unknown, expectedVersion?: number): Promise<InvoiceDto> {
  const data = InvoiceUpdate.parse(input);
  return inTx(ctx, async (tx) => {
    const before = await loadVisible(tx, invoiceDef, id, 'write');
    if (before.status !== 'draft') throw immutable(before);
    const patch: Partial<InvoiceTable> = {};
    if (data.paymentTermsDays !== undefined) patch.paymentTermsDays = data.paymentTermsDays;
    let oldLines: InvoiceLineTable[] = [];
    let newLines: LineValues[] | null = null;
    if (data.lines) {
      if (before.deliveryId)
        throw fieldError('lines', 'the lines of an invoice made from a delivery follow the delivery; cancel this draft and bill again instead', 'from_delivery');
      const { order, lines } = await orderForDownstream(tx, before.orderId);
      assertBillable(order);
      const le = await legalEntityFor(tx.db, order.legalEntityId);
      newLines = await priceRequests(tx, order, le, requestsFromInput(order, lines, data.lines), before.id);
      oldLines = await invoiceLinesOf(tx.db, [before.id]);
      Object.assign(patch, sumAmounts(newLines));
    }
    const after = await updateRecord(tx, invoiceDef, before, patch, { expectedVersion });
    if (newLines) {
      await tx.db.deleteFrom('invoiceLines').where('invoiceId', '=', before.id).execute();
      await insertLines(tx, before.id, newLines);
      await recordLinesChanged(tx, 'invoice', before.id, oldLines, newLines, lineForEvent);
    }
    return invoiceDto(tx, after);
  });
}

/**
 * Issues a draft: the number comes from the legal entity's gap-free series inside this transaction,
 * so a failed issue rolls the counter back with it; issue and due dates are business dates in the
 * entity's time zone. Issuing is a gatekeeping step ('approve').
 */
export async function issueInvoice(ctx: Ctx, id: string, input: unknown = {}, expectedVersion?: number): Promise<InvoiceDto> {
  noInput(input);
  return inTx(ctx, async (tx) => {
    const before = await loadVisible(tx, invoiceDef, id, 'approve');
    const to = transition(invoiceMachine, before.status as InvoiceState, 'issue');
    await assertTaxCodes(tx, before);
    const le = await legalEntityFor(tx.db, before.legalEntityId);
    const issueDate = today(le.timezone);
    const number = await nextNumber(tx, 'invoice', le.id, issueDate);
    const after = await updateRecord(
      tx,
      invoiceDef,
      before,
      { status: to, number, issueDate, dueDate: addDays(issueDate, before.paymentTermsDays), issuedAt: nowIso() },
      { action: 'issue', expectedVersion },
    );
    await postInvoiceJournal(tx, after.id);
    return invoiceDto(tx, after);
  });
}

/**
 * An invoice is issued only when every line names the tax code it is taxed under (the journal posts
 * VAT per code and the tax platform needs it): 422 `tax_code_required` naming each line without one
 * (a draft from before tax codes, whose rate no active code has).
 */
async function assertTaxCodes(tx: Ctx, inv: InvoiceTable): Promise<void> {
  const missing = (await invoiceLinesOf(tx.db, [inv.id])).filter((l) => !l.taxCodeId);
  if (!missing.length) return;
  throw new AppError(422, 'tax_code_required', 'Tax code required', `${missing.length} line(s) of the invoice have no tax code: ${missing.map((l) => `line ${l.lineNo} (${l.description})`).join(', ')}`, {
    fields: missing.map((l) => ({ path: `lines.${l.lineNo - 1}.taxCode`, message: `line ${l.lineNo} (${l.description}, ${l.taxRate}) has no tax code`, code: 'tax_code_required' })),
  });
}

/** Cancels a draft; its quantities become billable again. */
export async function cancelInvoice(ctx: Ctx, id: string, input: unknown = {}): Promise<InvoiceDto> {
  noInput(input);
  return inTx(ctx, async (tx) => {
    const before = await loadVisible(tx, invoiceDef, id, 'write');
    const to = transition(invoiceMachine, before.status as InvoiceState, 'cancel');
    return invoiceDto(tx, await updateRecord(tx, invoiceDef, before, { status: to }, { action: 'cancel' }));
  });
}

/**
 * For payments: the invoices to allocate to, locked for the rest of the transaction, that the caller
 * may see (others are left out, so they read as unknown), with what is already paid on each.
 */
export async function invoicesForAllocation(
  tx: Ctx,
  ids: readonly string[],
): Promise<Map<string, { invoice: InvoiceTable; paidMinor: number; creditedMinor: number }>> {
  assertCan(tx.user, 'invoice', 'read');
  await lockRows(tx, 'invoices', ids);
  if (!ids.length) return new Map();
  const rows = (await tx.db.selectFrom('invoices').selectAll().where('id', 'in', [...new Set(ids)]).execute()).filter((r) =>
    isVisible(tx, invoiceDef, r),
  );
  const [paid, credited] = await Promise.all([paidByInvoice(tx.db, rows.map((r) => r.id)), creditedByInvoice(tx.db, rows.map((r) => r.id))]);
  return new Map(rows.map((r) => [r.id, { invoice: r, paidMinor: paid.get(r.id) ?? 0, creditedMinor: credited.get(r.id) ?? 0 }]));
}

/**
 * After allocations or credit notes change: moves each invoice to issued, partially_paid or paid as
 * its payments and issued credit notes say, in the caller's transaction, with the transition as an
 * event on the invoice.
 */
export async function settleInvoices(tx: Ctx, ids: readonly string[]): Promise<void> {
  if (!ids.length) return;
  const rows = await tx.db.selectFrom('invoices').selectAll().where('id', 'in', [...new Set(ids)]).orderBy('id').execute();
  const [paid, credited] = await Promise.all([paidByInvoice(tx.db, rows.map((r) => r.id)), creditedByInvoice(tx.db, rows.map((r) => r.id))]);
  const targets = new Map(rows.map((inv) => [inv.id, paidState(inv.totalMinor, paid.get(inv.id) ?? 0, credited.get(inv.id) ?? 0)]));
  for (const inv of rows) {
    const target = targets.get(inv.id)!;
    if (target === inv.status) {
      // Same state, but paid and outstanding changed: a new version keeps the invoice's ETag honest.
      await updateRecord(tx, invoiceDef, inv, {});
      continue;
    }
    const action = settleAction(target);
    const to = transition(invoiceMachine, inv.status as InvoiceState, action);
    await updateRecord(tx, invoiceDef, inv, { status: to }, { action });
  }
  // A paid invoice keeps when it was paid (its last allocation) and when its chain started; an invoice
  // that is not paid has no paid date (migration 019; the lead/quote-to-cash figures). Derived from the
  // allocations and the chain, which have their own events, so written beside the version above
  // without an event of their own.
  const paidIds = rows.filter((inv) => targets.get(inv.id) === 'paid').map((inv) => inv.id);
  const dates = await paidDatesOf(tx.db, paidIds);
  for (const id of paidIds) {
    const d = dates.get(id)!;
    await tx.db.updateTable('invoices').set({ paidAt: d.paidAt, leadCreatedAt: d.leadCreatedAt, firstQuoteCreatedAt: d.firstQuoteCreatedAt }).where('id', '=', id).execute();
  }
  const unpaid = rows.filter((inv) => targets.get(inv.id) !== 'paid' && inv.paidAt != null).map((inv) => inv.id);
  if (unpaid.length) await tx.db.updateTable('invoices').set({ paidAt: null }).where('id', 'in', unpaid).execute();
}

/** Invoice numbers by id, for documents that list invoices they point at. */
export async function invoiceNumbersOf(ctx: Ctx, ids: readonly string[]): Promise<Map<string, string | null>> {
  if (!ids.length) return new Map();
  const rows = await ctx.db.selectFrom('invoices').select(['id', 'number']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r.number]));
}
