import type { BillingScheduleItemTable, DeliveryTable, OrderLineTable, OrderTable } from '@openltc/db';
import { z } from 'zod';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { addDays, businessDate, nowIso, today } from '../platform/clock.ts';
import { conflict, fieldError, forbidden, notFound, validationError, versionConflict, type FieldError } from '../platform/errors.ts';
import { recordEvent } from '../platform/events.ts';
import { transition } from '../platform/machine.ts';
import { formatQty } from '../platform/money.ts';
import { can } from '../platform/permissions.ts';
import { isoDate } from '../platform/schema.ts';
import { loadVisible, updateRecord } from '../platform/records.ts';
import { orderDef } from '../orders/defs.ts';
import { orderForDownstream } from '../orders/orders.ts';
import { deliveredByOrderLine } from '../fulfilment/delivery.repo.ts';
import { paymentPlanForOrder } from '../contracts/payment-plan.ts';
import { legalEntityFor } from './legal-entities.ts';
import { assertAmountsAddUp, percentPlanAmounts, recurringAmounts, recurringPeriods, splitItems, type Frequency, type Timing } from './schedule-plan.ts';
import { isBillable, scheduleItemMachine, scheduleItemUserActions, type ScheduleItemKind, type ScheduleItemState, type ScheduleTrigger } from './schedule.machine.ts';
import { ScheduleItemCancel, ScheduleSet, type ScheduleDto, type ScheduleItemDto } from './schedule.schema.ts';
import { partsOf, type StoredPart } from './schedule-invoicing.ts';
export { assertNotBilledBySchedule } from './schedule-guard.ts';

/**
 * Billing schedules: what an order bills and when. Finance sets a schedule on a confirmed order (or
 * it is copied from the contract's payment plan when the order is confirmed); operations marks
 * milestones reached (or a delivery's acceptance does); the billing run and invoice requests bill the
 * items. While an order has open items, invoices by hand from the order or its deliveries are refused,
 * so nothing is billed twice by two routes.
 */

export async function scheduleItemsOf(ctx: Ctx, orderIds: readonly string[]): Promise<BillingScheduleItemTable[]> {
  if (!orderIds.length) return [];
  return ctx.db.selectFrom('billingScheduleItems').selectAll().where('orderId', 'in', orderIds).orderBy('orderId').orderBy('seq').execute();
}

async function itemDtos(ctx: Ctx, rows: readonly BillingScheduleItemTable[]): Promise<ScheduleItemDto[]> {
  const invoiceIds = rows.map((r) => r.invoiceId).filter((x): x is string => !!x);
  const numbers = invoiceIds.length
    ? new Map((await ctx.db.selectFrom('invoices').select(['id', 'number']).where('id', 'in', invoiceIds).execute()).map((r) => [r.id, r.number]))
    : new Map<string, string | null>();
  const les = new Map((await ctx.db.selectFrom('legalEntities').select(['id', 'timezone']).execute()).map((l) => [l.id, today(l.timezone)]));
  return rows.map((r) => ({
    id: r.id,
    orderId: r.orderId,
    contractId: r.contractId,
    seq: r.seq,
    kind: r.kind as ScheduleItemKind,
    description: r.description,
    orderLineId: r.orderLineId,
    percent: r.percent,
    currency: r.currency,
    amountMinor: Number(r.amountMinor),
    netMinor: Number(r.netMinor),
    taxMinor: Number(r.taxMinor),
    trigger: r.trigger as ScheduleTrigger,
    deliveryId: r.deliveryId,
    offsetDays: Number(r.offsetDays),
    billDate: r.billDate,
    reachedOn: r.reachedOn,
    frequency: r.frequency,
    timing: r.timing,
    periodStart: r.periodStart,
    periodEnd: r.periodEnd,
    status: r.status as ScheduleItemState,
    billableToday: isBillable(r, les.get(r.legalEntityId) ?? today()),
    invoiceId: r.invoiceId,
    invoiceNumber: r.invoiceId ? (numbers.get(r.invoiceId) ?? null) : null,
    requestId: r.requestId,
    cancelReason: r.cancelReason,
    lines: partsOf(r).map((p) => ({ orderLineId: p.l, quantity: formatQty(p.q), netMinor: p.n, taxMinor: p.t })),
    allowedActions: scheduleItemUserActions(r),
    version: r.version,
  }));
}

