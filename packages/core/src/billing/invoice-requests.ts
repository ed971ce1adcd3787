import type { InvoiceRequestTable } from '@openltc/db';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso } from '../platform/clock.ts';
import { conflict, fieldError, validationError, versionConflict, type FieldError } from '../platform/errors.ts';
import { transition } from '../platform/machine.ts';
import { formatQty, parseQty } from '../platform/money.ts';
import { assertCan } from '../platform/permissions.ts';
import { insertRecord, listVisible, loadVisible, updateRecord, type ListQuery } from '../platform/records.ts';
import { orderDef } from '../orders/defs.ts';
import { billedByOrderLine, NOTHING_BILLED } from './invoice.repo.ts';
import { billLineAmounts } from './invoice-amounts.ts';
import { legalEntityFor, roundingModeOf } from './legal-entities.ts';
import { createInvoiceFromOrder, issueInvoice } from './invoices.ts';
import { invoiceItemsInTx } from './schedule-invoicing.ts';
import { assertNotBilledBySchedule } from './schedule-guard.ts';
import { invoiceRequestActions, invoiceRequestMachine, type InvoiceRequestState } from './invoice-request.machine.ts';
import { InvoiceRequestCreate, InvoiceRequestReject, type InvoiceRequestDto } from './schedule.schema.ts';
import { invoiceRequestDef } from './invoice-request.defs.ts';

/**
 * Invoice requests (开票申请): a sales rep asks finance to invoice chosen order lines (quantities) or
 * one billing schedule item, with the buyer's title data as it must appear on the 发票 (抬头,
 * 纳税人识别号, address and phone, bank and account — the last two required for a 专票). Finance
 * approves — the invoice is created and issued in the same transaction and linked — or rejects with
 * a reason. A schedule item in a pending request is held: the billing run leaves it to the request.
 */
type StoredLine = { orderLineId: string; qtyMilli: number };

async function dtos(ctx: Ctx, rows: readonly InvoiceRequestTable[]): Promise<InvoiceRequestDto[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [orders, invoices, items] = await Promise.all([
    ctx.db.selectFrom('orders').select(['id', 'number']).where('id', 'in', [...new Set(rows.map((r) => r.orderId))]).execute(),
    ctx.db.selectFrom('invoices').select(['id', 'number']).where('id', 'in', rows.map((r) => r.invoiceId).filter((x): x is string => !!x).concat([''])).execute(),
    ctx.db.selectFrom('billingScheduleItems').select(['id', 'requestId', 'invoiceId']).where((eb) => eb.or([eb('requestId', 'in', ids), eb('invoiceId', 'in', rows.map((r) => r.invoiceId ?? '').concat(['']))])).execute(),
  ]);
  const orderNo = new Map(orders.map((o) => [o.id, o.number]));
  const invNo = new Map(invoices.map((i) => [i.id, i.number]));
  return rows.map((r) => ({
    id: r.id,
    orderId: r.orderId,
    orderNumber: orderNo.get(r.orderId) ?? null,
    accountId: r.accountId,
    legalEntityId: r.legalEntityId,
    status: r.status as InvoiceRequestState,
    invoiceType: r.invoiceType as InvoiceRequestDto['invoiceType'],
    buyerName: r.buyerName,
    buyerTaxId: r.buyerTaxId,
    buyerAddressPhone: r.buyerAddressPhone,
    buyerBankAccount: r.buyerBankAccount,
    remarks: r.remarks,
    lines: r.lines ? (JSON.parse(r.lines) as StoredLine[]).map((l) => ({ orderLineId: l.orderLineId, quantity: formatQty(l.qtyMilli) })) : null,
    scheduleItemIds: items.filter((i) => i.requestId === r.id || (r.invoiceId && i.invoiceId === r.invoiceId)).map((i) => i.id),
    currency: r.currency,
    amountMinor: Number(r.amountMinor),
    invoiceId: r.invoiceId,
    invoiceNumber: r.invoiceId ? (invNo.get(r.invoiceId) ?? null) : null,
    rejectReason: r.rejectReason,
    decidedBy: r.decidedBy,
    decidedAt: r.decidedAt,
    ownerId: r.ownerId,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    allowedActions: invoiceRequestActions(r.status as InvoiceRequestState),
    version: r.version,
  }));
}
const dto = async (ctx: Ctx, r: InvoiceRequestTable) => (await dtos(ctx, [r]))[0]!;

