import type { OrderTable, RevenueObligationTable, RevenueScheduleLineTable } from '@openltc/db';
import { z } from 'zod';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { businessDate, nowIso, today } from '../platform/clock.ts';
import { conflict, fieldError, notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/events.ts';
import { assertCan } from '../platform/permissions.ts';
import { formatQty, roundDiv, type RoundingMode } from '../platform/money.ts';
import { loadVisible, updateRecord, type RecordDef } from '../platform/records.ts';
import { lockRows } from '../platform/locks.ts';
import { allocateTransactionPrice } from '../money/revenue.ts';
import { legalEntityFor, roundingModeOf } from '../billing/legal-entities.ts';
import { orderDef } from '../orders/defs.ts';
import {
  checkMilestones,
  currentPrice,
  defaultMethod,
  DEFAULT_SERVICE_MONTHS,
  desiredSchedule,
  scheduleAfterClose,
  serviceEndFor,
  type DesiredLine,
  type MilestoneSpec,
  type Modification,
  type ObligationFacts,
  type ProgressEntry,
  type RevenueMethod,
} from './rules.ts';
import { AllocationInput, ModificationInput, ObligationUpdate, ProgressInput, type ObligationDto, type OrderRevenueDto } from './revenue.schema.ts';
import { orderPositions } from './positions.ts';

/**
 * Performance obligations: each line of a confirmed order, with its standalone selling price and its
 * share of the order's transaction price (relative SSP, IFRS 15.73–86, through the money library),
 * its recognition method and the facts that date its revenue. The schedule of an obligation is
 * derived from those facts (rules.ts) and stored as lines: lines of closed periods are recognised and
 * never change; the others are rewritten whenever the facts change (a delivery arrives or is
 * accepted, a credit note is issued, operations enter progress or a milestone, a modification).
 */

export const obligationDef: RecordDef<'revenueObligations'> = {
  entity: 'revenue',
  table: 'revenueObligations',
  sortable: { createdAt: 'createdAt' },
  filters: {},
  search: [],
  scoped: false,
};

const parseJson = <T>(s: string): T => JSON.parse(s || '[]') as T;

/** The last closed period of a legal entity, or null. */
export async function closedThrough(ctx: Ctx, legalEntityId: string): Promise<string | null> {
  const r = await ctx.db.selectFrom('revenuePeriods').select('period').where('legalEntityId', '=', legalEntityId).orderBy('period', 'desc').limit(1).executeTakeFirst();
  return r?.period ?? null;
}

/** The standalone selling price of an order line: the product's SSP (or list price) × quantity in the order's currency, else the line's undiscounted price. */
function lineSsp(line: { qtyMilli: number; unitPriceMinor: number }, product: { sspMinor?: number | null; listPriceMinor: number; currency: string } | undefined, currency: string, mode: RoundingMode): number {
  const unit = product && product.currency === currency ? Number(product.sspMinor ?? product.listPriceMinor) : Number(line.unitPriceMinor);
  return Number(roundDiv(BigInt(unit) * BigInt(line.qtyMilli), 1000n, mode));
}

/**
 * At confirmation (or release from credit hold): one obligation per order line, the order's net
 * allocated by relative SSP with the discount spread over all of them (IFRS 15.81). Runs in the
 * confirming transaction; an order that already has obligations keeps them.
 */
export async function createRevenueObligations(tx: Ctx, order: OrderTable): Promise<number> {
  if (await tx.db.selectFrom('revenueObligations').select('id').where('orderId', '=', order.id).executeTakeFirst()) return 0;
  const lines = await tx.db.selectFrom('orderLines').selectAll().where('orderId', '=', order.id).orderBy('lineNo').execute();
  if (!lines.length) return 0;
  const le = await legalEntityFor(tx.db, order.legalEntityId);
  const mode = roundingModeOf(le);
  const productIds = [...new Set(lines.map((l) => l.productId).filter((x): x is string => !!x))];
  const products = new Map(
    (productIds.length ? await tx.db.selectFrom('products').selectAll().where('id', 'in', productIds).execute() : []).map((p) => [p.id, p]),
  );
  const ids = lines.map(() => newId('pob'));
  const ssp = lines.map((l) => lineSsp(l, l.productId ? products.get(l.productId) : undefined, order.currency, mode));
  const allocated = allocateTransactionPrice(
    { minor: BigInt(order.netMinor), currency: order.currency },
    ids.map((id, i) => ({ id, ssp: { minor: BigInt(ssp[i]!), currency: order.currency } })),
  );
  const start = today(le.timezone);
  const now = nowIso();
  const rows: RevenueObligationTable[] = lines.map((l, i) => {
    const p = l.productId ? products.get(l.productId) : undefined;
    const method = (p?.revenueMethod as RevenueMethod | null | undefined) ?? defaultMethod(p?.kind);
    const ratable = method === 'ratable';
    return {
      id: ids[i]!,
      orderId: order.id,
      orderLineId: l.id,
      legalEntityId: le.id,
      accountId: order.accountId,
      productId: l.productId,
      lineNo: l.lineNo,
      description: l.description,
      currency: order.currency,
      qtyMilli: l.qtyMilli,
      method,
      sspMinor: ssp[i]!,
      allocatedMinor: Number(allocated[i]!.allocated.minor),
      bearsDiscount: 1,
      serviceStart: ratable ? start : null,
      serviceEnd: ratable ? serviceEndFor(start, p?.serviceMonths ?? DEFAULT_SERVICE_MONTHS) : null,
      milestones: '[]',
      progress: '[]',
      modifications: '[]',
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
  });
  await tx.db.insertInto('revenueObligations').values(rows).execute();
  await recordEvent(tx, {
    entityType: 'order',
    entityId: order.id,
    action: 'revenue_allocated',
    after: { transactionPriceMinor: order.netMinor, obligations: rows.map((r) => ({ id: r.id, lineNo: r.lineNo, method: r.method, sspMinor: r.sspMinor, allocatedMinor: r.allocatedMinor })) },
  });
  await syncObligations(tx, rows);
  return rows.length;
}

interface SyncState {
  facts: ObligationFacts;
  recognised: number;
}

/** Loads the facts of obligations (any number, a few grouped queries). */
async function factsOf(tx: Ctx, obs: readonly RevenueObligationTable[]): Promise<Map<string, SyncState>> {
  const out = new Map<string, SyncState>();
  if (!obs.length) return out;
  const chunks: RevenueObligationTable[][] = [];
  for (let i = 0; i < obs.length; i += 400) chunks.push(obs.slice(i, i + 400));
  const les = new Map<string, { tz: string; mode: RoundingMode }>();
  for (const leId of new Set(obs.map((o) => o.legalEntityId))) {
    const le = await legalEntityFor(tx.db, leId);
    les.set(leId, { tz: le.timezone, mode: roundingModeOf(le) });
  }
  for (const chunk of chunks) {
    const lineIds = chunk.map((o) => o.orderLineId);
    const orderIds = [...new Set(chunk.map((o) => o.orderId))];
    const [transfers, credits, recognised, orders] = await Promise.all([
      tx.db
        .selectFrom('deliveryLines')
        .innerJoin('deliveries', 'deliveries.id', 'deliveryLines.deliveryId')
        .select(['deliveryLines.orderLineId', 'deliveryLines.qtyMilli', 'deliveries.id as deliveryId', 'deliveries.deliveredAt', 'deliveries.acceptedAt'])
        .where('deliveryLines.orderLineId', 'in', lineIds)
        .execute(),
      tx.db
        .selectFrom('creditNoteLines')
        .innerJoin('creditNotes', 'creditNotes.id', 'creditNoteLines.creditNoteId')
        .innerJoin('invoiceLines', 'invoiceLines.id', 'creditNoteLines.invoiceLineId')
        .select((eb) => ['invoiceLines.orderLineId', eb.fn.sum<number>('creditNoteLines.netMinor').as('net')])
        .where('creditNotes.status', '=', 'issued')
        .where('invoiceLines.orderLineId', 'in', lineIds)
        .groupBy('invoiceLines.orderLineId')
        .execute(),
      tx.db
        .selectFrom('revenueScheduleLines')
        .select((eb) => ['obligationId', eb.fn.sum<number>('amountMinor').as('amount')])
        .where('obligationId', 'in', chunk.map((o) => o.id))
        .where('status', '=', 'recognised')
        .groupBy('obligationId')
        .execute(),
      tx.db.selectFrom('orders').select(['id', 'status']).where('id', 'in', orderIds).execute(),
    ]);
    const credited = new Map(credits.map((c) => [c.orderLineId, Number(c.net ?? 0)]));
    const rec = new Map(recognised.map((r) => [r.obligationId, Number(r.amount ?? 0)]));
    const status = new Map(orders.map((o) => [o.id, o.status]));
    for (const o of chunk) {
      const le = les.get(o.legalEntityId)!;
      const method = o.method as RevenueMethod;
      const events = transfers
        .filter((t) => t.orderLineId === o.orderLineId)
        .flatMap((t) => {
          const at = method === 'acceptance' ? t.acceptedAt : t.deliveredAt;
          return at ? [{ date: businessDate(new Date(at), le.tz), qtyMilli: Number(t.qtyMilli), ref: t.deliveryId }] : [];
        });
      out.set(o.id, {
        recognised: rec.get(o.id) ?? 0,
        facts: {
          currency: o.currency,
          method,
          qtyMilli: Number(o.qtyMilli),
          allocatedMinor: Number(o.allocatedMinor),
          creditedMinor: credited.get(o.orderLineId) ?? 0,
          cancelled: status.get(o.orderId) === 'cancelled',
          serviceStart: o.serviceStart,
          serviceEnd: o.serviceEnd,
          transfers: events,
          milestones: parseJson<MilestoneSpec[]>(o.milestones),
          progress: parseJson<ProgressEntry[]>(o.progress),
          modifications: parseJson<Modification[]>(o.modifications),
          roundingMode: le.mode,
        },
      });
    }
  }
  return out;
}

const sameLines = (a: readonly DesiredLine[], b: readonly RevenueScheduleLineTable[]) =>
  a.length === b.length &&
  a.every((l, i) => {
    const r = b[i]!;
    return r.period === l.period && r.recogniseOn === l.date && Number(r.amountMinor) === l.amountMinor && r.kind === l.kind && (r.ref ?? null) === l.ref;
  });

/**
 * Rewrites the scheduled (not yet recognised) lines of obligations from their facts. Returns how many
 * obligations changed. Idempotent: facts unchanged, nothing is written.
 */
export async function syncObligations(tx: Ctx, given: readonly RevenueObligationTable[]): Promise<number> {
  if (!given.length) return 0;
  // Two transactions rewriting the same schedule (a delivery and a credit note at once) take turns,
  // and the second reads the facts the first committed (PostgreSQL; SQLite has one writer).
  await lockRows(tx, 'revenueObligations', given.map((o) => o.id));
  const obs = await tx.db.selectFrom('revenueObligations').selectAll().where('id', 'in', given.map((o) => o.id)).orderBy('id').execute();
  const facts = await factsOf(tx, obs);
  const closed = new Map<string, string | null>();
  for (const leId of new Set(obs.map((o) => o.legalEntityId))) closed.set(leId, await closedThrough(tx, leId));
  const existing = await tx.db
    .selectFrom('revenueScheduleLines')
    .selectAll()
    .where('obligationId', 'in', obs.map((o) => o.id))
    .where('status', '=', 'scheduled')
    .orderBy('obligationId')
    .orderBy('recogniseOn')
    .orderBy('id')
    .execute();
  const byOb = new Map<string, RevenueScheduleLineTable[]>();
  for (const l of existing) byOb.set(l.obligationId, [...(byOb.get(l.obligationId) ?? []), l]);
  let changed = 0;
  const now = nowIso();
  for (const o of obs) {
    const s = facts.get(o.id)!;
    const wanted = scheduleAfterClose(desiredSchedule(s.facts), s.recognised, closed.get(o.legalEntityId) ?? null);
    const have = byOb.get(o.id) ?? [];
    if (sameLines(wanted, have)) continue;
    changed++;
    if (have.length) await tx.db.deleteFrom('revenueScheduleLines').where('obligationId', '=', o.id).where('status', '=', 'scheduled').execute();
    if (wanted.length)
      await tx.db
        .insertInto('revenueScheduleLines')
        .values(
          wanted.map((l) => ({
            id: newId('rsl'),
            obligationId: o.id,
            orderId: o.orderId,
            legalEntityId: o.legalEntityId,
            currency: o.currency,
            period: l.period,
            recogniseOn: l.date,
            amountMinor: l.amountMinor,
            kind: l.kind,
            ref: l.ref,
            status: 'scheduled',
            periodId: null,
            createdAt: now,
          })),
        )
        .execute();
  }
  return changed;
}

/** After a delivery arrives or is accepted, or a credit note is issued: the order's schedules follow. */
export async function syncOrderRevenue(tx: Ctx, orderId: string): Promise<number> {
  const obs = await tx.db.selectFrom('revenueObligations').selectAll().where('orderId', '=', orderId).orderBy('lineNo').execute();
  return syncObligations(tx, obs);
}

/** Every obligation of a legal entity, in batches (the revenue close). */
export async function syncLegalEntityRevenue(tx: Ctx, legalEntityId: string): Promise<number> {
  const obs = await tx.db.selectFrom('revenueObligations').selectAll().where('legalEntityId', '=', legalEntityId).orderBy('id').execute();
  let changed = 0;
  for (let i = 0; i < obs.length; i += 400) changed += await syncObligations(tx, obs.slice(i, i + 400));
  return changed;
}

function obligationDtos(obs: readonly RevenueObligationTable[], lines: readonly RevenueScheduleLineTable[], facts: Map<string, SyncState>): ObligationDto[] {
  return obs.map((o) => {
    const ls = lines.filter((l) => l.obligationId === o.id);
    const f = facts.get(o.id)!.facts;
    const price = currentPrice(f);
    const recognisedMinor = ls.filter((l) => l.status === 'recognised').reduce((s, l) => s + Number(l.amountMinor), 0);
    const scheduledMinor = ls.filter((l) => l.status === 'scheduled').reduce((s, l) => s + Number(l.amountMinor), 0);
    return {
      id: o.id,
      orderId: o.orderId,
      orderLineId: o.orderLineId,
      lineNo: o.lineNo,
      description: o.description,
      productId: o.productId,
      currency: o.currency,
      quantity: formatQty(Number(o.qtyMilli)),
      method: o.method as RevenueMethod,
      sspMinor: Number(o.sspMinor),
      allocatedMinor: Number(o.allocatedMinor),
      discountMinor: Number(o.sspMinor) - Number(o.allocatedMinor),
      bearsDiscount: !!o.bearsDiscount,
      creditedMinor: f.creditedMinor,
      priceMinor: price,
      serviceStart: o.serviceStart,
      serviceEnd: o.serviceEnd,
      milestones: f.milestones,
      progress: f.progress,
      modifications: f.modifications,
      recognisedMinor,
      scheduledMinor,
      unscheduledMinor: price - recognisedMinor - scheduledMinor,
      lines: ls.map((l) => ({ id: l.id, period: l.period, recogniseOn: l.recogniseOn, amountMinor: Number(l.amountMinor), kind: l.kind, ref: l.ref, status: l.status as 'scheduled' | 'recognised' })),
      version: o.version,
    };
  });
}

/** The revenue of an order: its obligations, their schedules, and its contract position today. */
export async function getOrderRevenue(ctx: Ctx, orderId: string): Promise<OrderRevenueDto> {
  assertCan(ctx.user, 'revenue', 'read');
  const order = await loadVisible(ctx, orderDef, orderId);
  const obs = await ctx.db.selectFrom('revenueObligations').selectAll().where('orderId', '=', order.id).orderBy('lineNo').execute();
  const lines = obs.length
    ? await ctx.db.selectFrom('revenueScheduleLines').selectAll().where('orderId', '=', order.id).orderBy('recogniseOn').orderBy('kind').orderBy('id').execute()
    : [];
  const facts = await factsOf(ctx, obs);
  const le = await legalEntityFor(ctx.db, order.legalEntityId);
  const [pos] = await orderPositions(ctx.db, le.id, today(le.timezone), [order.id]);
  const recognisedMinor = lines.filter((l) => l.status === 'recognised').reduce((s, l) => s + Number(l.amountMinor), 0);
  const billedMinor = pos?.billedMinor ?? 0;
  return {
    orderId: order.id,
    orderNumber: order.number,
    currency: order.currency,
    transactionPriceMinor: Number(order.netMinor),
    sspTotalMinor: obs.reduce((s, o) => s + Number(o.sspMinor), 0),
    billedMinor,
    recognisedMinor,
    deferredMinor: Math.max(billedMinor - recognisedMinor, 0),
    unbilledMinor: Math.max(recognisedMinor - billedMinor, 0),
    obligations: obligationDtos(obs, lines, facts),
  };
}

async function loadObligation(tx: Ctx, id: string, action: 'write' | 'approve'): Promise<RevenueObligationTable> {
  assertCan(tx.user, 'revenue', action);
  await lockRows(tx, 'revenueObligations', [id]);
  const ob = await tx.db.selectFrom('revenueObligations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!ob) throw notFound('revenue obligation', id);
  // The order decides visibility.
  await loadVisible(tx, orderDef, ob.orderId);
  return ob;
}

const hasRecognised = async (tx: Ctx, where: { obligationId?: string; orderId?: string }) => {
  let q = tx.db.selectFrom('revenueScheduleLines').select('id').where('status', '=', 'recognised');
  if (where.obligationId) q = q.where('obligationId', '=', where.obligationId);
  if (where.orderId) q = q.where('orderId', '=', where.orderId);
  return !!(await q.executeTakeFirst());
};

async function afterChange(tx: Ctx, ob: RevenueObligationTable): Promise<OrderRevenueDto> {
  await syncObligations(tx, [ob]);
  return getOrderRevenue(tx, ob.orderId);
}

/**
 * Operations and finance set how and when an obligation is satisfied: the method (only while nothing
 * is recognised), the service period, the milestones (with the day each is reached).
 */
export async function updateObligation(ctx: Ctx, id: string, input: unknown, expectedVersion?: number): Promise<OrderRevenueDto> {
  const data = ObligationUpdate.parse(input);
  return inTx(ctx, async (tx) => {
    const before = await loadObligation(tx, id, 'write');
    const patch: Partial<RevenueObligationTable> = {};
    if (data.method && data.method !== before.method) {
      if (await hasRecognised(tx, { obligationId: before.id }))
        throw conflict('revenue_already_recognised', `revenue of line ${before.lineNo} is already recognised; its method cannot change (enter a modification instead)`);
      patch.method = data.method;
    }
    const method = (patch.method ?? before.method) as RevenueMethod;
    if (data.serviceStart !== undefined) patch.serviceStart = data.serviceStart;
    if (data.serviceEnd !== undefined) patch.serviceEnd = data.serviceEnd;
    if (method === 'ratable') {
      const start = patch.serviceStart ?? before.serviceStart ?? today((await legalEntityFor(tx.db, before.legalEntityId)).timezone);
      patch.serviceStart = start;
      patch.serviceEnd = patch.serviceEnd ?? before.serviceEnd ?? serviceEndFor(start, DEFAULT_SERVICE_MONTHS);
      if (patch.serviceEnd < start) throw fieldError('serviceEnd', 'the service ends before it starts', 'invalid_period');
    }
    if (data.milestones) {
      checkMilestones(data.milestones);
      patch.milestones = JSON.stringify(data.milestones);
    }
    const after = await updateRecord(tx, obligationDef, before, patch, { expectedVersion });
    return afterChange(tx, after);
  });
}

/** Operations enter cumulative progress of a percent-complete obligation (one value per day; a later entry for a day replaces it). */
export async function recordProgress(ctx: Ctx, id: string, input: unknown): Promise<OrderRevenueDto> {
  const data = ProgressInput.parse(input);
  return inTx(ctx, async (tx) => {
    const before = await loadObligation(tx, id, 'write');
    if (before.method !== 'percent_complete')
      throw conflict('not_percent_complete', `line ${before.lineNo} is recognised ${before.method}, not by percent complete`, { method: before.method });
    const points = parseJson<ProgressEntry[]>(before.progress).filter((p) => p.date !== data.date);
    const earlier = points.filter((p) => p.date < data.date).at(-1);
    const later = points.find((p) => p.date > data.date);
    const v = Number(data.progress);
    if ((earlier && Number(earlier.progress) > v) || (later && Number(later.progress) < v))
      throw fieldError('progress', 'cumulative progress cannot go down over time', 'invalid_progress');
    points.push({ date: data.date, progress: data.progress });
    points.sort((a, b) => (a.date < b.date ? -1 : 1));
    const after = await updateRecord(tx, obligationDef, before, { progress: JSON.stringify(points) }, { action: 'progress' });
    return afterChange(tx, after);
  });
}

/**
 * A contract modification of one obligation (IFRS 15.18–21): a new price (and for ratable services a
 * new end) from a date, treated prospectively (15.21(a)) or as a cumulative catch-up (15.21(b)).
 * One modification per obligation is kept; what closed periods recognised is never restated.
 */
export async function modifyObligation(ctx: Ctx, id: string, input: unknown): Promise<OrderRevenueDto> {
  const data = ModificationInput.parse(input);
  return inTx(ctx, async (tx) => {
    const before = await loadObligation(tx, id, 'approve');
    const mods = parseJson<Modification[]>(before.modifications);
    if (mods.length) throw conflict('already_modified', `line ${before.lineNo} already has a modification from ${mods[0]!.date}`);
    if (before.method === 'milestone') throw conflict('modification_not_supported', 'a milestone obligation is modified by changing its milestones and price through a credit note or a new order');
    const mod: Modification = { date: data.date, newAllocatedMinor: data.newAllocatedMinor, newEnd: data.newEnd ?? null, method: data.method, reason: data.reason };
    if (data.newEnd && before.method !== 'ratable') throw fieldError('newEnd', 'only a ratable obligation has an end of service', 'invalid_modification');
    // Check it against the library before storing (dates inside the service, no negative remainder).
    const facts = (await factsOf(tx, [before])).get(before.id)!.facts;
    desiredSchedule({ ...facts, modifications: [mod] });
    const after = await updateRecord(tx, obligationDef, before, { modifications: JSON.stringify([mod]) }, { action: 'modify' });
    return afterChange(tx, after);
  });
}

/**
 * Re-allocates an order's transaction price with the whole discount on the obligations named, when the
 * conditions of IFRS 15.82 hold (finance decides; the reason is kept in the event). Only while nothing
 * of the order is recognised. An empty list spreads the discount over all obligations again.
 */
export async function setRevenueAllocation(ctx: Ctx, orderId: string, input: unknown): Promise<OrderRevenueDto> {
  const data = AllocationInput.parse(input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'revenue', 'approve');
    await lockRows(tx, 'orders', [orderId]);
    const order = await loadVisible(tx, orderDef, orderId);
    const obs = await tx.db.selectFrom('revenueObligations').selectAll().where('orderId', '=', order.id).orderBy('lineNo').execute();
    if (!obs.length) throw conflict('no_obligations', `order ${order.number} has no performance obligations (it is not confirmed)`);
    if (await hasRecognised(tx, { orderId: order.id })) throw conflict('revenue_already_recognised', `revenue of order ${order.number} is already recognised; its allocation is fixed`);
    const known = new Set(obs.map((o) => o.id));
    data.discountTo.forEach((x, i) => {
      if (!known.has(x)) throw fieldError(`discountTo.${i}`, `obligation ${x} is not of order ${order.number}`, 'unknown_reference');
    });
    const all = !data.discountTo.length || data.discountTo.length === obs.length;
    const res = allocateTransactionPrice(
      { minor: BigInt(order.netMinor), currency: order.currency },
      obs.map((o) => ({ id: o.id, ssp: { minor: BigInt(o.sspMinor), currency: o.currency } })),
      all ? undefined : data.discountTo,
    );
    const named = new Set(data.discountTo);
    for (const [i, o] of obs.entries()) {
      const allocatedMinor = Number(res[i]!.allocated.minor);
      const bearsDiscount = all || named.has(o.id) ? 1 : 0;
      if (allocatedMinor !== Number(o.allocatedMinor) || bearsDiscount !== o.bearsDiscount)
        await tx.db.updateTable('revenueObligations').set({ allocatedMinor, bearsDiscount, updatedAt: nowIso(), version: o.version + 1 }).where('id', '=', o.id).execute();
    }
    await recordEvent(tx, {
      entityType: 'order',
      entityId: order.id,
      action: 'revenue_reallocated',
      before: { obligations: obs.map((o) => ({ id: o.id, allocatedMinor: o.allocatedMinor })) },
      after: { reason: data.reason, discountTo: all ? 'all' : data.discountTo, obligations: res.map((r) => ({ id: r.id, allocatedMinor: Number(r.allocated.minor) })) },
    });
    await syncOrderRevenue(tx, order.id);
    return getOrderRevenue(tx, order.id);
  });
}

export const ObligationIdParam = z.object({ id: z.string().min(1).max(100) });