function scheduleDto(order: OrderTable, items: ScheduleItemDto[]): ScheduleDto {
  const live = items.filter((i) => i.status !== 'cancelled');
  return {
    orderId: order.id,
    currency: order.currency,
    orderTotalMinor: Number(order.totalMinor),
    scheduledMinor: live.reduce((s, i) => s + i.amountMinor, 0),
    invoicedMinor: items.filter((i) => i.status === 'invoiced').reduce((s, i) => s + i.amountMinor, 0),
    items,
    version: order.version,
  };
}

export async function getSchedule(ctx: Ctx, orderId: string): Promise<ScheduleDto> {
  const order = await loadVisible(ctx, orderDef, orderId);
  return scheduleDto(order, await itemDtos(ctx, await scheduleItemsOf(ctx, [order.id])));
}

// ---------------------------------------------------------------------------------------------
// Building a schedule
// ---------------------------------------------------------------------------------------------

type Draft = Omit<BillingScheduleItemTable, 'id' | 'orderId' | 'legalEntityId' | 'currency' | 'ownerId' | 'teamId' | 'createdAt' | 'updatedAt' | 'createdBy' | 'version' | 'seq' | 'lineSplit' | 'netMinor' | 'taxMinor' | 'status' | 'invoiceId' | 'requestId' | 'cancelReason' | 'reachedOn'> & {
  lineIds: string[];
  /** A payment-plan or milestone item: the existing item it stays (the request's `id`). */
  keepId?: string | undefined;
  /** A recurring period: its description was given with the request (else an existing period keeps its own). */
  describedNow?: boolean;
};

const lineTotal = (l: OrderLineTable) => BigInt(l.netMinor) + BigInt(l.taxMinor);

/**
 * Turns a schedule request into item rows: recurring items from their lines' service terms, and the
 * payment-plan / milestone items over the rest of the order, checked to add up to it exactly.
 */