export async function createInvoiceRequest(ctx: Ctx, input: unknown): Promise<InvoiceRequestDto> {
  const data = InvoiceRequestCreate.parse(input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'invoice_request', 'write');
    const errors: FieldError[] = [];
    if (!data.lines === !data.scheduleItemIds)
      errors.push({ path: 'lines', message: 'ask for order lines or for one billing schedule item', code: 'lines_or_item' });
    if (data.scheduleItemIds && data.scheduleItemIds.length !== 1)
      errors.push({ path: 'scheduleItemIds', message: 'one request invoices one schedule item (each item has its own invoice)', code: 'one_item' });
    if (data.invoiceType === 'special') {
      if (!data.buyerAddressPhone) errors.push({ path: 'buyerAddressPhone', message: '专票 needs the buyer’s address and phone', code: 'required' });
      if (!data.buyerBankAccount) errors.push({ path: 'buyerBankAccount', message: '专票 needs the buyer’s bank and account number', code: 'required' });
    }
    if (errors.length) throw validationError(errors);
    const order = await loadVisible(tx, orderDef, data.orderId);
    if (order.status !== 'confirmed' && order.status !== 'fulfilled')
      throw conflict('order_not_billable', `order ${order.number} is ${order.status}; only a confirmed or fulfilled order can be invoiced`, { currentState: order.status });
    const id = newId('irq');
    let amount = 0;
    let stored: StoredLine[] | null = null;
    let itemId: string | null = null;
    if (data.lines) {
      await assertNotBilledBySchedule(tx, order);
      const lines = await tx.db.selectFrom('orderLines').selectAll().where('orderId', '=', order.id).execute();
      const byId = new Map(lines.map((l) => [l.id, l]));
      const billed = await billedByOrderLine(tx.db, [order.id]);
      const mode = roundingModeOf(await legalEntityFor(tx.db, order.legalEntityId));
      stored = [];
      data.lines.forEach((l, i) => {
        const ol = byId.get(l.orderLineId);
        const q = parseQty(l.quantity, `lines.${i}.quantity`);
        if (!ol) return void errors.push({ path: `lines.${i}.orderLineId`, message: `order ${order.number} has no line ${l.orderLineId}`, code: 'unknown_reference' });
        const b = billed.get(ol.id) ?? NOTHING_BILLED;
        if (q <= 0) return void errors.push({ path: `lines.${i}.quantity`, message: 'the quantity must be more than 0', code: 'invalid' });
        if (q > ol.qtyMilli - b.qtyMilli)
          return void errors.push({ path: `lines.${i}.quantity`, message: `only ${formatQty(ol.qtyMilli - b.qtyMilli)} left to bill on line ${ol.lineNo}`, code: 'over_billing' });
        amount += billLineAmounts(ol, b, q, mode).totalMinor;
        stored!.push({ orderLineId: ol.id, qtyMilli: q });
      });
      if (errors.length) throw validationError(errors);
    } else {
      itemId = data.scheduleItemIds![0]!;
      const item = await tx.db.selectFrom('billingScheduleItems').selectAll().where('id', '=', itemId).where('orderId', '=', order.id).executeTakeFirst();
      if (!item) throw fieldError('scheduleItemIds.0', `order ${order.number} has no schedule item ${itemId}`, 'unknown_reference');
      if ((item.status !== 'planned' && item.status !== 'due') || item.requestId)
        throw conflict('item_not_open', `schedule item ${item.seq} is ${item.requestId ? 'already in a request' : item.status}`, { currentState: item.status });
      amount = Number(item.amountMinor);
    }
    const now = nowIso();
    const row: InvoiceRequestTable = {
      id,
      orderId: order.id,
      accountId: order.accountId,
      legalEntityId: order.legalEntityId,
      status: invoiceRequestMachine.initial,
      invoiceType: data.invoiceType,
      buyerName: data.buyerName,
      buyerTaxId: data.buyerTaxId,
      buyerAddressPhone: data.buyerAddressPhone ?? '',
      buyerBankAccount: data.buyerBankAccount ?? '',
      remarks: data.remarks ?? '',
      lines: stored ? JSON.stringify(stored) : null,
      currency: order.currency,
      amountMinor: amount,
      invoiceId: null,
      rejectReason: null,
      decidedBy: null,
      decidedAt: null,
      ownerId: order.ownerId,
      teamId: order.teamId,
      createdAt: now,
      updatedAt: now,
      createdBy: tx.user.id,
      version: 1,
    };
    await insertRecord(tx, invoiceRequestDef, row);
    if (itemId) {
      const held = await tx.db.updateTable('billingScheduleItems').set({ requestId: id }).where('id', '=', itemId).where('requestId', 'is', null).where('status', 'in', ['planned', 'due']).executeTakeFirst();
      if (Number(held.numUpdatedRows) !== 1) throw conflict('item_not_open', `schedule item ${itemId} was billed or requested meanwhile`);
    }
    return dto(tx, row);
  });
}

