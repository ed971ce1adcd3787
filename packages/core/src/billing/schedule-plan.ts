import { allocateMinor } from '../money/money.ts';
import { dateOfDay, dayNumber } from '../money/dates.ts';
import { fieldError, validationError, type FieldError } from '../platform/errors.ts';

/**
 * Pure rules of billing schedules: percent plans to amounts, recurring periods with proration by
 * days, and the exact share of every order line that each item bills. No I/O: the use cases in
 * schedules.ts call these, and the tests check them exhaustively.
 */

/** Percent of a whole, with up to 4 decimals ("30", "33.3333"), as an integer in 1/10,000 of a percent. */
const PERCENT_RE = /^(\d{1,3})(?:\.(\d{1,4}))?$/;
export const HUNDRED_PERCENT = 1_000_000n;

export function parsePercent(s: string, path = 'percent'): bigint {
  const m = PERCENT_RE.exec(s);
  if (!m) throw fieldError(path, `"${s}" is not a percentage like 30 or 33.3333`, 'invalid_percent');
  const v = BigInt(m[1]! + (m[2] ?? '').padEnd(4, '0'));
  if (v <= 0n || v > HUNDRED_PERCENT) throw fieldError(path, 'a percentage must be more than 0 and at most 100', 'invalid_percent');
  return v;
}

/**
 * The amounts of a percent plan over `totalMinor`: the percentages must add up to exactly 100, and
 * the amounts are split by largest remainder, so they add up to the total to the fen (30 / 60 / 10
 * of ¥1,000.01 → 300.00 / 600.01 / 100.00).
 */
export function percentPlanAmounts(totalMinor: bigint, percents: readonly string[], path = 'items'): bigint[] {
  const parsed = percents.map((p, i) => parsePercent(p, `${path}.${i}.percent`));
  const sum = parsed.reduce((a, b) => a + b, 0n);
  if (sum !== HUNDRED_PERCENT)
    throw fieldError(path, `the percentages add up to ${formatPercent(sum)}%, not 100%`, 'percent_total');
  return allocateMinor(totalMinor, parsed);
}

export function formatPercent(v: bigint): string {
  const s = v.toString().padStart(5, '0');
  const whole = s.slice(0, -4);
  const frac = s.slice(-4).replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : whole;
}

// ---------------------------------------------------------------------------------------------
// Recurring periods
// ---------------------------------------------------------------------------------------------

export type Frequency = 'monthly' | 'quarterly' | 'yearly';
export type Timing = 'advance' | 'arrears';
export const FREQUENCIES: readonly Frequency[] = ['monthly', 'quarterly', 'yearly'];
export const TIMINGS: readonly Timing[] = ['advance', 'arrears'];

export interface Period {
  /** The part of the service term in this period (inclusive). */
  start: string;
  end: string;
  /** Days of the term in the period, and days of the whole calendar period. */
  coveredDays: number;
  periodDays: number;
  /** In advance: the first day billed; in arrears: the last day billed. */
  billDate: string;
}

const MONTHS: Record<Frequency, number> = { monthly: 1, quarterly: 3, yearly: 12 };

/** The calendar period (natural month, quarter or year: 自然月/季/年) that contains `day`. */
function calendarPeriod(day: number, f: Frequency): { start: number; end: number } {
  const d = dateOfDay(day);
  const y = Number(d.slice(0, 4));
  const m = Number(d.slice(5, 7));
  const n = MONTHS[f];
  const firstMonth = Math.floor((m - 1) / n) * n; // 0-based month the period starts in
  const start = Date.UTC(y, firstMonth, 1) / 86_400_000;
  const end = Date.UTC(y, firstMonth + n, 1) / 86_400_000 - 1;
  return { start, end };
}

/**
 * The billing periods of a service term [startDate, endDate] (both inclusive), aligned to calendar
 * months, quarters or years. A term that starts or ends inside a period gives a partial first or
 * last period; its share is prorated by days (see recurringAmounts).
 */
