import type { DeliveryLineTable, DeliveryTable, OrderLineTable } from '@openltc/db';
import { noInput, validated } from '../platform/validation.ts';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso, today } from '../platform/clock.ts';
import { AppError, conflict, validationError, type FieldError } from '../platform/errors.ts';
import { recordEvent } from '../platform/events.ts';
import { allowedActions, transition } from '../platform/machine.ts';
import { formatQty, parseQty } from '../platform/money.ts';
import { nextNumber } from '../platform/numbering.ts';
import { assertCan } from '../platform/permissions.ts';
import { listVisible, loadVisible, updateRecord, type ListQuery } from '../platform/records.ts';
import { billedByDeliveryLine } from '../billing/invoice.repo.ts';
import { legalEntityFor } from '../billing/legal-entities.ts';
import { fulfilIfComplete, orderForDownstream, orderLinesById } from '../orders/orders.ts';
import { groupBy } from '../orders/order.repo.ts';
import { DeliveryAccept, DeliveryCreate, type DeliveryDto } from './delivery.schema.ts';
import { deliveryMachine, type DeliveryAction, type DeliveryState } from './delivery.machine.ts';
import { deliveredByOrderLine, deliveryLinesOf } from './delivery.repo.ts';
import { deliveryDef } from './defs.ts';
import { syncOrderRevenue } from '../revenue/obligations.ts';
import { reachAcceptedMilestones } from '../billing/schedules.ts';

/** DTOs for a page of deliveries: lines, their order lines and what invoices bill, in three queries. */
async function deliveryDtos(ctx: Ctx, rows: readonly DeliveryTable[]): Promise<DeliveryDto[]> {
  const lines = await deliveryLinesOf(ctx.db, rows.map((r) => r.id));
  const [orderLines, billed] = await Promise.all([
    orderLinesById(ctx, [...new Set(rows.map((r) => r.orderId))]),
    billedByDeliveryLine(ctx.db, lines.map((l) => l.id)),
  ]);
  const byDelivery = groupBy(lines, (l) => l.deliveryId);
  return rows.map((d) => ({
    ...d,
    status: d.status as DeliveryState,
    lines: (byDelivery.get(d.id) ?? []).map((l) => {
      const ol = orderLines.get(l.orderLineId);
      return {
        id: l.id,
        orderLineId: l.orderLineId,
        lineNo: ol?.lineNo ?? 0,
        description: ol?.description ?? '',
        quantity: formatQty(l.qtyMilli),
        billedQty: formatQty(billed.get(l.id) ?? 0),
      };
    }),
    allowedActions: allowedActions(deliveryMachine, d.status as DeliveryState),
  }));
}

async function deliveryDto(ctx: Ctx, row: DeliveryTable): Promise<DeliveryDto> {
  return (await deliveryDtos(ctx, [row]))[0]!;
}

/**
 * Ships part or all of a confirmed order. Each line may deliver at most what is ordered minus what
 * earlier deliveries shipped; anything more is refused line by line (409 `over_delivery`) and
 * nothing is written. The delivery that completes the last line fulfils the order.
 */
