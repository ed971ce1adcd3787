import { z } from 'zod';
import { sql, type Db } from '@openltc/db';
import type { Ctx } from '../platform/context.ts';
import { can } from '../platform/permissions.ts';
import { applyScope, type RecordDef } from '../platform/records.ts';
import { percent, roundDiv, toSafeNumber } from '../platform/money.ts';
import { isoDate } from '../platform/schema.ts';
import { leadDef } from '../leads/defs.ts';
import { opportunityDef } from '../sales/defs.ts';
import { orderDef } from '../orders/defs.ts';
import { deliveryDef } from '../fulfilment/defs.ts';
import { invoiceDef } from '../billing/defs.ts';
import { paymentDef } from '../payments/defs.ts';
import { daysBetween, median, period, type Period } from './period.ts';

/**
 * The lead-to-cash KPIs, computed from the documents (never stored) within the caller's scope, each
 * with its numerator and denominator and a `drill` link to the list of records behind it.
 * Amounts are in the organisation's currency (documents in other currencies are left out and counted
 * in `otherCurrencyDocs`, so a figure never silently adds yuan to dollars).
 */
export const KpiQuery = z
  .object({
    from: isoDate.describe('first business day of the period'),
    to: isoDate.describe('last business day of the period (inclusive)'),
    groupBy: z.enum(['owner', 'team', 'source', 'region']).optional().describe('also break leads and deals down by this'),
  })
  .strict();
export type KpiQuery = z.infer<typeof KpiQuery>;

export interface Kpi {
  value: number | null;
  unit: 'count' | 'percent' | 'days' | 'minor';
  numerator?: number;
  denominator?: number;
  /** How many records the value is computed from (for medians). */
  sample?: number;
  /** The list endpoint showing the records behind the figure. */
  drill?: string;
}

export interface KpiReport {
  period: { from: string; to: string; timezone: string; currency: string };
  kpis: Record<string, Kpi>;
  pipelineByCloseMonth: Array<{ month: string; count: number; amountMinor: number; weightedMinor: number }>;
  breakdown?: Array<{ key: string | null; label: string; leadsCreated: number; leadsConverted: number; conversionRate: number; won: number; lost: number; winRate: number; wonMinor: number }>;
  otherCurrencyDocs: number;
}

const q = (o: Record<string, string>) => new URLSearchParams(o).toString();
const beforeEnd = (p: Period) => new Date(Date.parse(p.toUtcExclusive) - 1).toISOString();

function from(ctx: Ctx, def: RecordDef<any>) {
  return applyScope(ctx, def, (ctx.db as Db).selectFrom(def.table as any) as any);
}

async function orgSettings(db: Db): Promise<{ tz: string; currency: string }> {
  const le = await db.selectFrom('legalEntities').select(['timezone', 'currency']).orderBy('createdAt').executeTakeFirst();
  return { tz: le?.timezone ?? 'Asia/Shanghai', currency: le?.currency ?? 'CNY' };
}

