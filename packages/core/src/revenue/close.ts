import type { RevenuePeriodTable } from '@openltc/db';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso, today } from '../platform/clock.ts';
import { conflict } from '../platform/errors.ts';
import { recordEvent } from '../platform/events.ts';
import { assertCan } from '../platform/permissions.ts';
import { lockKey } from '../platform/locks.ts';
import { legalEntityFor } from '../billing/legal-entities.ts';
import { postRevenuePeriod } from '../ledger/revenue-posting.ts';
import { revalueInTx } from '../fx/revaluation.ts';
import { closedThrough, syncLegalEntityRevenue } from './obligations.ts';
import { nextPeriod, periodEnd, previousPeriod } from './rules.ts';
import { RevenueCloseInput, RevenuePeriodsQuery, type RevenueCloseDto } from './revenue.schema.ts';

/**
 * The revenue close of a month, per legal entity: brings every schedule up to date with its facts,
 * recognises the schedule lines of the month, posts them (ledger/revenue-posting.ts) and locks the
 * month. Months close in order and only once they have ended; closing a closed month again posts
 * nothing. Facts that arrive later for a closed month (progress entered for an earlier date, a credit
 * note) are recognised as a catch-up in the first open month.
 */

const periodDto = (p: RevenuePeriodTable) => ({ ...p, lines: Number(p.lines), entries: Number(p.entries) });

export async function closeRevenuePeriod(ctx: Ctx, input: unknown): Promise<RevenueCloseDto> {
  const data = RevenueCloseInput.parse(input);
  assertCan(ctx.user, 'revenue', 'approve');
  return inTx(ctx, async (tx) => {
    const le = await legalEntityFor(tx.db, data.legalEntityId);
    await lockKey(tx, `revenue-close:${le.id}`);
    const existing = await tx.db.selectFrom('revenuePeriods').selectAll().where('legalEntityId', '=', le.id).where('period', '=', data.period).executeTakeFirst();
    if (existing) {
      // Run twice: nothing twice. Posting is keyed, so this only repairs a journal that lost the entries.
      const entries = await postRevenuePeriod(tx, existing);
      return { legalEntityId: le.id, period: data.period, alreadyClosed: true, lines: 0, entries, recognised: [], closed: periodDto(existing) };
    }
    const day = today(le.timezone);
    if (periodEnd(data.period) >= day)
      throw conflict('period_not_ended', `${data.period} has not ended yet (today is ${day} in ${le.timezone}); a month is closed after its last day`, { period: data.period, today: day });
    const last = await closedThrough(tx, le.id);
    if (last && data.period < last)
      throw conflict('period_locked', `a later month (${last}) is already closed; ${data.period} can no longer be closed on its own`, { closedThrough: last });
    if (last && data.period > nextPeriod(last))
      throw conflict('earlier_period_open', `close ${nextPeriod(last)} first: months close in order`, { openPeriod: nextPeriod(last), closedThrough: last });
    await syncLegalEntityRevenue(tx, le.id);
    if (!last) {
      const earlier = await tx.db
        .selectFrom('revenueScheduleLines')
        .select('period')
        .where('legalEntityId', '=', le.id)
        .where('status', '=', 'scheduled')
        .where('period', '<', data.period)
        .orderBy('period')
        .limit(1)
        .executeTakeFirst();
      if (earlier) throw conflict('earlier_period_open', `close ${earlier.period} first: it has revenue scheduled and is not closed`, { openPeriod: earlier.period, closedThrough: null });
    }
    const row: RevenuePeriodTable = { id: newId('rvp'), legalEntityId: le.id, period: data.period, closedAt: nowIso(), closedBy: tx.user.id, lines: 0, entries: 0 };
    await tx.db.insertInto('revenuePeriods').values(row).execute();
    const res = await tx.db
      .updateTable('revenueScheduleLines')
      .set({ status: 'recognised', periodId: row.id })
      .where('legalEntityId', '=', le.id)
      .where('status', '=', 'scheduled')
      .where('period', '=', data.period)
      .executeTakeFirst();
    row.lines = Number(res.numUpdatedRows);
    row.entries = await postRevenuePeriod(tx, row);
    // The month close also revalues the month's foreign-currency monetary items at the closing rate
    // (fx/revaluation.ts): a missing closing rate refuses the close (422 fx_closing_rate_missing).
    const fxRevaluation = await revalueInTx(tx, le, data.period, 'revenue_close');
    await tx.db.updateTable('revenuePeriods').set({ lines: row.lines, entries: row.entries }).where('id', '=', row.id).execute();
    const sums = await tx.db
      .selectFrom('revenueScheduleLines')
      .select((eb) => ['currency', eb.fn.sum<number>('amountMinor').as('amount')])
      .where('periodId', '=', row.id)
      .groupBy('currency')
      .orderBy('currency')
      .execute();
    const recognised = sums.map((s) => ({ currency: s.currency, amountMinor: Number(s.amount ?? 0) }));
    await recordEvent(tx, { entityType: 'revenue_period', entityId: row.id, action: 'closed', after: { legalEntityId: le.id, period: data.period, lines: row.lines, entries: row.entries, recognised } });
    return { legalEntityId: le.id, period: data.period, alreadyClosed: false, lines: row.lines, entries: row.entries, recognised, closed: periodDto(row), fxRevaluationId: fxRevaluation.revaluation.id };
  });
}

/** Closed months of a legal entity, newest first, and the month to close next. */
export async function listRevenuePeriods(ctx: Ctx, input: unknown = {}) {
  const q = RevenuePeriodsQuery.parse(input ?? {});
  assertCan(ctx.user, 'revenue', 'read');
  const le = await legalEntityFor(ctx.db, q.legalEntityId);
  const periods = await ctx.db.selectFrom('revenuePeriods').selectAll().where('legalEntityId', '=', le.id).orderBy('period', 'desc').execute();
  const last = periods[0]?.period ?? null;
  const lastEnded = previousPeriod(today(le.timezone).slice(0, 7));
  let next: string | null;
  if (last) next = nextPeriod(last);
  else {
    const first = await ctx.db.selectFrom('revenueScheduleLines').select('period').where('legalEntityId', '=', le.id).where('status', '=', 'scheduled').orderBy('period').limit(1).executeTakeFirst();
    next = first?.period ?? lastEnded;
  }
  return { legalEntityId: le.id, closedThrough: last, nextToClose: next && next <= lastEnded ? next : null, periods: periods.map(periodDto) };
}
