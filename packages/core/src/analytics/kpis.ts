import { z } from 'zod';
import type { RawBuilder } from 'kysely';
import { sql, type Db, type Dialect } from '@openltc/db';
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
import { medianOfTenths, period, type Period } from './period.ts';

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
    // Counted by the database: the cohort by its creation index, the converted leads by
    // (status, created_at, converted_at, converted_opportunity_id) with their nurturing times as a
    // histogram of tenths of a day — a year's cohort of a large company is half a million leads and
    // tens of thousands of conversions, which neither the dashboard nor this process must carry.
    const counts = await inPeriod('createdAt')(from(ctx, leadDef)).select((eb: any) => eb.fn.countAll().as('n')).executeTakeFirst();
    const cohortSize = Number(counts?.n ?? 0);
    const nurtureDays = tenthsOfDays(ctx.dialect, 'createdAt', 'convertedAt');
    const conv = await inPeriod('createdAt')(from(ctx, leadDef))
      .where('status', '=', 'converted')
      .select((eb: any) => [
        nurtureDays.as('tenths'),
        eb.fn.countAll().as('n'),
        eb.fn.sum(eb.case().when('convertedOpportunityId', 'is not', null).then(1).else(0).end()).as('withOpp'),
      ])
      .groupBy(nurtureDays)
      .execute();
    const convertedCount = conv.reduce((t: number, r: any) => t + Number(r.n), 0);
    const withOpp = conv.reduce((t: number, r: any) => t + Number(r.withOpp ?? 0), 0);
    const nurture = histogram(conv);
    const drill = `/api/v1/leads?${q({ createdFrom: p.fromUtc, createdTo: beforeEnd(p) })}`;
    kpis.leadsCreated = { value: cohortSize, unit: 'count', drill };
    kpis.leadConversionRate = { value: percent(convertedCount, cohortSize), unit: 'percent', numerator: convertedCount, denominator: cohortSize, drill: `${drill}&status=converted` };
    kpis.leadToOpportunityRatio = { value: percent(withOpp, cohortSize), unit: 'percent', numerator: withOpp, denominator: cohortSize, drill: `${drill}&status=converted` };
    kpis.leadNurturingDays = { value: medianOfTenths(nurture), unit: 'days', sample: sampleOf(nurture), drill: `${drill}&status=converted` };
  }

  if (can(ctx.user, 'opportunity', 'read')) {
    const created = await inPeriod('createdAt')(from(ctx, opportunityDef)).select((eb: any) => eb.fn.countAll().as('n')).executeTakeFirst();
    kpis.opportunitiesCreated = { value: Number(created?.n ?? 0), unit: 'count', drill: `/api/v1/opportunities?${q({ createdFrom: p.fromUtc })}` };
    // Won and lost deals of the period counted and summed by the database per status and currency, their
    // cycle times as a histogram (index (status, closed_at, currency, amount_minor, created_at, owner, team)).
    const cycleDays = tenthsOfDays(ctx.dialect, 'createdAt', 'closedAt');
    const closed = await inPeriod('closedAt')(from(ctx, opportunityDef))
      .where('status', 'in', ['won', 'lost'])
      .select((eb: any) => ['status', 'currency', cycleDays.as('tenths'), eb.fn.countAll().as('n'), eb.fn.sum('amountMinor').as('amount')])
      .groupBy(['status', 'currency', cycleDays])
      .execute();
    let wonCount = 0;
    let closedCount = 0;
    let wonValue = 0;
    let closedValue = 0;
    for (const g of closed as any[]) {
      const n = Number(g.n);
      closedCount += n;
      if (g.status === 'won') wonCount += n;
      if (g.currency !== currency) {
        otherCurrencyDocs += n;
        continue;
      }
      const amount = Number(exactSum(g.amount ?? 0));
      closedValue += amount;
      if (g.status === 'won') wonValue += amount;
    }
    const drill = `/api/v1/opportunities?${q({ closedFrom: p.fromUtc, closedTo: beforeEnd(p) })}`;
    kpis.winRate = { value: percent(wonCount, closedCount), unit: 'percent', numerator: wonCount, denominator: closedCount, drill };
    kpis.winRateByValue = { value: percent(wonValue, closedValue), unit: 'percent', numerator: wonValue, denominator: closedValue, drill };
    kpis.wonAmount = { value: wonValue, unit: 'minor', sample: wonCount, drill: `${drill}&status=won` };
    const cycle = histogram(closed);
    kpis.opportunityCycleDays = { value: medianOfTenths(cycle), unit: 'days', sample: sampleOf(cycle), drill };
    // Summed by the database per currency and close date (amount × probability in 64-bit integers), in
    // the order of the index (status, currency, expected_close_date, amount_minor, probability), so no
    // open deal is loaded nor sorted; the dates are folded into months here (a few thousand groups).
    const groups = await from(ctx, opportunityDef)
      .where('status', '=', 'open')
      .select((eb: any) => [
        'currency',
        'expectedCloseDate',
        eb.fn.countAll().as('n'),
        eb.fn.sum('amountMinor').as('amount'),
        eb.fn.sum(eb('amountMinor', '*', eb.ref('probability'))).as('weighted'),
      ])
      .groupBy(['currency', 'expectedCloseDate'])
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
      const month = g.expectedCloseDate ? String(g.expectedCloseDate).slice(0, 7) : 'none';
      const m = byMonth.get(month) ?? { count: 0, amount: 0, weighted: 0n };
      m.count += n;
      m.amount += Number(exactSum(g.amount));
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
    const fulfilmentDays = tenthsOfDays(ctx.dialect, 'confirmedAt', 'fulfilledAt');
    const fulfilled = histogram(
      await inPeriod('fulfilledAt')(from(ctx, orderDef))
        .where('confirmedAt', 'is not', null)
        .select((eb: any) => [fulfilmentDays.as('tenths'), eb.fn.countAll().as('n')])
        .groupBy(fulfilmentDays)
        .execute(),
    );
    kpis.orderFulfilmentDays = { value: medianOfTenths(fulfilled), unit: 'days', sample: sampleOf(fulfilled), drill: '/api/v1/orders?status=fulfilled' };
  }
  if (can(ctx.user, 'delivery', 'read')) {
    const deliveryDays = tenthsOfDays(ctx.dialect, 'shippedAt', 'acceptedAt');
    const accepted = histogram(
      await inPeriod('acceptedAt')(from(ctx, deliveryDef))
        .where('shippedAt', 'is not', null)
        .where('shippedAt', '<>', '')
        .select((eb: any) => [deliveryDays.as('tenths'), eb.fn.countAll().as('n')])
        .groupBy(deliveryDays)
        .execute(),
    );
    kpis.deliveryCycleDays = { value: medianOfTenths(accepted), unit: 'days', sample: sampleOf(accepted), drill: '/api/v1/deliveries?status=accepted' };
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

/**
 * The days between two instant columns in tenths of a day, rounded half up exactly as `daysBetween`
 * rounds them (`tenthsBetween`), computed by the database so that a median needs only the histogram:
 * the whole milliseconds between the instants, then floor((ms + 4,320,000) / 8,640,000) in integers.
 * Null when either instant is.
 */
export function tenthsOfDays(dialect: Dialect, fromCol: string, toCol: string): RawBuilder<number | null> {
  const a = sql.ref(fromCol);
  const b = sql.ref(toCol);
  // PostgreSQL: in double precision (date_part), not numeric (extract): a year's histogram is 70k rows
  // and numeric arithmetic doubled the statement's time. Still exact: the instants carry whole
  // milliseconds, an epoch of 2 × 10⁹ s is held to 10⁻⁷ s, so round(… × 1000) gives the integer
  // milliseconds; and (ms + 4,320,000) / 8,640,000 is at least 10⁻¹¹ away from the next integer when it
  // is not one (|ms| < 10¹³), far above a double's rounding, so floor() cannot step over a boundary.
  if (dialect === 'postgres')
    return sql<number | null>`floor((round((date_part('epoch', ${b}::timestamptz) - date_part('epoch', ${a}::timestamptz)) * 1000) + 4320000) / 8640000)::int`;
  // SQLite: julianday() is the instant's integer milliseconds / 86,400,000, so the difference × 86,400,000
  // rounds back to the exact milliseconds; integer division truncates, hence the case for negative spans.
  const x = sql`(cast(round((julianday(${b}) - julianday(${a})) * 86400000) as integer) + 4320000)`;
  return sql<number | null>`(case when ${x} >= 0 then ${x} / 8640000 else (${x} - 8639999) / 8640000 end)`;
}

/** The rows of a histogram query (tenths, n), without the group whose instants are missing. */
function histogram(rows: ReadonlyArray<any>): Array<{ tenths: number; n: number }> {
  return rows.filter((r) => r.tenths !== null && r.tenths !== undefined).map((r) => ({ tenths: Number(r.tenths), n: Number(r.n) }));
}

const sampleOf = (h: ReadonlyArray<{ n: number }>) => h.reduce((t, x) => t + x.n, 0);

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
  // Read from the invoice alone: a paid invoice keeps its last allocation's instant (`paid_at`) and the
  // instants its lead and its quote's first version were created (migration 019, written when it is
  // settled), so each figure is one range scan of (status, paid_at, lead_created_at,
  // first_quote_created_at, owner_id, team_id) folded into a histogram of tenths of a day — not a walk
  // from tens of thousands of paid invoices back through order → opportunity → lead and the quote's
  // versions. An invoice without a lead (or a quote) is counted as paid but has no duration.
  const histogramOf = (kind: 'lead' | 'quote', origin: string) => (qb: any) => {
    const days = tenthsOfDays(ctx.dialect, origin, 'paidAt');
    return applyScope(ctx, invoiceDef, qb.selectFrom('invoices'))
      .where('status', '=', 'paid')
      .where('paidAt', '>=', p.fromUtc)
      .where('paidAt', '<', p.toUtcExclusive)
      .select((eb: any) => [sql.lit(kind).as('kind'), days.as('tenths'), eb.fn.countAll().as('n')])
      .groupBy(days);
  };
  const rows = await histogramOf('lead', 'leadCreatedAt')(ctx.db as any)
    .unionAll((eb: any) => histogramOf('quote', 'firstQuoteCreatedAt')(eb))
    .execute();
  const paidCount = rows.filter((r: any) => r.kind === 'lead').reduce((t: number, r: any) => t + Number(r.n), 0);
  if (!paidCount) {
    kpis.leadToCashDays = { value: null, unit: 'days', sample: 0 };
    kpis.quoteToCashDays = { value: null, unit: 'days', sample: 0 };
    return;
  }
  const l2c = histogram(rows.filter((r: any) => r.kind === 'lead'));
  const q2c = histogram(rows.filter((r: any) => r.kind === 'quote'));
  kpis.leadToCashDays = { value: medianOfTenths(l2c), unit: 'days', sample: sampleOf(l2c), drill: '/api/v1/invoices?status=paid' };
  kpis.quoteToCashDays = { value: medianOfTenths(q2c), unit: 'days', sample: sampleOf(q2c), drill: '/api/v1/invoices?status=paid' };
}

