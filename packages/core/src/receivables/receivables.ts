import type { Ctx } from '../platform/context.ts';
import { fieldError } from '../platform/errors.ts';
import { SYSTEM, assertCan } from '../platform/permissions.ts';
import { addDays, today } from '../platform/clock.ts';
import { loadVisible } from '../platform/records.ts';
import { accountDef } from '../sales/defs.ts';
import { legalEntityFor } from '../billing/legal-entities.ts';
import type { Money } from '../money/money.ts';
import { monthOf, monthsInRange } from '../money/dates.ts';
import { agingReport, DEFAULT_AGING_BOUNDARIES, daysPastDue, dsoCountback, dsoStandard } from '../money/aging.ts';
import { creditedByMonth, invoicedByMonth, receivableInvoices, unallocatedPayments } from './ar.repo.ts';
import { chargesForAging } from '../collections/charges.repo.ts';
import { AccountBalanceQuery, AgingQuery, DsoQuery, type AccountBalanceDto, type AgingDto, type DsoDto } from './receivables.schema.ts';

/**
 * Receivables read models, all derived from the documents (invoices, credit notes, payment
 * allocations, refunds): an account's balance, aging and DSO. Aging and DSO cover the invoices the
 * caller may see (finance and admins all, sales their team's); a balance covers the whole account
 * once the account itself is visible.
 */

/** An amount for the money library's pure functions (exact bigint minor units). */
const money = (minor: number, currency: string): Money => ({ minor: BigInt(minor), currency });

/** Today and the default currency, from the first legal entity. */
async function defaults(ctx: Ctx): Promise<{ today: string; currency: string }> {
  const le = await legalEntityFor(ctx.db, null);
  return { today: today(le.timezone), currency: le.currency };
}

export async function accountBalance(ctx: Ctx, accountId: string, input: unknown = {}): Promise<AccountBalanceDto> {
  const q = AccountBalanceQuery.parse(input ?? {});
  const account = await loadVisible(ctx, accountDef, accountId);
  assertCan(ctx.user, 'invoice', 'read');
  const currency = q.currency ?? account.currency;
  const { today: asOf } = await defaults(ctx);
  const rows = await receivableInvoices({ ...ctx, user: SYSTEM }, { currency, accountId: account.id });
  const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + f(r), 0);
  const outstandingMinor = sum((r) => r.outstandingMinor);
  const pay = await unallocatedPayments(ctx.db, account.id, currency);
  const limit = account.creditLimitMinor === null ? null : Number(account.creditLimitMinor);
  return {
    accountId: account.id,
    currency,
    asOf,
    invoicedMinor: sum((r) => r.totalMinor),
    creditedMinor: sum((r) => r.creditedMinor),
    paidMinor: sum((r) => r.paidMinor),
    outstandingMinor,
    overdueMinor: sum((r) => (r.dueDate < asOf ? r.outstandingMinor : 0)),
    unallocatedPaymentsMinor: pay.unallocatedMinor,
    creditBalanceMinor: pay.unallocatedMinor,
    refundedMinor: pay.refundedMinor,
    netBalanceMinor: outstandingMinor - pay.unallocatedMinor,
    creditLimitMinor: limit,
    availableCreditMinor: limit !== null && currency === account.currency ? limit - outstandingMinor : null,
  };
}

const BUCKET_LABELS: Record<string, string> = {
  current: 'current (not yet due)',
  '1_30': '1–30 days past due',
  '31_60': '31–60 days past due',
  '61_90': '61–90 days past due',
  over_90: 'over 90 days past due',
};

export const AGING_RULE =
  'days past due = as-of date − due date; current: due on the as-of date or later (≤ 0); 1–30: 1 to 30; 31–60: 31 to 60; 61–90: 61 to 90; over 90: 91 or more. ' +
  'Outstanding as of the date: invoices issued on or before it, less payments effective and credit notes issued on or before it.';