function buildDrafts(order: OrderTable, lines: readonly OrderLineTable[], data: z.output<typeof ScheduleSet>, deliveries: ReadonlyMap<string, DeliveryTable>, contractId: string | null): Draft[] {
  const errors: FieldError[] = [];
  const byId = new Map(lines.map((l) => [l.id, l]));
  const recurringLines = new Set<string>();
  const drafts: Draft[] = [];
  const base = { contractId, percent: null, trigger: 'date' as string, deliveryId: null, offsetDays: 0, billDate: null as string | null, frequency: null, timing: null, periodStart: null, periodEnd: null, orderLineId: null as string | null };

  // Order-level items over the lines no recurring schedule bills.
  data.recurring.forEach((r, i) => {
    if (!byId.has(r.orderLineId)) errors.push({ path: `recurring.${i}.orderLineId`, message: `order ${order.number} has no line ${r.orderLineId}`, code: 'unknown_reference' });
    else if (recurringLines.has(r.orderLineId)) errors.push({ path: `recurring.${i}.orderLineId`, message: 'a line has one recurring schedule', code: 'duplicate' });
    recurringLines.add(r.orderLineId);
  });
  const basisLines = lines.filter((l) => !recurringLines.has(l.id));
  const basis = basisLines.reduce((s, l) => s + lineTotal(l), 0n);
  const items = data.items;
  if (!items.length && basisLines.length)
    errors.push({ path: 'items', message: `lines ${basisLines.map((l) => l.lineNo).join(', ')} are billed by no item: add payment-plan or milestone items, or a recurring schedule for them`, code: 'schedule_incomplete' });
  if (items.length && !basisLines.length) errors.push({ path: 'items', message: 'every line is billed by a recurring schedule; there is nothing left for these items', code: 'nothing_to_schedule' });
  const usesPercent = items.map((it) => it.percent !== undefined);
  items.forEach((it, i) => {
    const p = `items.${i}`;
    if ((it.percent === undefined) === (it.amountMinor === undefined)) errors.push({ path: p, message: 'give either a percent or an amount', code: 'percent_or_amount' });
    else if (usesPercent[i] !== usesPercent[0]) errors.push({ path: `${p}.percent`, message: 'a plan is in percentages or in amounts, not both', code: 'mixed_plan' });
    if (it.kind === 'payment_plan') {
      if (!it.billDate) errors.push({ path: `${p}.billDate`, message: 'a payment-plan item needs its bill date', code: 'required' });
      for (const f of ['trigger', 'deliveryId', 'offsetDays'] as const)
        if (it[f] !== undefined) errors.push({ path: `${p}.${f}`, message: 'only a milestone has this', code: 'invalid' });
    } else {
      if (it.billDate) errors.push({ path: `${p}.billDate`, message: 'a milestone is billed when it is reached (plus offsetDays), not on a date', code: 'invalid' });
      const trigger = it.trigger ?? 'manual';
      if (trigger === 'delivery_accepted' && !it.deliveryId) errors.push({ path: `${p}.deliveryId`, message: 'name the delivery whose acceptance makes it due', code: 'required' });
      if (trigger !== 'delivery_accepted' && it.deliveryId) errors.push({ path: `${p}.deliveryId`, message: 'a delivery is named only with trigger delivery_accepted', code: 'invalid' });
      if (it.deliveryId && !deliveries.has(it.deliveryId)) errors.push({ path: `${p}.deliveryId`, message: `order ${order.number} has no delivery ${it.deliveryId}`, code: 'unknown_reference' });
    }
  });
  if (errors.length) throw validationError(errors);

  let amounts: bigint[] = [];
  if (items.length) {
    if (usesPercent[0]) amounts = percentPlanAmounts(basis, items.map((it) => it.percent!), 'items');
    else {
      amounts = items.map((it) => BigInt(it.amountMinor!));
      assertAmountsAddUp(basis, amounts, 'items', recurringLines.size ? 'the lines not billed by recurring schedules' : 'the order');
    }
  }
  items.forEach((it, i) =>
    drafts.push({
      ...base,
      keepId: it.id,
      kind: it.kind,
      description: it.description,
      percent: it.percent ?? null,
      amountMinor: Number(amounts[i]!),
      trigger: it.kind === 'payment_plan' ? 'date' : (it.trigger ?? 'manual'),
      deliveryId: it.deliveryId ?? null,
      offsetDays: it.offsetDays ?? 0,
      billDate: it.billDate ?? null,
      lineIds: basisLines.map((l) => l.id),
    }),
  );
  data.recurring.forEach((r, i) => {
    const line = byId.get(r.orderLineId)!;
    let periods;
    try {
      periods = recurringPeriods(r.startDate, r.endDate, r.frequency as Frequency, r.timing as Timing);
    } catch (e) {
      const f = (e as { extra?: { fields?: FieldError[] } }).extra?.fields?.[0];
      throw f ? fieldError(`recurring.${i}.${f.path}`, f.message, f.code) : e;
    }
    const parts = recurringAmounts(lineTotal(line), periods);
    periods.forEach((per, k) =>
      drafts.push({
        ...base,
        kind: 'recurring',
        description: `${r.description ?? line.description} ${per.start} – ${per.end}`,
        describedNow: r.description !== undefined,
        amountMinor: Number(parts[k]!),
        billDate: per.billDate,
        frequency: r.frequency,
        timing: r.timing,
        periodStart: per.start,
        periodEnd: per.end,
        orderLineId: line.id,
        lineIds: [line.id],
      }),
    );
  });
  return drafts;
}

