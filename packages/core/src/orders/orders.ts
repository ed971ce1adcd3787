import type { LegalEntityTable, OrderLineTable, OrderTable } from '@openltc/db';
import { z } from 'zod';
import { noInput, validated } from '../platform/validation.ts';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso, today } from '../platform/clock.ts';
import { conflict, fieldError } from '../platform/errors.ts';
import { recordEvent, recordLinesChanged } from '../platform/events.ts';
import { transition } from '../platform/machine.ts';
import { formatQty, parseQty, sumAmounts } from '../platform/money.ts';
import { nextNumber } from '../platform/numbering.ts';
import { SYSTEM, assertCan } from '../platform/permissions.ts';
import { lockKey, lockRows } from '../platform/locks.ts';
import { listVisible, loadVisible, requireRef, updateRecord, type ListQuery } from '../platform/records.ts';
import { accountDef } from '../sales/defs.ts';
import { legalEntityFor, roundingModeOf } from '../billing/legal-entities.ts';
import { taxCodesOf, taxRoundingOf } from '../pricing/tax-codes.ts';
import { priceDocument, resolveTaxCode } from '../pricing/document-pricing.ts';
import { billedByOrderLine, invoiceTotalsByOrder, NOTHING_BILLED } from '../billing/invoice.repo.ts';
import { deliveredByOrderLine, deliveryCountByOrder } from '../fulfilment/delivery.repo.ts';
import { paidByOrder } from '../payments/payment.repo.ts';
import { quoteForOrder } from '../quotes/for-order.ts';
import { contractForOrder } from '../contracts/for-order.ts';
import { OrderCancel, OrderCreate, OrderRelease, OrderUpdate, type OrderDto, type OrderLineInput, type OrderSummaryDto } from './order.schema.ts';
import { creditHoldReason } from '../receivables/credit-hold.ts';
import { orderMachine, orderUserActions, type OrderState } from './order.machine.ts';
import { groupBy, liveOrderFrom, orderLinesOf } from './order.repo.ts';
import { orderProgress } from './progress.ts';
import { orderDef } from './defs.ts';
import { createRevenueObligations, syncOrderRevenue } from '../revenue/obligations.ts';
import { scheduleFromContractOnConfirm } from '../billing/schedules.ts';

type LineValues = Omit<OrderLineTable, 'id' | 'orderId'>;

/** The line as the event log keeps it: enough to see what was ordered, at which price. */
const lineForEvent = (l: LineValues) => ({
  lineNo: l.lineNo,
  productId: l.productId,
  quoteLineId: l.quoteLineId,
  description: l.description,
  quantity: formatQty(l.qtyMilli),
  unitPriceMinor: l.unitPriceMinor,
  discountRate: l.discountRate,
  taxRate: l.taxRate,
  netMinor: l.netMinor,
  taxMinor: l.taxMinor,
});

/**
 * Prices manual lines with the legal entity's tax codes and rounding (priceDocument): each line's
 * tax code is the one named, else its bare taxRate's code (compatibility rule), else the product's
 * default. Products named must exist in the catalog.
 */
