import type { RevenuePeriodTable } from '@openltc/db';
import { inTx, type Ctx } from '../platform/context.ts';
import { orderPositions, positionTotals } from '../revenue/positions.ts';
import { nextPeriod, periodEnd, periodStart } from '../revenue/rules.ts';
import { chartFor } from './chart.ts';
import { writeEntry, type EntryDraft } from './posting.ts';

/**
 * Postings of revenue recognition (IFRS 15), in the transaction of the revenue close:
 * - an order with performance obligations bills into deferred revenue (合同负债, the contract
 *   liability): invoice Dr AR / Cr deferred revenue (net) / Cr VAT; a credit note the reverse;
 * - the close of a period recognises, per order, what its schedule lines of the period say:
 *   Dr deferred revenue / Cr revenue (one credit per obligation, so revenue is traceable to the order
 *   line); a negative line (a catch-up down) the reverse. The entry is dated the last day of the
 *   period and keyed (revenue_recognition, order id, recognise:YYYY-MM);
 * - at the period end, orders that recognised more than they billed hold a contract asset (unbilled
 *   revenue), not a debit on deferred revenue: the close books Dr contract asset / Cr deferred revenue
 *   for their sum on the last day and reverses it on the first day of the next period (a reversing
 *   reclassification), keyed (revenue_close, period id, reclass:CUR / reverse:CUR).
 * So deferred revenue − contract asset always equals billed − recognised over all orders, and at a
 * closed period's end each account equals the revenue report's deferred and unbilled balances.
 */

/** Whether invoices of the order bill into deferred revenue (the order has performance obligations). */
export async function billsIntoDeferredRevenue(tx: Ctx, orderId: string): Promise<boolean> {
  return !!(await tx.db.selectFrom('revenueObligations').select('id').where('orderId', '=', orderId).executeTakeFirst());
}

/** Posts the recognition and reclassification entries of a closed period; posting again posts nothing. */
export async function postRevenuePeriod(tx: Ctx, closed: RevenuePeriodTable): Promise<number> {
  const chart = await chartFor(tx, closed.legalEntityId);
  const lines = await tx.db
    .selectFrom('revenueScheduleLines')
    .innerJoin('revenueObligations', 'revenueObligations.id', 'revenueScheduleLines.obligationId')
    .innerJoin('orders', 'orders.id', 'revenueScheduleLines.orderId')
    .select([
      'revenueScheduleLines.orderId',
      'revenueScheduleLines.obligationId',
      'revenueScheduleLines.amountMinor',
      'revenueScheduleLines.currency',
      'revenueObligations.lineNo',
      'revenueObligations.description',
      'orders.number as orderNumber',
      'orders.accountId',
    ])
    .where('revenueScheduleLines.periodId', '=', closed.id)
    .orderBy('revenueScheduleLines.orderId')
    .orderBy('revenueObligations.lineNo')
    .execute();
  const date = periodEnd(closed.period);
  const byOrder = new Map<string, typeof lines>();
  for (const l of lines) byOrder.set(l.orderId, [...(byOrder.get(l.orderId) ?? []), l]);
  let posted = 0;
  for (const [orderId, ls] of byOrder) {
    const perObligation = new Map<string, { amount: number; memo: string }>();
    for (const l of ls) {
      const cur = perObligation.get(l.obligationId) ?? { amount: 0, memo: `line ${l.lineNo} ${l.description}`.slice(0, 200) };
      cur.amount += Number(l.amountMinor);
      perObligation.set(l.obligationId, cur);
    }
    const total = [...perObligation.values()].reduce((s, o) => s + o.amount, 0);
    if ([...perObligation.values()].every((o) => o.amount === 0)) continue;
    const first = ls[0]!;
    const draft: EntryDraft = {
      legalEntityId: closed.legalEntityId,
      date,
      sourceType: 'revenue_recognition',
      sourceId: orderId,
      event: `recognise:${closed.period}`,
      documentRef: first.orderNumber,
      description: `Revenue of order ${first.orderNumber} recognised in ${closed.period}`,
      currency: first.currency,
      accountId: first.accountId,
      legs: [
        { role: 'deferredRevenue', amount: total, partyAccountId: first.accountId },
        ...[...perObligation.values()].map((o) => ({ role: 'revenue' as const, amount: -o.amount, memo: o.memo })),
      ],
    };
    posted += Number(await writeEntry(tx, chart, draft));
  }
  for (const t of positionTotals(await orderPositions(tx.db, closed.legalEntityId, date))) {
    if (!t.unbilledMinor) continue;
    const base = { legalEntityId: closed.legalEntityId, sourceType: 'revenue_close' as const, sourceId: closed.id, documentRef: `REV-${closed.period}`, currency: t.currency, accountId: null };
    posted += Number(
      await writeEntry(tx, chart, {
        ...base,
        date,
        event: `reclass:${t.currency}`,
        description: `Contract assets at the end of ${closed.period}: revenue recognised beyond billing`,
        legs: [
          { role: 'contractAsset', amount: t.unbilledMinor },
          { role: 'deferredRevenue', amount: -t.unbilledMinor },
        ],
      }),
    );
    posted += Number(
      await writeEntry(tx, chart, {
        ...base,
        date: periodStart(nextPeriod(closed.period)),
        event: `reverse:${t.currency}`,
        description: `Contract assets of ${closed.period} reversed`,
        legs: [
          { role: 'deferredRevenue', amount: t.unbilledMinor },
          { role: 'contractAsset', amount: -t.unbilledMinor },
        ],
      }),
    );
  }
  return posted;
}

/** For the journal rebuild: posts every closed period that has no entries (idempotent). */
export async function rebuildRevenueJournal(ctx: Ctx): Promise<number> {
  const periods = await ctx.db.selectFrom('revenuePeriods').selectAll().orderBy('legalEntityId').orderBy('period').execute();
  let posted = 0;
  for (const p of periods) posted += await inTx(ctx, (tx) => postRevenuePeriod(tx, p));
  return posted;
}