/** Writes the drafts as the order's schedule (replacing what is there), with one event on the order. */
async function writeSchedule(tx: Ctx, order: OrderTable, lines: readonly OrderLineTable[], drafts: readonly Draft[], action: string, bumpOrder = true): Promise<void> {
  // The schedule is part of the order: replacing it gives the order a new version (ETag), so two
  // people replacing it from the same version cannot both win. (At confirmation the confirm step
  // has just given the order its new version in this transaction.)
  if (bumpOrder) await updateRecord(tx, orderDef, order, {});
  const existing = await scheduleItemsOf(tx, [order.id]);
  const locked = existing.filter((i) => i.status === 'invoiced' || i.requestId);
  if (locked.length)
    throw conflict('schedule_locked', `order ${order.number} already billed ${locked.length} schedule item(s) or has them in an invoice request; cancel the open items one by one instead`, {
      items: locked.map((i) => i.id),
    });
  const billed = await tx.db
    .selectFrom('invoices')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('orderId', '=', order.id)
    .where('status', '<>', 'cancelled')
    .executeTakeFirst();
  if (Number(billed?.n ?? 0) > 0)
    throw conflict('order_already_billed', `order ${order.number} already has ${billed!.n} invoice(s); a billing schedule must cover the whole order`, { invoices: Number(billed!.n) });
  const split = splitItems(
    lines.map((l) => ({ id: l.id, qtyMilli: Number(l.qtyMilli), netMinor: Number(l.netMinor), taxMinor: Number(l.taxMinor) })),
    drafts.map((d) => ({ lineIds: d.lineIds, amountMinor: BigInt(d.amountMinor) })),
  );
  const now = nowIso();
  const previous = carriedOver(existing, drafts);
  const rows: BillingScheduleItemTable[] = drafts.map(({ lineIds: _l, keepId: _k, describedNow: _d, ...d }, i) => {
    const parts: StoredPart[] = split[i]!.map((p) => ({ l: p.orderLineId, q: p.qtyMilli, n: p.netMinor, t: p.taxMinor }));
    return {
      ...d,
      id: newId('bsi'),
      orderId: order.id,
      legalEntityId: order.legalEntityId,
      currency: order.currency,
      seq: i + 1,
      netMinor: parts.reduce((s, p) => s + p.n, 0),
      taxMinor: parts.reduce((s, p) => s + p.t, 0),
      lineSplit: JSON.stringify(parts),
      status: 'planned',
      reachedOn: null,
      invoiceId: null,
      requestId: null,
      cancelReason: null,
      ownerId: order.ownerId,
      teamId: order.teamId,
      createdAt: now,
      updatedAt: now,
      createdBy: tx.user.id,
      version: 1,
    };
  });
  rows.forEach((row, i) => {
    const prev = previous[i];
    if (prev) keepItem(row, prev, drafts[i]!);
  });
  await tx.db.deleteFrom('billingScheduleItems').where('orderId', '=', order.id).execute();
  for (let i = 0; i < rows.length; i += 200) await tx.db.insertInto('billingScheduleItems').values(rows.slice(i, i + 200)).execute();
  const summary = (rs: readonly BillingScheduleItemTable[]) =>
    rs.map((r) => ({ seq: r.seq, kind: r.kind, description: r.description, percent: r.percent, amountMinor: Number(r.amountMinor), trigger: r.trigger, billDate: r.billDate, status: r.status }));
  await recordEvent(tx, { entityType: 'order', entityId: order.id, action, before: existing.length ? { billingSchedule: summary(existing) } : null, after: { billingSchedule: summary(rows) } });
  // Milestones tied to a delivery already accepted are reached at once.
  const accepted = rows.filter((r) => r.trigger !== 'date' && r.trigger !== 'manual');
  if (accepted.length) await reachAcceptedMilestones(tx, order.id);
}

/**
 * The existing item each draft stays, when saving a schedule again: a payment-plan or milestone item
 * names it (`id`, an open item of this order's schedule, once); a recurring period is the one of the
 * same order line with the same start and end. What is not matched is replaced.
 */
function carriedOver(existing: readonly BillingScheduleItemTable[], drafts: readonly Draft[]): Array<BillingScheduleItemTable | undefined> {
  const byId = new Map(existing.filter((e) => e.kind !== 'recurring').map((e) => [e.id, e]));
  const byPeriod = new Map(existing.filter((e) => e.kind === 'recurring').map((e) => [`${e.orderLineId}|${e.periodStart}|${e.periodEnd}`, e]));
  const errors: FieldError[] = [];
  const used = new Set<string>();
  let n = -1;
  const out = drafts.map((d) => {
    if (d.kind === 'recurring') return byPeriod.get(`${d.orderLineId}|${d.periodStart}|${d.periodEnd}`);
    n++;
    if (!d.keepId) return undefined;
    const e = byId.get(d.keepId);
    if (!e) errors.push({ path: `items.${n}.id`, message: `${d.keepId} is not a payment-plan or milestone item of this order's schedule`, code: 'unknown_reference' });
    else if (used.has(d.keepId)) errors.push({ path: `items.${n}.id`, message: 'an item is named twice', code: 'duplicate' });
    used.add(d.keepId);
    return e;
  });
  if (errors.length) throw validationError(errors);
  return out;
}

