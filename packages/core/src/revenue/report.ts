import type { Db } from '@openltc/db';
import type { Ctx } from '../platform/context.ts';
import { today } from '../platform/clock.ts';
import { fieldError } from '../platform/errors.ts';
import { assertCan } from '../platform/permissions.ts';
import { legalEntityFor } from '../billing/legal-entities.ts';
import { RECEIVABLE_STATES } from '../receivables/ar.repo.ts';
import { closedThrough } from './obligations.ts';
import { lastFullPeriod, orderPositions, positionTotals, type PositionTotals } from './positions.ts';
import { nextPeriod, periodEnd } from './rules.ts';
import { RevenueReportQuery, type RevenueReportDto } from './revenue.schema.ts';

/**
 * The revenue report: revenue recognised by period, product and customer; what is scheduled in open
 * periods; and the contract positions (deferred revenue, unbilled revenue) at each period end. It is
 * built from the schedules and the documents, never from the journal, so the reconciliation in
 * ledger/reports.ts compares two independent figures.
 */

const n = (v: unknown) => Number(v ?? 0);

/** Recognised revenue (posted by closes) of the periods whose last day lies in [from, to], per currency; every legal entity when none is given. */
export async function recognisedBetween(db: Db, from: string, to: string, legalEntityId?: string): Promise<Map<string, number>> {
  const first = from <= periodEnd(from.slice(0, 7)) ? from.slice(0, 7) : nextPeriod(from.slice(0, 7));
  const last = lastFullPeriod(to);
  if (first > last) return new Map();
  let q = db
    .selectFrom('revenueScheduleLines')
    .select((eb) => ['currency', eb.fn.sum<number>('amountMinor').as('amount')])
    .where('status', '=', 'recognised')
    .where('period', '>=', first)
    .where('period', '<=', last)
    .groupBy('currency');
  if (legalEntityId) q = q.where('legalEntityId', '=', legalEntityId);
  return new Map((await q.execute()).map((r) => [r.currency, n(r.amount)]));
}

/**
 * Revenue of orders without performance obligations (confirmed before revenue recognition existed):
 * posted when invoiced, so net invoiced − net credited on such orders, by issue date.
 */
export async function atBillingRows(db: Db, from: string, to: string, legalEntityId?: string): Promise<Array<{ date: string; currency: string; net: number }>> {
  const noObligations = (eb: any, col: string) => eb.not(eb.exists(eb.selectFrom('revenueObligations').select('revenueObligations.id').whereRef('revenueObligations.orderId', '=', col)));
  let inv = db
    .selectFrom('invoices')
    .select(['issueDate', 'currency', 'netMinor'])
    .where('status', 'in', [...RECEIVABLE_STATES])
    .where('issueDate', '>=', from)
    .where('issueDate', '<=', to)
    .where((eb) => noObligations(eb, 'invoices.orderId'));
  let cn = db
    .selectFrom('creditNotes')
    .select(['issueDate', 'currency', 'netMinor'])
    .where('status', '=', 'issued')
    .where('issueDate', '>=', from)
    .where('issueDate', '<=', to)
    .where((eb) => noObligations(eb, 'creditNotes.orderId'));
  if (legalEntityId) {
    inv = inv.where('legalEntityId', '=', legalEntityId);
    cn = cn.where('legalEntityId', '=', legalEntityId);
  }
  const [is, cs] = await Promise.all([inv.execute(), cn.execute()]);
  return [...is.map((r) => ({ date: r.issueDate!, currency: r.currency, net: n(r.netMinor) })), ...cs.map((r) => ({ date: r.issueDate!, currency: r.currency, net: -n(r.netMinor) }))];
}

/** Contract positions of every legal entity as of a date, per currency. */
export async function contractPositions(db: Db, asOf: string): Promise<PositionTotals[]> {
  const les = await db.selectFrom('legalEntities').select('id').execute();
  const rows = (await Promise.all(les.map((l) => orderPositions(db, l.id, asOf)))).flat();
  return positionTotals(rows);
}

