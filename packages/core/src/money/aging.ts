import { AppError, fieldError } from '../platform/errors.ts';
import type { Fraction } from '../platform/money.ts';
import { currencyMismatch, type Money } from './money.ts';
import { dayNumber } from './dates.ts';
import { addFractions, formatFraction, reduceFraction } from './rounding.ts';

/**
 * Receivables aging and days sales outstanding.
 *
 * Days past due = as-of date − due date, in calendar days. Buckets (with the default boundaries
 * 30, 60, 90):
 *   current  — not yet past due: due today or later (days past due ≤ 0)
 *   1–30     — 1 to 30 days past due
 *   31–60    — 31 to 60
 *   61–90    — 61 to 90
 *   over 90  — 91 days or more
 * An invoice due on 31 March is current on 31 March, 1 day past due on 1 April, in 1–30 until
 * 30 April, and in 31–60 from 1 May.
 */
export const DEFAULT_AGING_BOUNDARIES: readonly number[] = Object.freeze([30, 60, 90]);

export interface AgingItem {
  id: string;
  dueDate: string;
  /** What is still owed; a negative amount (an unapplied credit) ages by its own date too. */
  outstanding: Money;
}

export interface AgingBucket {
  key: string;
  /** Inclusive day range past due; null min for current, null max for the open last bucket. */
  minDays: number | null;
  maxDays: number | null;
  total: Money;
  itemIds: string[];
}

export interface AgingReport {
  asOf: string;
  buckets: AgingBucket[];
  total: Money;
}

export function daysPastDue(dueDate: string, asOf: string): number {
  return dayNumber(asOf, 'asOf') - dayNumber(dueDate, 'dueDate');
}

function checkBoundaries(b: readonly number[]): void {
  if (!b.length) throw fieldError('boundaries', 'aging needs at least one boundary', 'invalid_boundaries');
  b.forEach((x, i) => {
    if (!Number.isSafeInteger(x) || x < 1 || (i > 0 && x <= b[i - 1]!))
      throw fieldError(`boundaries.${i}`, 'boundaries are increasing whole numbers of days ≥ 1', 'invalid_boundaries');
  });
}

/** The index of the bucket for a number of days past due: 0 is current. */
export function bucketIndex(dpd: number, boundaries: readonly number[] = DEFAULT_AGING_BOUNDARIES): number {
  if (dpd <= 0) return 0;
  const i = boundaries.findIndex((b) => dpd <= b);
  return i === -1 ? boundaries.length + 1 : i + 1;
}

/** The buckets (empty) for the boundaries: current, 1–b1, b1+1–b2, …, over bn. */
export function agingBuckets(currency: string, boundaries: readonly number[] = DEFAULT_AGING_BOUNDARIES): AgingBucket[] {
  checkBoundaries(boundaries);
  const zero = (): Money => ({ minor: 0n, currency });
  const out: AgingBucket[] = [{ key: 'current', minDays: null, maxDays: 0, total: zero(), itemIds: [] }];
  let lo = 1;
  for (const b of boundaries) {
    out.push({ key: `${lo}_${b}`, minDays: lo, maxDays: b, total: zero(), itemIds: [] });
    lo = b + 1;
  }
  out.push({ key: `over_${lo - 1}`, minDays: lo, maxDays: null, total: zero(), itemIds: [] });
  return out;
}

/** Ages open items as of a date into buckets; items with nothing outstanding are left out. */
export function agingReport(items: readonly AgingItem[], asOf: string, currency: string, boundaries: readonly number[] = DEFAULT_AGING_BOUNDARIES): AgingReport {
  const buckets = agingBuckets(currency, boundaries);
  let total = 0n;
  for (const it of items) {
    if (it.outstanding.currency !== currency) throw currencyMismatch(it.outstanding.currency, currency, 'age');
    if (it.outstanding.minor === 0n) continue;
    const b = buckets[bucketIndex(daysPastDue(it.dueDate, asOf), boundaries)]!;
    b.total = { minor: b.total.minor + it.outstanding.minor, currency };
    b.itemIds.push(it.id);
    total += it.outstanding.minor;
  }
  return { asOf, buckets, total: { minor: total, currency } };
}

export interface Dso {
  /** Exact days as a fraction. */
  days: Fraction;
  /** Rounded half-up to one decimal: "73.7". */
  value: string;
}

const dso = (days: Fraction): Dso => {
  const r = reduceFraction(days);
  return { days: r, value: formatFraction(r, 1, 'half_up') };
};

/**
 * Standard DSO = receivables at period end ÷ revenue of the period × days in the period.
 * Revenue and receivables are both gross of tax or both net; the caller chooses and stays with it.
 */
export function dsoStandard(receivables: Money, revenue: Money, periodDays: number): Dso {
  if (receivables.currency !== revenue.currency) throw currencyMismatch(receivables.currency, revenue.currency, 'relate');
  if (!Number.isSafeInteger(periodDays) || periodDays <= 0) throw fieldError('periodDays', 'the period must have at least one day', 'invalid_period');
  if (revenue.minor <= 0n) throw new AppError(422, 'no_revenue', 'No revenue', 'DSO needs revenue above zero in the period');
  const ar = receivables.minor < 0n ? 0n : receivables.minor;
  return dso({ num: ar * BigInt(periodDays), den: revenue.minor });
}

export interface MonthRevenue {
  /** A label for the month, such as 2026-03. */
  month: string;
  revenue: Money;
  days: number;
}

export interface CountbackDso extends Dso {
  /** True when the receivables exceed all the revenue given: DSO is at least `days`. */
  exhausted: boolean;
  /** The months used, most recent first, with the part of each that the receivables consumed. */
  used: Array<{ month: string; consumed: Money; days: Fraction }>;
}

/**
 * Countback DSO: walk back from the most recent month; while the receivables left are at least a
 * month's revenue, take the whole month (all its days) and subtract its revenue; for the month that
 * is only partly covered add receivables left ÷ its revenue × its days. `months` is most recent
 * first. A month without revenue counts its days in full.
 */
export function dsoCountback(receivables: Money, months: readonly MonthRevenue[]): CountbackDso {
  let left = receivables.minor < 0n ? 0n : receivables.minor;
  let days: Fraction = { num: 0n, den: 1n };
  const used: CountbackDso['used'] = [];
  for (const m of months) {
    if (m.revenue.currency !== receivables.currency) throw currencyMismatch(m.revenue.currency, receivables.currency, 'relate');
    if (!Number.isSafeInteger(m.days) || m.days <= 0) throw fieldError('days', `month ${m.month} must have at least one day`, 'invalid_period');
    if (m.revenue.minor < 0n) throw fieldError('revenue', `month ${m.month} has negative revenue`, 'invalid_revenue');
    if (left === 0n) break;
    if (left >= m.revenue.minor) {
      days = addFractions(days, { num: BigInt(m.days), den: 1n });
      used.push({ month: m.month, consumed: m.revenue, days: { num: BigInt(m.days), den: 1n } });
      left -= m.revenue.minor;
    } else {
      const part = reduceFraction({ num: left * BigInt(m.days), den: m.revenue.minor });
      days = addFractions(days, part);
      used.push({ month: m.month, consumed: { minor: left, currency: receivables.currency }, days: part });
      left = 0n;
    }
  }
  return { ...dso(days), exhausted: left > 0n, used };
}
