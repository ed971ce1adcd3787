import type { Ctx } from '../platform/context.ts';

/** Invoices that can be dunned, promised or disputed: issued and not (fully) paid. */
export const OPEN_INVOICE_STATES = ['issued', 'partially_paid'] as const;

/** A promise to pay pauses dunning through the promised date and this many days after it. */
export const PROMISE_GRACE_DAYS = 1;

export interface InvoiceCollectionState {
  level: number;
  lastNoticeDate: string | null;
  interestThrough: string | null;
  holdOrders: boolean;
  openPromise: { id: string; promisedDate: string; amountMinor: number | null } | null;
  brokenPromises: number;
  openDispute: { id: string; reason: string } | null;
}

/** Runs a query per slice of ids, so a large set stays under the databases' parameter limits. */
export async function inChunks<T>(ids: readonly string[], fn: (part: string[]) => Promise<T[]>, size = 500): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += size) out.push(...(await fn(ids.slice(i, i + size))));
  return out;
}

/**
 * The collections state of invoices, from their notices (highest level, last notice, interest
 * charged through), promises and disputes: three grouped queries per slice of ids.
 */
export async function collectionState(ctx: Ctx, invoiceIds: readonly string[]): Promise<Map<string, InvoiceCollectionState>> {
  const out = new Map<string, InvoiceCollectionState>();
  const get = (id: string) => {
    let s = out.get(id);
    if (!s) out.set(id, (s = { level: 0, lastNoticeDate: null, interestThrough: null, holdOrders: false, openPromise: null, brokenPromises: 0, openDispute: null }));
    return s;
  };
  const ids = [...new Set(invoiceIds)];
  const notices = await inChunks(ids, (part) =>
    ctx.db
      .selectFrom('dunningNotices')
      .select((eb) => [
        'invoiceId',
        eb.fn.max('level').as('level'),
        eb.fn.max('runDate').as('lastNoticeDate'),
        eb.fn.max('interestThrough').as('interestThrough'),
        eb.fn.max('holdOrders').as('holdOrders'),
      ])
      .where('invoiceId', 'in', part)
      .groupBy('invoiceId')
      .execute(),
  );
  for (const n of notices) {
    const s = get(n.invoiceId);
    s.level = Number(n.level);
    s.lastNoticeDate = n.lastNoticeDate ?? null;
    s.interestThrough = n.interestThrough ?? null;
    s.holdOrders = Number(n.holdOrders) > 0;
  }
  const promises = await inChunks(ids, (part) =>
    ctx.db
      .selectFrom('paymentPromises')
      .select(['id', 'invoiceId', 'promisedDate', 'amountMinor', 'status'])
      .where('invoiceId', 'in', part)
      .where('status', 'in', ['open', 'broken'])
      .orderBy('id')
      .execute(),
  );
  for (const p of promises) {
    const s = get(p.invoiceId);
    if (p.status === 'open') s.openPromise = { id: p.id, promisedDate: p.promisedDate, amountMinor: p.amountMinor === null ? null : Number(p.amountMinor) };
    else s.brokenPromises++;
  }
  const disputes = await inChunks(ids, (part) =>
    ctx.db.selectFrom('invoiceDisputes').select(['id', 'invoiceId', 'reason']).where('invoiceId', 'in', part).where('status', '=', 'open').orderBy('id').execute(),
  );
  for (const d of disputes) get(d.invoiceId).openDispute = { id: d.id, reason: d.reason };
  return out;
}