export async function getInvoiceRequest(ctx: Ctx, id: string): Promise<InvoiceRequestDto> {
  return dto(ctx, await loadVisible(ctx, invoiceRequestDef, id));
}

export async function listInvoiceRequests(ctx: Ctx, q: ListQuery) {
  const page = await listVisible(ctx, invoiceRequestDef, q);
  return { ...page, items: await dtos(ctx, page.items) };
}

/** Finance approves: the invoice is created from the request and issued (numbered, journalled), then linked. */
export async function approveInvoiceRequest(ctx: Ctx, id: string, expectedVersion?: number): Promise<InvoiceRequestDto> {
  return inTx(ctx, async (tx) => {
    const before = await loadVisible(tx, invoiceRequestDef, id, 'approve');
    const to = transition(invoiceRequestMachine, before.status as InvoiceRequestState, 'approve');
    if (expectedVersion !== undefined && expectedVersion !== before.version) throw versionConflict('invoice_request', before.id, before.version);
    let invoiceId: string;
    if (before.lines) {
      const lines = (JSON.parse(before.lines) as StoredLine[]).map((l) => ({ orderLineId: l.orderLineId, quantity: formatQty(l.qtyMilli) }));
      const draft = await createInvoiceFromOrder(tx, before.orderId, { lines });
      invoiceId = (await issueInvoice(tx, draft.id)).id;
    } else {
      const item = await tx.db.selectFrom('billingScheduleItems').selectAll().where('requestId', '=', before.id).executeTakeFirst();
      if (!item) throw conflict('item_not_open', 'the schedule item of this request is no longer open');
      assertCan(tx.user, 'invoice', 'approve');
      const [done] = await invoiceItemsInTx(tx, [item], { requestId: before.id });
      if (!done) throw conflict('item_not_open', `schedule item ${item.seq} was billed meanwhile`);
      invoiceId = done.invoiceId;
    }
    const after = await updateRecord(tx, invoiceRequestDef, before, { status: to, invoiceId, decidedBy: tx.user.id, decidedAt: nowIso() }, { action: 'approve' });
    return dto(tx, after);
  });
}

async function release(tx: Ctx, requestId: string): Promise<void> {
  await tx.db.updateTable('billingScheduleItems').set({ requestId: null }).where('requestId', '=', requestId).where('invoiceId', 'is', null).execute();
}

/** Finance rejects with a reason; a held schedule item is released to the billing run. */
export async function rejectInvoiceRequest(ctx: Ctx, id: string, input: unknown, expectedVersion?: number): Promise<InvoiceRequestDto> {
  const { reason } = InvoiceRequestReject.parse(input);
  return inTx(ctx, async (tx) => {
    const before = await loadVisible(tx, invoiceRequestDef, id, 'approve');
    const to = transition(invoiceRequestMachine, before.status as InvoiceRequestState, 'reject');
    const after = await updateRecord(tx, invoiceRequestDef, before, { status: to, rejectReason: reason, decidedBy: tx.user.id, decidedAt: nowIso() }, { action: 'reject', expectedVersion });
    await release(tx, before.id);
    return dto(tx, after);
  });
}

/** The requester (or anyone who may write requests in scope) withdraws a pending request. */
export async function withdrawInvoiceRequest(ctx: Ctx, id: string, expectedVersion?: number): Promise<InvoiceRequestDto> {
  return inTx(ctx, async (tx) => {
    const before = await loadVisible(tx, invoiceRequestDef, id, 'write');
    const to = transition(invoiceRequestMachine, before.status as InvoiceRequestState, 'withdraw');
    const after = await updateRecord(tx, invoiceRequestDef, before, { status: to }, { action: 'withdraw', expectedVersion });
    await release(tx, before.id);
    return dto(tx, after);
  });
}
