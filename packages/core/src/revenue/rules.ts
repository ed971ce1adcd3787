import { fieldError } from '../platform/errors.ts';
import { roundDiv, type RoundingMode } from '../platform/money.ts';
import { addCalendarDays, dayNumber, monthOf } from '../money/dates.ts';
import {
  milestoneSchedule,
  modifyRatableSchedule,
  percentCompleteSchedule,
  ratableSchedule,
  type ProgressPoint,
  type ScheduleLine,
} from '../money/revenue.ts';

/**
 * Pure rules of the revenue domain: the recognition method of a product, the schedule an obligation
 * should have from the facts known today (deliveries, acceptance, service dates, milestones reached,
 * progress entered, modifications), and how that schedule meets the periods already closed.
 * The arithmetic is the money library's (money/revenue.ts); this file only feeds it.
 */

export const REVENUE_METHODS = ['delivery', 'acceptance', 'ratable', 'milestone', 'percent_complete'] as const;
export type RevenueMethod = (typeof REVENUE_METHODS)[number];

/**
 * The default method when the product names none: goods and digital goods at a point in time, when
 * they arrive at the customer (control passes on delivery, IFRS 15.38); services over time, ratably
 * between service start and end (the customer consumes the benefit as it is provided, IFRS 15.35(a)).
 * A line without a product is treated as goods.
 */
export function defaultMethod(productKind: string | null | undefined): RevenueMethod {
  return productKind === 'service' ? 'ratable' : 'delivery';
}

/** Default service term when the product has none: 12 months. */
export const DEFAULT_SERVICE_MONTHS = 12;

/** The last day of a term of `months` starting on `start` (start + months − 1 day, end of month clamped). */
export function serviceEndFor(start: string, months: number): string {
  dayNumber(start, 'serviceStart');
  const y = Number(start.slice(0, 4));
  const m = Number(start.slice(5, 7)) - 1 + months;
  const ty = y + Math.floor(m / 12);
  const tm = (m % 12) + 1;
  const first = `${ty}-${String(tm).padStart(2, '0')}-01`;
  const day = Math.min(Number(start.slice(8, 10)), monthOf(first).days);
  return addCalendarDays(`${first.slice(0, 8)}${String(day).padStart(2, '0')}`, -1);
}

