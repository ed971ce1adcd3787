import { AppError, fieldError } from '../platform/errors.ts';
import { parseDecimal, roundDiv, type Fraction, type RoundingMode } from '../platform/money.ts';
import { allocateMinor, currencyMismatch, type Money } from './money.ts';
import { addCalendarDays, dayNumber, monthsInRange } from './dates.ts';
import { DEFAULT_ROUNDING_MODE, reduceFraction } from './rounding.ts';

/**
 * Revenue recognition (IFRS 15 / ASC 606): allocation of the transaction price to performance
 * obligations by relative standalone selling price, recognition schedules, and contract
 * modifications. Every schedule adds up exactly to what it schedules.
 */
export interface PerformanceObligation {
  id: string;
  /** Standalone selling price. */
  ssp: Money;
}

export interface AllocatedObligation {
  id: string;
  ssp: Money;
  allocated: Money;
  /** ssp − allocated: the part of the contract discount this obligation bears (negative for a premium). */
  discount: Money;
}

/**
 * Allocates a transaction price to the obligations in proportion to their standalone selling prices
 * (IFRS 15.73–80), by largest remainder so the parts add up to the price exactly. A discount is so
 * spread over all obligations (IFRS 15.81) unless `discountTo` names the obligations the whole
 * discount belongs to (IFRS 15.82): the others then get their standalone selling price and the
 * named ones share the rest by relative SSP.
 */
export function allocateTransactionPrice(price: Money, obligations: readonly PerformanceObligation[], discountTo?: readonly string[]): AllocatedObligation[] {
  if (!obligations.length) throw fieldError('obligations', 'a contract needs at least one performance obligation', 'no_obligations');
  const ids = new Set(obligations.map((o) => o.id));
  if (ids.size !== obligations.length) throw fieldError('obligations', 'obligation ids must be unique', 'duplicate_obligation');
  obligations.forEach((o, i) => {
    if (o.ssp.currency !== price.currency) throw currencyMismatch(o.ssp.currency, price.currency, 'allocate');
    if (o.ssp.minor < 0n) throw fieldError(`obligations.${i}.ssp`, 'a standalone selling price cannot be negative', 'invalid_ssp');
  });
  if (price.minor < 0n) throw fieldError('price', 'a transaction price cannot be negative', 'invalid_price');
  const allocated = new Map<string, bigint>();
  let group = obligations;
  let toShare = price.minor;
  if (discountTo?.length) {
    for (const id of discountTo) if (!ids.has(id)) throw fieldError('discountTo', `obligation ${id} is not in the contract`, 'unknown_reference');
    const named = new Set(discountTo);
    for (const o of obligations) if (!named.has(o.id)) allocated.set(o.id, o.ssp.minor);
    group = obligations.filter((o) => named.has(o.id));
    toShare = price.minor - obligations.filter((o) => !named.has(o.id)).reduce((a, o) => a + o.ssp.minor, 0n);
    if (toShare < 0n)
      throw new AppError(422, 'discount_exceeds_obligations', 'Discount too large', 'the obligations named cannot bear the whole discount: their share would be negative');
  }
  allocateMinor(
    toShare,
    group.map((o) => o.ssp.minor),
  ).forEach((a, i) => allocated.set(group[i]!.id, a));
  return obligations.map((o) => {
    const a = allocated.get(o.id)!;
    return { id: o.id, ssp: o.ssp, allocated: { minor: a, currency: price.currency }, discount: { minor: o.ssp.minor - a, currency: price.currency } };
  });
}

export interface ScheduleLine {
  /** The period the revenue belongs to (YYYY-MM for ratable lines, else the event's label). */
  period: string;
  /** The day the revenue is recognised on (end of the covered days, or the event date). */
  date: string;
  amount: Money;
  /** First and last day covered, for ratable lines. */
  start?: string;
  end?: string;
  /** 'catch_up' marks a cumulative catch-up adjustment from a contract modification. */
  kind?: 'catch_up';
}

export const scheduleTotal = (lines: readonly ScheduleLine[], currency: string): Money => ({
  minor: lines.reduce((a, l) => {
    if (l.amount.currency !== currency) throw currencyMismatch(l.amount.currency, currency, 'add');
    return a + l.amount.minor;
  }, 0n),
  currency,
});

/** Point in time: everything on the day control passes (delivery, acceptance). */
export function pointInTimeSchedule(amount: Money, date: string, period = date.slice(0, 7)): ScheduleLine[] {
  dayNumber(date);
  return [{ period, date, amount }];
}

/**
 * Ratable over time by days: the amount spread over [start, end] (inclusive) in proportion to the
 * days of each calendar month in the range (daily proration), by largest remainder, so the months
 * add up to the amount exactly. A one-year service from 15 January books 17/365 in January.
 */