export async function computeKpis(ctx: Ctx, input: unknown): Promise<KpiReport> {
  const query = KpiQuery.parse(input);
  const { tz, currency } = await orgSettings(ctx.db);
  const p = period(query.from, query.to, tz);
  const kpis: Record<string, Kpi> = {};
  let otherCurrencyDocs = 0;
  let pipelineByCloseMonth: KpiReport['pipelineByCloseMonth'] = [];
  const inPeriod = (col: string) => (qb: any) => qb.where(col, '>=', p.fromUtc).where(col, '<', p.toUtcExclusive);

  if (can(ctx.user, 'lead', 'read')) {
    // Counted by the database; only the converted leads come back, for the median (a quarter's cohort
    // of a large company is tens of thousands of leads, which the dashboard must not carry).
    const counts = await inPeriod('createdAt')(from(ctx, leadDef))
      .select((eb: any) => [
        eb.fn.countAll().as('n'),
        eb.fn
          .sum(
            eb
              .case()
              .when(eb.and([eb('status', '=', 'converted'), eb('convertedOpportunityId', 'is not', null)]))
              .then(1)
              .else(0)
              .end(),
          )
          .as('withOpp'),
      ])
      .executeTakeFirst();
    const cohortSize = Number(counts?.n ?? 0);
    const converted = await inPeriod('createdAt')(from(ctx, leadDef)).where('status', '=', 'converted').select(['createdAt', 'convertedAt']).execute();
    const drill = `/api/v1/leads?${q({ createdFrom: p.fromUtc, createdTo: beforeEnd(p) })}`;
    kpis.leadsCreated = { value: cohortSize, unit: 'count', drill };
    kpis.leadConversionRate = { value: percent(converted.length, cohortSize), unit: 'percent', numerator: converted.length, denominator: cohortSize, drill: `${drill}&status=converted` };
    const withOpp = Number(counts?.withOpp ?? 0);
    kpis.leadToOpportunityRatio = { value: percent(withOpp, cohortSize), unit: 'percent', numerator: withOpp, denominator: cohortSize, drill: `${drill}&status=converted` };
    const nurture = converted.map((l: any) => daysBetween(l.createdAt, l.convertedAt));
    kpis.leadNurturingDays = { value: median(nurture), unit: 'days', sample: nurture.length, drill: `${drill}&status=converted` };
  }

  if (can(ctx.user, 'opportunity', 'read')) {
    const created = await inPeriod('createdAt')(from(ctx, opportunityDef)).select((eb: any) => eb.fn.countAll().as('n')).executeTakeFirst();
    kpis.opportunitiesCreated = { value: Number(created?.n ?? 0), unit: 'count', drill: `/api/v1/opportunities?${q({ createdFrom: p.fromUtc })}` };
    const closed = await inPeriod('closedAt')(from(ctx, opportunityDef))
      .where('status', 'in', ['won', 'lost'])
      .select(['status', 'amountMinor', 'currency', 'createdAt', 'closedAt'])
      .execute();
    const inCur = closed.filter((o: any) => o.currency === currency);
    otherCurrencyDocs += closed.length - inCur.length;
    const won = closed.filter((o: any) => o.status === 'won');
    const wonValue = inCur.filter((o: any) => o.status === 'won').reduce((s: number, o: any) => s + o.amountMinor, 0);
    const closedValue = inCur.reduce((s: number, o: any) => s + o.amountMinor, 0);
    const drill = `/api/v1/opportunities?${q({ closedFrom: p.fromUtc, closedTo: beforeEnd(p) })}`;
    kpis.winRate = { value: percent(won.length, closed.length), unit: 'percent', numerator: won.length, denominator: closed.length, drill };
    kpis.winRateByValue = { value: percent(wonValue, closedValue), unit: 'percent', numerator: wonValue, denominator: closedValue, drill };
    kpis.wonAmount = { value: wonValue, unit: 'minor', sample: won.length, drill: `${drill}&status=won` };
    const cycle = closed.map((o: any) => daysBetween(o.createdAt, o.closedAt));
    kpis.opportunityCycleDays = { value: median(cycle), unit: 'days', sample: cycle.length, drill };
    // Summed by the database per close month (amount × probability in 64-bit integers); the open deals
    // themselves are not loaded. A sum beyond 2^53 could not be carried exactly here, so it is refused.
    const monthOf = sql<string | null>`substr(${sql.ref('expectedCloseDate')}, 1, 7)`;
    const groups = await from(ctx, opportunityDef)
      .where('status', '=', 'open')
      .select((eb: any) => [
        'currency',
        monthOf.as('month'),
        eb.fn.countAll().as('n'),
        eb.fn.sum('amountMinor').as('amount'),
        eb.fn.sum(eb('amountMinor', '*', eb.ref('probability'))).as('weighted'),
      ])
      .groupBy(['currency', monthOf])
      .execute();
    let weighted = 0n;
    let total = 0;
    let openCount = 0;
    const byMonth = new Map<string, { count: number; amount: number; weighted: bigint }>();
    for (const g of groups as any[]) {
      const n = Number(g.n);
      openCount += n;
      if (g.currency !== currency) {
        otherCurrencyDocs += n;
        continue;
      }
      const w = exactSum(g.weighted);
      weighted += w;
      total += Number(exactSum(g.amount));
      const month = g.month ? String(g.month) : 'none';
      const m = byMonth.get(month) ?? { count: 0, amount: 0, weighted: 0n };
      m.count += n;
      m.amount += Number(g.amount);
      m.weighted += w;
      byMonth.set(month, m);
    }
    kpis.openPipeline = { value: total, unit: 'minor', sample: openCount, drill: '/api/v1/opportunities?status=open' };
    kpis.weightedPipeline = { value: toSafeNumber(roundDiv(weighted, 100n)), unit: 'minor', sample: openCount, drill: '/api/v1/opportunities?status=open' };
    pipelineByCloseMonth = [...byMonth.entries()]
      .sort(([a], [b]) => (a === 'none' ? 1 : b === 'none' ? -1 : a.localeCompare(b)))
      .map(([month, m]) => ({ month, count: m.count, amountMinor: m.amount, weightedMinor: toSafeNumber(roundDiv(m.weighted, 100n)) }));
  }

  if (can(ctx.user, 'order', 'read')) {
    const fulfilled = await inPeriod('fulfilledAt')(from(ctx, orderDef)).where('confirmedAt', 'is not', null).select(['confirmedAt', 'fulfilledAt']).execute();
    const days = fulfilled.map((o: any) => daysBetween(o.confirmedAt, o.fulfilledAt));
    kpis.orderFulfilmentDays = { value: median(days), unit: 'days', sample: days.length, drill: '/api/v1/orders?status=fulfilled' };
  }
  if (can(ctx.user, 'delivery', 'read')) {
    const accepted = await inPeriod('acceptedAt')(from(ctx, deliveryDef)).select(['shippedAt', 'acceptedAt']).execute();
    const days = accepted.filter((d: any) => d.shippedAt).map((d: any) => daysBetween(d.shippedAt, d.acceptedAt));
    kpis.deliveryCycleDays = { value: median(days), unit: 'days', sample: days.length, drill: '/api/v1/deliveries?status=accepted' };
  }
  if (can(ctx.user, 'invoice', 'read')) {
    const issued = await sumByCurrency(
      from(ctx, invoiceDef).where('issueDate', '>=', p.from).where('issueDate', '<=', p.to).where('status', 'in', ['issued', 'partially_paid', 'paid']),
      'totalMinor',
      currency,
    );
    otherCurrencyDocs += issued.other;
    kpis.invoiced = { value: issued.sum, unit: 'minor', sample: issued.n, drill: `/api/v1/invoices?${q({ issuedFrom: p.from, issuedTo: p.to })}` };
    await leadAndQuoteToCash(ctx, p, kpis);
  }
  if (can(ctx.user, 'payment', 'read')) {
    const paid = await sumByCurrency(
      from(ctx, paymentDef).where('receivedOn', '>=', p.from).where('receivedOn', '<=', p.to).where('status', '=', 'received'),
      'amountMinor',
      currency,
    );
    otherCurrencyDocs += paid.other;
    kpis.cashCollected = { value: paid.sum, unit: 'minor', sample: paid.n, drill: `/api/v1/payments?${q({ receivedFrom: p.from, receivedTo: p.to })}` };
  }

  const report: KpiReport = {
    period: { from: p.from, to: p.to, timezone: tz, currency },
    kpis,
    pipelineByCloseMonth,
    otherCurrencyDocs,
  };
  if (query.groupBy) report.breakdown = await breakdown(ctx, p, query.groupBy, currency);
  return report;
}