/** Aging of what issued invoices still owe as of a date, per account (or in total) and bucket. */
export async function receivablesAging(ctx: Ctx, input: unknown = {}): Promise<AgingDto> {
  const q = AgingQuery.parse(input ?? {});
  assertCan(ctx.user, 'invoice', 'read');
  const d = await defaults(ctx);
  const asOf = q.asOf ?? d.today;
  const currency = q.currency ?? d.currency;
  const groupBy = q.groupBy ?? 'account';
  // Dunning charges (late fees and interest) are open items of their own, aged from their due date.
  const rows = [...(await receivableInvoices(ctx, { currency, asOf })), ...(await chargesForAging(ctx, { currency, asOf }))].filter((r) => r.outstandingMinor > 0);
  const item = (r: (typeof rows)[number]) => ({ id: r.id, dueDate: r.dueDate, outstanding: money(r.outstandingMinor, currency) });
  const summary = (items: typeof rows) => {
    const rep = agingReport(items.map(item), asOf, currency);
    return {
      buckets: Object.fromEntries(rep.buckets.map((b) => [b.key, Number(b.total.minor)])),
      totalMinor: Number(rep.total.minor),
      invoiceCount: items.length,
    };
  };
  const template = agingReport([], asOf, currency).buckets;
  let out: AgingDto['rows'] = [];
  if (groupBy === 'account') {
    const byAccount = new Map<string, typeof rows>();
    for (const r of rows) byAccount.set(r.accountId, [...(byAccount.get(r.accountId) ?? []), r]);
    const ids = [...byAccount.keys()];
    const names = new Map(
      ids.length ? (await ctx.db.selectFrom('accounts').select(['id', 'name']).where('id', 'in', ids).execute()).map((a) => [a.id, a.name]) : [],
    );
    out = ids
      .map((id) => ({ accountId: id, accountName: names.get(id) ?? null, ...summary(byAccount.get(id)!) }))
      .sort((a, b) => b.totalMinor - a.totalMinor || a.accountId.localeCompare(b.accountId));
  }
  return {
    asOf,
    currency,
    groupBy,
    buckets: template.map((b) => ({ key: b.key, label: BUCKET_LABELS[b.key] ?? b.key, minDaysPastDue: b.minDays, maxDaysPastDue: b.maxDays })),
    rule: AGING_RULE,
    rows: out,
    totals: summary(rows),
  };
}

const COUNTBACK_MONTHS = 24;

/**
 * Days sales outstanding over a period, both ways:
 * - standard: receivables at the end of the period ÷ revenue of the period × days in the period;
 * - countback: from the last month of the period backwards, whole months while the receivables
 *   left cover their revenue, then the fraction of the month that covers the rest.
 * Revenue is what was invoiced (tax included, like receivables) less credit notes, by issue date.
 */
export async function receivablesDso(ctx: Ctx, input: unknown = {}): Promise<DsoDto> {
  const q = DsoQuery.parse(input ?? {});
  assertCan(ctx.user, 'invoice', 'read');
  const d = await defaults(ctx);
  const to = q.to ?? d.today;
  const from = q.from ?? addDays(to, -89);
  const currency = q.currency ?? d.currency;
  if (from > to) throw fieldError('from', 'the period starts after it ends', 'invalid_period');
  const periodDays = daysPastDue(from, to) + 1;
  const receivablesMinor = (await receivableInvoices(ctx, { currency, asOf: to })).reduce((s, r) => s + r.outstandingMinor, 0);

  const startYear = Number(to.slice(0, 4));
  const startMonth = Number(to.slice(5, 7)) - (COUNTBACK_MONTHS - 1);
  const y = startYear + Math.floor((startMonth - 1) / 12);
  const m = ((((startMonth - 1) % 12) + 12) % 12) + 1;
  const windowStart = monthOf(`${y}-${String(m).padStart(2, '0')}-01`).start;
  const earliest = from < windowStart ? from : windowStart;
  const [invoiced, credited] = await Promise.all([invoicedByMonth(ctx, currency, earliest, to), creditedByMonth(ctx, currency, earliest, to)]);
  const revenueOfMonth = (month: string) => (invoiced.get(month) ?? 0) - (credited.get(month) ?? 0);

  // Revenue of the period itself: by month, with months the period only partly covers read exactly.
  let revenueMinor = 0;
  for (const part of monthsInRange(from, to)) {
    const whole = monthOf(part.start);
    if (part.start === whole.start && part.end === whole.end) revenueMinor += revenueOfMonth(part.month);
    else revenueMinor += await revenueBetween(ctx, currency, part.start, part.end);
  }

  const months = monthsInRange(windowStart, to)
    .reverse()
    .map((p) => ({ month: p.month, revenueMinor: Math.max(revenueOfMonth(p.month), 0), days: p.days }));
  const countback = dsoCountback(
    money(receivablesMinor, currency),
    months.map((x) => ({ month: x.month, revenue: money(x.revenueMinor, currency), days: x.days })),
  );
  const standard = revenueMinor > 0 ? dsoStandard(money(receivablesMinor, currency), money(revenueMinor, currency), periodDays) : null;
  return {
    from,
    to,
    currency,
    periodDays,
    receivablesMinor,
    revenueMinor,
    standardDays: standard ? Number(standard.value) : null,
    countbackDays: Number(countback.value),
    countbackExhausted: countback.exhausted,
    countbackMonths: months.slice(0, countback.used.length),
    formulas: {
      standard: 'receivables at `to` ÷ revenue from `from` to `to` × days in the period',
      countback: 'walk back month by month from `to`: add a month’s days while the receivables left ≥ its revenue (and subtract it), then receivables left ÷ that month’s revenue × its days',
    },
  };
}

async function revenueBetween(ctx: Ctx, currency: string, from: string, to: string): Promise<number> {
  const [inv, cr] = await Promise.all([invoicedByMonth(ctx, currency, from, to), creditedByMonth(ctx, currency, from, to)]);
  const total = (m: Map<string, number>) => [...m.values()].reduce((s, v) => s + v, 0);
  return total(inv) - total(cr);
}

export { DEFAULT_AGING_BOUNDARIES };