export function recurringPeriods(startDate: string, endDate: string, frequency: Frequency, timing: Timing): Period[] {
  const s = dayNumber(startDate, 'startDate');
  const e = dayNumber(endDate, 'endDate');
  if (e < s) throw fieldError('endDate', 'the service term ends before it starts', 'invalid_period');
  const out: Period[] = [];
  let cur = s;
  while (cur <= e) {
    const p = calendarPeriod(cur, frequency);
    const last = Math.min(p.end, e);
    out.push({
      start: dateOfDay(cur),
      end: dateOfDay(last),
      coveredDays: last - cur + 1,
      periodDays: p.end - p.start + 1,
      billDate: dateOfDay(timing === 'advance' ? cur : last),
    });
    cur = last + 1;
    if (out.length > 1200) throw fieldError('endDate', 'a recurring schedule has at most 1,200 periods', 'too_many_periods');
  }
  return out;
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

/**
 * Spreads a line's amount over its periods. Rule (documented in the README): a full period weighs 1,
 * a partial period weighs coveredDays / daysOfThatCalendarPeriod (so 17 days of a 31-day January
 * weigh 17/31, 14 days of a 30-day April 14/30); the amount is split by largest remainder in
 * proportion to the weights, computed exactly over a common denominator. The parts add up to the
 * line to the fen, full periods get equal amounts (within one fen), and nothing passes through a float.
 */
export function recurringAmounts(totalMinor: bigint, periods: readonly Period[]): bigint[] {
  let lcm = 1n;
  for (const p of periods) {
    const d = BigInt(p.periodDays);
    lcm = (lcm / gcd(lcm, d)) * d;
  }
  return allocateMinor(
    totalMinor,
    periods.map((p) => (BigInt(p.coveredDays) * lcm) / BigInt(p.periodDays)),
  );
}

// ---------------------------------------------------------------------------------------------
// Line split: which part of each order line an item bills
// ---------------------------------------------------------------------------------------------

export interface SplitLine {
  id: string;
  qtyMilli: number;
  netMinor: number;
  taxMinor: number;
}

export interface SplitItem {
  /** The order lines this item bills a part of. Items of one basis list the same lines. */
  lineIds: readonly string[];
  amountMinor: bigint;
}

export interface LinePart {
  orderLineId: string;
  qtyMilli: number;
  netMinor: number;
  taxMinor: number;
}

/**
 * The share of each order line that each item bills, so that an item's parts add up to its amount
 * and every line's parts add up to the line (quantity, net and tax) exactly.
 *
 * Items are taken in schedule order. An item's amount is split over its lines in proportion to what
 * is still unbilled on each (largest remainder), and each line's part into net and tax in
 * proportion to the line's unbilled net and tax; the quantity follows the same proportion. Since an
 * item never exceeds what is left on its lines, no part is negative or larger than what is left, and
 * the last item of a basis takes exactly the remainder of every line. Tax therefore always comes from
 * the order lines' own rates and rounding: an invoice never recomputes tax on a percentage.
 */
export function splitItems(lines: readonly SplitLine[], items: readonly SplitItem[]): LinePart[][] {
  const left = new Map(lines.map((l) => [l.id, { qty: BigInt(l.qtyMilli), net: BigInt(l.netMinor), tax: BigInt(l.taxMinor) }]));
  return items.map((item, i) => {
    const rows = item.lineIds.map((id) => {
      const r = left.get(id);
      if (!r) throw new RangeError(`item ${i} names an unknown order line ${id}`);
      return { id, r };
    });
    const remaining = rows.map(({ r }) => r.net + r.tax);
    const totalLeft = remaining.reduce((a, b) => a + b, 0n);
    if (item.amountMinor < 0n || item.amountMinor > totalLeft)
      throw new RangeError(`item ${i} bills ${item.amountMinor}, more than the ${totalLeft} left on its lines`);
    const parts = allocateMinor(item.amountMinor, remaining);
    return rows.map(({ id, r }, k) => {
      const g = parts[k]!;
      const lineLeft = remaining[k]!;
      let net: bigint, tax: bigint, qty: bigint;
      if (g === lineLeft) {
        [net, tax, qty] = [r.net, r.tax, r.qty];
      } else {
        [net, tax] = allocateMinor(g, [r.net, r.tax]) as [bigint, bigint];
        qty = allocateMinor(r.qty, [g, lineLeft - g])[0]!;
      }
      r.net -= net;
      r.tax -= tax;
      r.qty -= qty;
      return { orderLineId: id, qtyMilli: Number(qty), netMinor: Number(net), taxMinor: Number(tax) };
    });
  });
}

/** Refuses amounts that do not add up to the basis they bill (amount plans), naming the difference. */
export function assertAmountsAddUp(basisMinor: bigint, amounts: readonly bigint[], path: string, what: string): void {
  const sum = amounts.reduce((a, b) => a + b, 0n);
  if (sum !== basisMinor) {
    const errors: FieldError[] = [{ path, message: `the amounts add up to ${sum}, not the ${basisMinor} of ${what}`, code: 'amount_total' }];
    throw validationError(errors);
  }
}