async function priceLines(ctx: Ctx, inputs: readonly OrderLineInput[], le: LegalEntityTable, currency: string): Promise<LineValues[]> {
  const productIds = [...new Set(inputs.map((l) => l.productId).filter((x): x is string => !!x))];
  const products = new Map(
    (productIds.length ? await ctx.db.selectFrom('products').select(['id', 'taxCode', 'taxRate']).where('id', 'in', productIds).execute() : []).map((p) => [p.id, p]),
  );
  const { codes } = await taxCodesOf(ctx, le.id);
  const prepared = inputs.map((l, i) => {
    if (l.productId && !products.has(l.productId))
      throw fieldError(`lines.${i}.productId`, `product ${l.productId} does not exist`, 'unknown_reference');
    const qtyMilli = parseQty(l.quantity, `lines.${i}.quantity`);
    if (qtyMilli <= 0) throw fieldError(`lines.${i}.quantity`, 'the quantity must be more than 0');
    const discountRate = l.discountRate ?? '0';
    const tax = resolveTaxCode(codes, l, l.productId ? products.get(l.productId) : undefined, `lines.${i}`);
    return { l, qtyMilli, discountRate, tax };
  });
  const doc = priceDocument(
    prepared.map((p) => ({
      scheme: { kind: 'per_unit' as const, unitPrice: BigInt(p.l.unitPriceMinor) },
      qtyMilli: p.qtyMilli,
      discount: { kind: 'percent' as const, rate: p.discountRate },
      tax: p.tax,
    })),
    { currency, pricesIncludeTax: false, rounding: taxRoundingOf(le), mode: roundingModeOf(le) },
  );
  return prepared.map((p, i) => ({
    lineNo: i + 1,
    productId: p.l.productId ?? null,
    quoteLineId: null,
    description: p.l.description,
    qtyMilli: p.qtyMilli,
    unitPriceMinor: p.l.unitPriceMinor,
    discountRate: p.discountRate,
    taxRate: p.tax.rate,
    taxCodeId: p.tax.id,
    taxCode: p.tax.code,
    ...doc.lines[i]!,
  }));
}

async function insertLines(ctx: Ctx, orderId: string, lines: readonly LineValues[]): Promise<void> {
  if (!lines.length) return;
  await ctx.db
    .insertInto('orderLines')
    .values(lines.map((l) => ({ ...l, id: newId('oln'), orderId })))
    .execute();
}

type OrderHeader = Omit<
  OrderTable,
  'id' | 'number' | 'status' | 'netMinor' | 'taxMinor' | 'totalMinor' | 'confirmedAt' | 'fulfilledAt' | 'cancelReason' | 'holdReason' | 'releaseReason' | 'createdAt' | 'updatedAt' | 'createdBy' | 'version'
>;

/** Numbers and writes a new draft order with its lines, and the `created` event carrying the lines. */
async function insertOrder(tx: Ctx, header: OrderHeader, lines: readonly LineValues[]): Promise<OrderTable> {
  const now = nowIso();
  const row: OrderTable = {
    ...header,
    id: newId('ord'),
    number: await nextNumber(tx, 'order', 'all', header.orderDate),
    status: orderMachine.initial,
    ...sumAmounts(lines),
    confirmedAt: null,
    fulfilledAt: null,
    cancelReason: null,
    holdReason: null,
    releaseReason: null,
    createdAt: now,
    updatedAt: now,
    createdBy: tx.user.id,
    version: 1,
  };
  await tx.db.insertInto('orders').values(row).execute();
  await insertLines(tx, row.id, lines);
  await recordEvent(tx, { entityType: 'order', entityId: row.id, action: 'created', after: { ...row, lines: lines.map(lineForEvent) } });
  return row;
}

/** DTOs for a page of orders: five grouped queries whatever the page size, never one per order. */
async function orderDtos(ctx: Ctx, rows: readonly OrderTable[], withLines: true): Promise<OrderDto[]>;
async function orderDtos(ctx: Ctx, rows: readonly OrderTable[], withLines: false): Promise<OrderSummaryDto[]>;
async function orderDtos(ctx: Ctx, rows: readonly OrderTable[], withLines: boolean): Promise<Array<OrderDto | OrderSummaryDto>> {
  const ids = rows.map((r) => r.id);
  const [lines, delivered, billed, invoiced, paid] = await Promise.all([
    orderLinesOf(ctx.db, ids),
    deliveredByOrderLine(ctx.db, ids),
    billedByOrderLine(ctx.db, ids),
    invoiceTotalsByOrder(ctx.db, ids),
    paidByOrder(ctx.db, ids),
  ]);
  const linesByOrder = groupBy(lines, (l) => l.orderId);
  return rows.map((o) => {
    const ls = linesByOrder.get(o.id) ?? [];
    const summary: OrderSummaryDto = {
      ...o,
      status: o.status as OrderState,
      ...orderProgress(o.totalMinor, ls, delivered, invoiced.get(o.id)?.billedMinor ?? 0, paid.get(o.id) ?? 0),
      allowedActions: orderUserActions(o.status as OrderState),
    };
    if (!withLines) return summary;
    return {
      ...summary,
      lines: ls.map((l) => ({
        id: l.id,
        lineNo: l.lineNo,
        productId: l.productId,
        quoteLineId: l.quoteLineId,
        description: l.description,
        unitPriceMinor: l.unitPriceMinor,
        discountRate: l.discountRate,
        taxRate: l.taxRate,
        taxCodeId: l.taxCodeId ?? null,
        taxCode: l.taxCode ?? null,
        netMinor: l.netMinor,
        taxMinor: l.taxMinor,
        totalMinor: l.totalMinor,
        orderedQty: formatQty(l.qtyMilli),
        deliveredQty: formatQty(delivered.get(l.id) ?? 0),
        billedQty: formatQty((billed.get(l.id) ?? NOTHING_BILLED).qtyMilli),
      })),
    };
  });
}

