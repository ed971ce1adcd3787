import type { RevenuePeriodTable } from '@openltc/db';
import { inTx, type Ctx } from '../platform/context.ts';
import { orderPositions, positionTotals } from '../revenue/positions.ts';
import { nextPeriod, periodEnd, periodStart } from '../revenue/rules.ts';
import { chartFor } from './chart.ts';
import { writeEntry, type EntryDraft, type Leg } from './posting.ts';
import { roundDiv, toSafeNumber, type RoundingMode } from '../platform/money.ts';
import { allocateMinor } from '../money/money.ts';
import { convertMoney } from '../money/fx.ts';
import { fxRateOn } from '../fx/rates.ts';
import { roundingModeOf } from '../billing/legal-entities.ts';

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
 *
 * In a currency other than the legal entity's (functional) currency, deferred revenue is a
 * non-monetary item (IAS 21.23, IFRIC 22): it stays at the rates it was billed at. A release is
 * converted at the order's historical rate — what the order's deferred revenue carries in the
 * functional currency ÷ what it carries in the currency, i.e. the rates of its invoices weighted by
 * what each billed — and the release that empties it takes exactly what is left, so a fully
 * recognised order leaves nothing on deferred revenue in either currency. Revenue recognised beyond
 * what was billed (a contract asset) is converted at the rate of the period's last day. The revenue
 * lines take the same functional amount as the deferred line (no exchange difference). The contract
 * asset reclassification is reversed the next day at the rate it was booked at.
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
    const fun = await historicalRelease(tx, closed.legalEntityId, orderId, first.currency, date, total, [...perObligation.values()].map((o) => o.amount));
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
        { role: 'deferredRevenue', amount: total, partyAccountId: first.accountId, ...(fun ? { functional: fun.deferred } : {}) } as Leg,
        ...[...perObligation.values()].map((o, i): Leg => ({ role: 'revenue', amount: -o.amount, memo: o.memo, ...(fun ? { functional: -fun.revenue[i]! } : {}) })),
      ].filter((l) => l.amount !== 0),
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
        // At the rate the reclassification was booked at, so the contract asset returns to zero in both currencies.
        fx: { rateOf: { sourceType: 'revenue_close', sourceId: closed.id, event: `reclass:${t.currency}` } },
        legs: [
          { role: 'deferredRevenue', amount: t.unbilledMinor },
          { role: 'contractAsset', amount: -t.unbilledMinor },
        ],
      }),
    );
  }
  return posted;
}

/**
 * What an order's deferred revenue carries as of a date, in the currency and the functional currency
 * (credit positive): its invoices and credit notes and the recognitions posted so far.
 */
async function deferredCarrying(tx: Ctx, orderId: string, currency: string, asOf: string): Promise<{ txn: bigint; fun: bigint }> {
  const r = await tx.db
    .selectFrom('journalLines')
    .innerJoin('journalEntries', 'journalEntries.id', 'journalLines.entryId')
    .select((eb) => [
      eb.fn.sum<number>('journalLines.creditMinor').as('c'),
      eb.fn.sum<number>('journalLines.debitMinor').as('d'),
      eb.fn.sum<number>('journalLines.functionalCreditMinor').as('fc'),
      eb.fn.sum<number>('journalLines.functionalDebitMinor').as('fd'),
    ])
    .where('journalLines.accountRole', '=', 'deferredRevenue')
    .where('journalLines.currency', '=', currency)
    .where('journalEntries.entryDate', '<=', asOf)
    .where((eb) =>
      eb.or([
        eb.and([eb('journalEntries.sourceType', '=', 'invoice'), eb('journalEntries.sourceId', 'in', eb.selectFrom('invoices').select('invoices.id').where('invoices.orderId', '=', orderId))]),
        eb.and([eb('journalEntries.sourceType', '=', 'credit_note'), eb('journalEntries.sourceId', 'in', eb.selectFrom('creditNotes').select('creditNotes.id').where('creditNotes.orderId', '=', orderId))]),
        eb.and([eb('journalEntries.sourceType', '=', 'revenue_recognition'), eb('journalEntries.sourceId', '=', orderId)]),
      ]),
    )
    .executeTakeFirst();
  const n = (v: unknown) => BigInt(Number(v ?? 0));
  return { txn: n(r?.c) - n(r?.d), fun: n(r?.fc) - n(r?.fd) };
}

/**
 * The functional amounts of a recognition entry in a foreign currency (null in the functional
 * currency): the deferred line released at the order's historical rate (what it carries, the last
 * release taking what is left), revenue beyond what was billed at the period end's rate, and each
 * revenue line's share of the same total.
 */
export async function historicalRelease(
  tx: Ctx,
  legalEntityId: string,
  orderId: string,
  currency: string,
  date: string,
  total: number,
  obligations: readonly number[],
): Promise<{ deferred: number; revenue: number[] } | null> {
  const le = await tx.db.selectFrom('legalEntities').selectAll().where('id', '=', legalEntityId).executeTakeFirstOrThrow();
  if (le.currency === currency || total === 0) return null;
  const mode: RoundingMode = roundingModeOf(le);
  const carried = await deferredCarrying(tx, orderId, currency, date);
  let spot: ((minor: bigint) => bigint) | null = null;
  const atPeriodEnd = async (minor: bigint) => {
    if (!spot) {
      const { rate } = await fxRateOn(tx, currency, le.currency, date);
      spot = (m) => convertMoney({ minor: m, currency }, le.currency, rate, mode).minor;
    }
    return spot(minor);
  };
  const atCarried = (minor: bigint) => (minor === carried.txn ? carried.fun : roundDiv(carried.fun * minor, carried.txn, mode));
  const r = BigInt(total);
  let deferred: bigint;
  if (r > 0n) {
    // Released: from what was billed first, at its rate; beyond it (a contract asset) at the period end's.
    const covered = carried.txn > 0n ? (r < carried.txn ? r : carried.txn) : 0n;
    deferred = (covered ? atCarried(covered) : 0n) + (r > covered ? await atPeriodEnd(r - covered) : 0n);
  } else {
    // A catch-up down defers again, at the rate of what is carried (the period end's when nothing is).
    deferred = carried.txn > 0n ? -roundDiv(carried.fun * -r, carried.txn, mode) : -(await atPeriodEnd(-r));
  }
  // Revenue lines: shares of the same functional total in proportion to their amounts (largest
  // remainder). Lines of both signs in one entry (one obligation up, another down) convert as usual.
  const weights = obligations.map((o) => BigInt(o) * (r < 0n ? -1n : 1n));
  if (weights.some((w) => w < 0n)) return null;
  return { deferred: toSafeNumber(deferred), revenue: allocateMinor(deferred, weights).map(toSafeNumber) };
}

/** For the journal rebuild: posts every closed period that has no entries (idempotent). */
export async function rebuildRevenueJournal(ctx: Ctx): Promise<number> {
  const periods = await ctx.db.selectFrom('revenuePeriods').selectAll().orderBy('legalEntityId').orderBy('period').execute();
  let posted = 0;
  for (const p of periods) posted += await inTx(ctx, (tx) => postRevenuePeriod(tx, p));
  return posted;
}