export async function createDelivery(ctx: Ctx, orderId: string, input: unknown): Promise<DeliveryDto> {
  const data = validated(DeliveryCreate, input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'delivery', 'write');
    const { order, lines } = await orderForDownstream(tx, orderId);
    if (order.status !== 'confirmed')
      throw conflict('order_not_deliverable', `order ${order.number} is ${order.status}; only a confirmed order can be delivered`, {
        currentState: order.status,
      });
    const byId = new Map(lines.map((l) => [l.id, l]));
    const unknown: FieldError[] = [];
    const requested = data.lines.map((l, i) => {
      const ol = byId.get(l.orderLineId);
      if (!ol) unknown.push({ path: `lines.${i}.orderLineId`, message: `order ${order.number} has no line ${l.orderLineId}`, code: 'unknown_reference' });
      const qtyMilli = parseQty(l.quantity, `lines.${i}.quantity`);
      if (qtyMilli <= 0) unknown.push({ path: `lines.${i}.quantity`, message: 'the quantity must be more than 0', code: 'invalid' });
      return { ol: ol as OrderLineTable, qtyMilli };
    });
    if (unknown.length) throw validationError(unknown);

    const delivered = await deliveredByOrderLine(tx.db, [order.id]);
    const over: FieldError[] = [];
    const pending = new Map<string, number>();
    requested.forEach(({ ol, qtyMilli }, i) => {
      const before = (delivered.get(ol.id) ?? 0) + (pending.get(ol.id) ?? 0);
      const left = ol.qtyMilli - before;
      if (qtyMilli > left)
        over.push({
          path: `lines.${i}.quantity`,
          message: `only ${formatQty(Math.max(left, 0))} left to deliver on line ${ol.lineNo} (${ol.description}): ordered ${formatQty(ol.qtyMilli)}, delivered ${formatQty(delivered.get(ol.id) ?? 0)}`,
          code: 'over_delivery',
        });
      pending.set(ol.id, (pending.get(ol.id) ?? 0) + qtyMilli);
    });
    if (over.length)
      throw new AppError(409, 'over_delivery', 'Over-delivery', `the delivery ships more than is left to deliver on ${over.length} line(s)`, { fields: over });

    const now = nowIso();
    const row: DeliveryTable = {
      id: newId('dlv'),
      number: await nextNumber(tx, 'delivery', 'all', today((await legalEntityFor(tx.db, order.legalEntityId)).timezone)),
      orderId: order.id,
      accountId: order.accountId,
      status: deliveryMachine.initial,
      carrier: data.carrier ?? null,
      trackingNo: data.trackingNo ?? null,
      shippedAt: now,
      deliveredAt: null,
      acceptedAt: null,
      acceptedBy: null,
      ownerId: order.ownerId,
      teamId: order.teamId,
      createdAt: now,
      updatedAt: now,
      createdBy: tx.user.id,
      version: 1,
    };
    const lineRows: DeliveryLineTable[] = requested.map(({ ol, qtyMilli }) => ({ id: newId('dln'), deliveryId: row.id, orderLineId: ol.id, qtyMilli }));
    await tx.db.insertInto('deliveries').values(row).execute();
    await tx.db.insertInto('deliveryLines').values(lineRows).execute();
    await recordEvent(tx, {
      entityType: 'delivery',
      entityId: row.id,
      action: 'created',
      after: { ...row, lines: requested.map(({ ol, qtyMilli }) => ({ orderLineId: ol.id, lineNo: ol.lineNo, quantity: formatQty(qtyMilli) })) },
    });
    await fulfilIfComplete(tx, order, lines);
    return deliveryDto(tx, row);
  });
}

export async function getDelivery(ctx: Ctx, id: string): Promise<DeliveryDto> {
  return deliveryDto(ctx, await loadVisible(ctx, deliveryDef, id));
}

export async function listDeliveries(ctx: Ctx, q: ListQuery) {
  const page = await listVisible(ctx, deliveryDef, q);
  return { ...page, items: await deliveryDtos(ctx, page.items) };
}

/** deliver (arrived at the customer) / accept (customer acceptance 验收, with who signed). */
export async function transitionDelivery(ctx: Ctx, id: string, action: DeliveryAction, input: unknown = {}): Promise<DeliveryDto> {
  return inTx(ctx, async (tx) => {
    const before = await loadVisible(tx, deliveryDef, id, 'write');
    const to = transition(deliveryMachine, before.status as DeliveryState, action);
    const patch: Partial<DeliveryTable> = { status: to };
    if (action === 'accept') {
      patch.acceptedBy = DeliveryAccept.parse(input).acceptedBy;
      patch.acceptedAt = nowIso();
    } else {
      noInput(input);
      patch.deliveredAt = nowIso();
    }
    const after = await updateRecord(tx, deliveryDef, before, patch, { action });
    // Control passes on arrival or on acceptance: the order's revenue schedules follow.
    await syncOrderRevenue(tx, before.orderId);
    // Billing milestones waiting for this acceptance (or the whole order's) become due in this transaction.
    if (action === 'accept') await reachAcceptedMilestones(tx, before.orderId);
    return deliveryDto(tx, after);
  });
}

/** For billing: a delivery the caller may see, with its lines. */
export async function deliveryForInvoice(ctx: Ctx, id: string): Promise<{ delivery: DeliveryTable; lines: DeliveryLineTable[] }> {
  const delivery = await loadVisible(ctx, deliveryDef, id);
  return { delivery, lines: await deliveryLinesOf(ctx.db, [delivery.id]) };
}