export function ratableSchedule(amount: Money, start: string, end: string): ScheduleLine[] {
  const months = monthsInRange(start, end);
  const parts = allocateMinor(
    amount.minor,
    months.map((m) => BigInt(m.days)),
  );
  return months.map((m, i) => ({ period: m.month, date: m.end, start: m.start, end: m.end, amount: { minor: parts[i]!, currency: amount.currency } }));
}

export interface Milestone {
  id: string;
  date: string;
  /** Relative weight (e.g. the milestone's share of the work); or give `amount` on every milestone. */
  weight?: bigint;
  amount?: Money;
}

/**
 * Milestones: by explicit amounts (which must add up to the total) or by weights (largest
 * remainder). Each milestone is recognised on its date.
 */
export function milestoneSchedule(amount: Money, milestones: readonly Milestone[]): ScheduleLine[] {
  if (!milestones.length) throw fieldError('milestones', 'at least one milestone is needed', 'no_milestones');
  milestones.forEach((m, i) => dayNumber(m.date, `milestones.${i}.date`));
  const explicit = milestones.every((m) => m.amount);
  let parts: bigint[];
  if (explicit) {
    parts = milestones.map((m) => {
      if (m.amount!.currency !== amount.currency) throw currencyMismatch(m.amount!.currency, amount.currency, 'schedule');
      return m.amount!.minor;
    });
    const sum = parts.reduce((a, b) => a + b, 0n);
    if (sum !== amount.minor)
      throw fieldError('milestones', `milestone amounts add up to ${sum} minor units, not ${amount.minor}`, 'milestones_do_not_add_up');
  } else {
    if (milestones.some((m) => m.weight === undefined)) throw fieldError('milestones', 'give every milestone a weight, or every milestone an amount', 'invalid_milestones');
    parts = allocateMinor(
      amount.minor,
      milestones.map((m) => m.weight!),
    );
  }
  return milestones.map((m, i) => ({ period: m.id, date: m.date, amount: { minor: parts[i]!, currency: amount.currency } }));
}

export interface ProgressPoint {
  /** The period (e.g. 2026-Q1 or 2026-03) and the day progress is measured. */
  period: string;
  date: string;
  /** Cumulative progress: a decimal string ("0.6") or an exact fraction (costs incurred ÷ expected costs). */
  progress: string | Fraction;
  /** The transaction price from this point on, when a modification or a new estimate changed it. */
  total?: Money;
}

function progressFraction(p: string | Fraction, path: string): Fraction {
  const f = typeof p === 'string' ? parseDecimal(p, path) : reduceFraction(p);
  if (f.num < 0n || f.num > f.den) throw fieldError(path, 'progress is between 0 and 1', 'invalid_progress');
  return f;
}

/**
 * Over time by percent complete (input or output method): each period recognises the cumulative
 * revenue to date (transaction price × cumulative progress, rounded once) less what earlier periods
 * recognised. A change of the transaction price at a point (a modification that is part of the
 * existing contract, or a new estimate of variable consideration) is so taken as a cumulative
 * catch-up in that period (IFRS 15.21(b), 15.88); a period can be negative. At progress 1 the
 * schedule adds up to the transaction price.
 */
export function percentCompleteSchedule(total: Money, points: readonly ProgressPoint[], mode: RoundingMode = DEFAULT_ROUNDING_MODE): ScheduleLine[] {
  let price = total;
  let before = 0n;
  let lastDay = Number.NEGATIVE_INFINITY;
  return points.map((p, i) => {
    const day = dayNumber(p.date, `points.${i}.date`);
    if (day < lastDay) throw fieldError(`points.${i}.date`, 'progress points must be in date order', 'invalid_progress');
    lastDay = day;
    if (p.total) {
      if (p.total.currency !== total.currency) throw currencyMismatch(p.total.currency, total.currency, 'schedule');
      price = p.total;
    }
    const f = progressFraction(p.progress, `points.${i}.progress`);
    const cumulative = roundDiv(price.minor * f.num, f.den, mode);
    const line: ScheduleLine = { period: p.period, date: p.date, amount: { minor: cumulative - before, currency: total.currency } };
    before = cumulative;
    return line;
  });
}

export interface RatableContract {
  total: Money;
  start: string;
  end: string;
}

export interface RatableModification {
  /** The first day under the new terms. */
  date: string;
  /** The transaction price of the whole contract after the modification. */
  newTotal: Money;
  /** A new end date (default: unchanged). */
  newEnd?: string;
  /**
   * 'prospective' (IFRS 15.21(a): remaining services distinct): what is not yet recognised, plus
   * the change, is spread over the remaining days. 'cumulative_catch_up' (IFRS 15.21(b): one
   * partially satisfied obligation): revenue to date is restated to the new price at the progress
   * reached (days elapsed ÷ total days) in one adjustment on the modification date, and the rest
   * follows the new price.
   */
  method: 'prospective' | 'cumulative_catch_up';
}