export const nextPeriod = (period: string): string => {
  const y = Number(period.slice(0, 4));
  const m = Number(period.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};
export const previousPeriod = (period: string): string => {
  const y = Number(period.slice(0, 4));
  const m = Number(period.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};
export const periodStart = (period: string) => `${period}-01`;
export const periodEnd = (period: string) => monthOf(`${period}-01`).end;

export interface MilestoneSpec {
  id: string;
  name: string;
  /** Relative weight, a whole number. */
  weight: number;
  plannedOn?: string | null;
  reachedOn?: string | null;
}
export interface ProgressEntry {
  date: string;
  /** Cumulative progress, a decimal between 0 and 1 ("0.4"). */
  progress: string;
}
export interface Modification {
  /** The first day under the new terms. */
  date: string;
  /** The obligation's transaction price after the modification, minor units. */
  newAllocatedMinor: number;
  newEnd?: string | null;
  method: 'prospective' | 'cumulative_catch_up';
  reason: string;
}
/** A transfer of control of part of the line: a delivery arriving, or a delivery accepted. */
export interface TransferEvent {
  date: string;
  qtyMilli: number;
  ref: string;
}

export interface ObligationFacts {
  currency: string;
  method: RevenueMethod;
  /** Quantity ordered. */
  qtyMilli: number;
  /** Allocated transaction price (before any modification). */
  allocatedMinor: number;
  /** Credit notes issued on the obligation's invoice lines (net): they lower the price (IFRS 15.87–88). */
  creditedMinor: number;
  /** The order was cancelled: nothing is to be recognised. */
  cancelled: boolean;
  serviceStart: string | null;
  serviceEnd: string | null;
  transfers: TransferEvent[];
  milestones: MilestoneSpec[];
  progress: ProgressEntry[];
  modifications: Modification[];
  roundingMode?: RoundingMode;
}

export interface DesiredLine {
  period: string;
  date: string;
  amountMinor: number;
  kind: 'delivery' | 'acceptance' | 'ratable' | 'milestone' | 'progress' | 'catch_up';
  ref: string | null;
}

const mny = (minor: number | bigint, currency: string) => ({ minor: BigInt(minor), currency });
const fromLib = (l: ScheduleLine, kind: DesiredLine['kind'], ref: string | null = null): DesiredLine => ({
  period: l.date.slice(0, 7),
  date: l.date,
  amountMinor: Number(l.amount.minor),
  kind: l.kind === 'catch_up' ? 'catch_up' : kind,
  ref,
});

/** The obligation's price now: the latest modification's, else the allocation; less credits; 0 when cancelled. */
export function currentPrice(f: ObligationFacts): number {
  if (f.cancelled) return 0;
  const mod = f.modifications.at(-1);
  return (mod ? mod.newAllocatedMinor : f.allocatedMinor) - f.creditedMinor;
}

/**
 * The schedule the facts give today, dated and in date order. Point-in-time methods recognise the
 * price × cumulative quantity transferred (rounded once, so the lines add up to the price when all
 * is transferred); ratable spreads it by days; milestones recognise the weight share of each
 * milestone reached; percent complete the cumulative progress. What is not yet dated (goods not
 * delivered, milestones not reached, progress not entered) has no line: it is the obligation's
 * unscheduled remainder.
 */
export function desiredSchedule(f: ObligationFacts): DesiredLine[] {
  const price = currentPrice(f);
  const cur = f.currency;
  const mode = f.roundingMode ?? 'half_up';
  switch (f.method) {
    case 'delivery':
    case 'acceptance': {
      const out: DesiredLine[] = [];
      const events = [...f.transfers].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.ref < b.ref ? -1 : 1));
      const mod = f.cancelled ? undefined : f.modifications.at(-1);
      const oldPrice = f.cancelled ? 0 : f.allocatedMinor - f.creditedMinor;
      const share = (p: number, q: number, of: number) => (of ? Number(roundDiv(BigInt(p) * BigInt(q), BigInt(of), mode)) : 0);
      let cumQty = 0;
      let before = 0;
      // Units transferred before a modification and what they earned: a prospective modification keeps
      // it and spreads the rest of the new price over the units still to come (IFRS 15.21(a), the
      // blended unit price); a cumulative catch-up restates it to the new price on the modification date.
      let base: { qty: number; amount: number } | null = null;
      const crossMod = (date: string) => {
        if (!mod || base || date < mod.date) return;
        base = { qty: cumQty, amount: before };
        if (mod.method === 'cumulative_catch_up') {
          const due = share(price, cumQty, f.qtyMilli);
          if (due !== before) out.push({ period: mod.date.slice(0, 7), date: mod.date, amountMinor: due - before, kind: 'catch_up', ref: null });
          before = due;
          base = { qty: cumQty, amount: due };
        }
      };
      for (const e of events) {
        crossMod(e.date);
        cumQty = Math.min(f.qtyMilli, cumQty + e.qtyMilli);
        let cumulative: number;
        const b = base as { qty: number; amount: number } | null;
        if (!mod || !b) cumulative = share(oldPrice, cumQty, f.qtyMilli);
        else if (mod.method === 'prospective') cumulative = b.amount + share(price - b.amount, cumQty - b.qty, f.qtyMilli - b.qty);
        else cumulative = share(price, cumQty, f.qtyMilli);
        out.push({ period: e.date.slice(0, 7), date: e.date, amountMinor: cumulative - before, kind: f.method, ref: e.ref });
        before = cumulative;
      }
      if (mod && events.length) crossMod(mod.date);
      return out.filter((l) => l.amountMinor !== 0);
    }
    case 'ratable': {
      if (!f.serviceStart || !f.serviceEnd) return [];
      const mod = f.modifications.at(-1);
      if (!mod || f.cancelled) return ratableSchedule(mny(price, cur), f.serviceStart, f.serviceEnd).map((l) => fromLib(l, 'ratable'));
      const lines = modifyRatableSchedule(
        { total: mny(f.allocatedMinor - f.creditedMinor, cur), start: f.serviceStart, end: f.serviceEnd },
        { date: mod.date, newTotal: mny(price, cur), newEnd: mod.newEnd ?? undefined, method: mod.method },
        mode,
      );
      return lines.map((l) => fromLib(l, 'ratable'));
    }
    case 'milestone': {
      if (!f.milestones.length) return [];
      const fallback = f.serviceEnd ?? f.serviceStart ?? '2000-01-01';
      const lines = milestoneSchedule(
        mny(price, cur),
        f.milestones.map((m) => ({ id: m.id, date: m.reachedOn ?? m.plannedOn ?? fallback, weight: BigInt(m.weight) })),
      );
      return lines.flatMap((l, i) => (f.milestones[i]!.reachedOn ? [fromLib(l, 'milestone', f.milestones[i]!.id)] : []));
    }
    case 'percent_complete': {
      const points = [...f.progress].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
      const pts: ProgressPoint[] = points.map((p) => ({ period: p.date.slice(0, 7), date: p.date, progress: p.progress }));
      const mod = f.modifications.at(-1);
      let total = mny(price, cur);
      if (mod && !f.cancelled) {
        // The price before the modification, then from its date the new price: the next point
        // restates revenue to date (cumulative catch-up, IFRS 15.21(b)).
        total = mny(f.allocatedMinor - f.creditedMinor, cur);
        const lastBefore = pts.filter((p) => p.date <= mod.date).at(-1);
        const at: ProgressPoint = { period: mod.date.slice(0, 7), date: mod.date, progress: lastBefore?.progress ?? '0', total: mny(price, cur) };
        const i = pts.findIndex((p) => p.date > mod.date);
        if (i < 0) pts.push(at);
        else pts.splice(i, 0, at);
      }
      return percentCompleteSchedule(total, pts, mode)
        .map((l, i) => fromLib(l, pts[i]!.total ? 'catch_up' : 'progress'))
        .filter((l) => l.amountMinor !== 0);
    }
  }
}