async function breakdown(ctx: Ctx, p: Period, by: NonNullable<KpiQuery['groupBy']>, currency: string): Promise<NonNullable<KpiReport['breakdown']>> {
  const col = { owner: 'ownerId', team: 'teamId', source: 'source', region: 'region' }[by];
  const groups = new Map<string | null, { leadsCreated: number; leadsConverted: number; won: number; lost: number; wonMinor: number }>();
  const g = (k: string | null) => {
    let x = groups.get(k);
    if (!x) groups.set(k, (x = { leadsCreated: 0, leadsConverted: 0, won: 0, lost: 0, wonMinor: 0 }));
    return x;
  };
  // Counted by the database per group (a year's leads are not loaded to be counted).
  if (can(ctx.user, 'lead', 'read')) {
    const leads = await from(ctx, leadDef)
      .where('createdAt', '>=', p.fromUtc)
      .where('createdAt', '<', p.toUtcExclusive)
      .select((eb: any) => [`${col} as key`, eb.fn.countAll().as('n'), eb.fn.sum(eb.case().when('status', '=', 'converted').then(1).else(0).end()).as('converted')])
      .groupBy(col)
      .execute();
    for (const l of leads as any[]) {
      const x = g(l.key ?? null);
      x.leadsCreated += Number(l.n);
      x.leadsConverted += Number(l.converted ?? 0);
    }
  }
  if (can(ctx.user, 'opportunity', 'read') && (by === 'owner' || by === 'team')) {
    const opps = await from(ctx, opportunityDef)
      .where('closedAt', '>=', p.fromUtc)
      .where('closedAt', '<', p.toUtcExclusive)
      .where('status', 'in', ['won', 'lost'])
      .select((eb: any) => [`${col} as key`, 'status', 'currency', eb.fn.countAll().as('n'), eb.fn.sum('amountMinor').as('amount')])
      .groupBy([col, 'status', 'currency'])
      .execute();
    for (const o of opps as any[]) {
      const x = g(o.key ?? null);
      const n = Number(o.n);
      if (o.status === 'won') {
        x.won += n;
        if (o.currency === currency) x.wonMinor += Number(exactSum(o.amount ?? 0));
      } else x.lost += n;
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