/** An integer sum from the database, refused if a JavaScript number cannot hold it exactly. */
function exactSum(v: unknown): bigint {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError(`sum out of the exact range: ${String(v)}`);
  return BigInt(n);
}

/** Count and sum of an amount column per currency, by the database: the organisation's currency, and how many in others. */
async function sumByCurrency(qb: any, column: string, currency: string): Promise<{ n: number; sum: number; other: number }> {
  const rows = await qb
    .select((eb: any) => ['currency', eb.fn.countAll().as('n'), eb.fn.sum(column).as('total')])
    .groupBy('currency')
    .execute();
  let n = 0;
  let sum = 0;
  let other = 0;
  for (const r of rows as any[]) {
    if (r.currency === currency) {
      n = Number(r.n);
      sum = Number(exactSum(r.total ?? 0));
    } else other += Number(r.n);
  }
  return { n, sum, other };
}

/**
 * Lead-to-cash and quote-to-cash: for invoices fully paid in the period, the days from the lead's
 * creation (and from the first quote's) to the last payment allocated to the invoice.
 */
async function leadAndQuoteToCash(ctx: Ctx, p: Period, kpis: Record<string, Kpi>): Promise<void> {
  // An invoice is paid in the period when its last allocation is; only invoices with an allocation in
  // the period can be, so the database starts from those (not from every paid invoice ever), and
  // follows order → opportunity → lead and order → quote in the same statement. A quote's clock
  // starts with its first version.
  const paid = await applyScope(
    ctx,
    invoiceDef,
    ctx.db
      .selectFrom('invoices')
      .innerJoin('paymentAllocations', 'paymentAllocations.invoiceId', 'invoices.id')
      .innerJoin('orders', 'orders.id', 'invoices.orderId')
      .leftJoin('opportunities', 'opportunities.id', 'orders.opportunityId')
      .leftJoin('leads', 'leads.id', 'opportunities.leadId')
      .leftJoin('quotes', 'quotes.id', 'orders.quoteId')
      .where('invoices.status', '=', 'paid')
      .where('invoices.id', 'in', (eb) =>
        eb.selectFrom('paymentAllocations as pa').select('pa.invoiceId').where('pa.createdAt', '>=', p.fromUtc).where('pa.createdAt', '<', p.toUtcExclusive),
      )
      .groupBy(['invoices.id', 'leads.createdAt', 'quotes.number'])
      .having((eb) => eb.fn.max('paymentAllocations.createdAt'), '>=', p.fromUtc)
      .having((eb) => eb.fn.max('paymentAllocations.createdAt'), '<', p.toUtcExclusive)
      .select((eb) => [
        'invoices.id',
        eb.fn.max('paymentAllocations.createdAt').as('paidAt'),
        'leads.createdAt as leadAt',
        eb
          .selectFrom('quotes as q2')
          .select((e) => e.fn.min('q2.createdAt').as('firstAt'))
          .whereRef('q2.number', '=', 'quotes.number')
          .as('firstQuoteAt'),
      ]) as any,
    'invoices',
  ).execute();
  const l2c: number[] = [];
  const q2c: number[] = [];
  for (const inv of paid as any[]) {
    if (inv.leadAt) l2c.push(daysBetween(inv.leadAt, inv.paidAt));
    if (inv.firstQuoteAt) q2c.push(daysBetween(String(inv.firstQuoteAt), inv.paidAt));
  }
  if (!paid.length) {
    kpis.leadToCashDays = { value: null, unit: 'days', sample: 0 };
    kpis.quoteToCashDays = { value: null, unit: 'days', sample: 0 };
    return;
  }
  kpis.leadToCashDays = { value: median(l2c), unit: 'days', sample: l2c.length, drill: '/api/v1/invoices?status=paid' };
  kpis.quoteToCashDays = { value: median(q2c), unit: 'days', sample: q2c.length, drill: '/api/v1/invoices?status=paid' };
}