/**
 * What to keep as scheduled lines, given what closed periods already recognised. Lines of closed
 * periods are locked: any difference between what the facts now give those periods and what they
 * recognised becomes one cumulative catch-up line in the first open period (dated its first day), so
 * a back-dated fact, a credit or a modification never reopens a closed month.
 */
export function scheduleAfterClose(desired: readonly DesiredLine[], recognisedMinor: number, closedThrough: string | null): DesiredLine[] {
  if (!closedThrough) return desired.filter((l) => l.amountMinor !== 0);
  const locked = desired.filter((l) => l.period <= closedThrough).reduce((s, l) => s + l.amountMinor, 0);
  const open = desired.filter((l) => l.period > closedThrough && l.amountMinor !== 0);
  const diff = locked - recognisedMinor;
  if (diff === 0) return open;
  const first = nextPeriod(closedThrough);
  return [{ period: first, date: periodStart(first), amountMinor: diff, kind: 'catch_up', ref: null }, ...open];
}

/** Validates a list of milestones: ids unique, weights whole and ≥ 0 with a positive sum, dates real. */
export function checkMilestones(ms: readonly MilestoneSpec[]): void {
  const ids = new Set<string>();
  ms.forEach((m, i) => {
    if (ids.has(m.id)) throw fieldError(`milestones.${i}.id`, `milestone ${m.id} is given twice`, 'duplicate');
    ids.add(m.id);
    if (!Number.isSafeInteger(m.weight) || m.weight < 0) throw fieldError(`milestones.${i}.weight`, 'a whole number ≥ 0', 'invalid_milestones');
    if (m.plannedOn) dayNumber(m.plannedOn, `milestones.${i}.plannedOn`);
    if (m.reachedOn) dayNumber(m.reachedOn, `milestones.${i}.reachedOn`);
  });
  if (ms.length && ms.every((m) => m.weight === 0)) throw fieldError('milestones', 'at least one milestone needs a weight above 0', 'invalid_milestones');
}
