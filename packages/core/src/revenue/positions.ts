import type { Db } from '@openltc/db';
import { RECEIVABLE_STATES } from '../receivables/ar.repo.ts';
import { periodEnd, previousPeriod } from './rules.ts';

/**
 * Contract positions (IFRS 15.105–107) per order with performance obligations, from the documents:
 * billed = net invoiced − net credited, recognised = schedule lines recognised by a revenue close.
 * An order billed beyond what it recognised has a contract liability (deferred revenue); one that
 * recognised beyond what it billed has a contract asset (unbilled revenue). Positions are netted per
 * order (the contract), never across orders.
 */

const n = (v: unknown) => Number(v ?? 0);

/** The last month wholly on or before a date: recognition is posted on the last day of its period. */
export function lastFullPeriod(asOf: string): string {
  const p = asOf.slice(0, 7);
  return asOf >= periodEnd(p) ? p : previousPeriod(p);
}

export interface OrderPosition {
  orderId: string;
  accountId: string;
  currency: string;
  billedMinor: number;
  recognisedMinor: number;
}

/** Billed and recognised per order of a legal entity with obligations, as of a date. */
export async function orderPositions(db: Db, legalEntityId: string, asOf: string, orderIds?: readonly string[]): Promise<OrderPosition[]> {
  if (orderIds && !orderIds.length) return [];
  const through = lastFullPeriod(asOf);
  let orders = db
    .selectFrom('orders')
    .select(['orders.id', 'orders.accountId', 'orders.currency'])
    .where('orders.legalEntityId', '=', legalEntityId)
    .where((eb) => eb.exists(eb.selectFrom('revenueObligations').select('revenueObligations.id').whereRef('revenueObligations.orderId', '=', 'orders.id')));
  if (orderIds) orders = orders.where('orders.id', 'in', orderIds);
  let inv = db
    .selectFrom('invoices')
    .select((eb) => ['invoices.orderId', eb.fn.sum<number>('invoices.netMinor').as('net')])
    .where('invoices.legalEntityId', '=', legalEntityId)
    .where('invoices.status', 'in', [...RECEIVABLE_STATES])
    .where('invoices.issueDate', '<=', asOf)
    .groupBy('invoices.orderId');
  let cn = db
    .selectFrom('creditNotes')
    .select((eb) => ['creditNotes.orderId', eb.fn.sum<number>('creditNotes.netMinor').as('net')])
    .where('creditNotes.legalEntityId', '=', legalEntityId)
    .where('creditNotes.status', '=', 'issued')
    .where('creditNotes.issueDate', '<=', asOf)
    .groupBy('creditNotes.orderId');
  let rec = db
    .selectFrom('revenueScheduleLines')
    .select((eb) => ['revenueScheduleLines.orderId', eb.fn.sum<number>('revenueScheduleLines.amountMinor').as('amount')])
    .where('revenueScheduleLines.legalEntityId', '=', legalEntityId)
    .where('revenueScheduleLines.status', '=', 'recognised')
    .where('revenueScheduleLines.period', '<=', through)
    .groupBy('revenueScheduleLines.orderId');
  if (orderIds) {
    inv = inv.where('invoices.orderId', 'in', orderIds);
    cn = cn.where('creditNotes.orderId', 'in', orderIds);
    rec = rec.where('revenueScheduleLines.orderId', 'in', orderIds);
  }
  const [os, is, cs, rs] = await Promise.all([orders.execute(), inv.execute(), cn.execute(), rec.execute()]);
  const billed = new Map<string, number>(is.map((r) => [r.orderId, n(r.net)]));
  for (const c of cs) billed.set(c.orderId, (billed.get(c.orderId) ?? 0) - n(c.net));
  const recognised = new Map<string, number>(rs.map((r) => [r.orderId, n(r.amount)]));
  return os.map((o) => ({ orderId: o.id, accountId: o.accountId, currency: o.currency, billedMinor: billed.get(o.id) ?? 0, recognisedMinor: recognised.get(o.id) ?? 0 }));
}

export interface PositionTotals {
  currency: string;
  billedMinor: number;
  recognisedMinor: number;
  /** Σ max(billed − recognised, 0) over orders. */
  deferredMinor: number;
  /** Σ max(recognised − billed, 0) over orders. */
  unbilledMinor: number;
}

export function positionTotals(rows: readonly OrderPosition[]): PositionTotals[] {
  const m = new Map<string, PositionTotals>();
  for (const r of rows) {
    const t = m.get(r.currency) ?? { currency: r.currency, billedMinor: 0, recognisedMinor: 0, deferredMinor: 0, unbilledMinor: 0 };
    t.billedMinor += r.billedMinor;
    t.recognisedMinor += r.recognisedMinor;
    const d = r.billedMinor - r.recognisedMinor;
    if (d > 0) t.deferredMinor += d;
    else t.unbilledMinor -= d;
    m.set(r.currency, t);
  }
  return [...m.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}