/**
 * A row that stays an existing item keeps what was done to that item: its id and history; a
 * recurring period its description (unless the request gave one) and a cancellation with its reason;
 * a reached milestone with the same trigger and delivery stays reached, billed reachedOn + offsetDays.
 * (A cancelled payment-plan or milestone item is not in the editor's request, so it is not kept.)
 */
function keepItem(row: BillingScheduleItemTable, prev: BillingScheduleItemTable, draft: Draft): void {
  row.id = prev.id;
  row.createdAt = prev.createdAt;
  row.createdBy = prev.createdBy;
  row.version = Number(prev.version) + 1;
  if (row.kind === 'recurring') {
    if (!draft.describedNow) row.description = prev.description;
    if (prev.status === 'cancelled') {
      row.status = 'cancelled';
      row.cancelReason = prev.cancelReason;
    }
  } else if (prev.status === 'due' && prev.reachedOn && row.kind === 'milestone' && prev.kind === 'milestone' && prev.trigger === row.trigger && (prev.deliveryId ?? null) === (row.deliveryId ?? null)) {
    row.status = 'due';
    row.reachedOn = prev.reachedOn;
    row.billDate = addDays(prev.reachedOn, Number(row.offsetDays));
  }
}

function assertBillableOrder(order: OrderTable): void {
  if (order.status !== 'confirmed' && order.status !== 'fulfilled')
    throw conflict('order_not_billable', `order ${order.number} is ${order.status}; a billing schedule is set on a confirmed or fulfilled order`, { currentState: order.status });
}

function assertCanEdit(ctx: Ctx): void {
  if (!can(ctx.user, 'invoice', 'write')) throw forbidden('set billing schedules');
}

async function deliveriesOf(ctx: Ctx, orderId: string): Promise<Map<string, DeliveryTable>> {
  return new Map((await ctx.db.selectFrom('deliveries').selectAll().where('orderId', '=', orderId).execute()).map((d) => [d.id, d]));
}

/** Replaces an order's schedule (nothing of it billed yet, no invoice on the order). If-Match: the order's version. */
export async function setSchedule(ctx: Ctx, orderId: string, input: unknown, expectedVersion?: number): Promise<ScheduleDto> {
  const data = ScheduleSet.parse(input);
  return inTx(ctx, async (tx) => {
    const { order, lines } = await orderForDownstream(tx, orderId);
    assertCanEdit(tx);
    if (expectedVersion !== undefined && expectedVersion !== order.version) throw versionConflict('order', order.id, order.version);
    assertBillableOrder(order);
    const drafts = buildDrafts(order, lines, data, await deliveriesOf(tx, order.id), order.contractId);
    await writeSchedule(tx, order, lines, drafts, 'billing_schedule_set');
    return getSchedule(tx, order.id);
  });
}

/**
 * The contract's payment plan as schedule items: on signing → billed on the day the contract was
 * signed; on order → the order date; fixed date → that date; on acceptance → a milestone reached
 * when the whole order is delivered and accepted; after acceptance → the same milestone, billed
 * `days` later (a warranty retention, 质保金).
 */