/**
 * A ratable schedule changed by a contract modification. The days before the modification keep
 * the revenue the original schedule gave them (the month containing the modification date is split
 * by days); the days from it on are rescheduled. Both methods end at the new total; they differ in
 * timing only.
 */
export function modifyRatableSchedule(contract: RatableContract, mod: RatableModification, mode: RoundingMode = DEFAULT_ROUNDING_MODE): ScheduleLine[] {
  const { total, start, end } = contract;
  if (mod.newTotal.currency !== total.currency) throw currencyMismatch(mod.newTotal.currency, total.currency, 'modify');
  if (mod.newTotal.minor < 0n) throw fieldError('newTotal', 'a transaction price cannot be negative', 'invalid_price');
  const s = dayNumber(start, 'start');
  const e = dayNumber(end, 'end');
  const m = dayNumber(mod.date, 'date');
  const newEnd = mod.newEnd ?? end;
  const ne = dayNumber(newEnd, 'newEnd');
  if (m <= s || m > e) throw fieldError('date', 'a modification takes effect after the start and on or before the end', 'invalid_modification');
  if (ne < m) throw fieldError('newEnd', 'the new end is before the modification', 'invalid_modification');
  const original = ratableSchedule(total, start, end);
  const kept: ScheduleLine[] = [];
  for (const l of original) {
    const ls = dayNumber(l.start!);
    const le = dayNumber(l.end!);
    if (le < m) kept.push(l);
    else if (ls < m) {
      // the month of the modification: its days before the date keep their share of the month
      const [pre] = allocateMinor(l.amount.minor, [BigInt(m - ls), BigInt(le - m + 1)]);
      const preEnd = addCalendarDays(mod.date, -1);
      kept.push({ period: l.period, date: preEnd, start: l.start, end: preEnd, amount: { minor: pre!, currency: total.currency } });
    }
  }
  const recognised = kept.reduce((a, l) => a + l.amount.minor, 0n);
  const out = [...kept];
  let remaining = mod.newTotal.minor - recognised;
  if (mod.method === 'cumulative_catch_up') {
    const elapsed = BigInt(m - s);
    const totalDays = BigInt(ne - s + 1);
    const due = roundDiv(mod.newTotal.minor * elapsed, totalDays, mode);
    const adjustment = due - recognised;
    out.push({ period: mod.date.slice(0, 7), date: mod.date, amount: { minor: adjustment, currency: total.currency }, kind: 'catch_up' });
    remaining -= adjustment;
  }
  if (remaining < 0n)
    throw new AppError(422, 'negative_remaining_revenue', 'Negative remaining revenue', 'the new price is below the revenue already recognised; book the reduction as a catch-up');
  out.push(...ratableSchedule({ minor: remaining, currency: total.currency }, mod.date, newEnd));
  return out;
}

export interface UnitsAtPrice {
  units: number;
  unitPrice: Money;
}

/**
 * A prospective modification of a contract for units (IFRS 15.21(a)): the consideration for the
 * units not yet transferred under the original terms plus the consideration for the added units,
 * spread evenly over all remaining units. Returns the exact blended unit price and the revenue of
 * each remaining unit (largest remainder, adding up to the remaining consideration).
 */
export function blendedUnitRevenue(parts: readonly UnitsAtPrice[]): { total: Money; units: number; perUnit: Fraction; perUnitRevenue: Money[] } {
  if (!parts.length) throw fieldError('parts', 'nothing to blend', 'invalid_units');
  const currency = parts[0]!.unitPrice.currency;
  let total = 0n;
  let units = 0;
  parts.forEach((p, i) => {
    if (p.unitPrice.currency !== currency) throw currencyMismatch(p.unitPrice.currency, currency, 'blend');
    if (!Number.isSafeInteger(p.units) || p.units < 0) throw fieldError(`parts.${i}.units`, 'units are a whole number ≥ 0', 'invalid_units');
    total += BigInt(p.units) * p.unitPrice.minor;
    units += p.units;
  });
  if (units === 0) throw fieldError('parts', 'no units remain', 'invalid_units');
  const perUnitRevenue = allocateMinor(total, new Array<bigint>(units).fill(1n)).map((minor) => ({ minor, currency }));
  return { total: { minor: total, currency }, units, perUnit: reduceFraction({ num: total, den: BigInt(units) }), perUnitRevenue };
}