async function breakdown(ctx: Ctx, p: Period, by: NonNullable<KpiQuery['groupBy']>, currency: string): Promise<NonNullable<KpiReport['breakdown']>> {
  const col = { owner: 'ownerId', team: 'teamId', source: 'source', region: 'region' }[by];
  const groups = new Map<string | null, { leadsCreated: number; leadsConverted: number; won: number; lost: number; wonMinor: number }>();
  const g = (k: string | null) => {
    let x = groups.get(k);
    if (!x) groups.set(k, (x = { leadsCreated: 0, leadsConverted: 0, won: 0, lost: 0, wonMinor: 0 }));
    return x;
  };
  if (can(ctx.user, 'lead', 'read')) {
    const leads = await from(ctx, leadDef).where('createdAt', '>=', p.fromUtc).where('createdAt', '<', p.toUtcExclusive).select([col, 'status']).execute();
    for (const l of leads as any[]) {
      const x = g(l[col] ?? null);
      x.leadsCreated++;
      if (l.status === 'converted') x.leadsConverted++;
    }
  }
  if (can(ctx.user, 'opportunity', 'read') && (by === 'owner' || by === 'team')) {
    const opps = await from(ctx, opportunityDef)
      .where('closedAt', '>=', p.fromUtc)
      .where('closedAt', '<', p.toUtcExclusive)
      .where('status', 'in', ['won', 'lost'])
      .select([col, 'status', 'amountMinor', 'currency'])
      .execute();
    for (const o of opps as any[]) {
      const x = g(o[col] ?? null);
      if (o.status === 'won') {
        x.won++;
        if (o.currency === currency) x.wonMinor += o.amountMinor;
      } else x.lost++;
    }
  }
  const labels = new Map<string, string>();
  const keys = [...groups.keys()].filter((k): k is string => !!k);
  if (keys.length && by === 'owner')
    for (const u of await ctx.db.selectFrom('users').select(['id', 'name']).where('id', 'in', keys).execute()) labels.set(u.id, u.name);
  if (keys.length && by === 'team')
    for (const t of await ctx.db.selectFrom('teams').select(['id', 'name']).where('id', 'in', keys).execute()) labels.set(t.id, t.name);
  return [...groups.entries()]
    .map(([key, x]) => ({
      key,
      label: key === null ? '—' : (labels.get(key) ?? key),
      ...x,
      conversionRate: percent(x.leadsConverted, x.leadsCreated),
      winRate: percent(x.won, x.won + x.lost),
    }))
    .sort((a, b) => b.leadsCreated + b.won - (a.leadsCreated + a.won));
}