async function orderDto(ctx: Ctx, row: OrderTable): Promise<OrderDto> {
  return (await orderDtos(ctx, [row], true))[0]!;
}

/** A manual order: the caller types the lines; owner and team follow the account. */
export async function createOrder(ctx: Ctx, input: z.input<typeof OrderCreate>): Promise<OrderDto> {
  const data = validated(OrderCreate, input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'order', 'write');
    const account = await requireRef(tx, accountDef, data.accountId, 'accountId');
    const le = await legalEntityFor(tx.db, data.legalEntityId);
    const lines = await priceLines(tx, data.lines, le, data.currency ?? account.currency);
    const row = await insertOrder(
      tx,
      {
        quoteId: null,
        contractId: null,
        opportunityId: null,
        accountId: account.id,
        legalEntityId: le.id,
        currency: data.currency ?? account.currency,
        orderDate: data.orderDate ?? today(le.timezone),
        ownerId: account.ownerId,
        teamId: account.teamId,
      },
      lines,
    );
    return orderDto(tx, row);
  });
}

/** Copies quote lines exactly (amounts included), each keeping its quote line id. */
function copyQuoteLines(lines: ReadonlyArray<Omit<OrderLineTable, 'id' | 'orderId' | 'quoteLineId'> & { id: string }>): LineValues[] {
  return lines.map((l) => ({
    lineNo: l.lineNo,
    productId: l.productId,
    quoteLineId: l.id,
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
}

async function refuseSecondOrder(ctx: Ctx, by: 'quoteId' | 'contractId', id: string, what: string): Promise<void> {
  const existing = await liveOrderFrom(ctx.db, by, id);
  if (existing)
    throw conflict(`${by === 'quoteId' ? 'quote' : 'contract'}_already_ordered`, `${what} already became order ${existing.number}; cancel that order first to order again`, {
      orderId: existing.id,
    });
}

/** An order from an accepted quote: lines, account, opportunity, owner and team carried over. */
export async function createOrderFromQuote(ctx: Ctx, quoteId: string, input: unknown = {}): Promise<OrderDto> {
  noInput(input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'order', 'write');
    // Serialise orders from the same quote, so two clicks cannot make two orders.
    await lockKey(tx, `order-from:${quoteId}`);
    const { quote, lines } = await quoteForOrder(tx, quoteId);
    await refuseSecondOrder(tx, 'quoteId', quote.id, `quote ${quote.number}`);
    if (!lines.length) throw conflict('nothing_to_order', `quote ${quote.number} has no lines`);
    // The quote's seller: its lines carry that entity's tax codes.
    const le = await legalEntityFor(tx.db, quote.legalEntityId ?? null);
    const row = await insertOrder(
      tx,
      {
        quoteId: quote.id,
        contractId: null,
        opportunityId: quote.opportunityId,
        accountId: quote.accountId,
        legalEntityId: le.id,
        currency: quote.currency,
        orderDate: today(le.timezone),
        ownerId: quote.ownerId,
        teamId: quote.teamId,
      },
      copyQuoteLines(lines),
    );
    return orderDto(tx, row);
  });
}

/** An order from a signed or active contract: the lines of the contract's quote, carried over. */
export async function createOrderFromContract(ctx: Ctx, contractId: string, input: unknown = {}): Promise<OrderDto> {
  noInput(input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'order', 'write');
    await lockKey(tx, `order-from:${contractId}`);
    const { contract, quote, lines } = await contractForOrder(tx, contractId);
    await refuseSecondOrder(tx, 'contractId', contract.id, `contract ${contract.number}`);
    if (quote) {
      await lockKey(tx, `order-from:${quote.id}`);
      await refuseSecondOrder(tx, 'quoteId', quote.id, `quote ${quote.number} of contract ${contract.number}`);
    }
    if (!lines.length)
      throw conflict('nothing_to_order', `contract ${contract.number} has no quote lines to order; create a manual order instead`);
    const le = await legalEntityFor(tx.db, quote?.legalEntityId ?? null);
    const row = await insertOrder(
      tx,
      {
        quoteId: quote?.id ?? null,
        contractId: contract.id,
        opportunityId: contract.opportunityId ?? quote?.opportunityId ?? null,
        accountId: contract.accountId,
        legalEntityId: le.id,
        currency: quote?.currency ?? contract.currency,
        orderDate: today(le.timezone),
        ownerId: contract.ownerId,
        teamId: contract.teamId,
      },
      copyQuoteLines(lines),
    );
    return orderDto(tx, row);
  });
}