function draftsFromPlan(order: OrderTable, lines: readonly OrderLineTable[], plan: Awaited<ReturnType<typeof paymentPlanForOrder>>, tz: string, contractId: string): Draft[] {
  const signedOn = plan.signedAt ? businessDate(new Date(plan.signedAt), tz) : order.orderDate;
  const items = plan.terms.map((t) => {
    const common = { description: t.description, percent: t.percent };
    switch (t.due) {
      case 'on_signing':
        return { ...common, kind: 'payment_plan' as const, billDate: signedOn };
      case 'on_order':
        return { ...common, kind: 'payment_plan' as const, billDate: order.orderDate };
      case 'fixed_date':
        return { ...common, kind: 'payment_plan' as const, billDate: t.dueDate! };
      case 'on_acceptance':
        return { ...common, kind: 'milestone' as const, trigger: 'order_accepted' as const };
      default:
        return { ...common, kind: 'milestone' as const, trigger: 'order_accepted' as const, offsetDays: Number(t.days) };
    }
  });
  return buildDrafts(order, lines, { items, recurring: [] }, new Map(), contractId);
}

/**
 * For the orders domain, when an order made from a contract is confirmed: copies the contract's
 * payment plan into the order's schedule, unless the order already has one or the contract has none.
 */
export async function scheduleFromContractOnConfirm(tx: Ctx, order: OrderTable): Promise<boolean> {
  if (!order.contractId) return false;
  const plan = await paymentPlanForOrder(tx, order.contractId);
  if (!plan.terms.length) return false;
  if ((await scheduleItemsOf(tx, [order.id])).length) return false;
  const lines = await tx.db.selectFrom('orderLines').selectAll().where('orderId', '=', order.id).orderBy('lineNo').execute();
  const le = await legalEntityFor(tx.db, order.legalEntityId);
  await writeSchedule(tx, order, lines, draftsFromPlan(order, lines, plan, le.timezone, order.contractId), 'billing_schedule_from_contract', false);
  return true;
}

/** Copies (again) the contract's payment plan into a confirmed order's schedule, by hand. */
export async function scheduleFromContract(ctx: Ctx, orderId: string, input: unknown = {}): Promise<ScheduleDto> {
  z.object({}).strict().parse(input ?? {});
  return inTx(ctx, async (tx) => {
    const { order, lines } = await orderForDownstream(tx, orderId);
    assertCanEdit(tx);
    assertBillableOrder(order);
    if (!order.contractId) throw conflict('no_contract', `order ${order.number} was not made from a contract`);
    const plan = await paymentPlanForOrder(tx, order.contractId);
    if (!plan.terms.length) throw conflict('no_payment_plan', `the contract of order ${order.number} has no payment plan`);
    const le = await legalEntityFor(tx.db, order.legalEntityId);
    await writeSchedule(tx, order, lines, draftsFromPlan(order, lines, plan, le.timezone, order.contractId), 'billing_schedule_from_contract');
    return getSchedule(tx, order.id);
  });
}

// ---------------------------------------------------------------------------------------------
// Item actions
// ---------------------------------------------------------------------------------------------

async function loadItem(tx: Ctx, orderId: string, itemId: string): Promise<{ order: OrderTable; item: BillingScheduleItemTable }> {
  const { order } = await orderForDownstream(tx, orderId);
  const item = await tx.db.selectFrom('billingScheduleItems').selectAll().where('id', '=', itemId).where('orderId', '=', order.id).executeTakeFirst();
  if (!item) throw notFound('billing_schedule_item', itemId);
  return { order, item };
}

async function updateItem(tx: Ctx, item: BillingScheduleItemTable, patch: Partial<BillingScheduleItemTable>, action: string, expectedVersion?: number): Promise<void> {
  if (expectedVersion !== undefined && expectedVersion !== item.version) throw versionConflict('billing_schedule_item', item.id, item.version);
  const r = await tx.db
    .updateTable('billingScheduleItems')
    .set({ ...patch, version: item.version + 1, updatedAt: nowIso() })
    .where('id', '=', item.id)
    .where('version', '=', item.version)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw versionConflict('billing_schedule_item', item.id, item.version + 1);
  const before: Record<string, unknown> = {};
  for (const k of Object.keys(patch)) before[k] = (item as unknown as Record<string, unknown>)[k] ?? null;
  await recordEvent(tx, { entityType: 'billing_schedule_item', entityId: item.id, action, before, after: patch as Record<string, unknown> });
}

export const MilestoneReach = z.object({ reachedOn: isoDate.optional().describe('default: today') }).strict();