export async function revenueReport(ctx: Ctx, input: unknown = {}): Promise<RevenueReportDto> {
  const q = RevenueReportQuery.parse(input ?? {});
  assertCan(ctx.user, 'revenue', 'read');
  const le = await legalEntityFor(ctx.db, q.legalEntityId);
  const day = today(le.timezone);
  const to = q.to ?? day.slice(0, 7);
  const from = q.from ?? `${to.slice(0, 4)}-01`;
  if (from > to) throw fieldError('from', 'the first period is after the last', 'invalid_period');
  const periods: string[] = [];
  for (let p = from; p <= to; p = nextPeriod(p)) {
    periods.push(p);
    if (periods.length > 60) throw fieldError('from', 'at most 60 months in one report', 'invalid_period');
  }
  const closed = await closedThrough(ctx, le.id);
  const db = ctx.db;
  const [byPeriodRows, atBilling, productRows, accountRows] = await Promise.all([
    db
      .selectFrom('revenueScheduleLines')
      .select((eb) => ['period', 'currency', 'status', eb.fn.sum<number>('amountMinor').as('amount')])
      .where('legalEntityId', '=', le.id)
      .where('period', '>=', from)
      .where('period', '<=', to)
      .groupBy(['period', 'currency', 'status'])
      .execute(),
    atBillingRows(db, `${from}-01`, periodEnd(to), le.id),
    db
      .selectFrom('revenueScheduleLines')
      .innerJoin('revenueObligations', 'revenueObligations.id', 'revenueScheduleLines.obligationId')
      .leftJoin('products', 'products.id', 'revenueObligations.productId')
      .select((eb) => ['revenueObligations.productId', 'products.name as productName', 'revenueScheduleLines.currency', eb.fn.sum<number>('revenueScheduleLines.amountMinor').as('amount')])
      .where('revenueScheduleLines.legalEntityId', '=', le.id)
      .where('revenueScheduleLines.status', '=', 'recognised')
      .where('revenueScheduleLines.period', '>=', from)
      .where('revenueScheduleLines.period', '<=', to)
      .groupBy(['revenueObligations.productId', 'products.name', 'revenueScheduleLines.currency'])
      .execute(),
    db
      .selectFrom('revenueScheduleLines')
      .innerJoin('revenueObligations', 'revenueObligations.id', 'revenueScheduleLines.obligationId')
      .innerJoin('accounts', 'accounts.id', 'revenueObligations.accountId')
      .select((eb) => ['revenueObligations.accountId', 'accounts.name as accountName', 'revenueScheduleLines.currency', eb.fn.sum<number>('revenueScheduleLines.amountMinor').as('amount')])
      .where('revenueScheduleLines.legalEntityId', '=', le.id)
      .where('revenueScheduleLines.status', '=', 'recognised')
      .where('revenueScheduleLines.period', '>=', from)
      .where('revenueScheduleLines.period', '<=', to)
      .groupBy(['revenueObligations.accountId', 'accounts.name', 'revenueScheduleLines.currency'])
      .execute(),
  ]);
  const currencies = new Set<string>([...byPeriodRows.map((r) => r.currency), ...atBilling.map((r) => r.currency)]);
  const positionsAt = new Map<string, PositionTotals[]>();
  for (const p of periods) {
    const end = periodEnd(p);
    const pos = await positionTotals(await orderPositions(db, le.id, end < day ? end : day));
    positionsAt.set(p, pos);
    for (const t of pos) currencies.add(t.currency);
  }
  const byPeriod: RevenueReportDto['byPeriod'] = [];
  const totals = new Map<string, { currency: string; recognisedMinor: number; atBillingMinor: number; scheduledMinor: number }>();
  for (const p of periods)
    for (const cur of [...currencies].sort()) {
      const sum = (status: string) => byPeriodRows.filter((r) => r.period === p && r.currency === cur && r.status === status).reduce((s, r) => s + n(r.amount), 0);
      const recognisedMinor = sum('recognised');
      const scheduledMinor = sum('scheduled');
      const atBillingMinor = atBilling.filter((r) => r.date.slice(0, 7) === p && r.currency === cur).reduce((s, r) => s + r.net, 0);
      const pos = positionsAt.get(p)!.find((t) => t.currency === cur);
      byPeriod.push({ period: p, currency: cur, closed: !!closed && p <= closed, recognisedMinor, scheduledMinor, atBillingMinor, deferredMinor: pos?.deferredMinor ?? 0, unbilledMinor: pos?.unbilledMinor ?? 0 });
      const t = totals.get(cur) ?? { currency: cur, recognisedMinor: 0, atBillingMinor: 0, scheduledMinor: 0 };
      t.recognisedMinor += recognisedMinor;
      t.atBillingMinor += atBillingMinor;
      t.scheduledMinor += scheduledMinor;
      totals.set(cur, t);
    }
  const asOf = periodEnd(to) < day ? periodEnd(to) : day;
  const last = positionsAt.get(to)!;
  return {
    legalEntityId: le.id,
    from,
    to,
    closedThrough: closed,
    byPeriod,
    byProduct: productRows
      .map((r) => ({ productId: r.productId, productName: r.productName ?? '', currency: r.currency, amountMinor: n(r.amount) }))
      .sort((a, b) => b.amountMinor - a.amountMinor || a.productName.localeCompare(b.productName)),
    byAccount: accountRows
      .map((r) => ({ accountId: r.accountId, accountName: r.accountName, currency: r.currency, amountMinor: n(r.amount) }))
      .sort((a, b) => b.amountMinor - a.amountMinor || a.accountName.localeCompare(b.accountName)),
    balances: last.map((t) => ({ currency: t.currency, asOf, billedMinor: t.billedMinor, recognisedMinor: t.recognisedMinor, deferredMinor: t.deferredMinor, unbilledMinor: t.unbilledMinor })),
    totals: [...totals.values()],
  };
}