export async function getOrder(ctx: Ctx, id: string): Promise<OrderDto> {
  return orderDto(ctx, await loadVisible(ctx, orderDef, id));
}

export async function listOrders(ctx: Ctx, q: ListQuery) {
  const page = await listVisible(ctx, orderDef, q);
  return { ...page, items: await orderDtos(ctx, page.items, false) };
}

/** Edits a draft: its date, and for manual orders its lines (replaced as a whole, totals recomputed). */
export async function updateOrder(ctx: Ctx, id: string, input: unknown, expectedVersion?: number): Promise<OrderDto> {
  const data = OrderUpdate.parse(input);
  return inTx(ctx, async (tx) => {
    const before = await loadVisible(tx, orderDef, id, 'write');
    if (before.status !== 'draft')
      throw conflict('order_not_editable', `order ${before.number} is ${before.status}; only a draft order can be edited`, {
        currentState: before.status,
        allowedActions: orderUserActions(before.status as OrderState),
      });
    const patch: Partial<OrderTable> = {};
    if (data.orderDate !== undefined) patch.orderDate = data.orderDate;
    let oldLines: OrderLineTable[] = [];
    let newLines: LineValues[] | null = null;
    if (data.lines) {
      if (before.quoteId)
        throw fieldError('lines', 'the lines of an order made from a quote are the quote\'s; revise the quote instead', 'copied_from_quote');
      const le = await legalEntityFor(tx.db, before.legalEntityId);
      newLines = await priceLines(tx, data.lines, le, before.currency);
      oldLines = await orderLinesOf(tx.db, [before.id]);
      Object.assign(patch, sumAmounts(newLines));
    }
    const after = await updateRecord(tx, orderDef, before, patch, { expectedVersion });
    if (newLines) {
      await tx.db.deleteFrom('orderLines').where('orderId', '=', before.id).execute();
      await insertLines(tx, before.id, newLines);
      await recordLinesChanged(tx, 'order', before.id, oldLines, newLines, lineForEvent);
    }
    return orderDto(tx, after);
  });
}

/**
 * confirm (or credit hold) / release (reason; 'approve' on orders) / cancel (reason; only without
 * deliveries or invoices) / close (only when fully billed).
 */