/** Operations (or finance) marks a milestone reached: due, billed from reachedOn + offsetDays. */
export async function reachMilestone(ctx: Ctx, orderId: string, itemId: string, input: unknown = {}, expectedVersion?: number): Promise<ScheduleDto> {
  const data = MilestoneReach.parse(input ?? {});
  return inTx(ctx, async (tx) => {
    const { order, item } = await loadItem(tx, orderId, itemId);
    if (!can(tx.user, 'order', 'write') && !can(tx.user, 'invoice', 'write')) throw forbidden('mark milestones reached');
    if (item.trigger === 'date') throw conflict('not_a_milestone', `item ${item.seq} of order ${order.number} is billed on its date, not at a milestone`);
    if (item.requestId) throw conflict('item_requested', `item ${item.seq} is in an invoice request`);
    const to = transition(scheduleItemMachine, item.status as ScheduleItemState, 'reach');
    const le = await legalEntityFor(tx.db, order.legalEntityId);
    const reachedOn = data.reachedOn ?? today(le.timezone);
    await updateItem(tx, item, { status: to, reachedOn, billDate: addDays(reachedOn, Number(item.offsetDays)) }, 'reach', expectedVersion);
    return getSchedule(tx, order.id);
  });
}

/** Finance cancels an open item (not one in an invoice request); the rest of the order may then be billed by hand. */
export async function cancelScheduleItem(ctx: Ctx, orderId: string, itemId: string, input: unknown, expectedVersion?: number): Promise<ScheduleDto> {
  const { reason } = ScheduleItemCancel.parse(input);
  return inTx(ctx, async (tx) => {
    const { order, item } = await loadItem(tx, orderId, itemId);
    assertCanEdit(tx);
    if (item.requestId) throw conflict('item_requested', `item ${item.seq} is in an invoice request; decide the request first`);
    const to = transition(scheduleItemMachine, item.status as ScheduleItemState, 'cancel');
    await updateItem(tx, item, { status: to, cancelReason: reason }, 'cancel', expectedVersion);
    return getSchedule(tx, order.id);
  });
}

/**
 * After a delivery is accepted (called in the acceptance's transaction): milestones waiting for that
 * delivery are reached, and milestones waiting for the whole order are reached once every line is
 * delivered in full and every delivery accepted.
 */
export async function reachAcceptedMilestones(tx: Ctx, orderId: string): Promise<number> {
  const waiting = await tx.db
    .selectFrom('billingScheduleItems')
    .selectAll()
    .where('orderId', '=', orderId)
    .where('status', '=', 'planned')
    .where('trigger', 'in', ['delivery_accepted', 'order_accepted'])
    .where('requestId', 'is', null)
    .orderBy('seq')
    .execute();
  if (!waiting.length) return 0;
  const deliveries = await deliveriesOf(tx, orderId);
  const acceptedOn = (d: DeliveryTable | undefined, tz: string) => (d?.status === 'accepted' && d.acceptedAt ? businessDate(new Date(d.acceptedAt), tz) : null);
  const le = await legalEntityFor(tx.db, waiting[0]!.legalEntityId);
  let orderAcceptedOn: string | null = null;
  if (waiting.some((w) => w.trigger === 'order_accepted')) {
    const lines = await tx.db.selectFrom('orderLines').select(['id', 'qtyMilli']).where('orderId', '=', orderId).execute();
    const delivered = await deliveredByOrderLine(tx.db, [orderId]);
    const all = [...deliveries.values()];
    if (all.length && all.every((d) => d.status === 'accepted') && lines.every((l) => (delivered.get(l.id) ?? 0) >= Number(l.qtyMilli)))
      orderAcceptedOn = all.map((d) => acceptedOn(d, le.timezone)!).sort().at(-1)!;
  }
  let n = 0;
  for (const w of waiting) {
    const on = w.trigger === 'delivery_accepted' ? acceptedOn(deliveries.get(w.deliveryId ?? ''), le.timezone) : orderAcceptedOn;
    if (!on) continue;
    await updateItem(tx, w, { status: transition(scheduleItemMachine, 'planned', 'reach'), reachedOn: on, billDate: addDays(on, Number(w.offsetDays)) }, 'reach');
    n++;
  }
  return n;
}