export async function transitionOrder(ctx: Ctx, id: string, action: 'confirm' | 'release' | 'cancel' | 'close', input: unknown = {}): Promise<OrderDto> {
  return inTx(ctx, async (tx) => {
    // Locked first: a delivery or invoice being created for this order waits, so the checks below hold at commit.
    await lockRows(tx, 'orders', [id]);
    const before = await loadVisible(tx, orderDef, id, action === 'release' ? 'approve' : 'write');
    const to = transition(orderMachine, before.status as OrderState, action);
    const patch: Partial<OrderTable> = { status: to };
    if (action === 'confirm') {
      const holdReason = await creditHoldReason(tx, before);
      if (holdReason) {
        const held = transition(orderMachine, before.status as OrderState, 'hold');
        return orderDto(tx, await updateRecord(tx, orderDef, before, { status: held, holdReason }, { action: 'hold' }));
      }
    }
    if (action === 'release') {
      patch.releaseReason = OrderRelease.parse(input).reason;
      patch.confirmedAt = nowIso();
    } else if (action === 'cancel') {
      const { reason } = OrderCancel.parse(input);
      const deliveries = await deliveryCountByOrder(tx.db, before.id);
      const invoices = (await invoiceTotalsByOrder(tx.db, [before.id])).get(before.id)?.count ?? 0;
      if (deliveries || invoices)
        throw conflict(
          'order_has_downstream',
          `order ${before.number} has ${deliveries} deliveries and ${invoices} invoices; it cannot be cancelled (cancel draft invoices first; goods already shipped need a return)`,
          { deliveries, invoices },
        );
      patch.cancelReason = reason;
    } else {
      noInput(input);
      if (action === 'confirm') patch.confirmedAt = nowIso();
      if (action === 'close') {
        const lines = await orderLinesOf(tx.db, [before.id]);
        const billed = await billedByOrderLine(tx.db, [before.id]);
        const open = lines.filter((l) => (billed.get(l.id)?.qtyMilli ?? 0) < l.qtyMilli);
        if (open.length)
          throw conflict(
            'order_not_fully_billed',
            `order ${before.number} cannot be closed before it is fully billed; still to bill: ${open
              .map((l) => `line ${l.lineNo} ${formatQty(l.qtyMilli - (billed.get(l.id)?.qtyMilli ?? 0))}`)
              .join(', ')}`,
            { lines: open.map((l) => l.id) },
          );
      }
    }
    const after = await updateRecord(tx, orderDef, before, patch, { action });
    // Confirmed (directly or released from hold): each line becomes a performance obligation; a
    // cancelled order recognises nothing more (its schedules follow).
    if (after.status === 'confirmed') await createRevenueObligations(tx, after);
    // An order made from a contract with a payment plan (回款计划) gets it as its billing schedule.
    if (after.status === 'confirmed') await scheduleFromContractOnConfirm(tx, after);
    else if (after.status === 'cancelled') await syncOrderRevenue(tx, after.id);
    return orderDto(tx, after);
  });
}

/**
 * For deliveries and invoices: the order, locked for the rest of the transaction (so remaining
 * quantities cannot change under the caller), if the caller may see it; and its lines.
 */
export async function orderForDownstream(tx: Ctx, orderId: string): Promise<{ order: OrderTable; lines: OrderLineTable[] }> {
  await lockRows(tx, 'orders', [orderId]);
  const order = await loadVisible(tx, orderDef, orderId);
  return { order, lines: await orderLinesOf(tx.db, [order.id]) };
}

/** The order's lines, for documents that show them next to their own. */
export async function orderLinesById(ctx: Ctx, orderIds: readonly string[]): Promise<Map<string, OrderLineTable>> {
  return new Map((await orderLinesOf(ctx.db, orderIds)).map((l) => [l.id, l]));
}

/**
 * After a delivery: when every line is delivered in full, the order becomes `fulfilled`. The system
 * takes this step (event `fulfil` by the system actor) in the delivery's own transaction.
 */
export async function fulfilIfComplete(tx: Ctx, order: OrderTable, lines: readonly OrderLineTable[]): Promise<boolean> {
  if (order.status !== 'confirmed') return false;
  const delivered = await deliveredByOrderLine(tx.db, [order.id]);
  if (!lines.every((l) => (delivered.get(l.id) ?? 0) >= l.qtyMilli)) return false;
  const to = transition(orderMachine, 'confirmed', 'fulfil');
  await updateRecord({ ...tx, user: SYSTEM }, orderDef, order, { status: to, fulfilledAt: nowIso() }, { action: 'fulfil' });
  return true;
}
