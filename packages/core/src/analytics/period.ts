import { fieldError } from '../platform/errors.ts';

/**
 * Periods are business dates (YYYY-MM-DD, inclusive) in the organisation's time zone; rows carry UTC
 * instants. These helpers turn a business date into the UTC instant its day starts at.
 */
function offsetMinutes(instant: Date, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - instant.getTime()) / 60_000);
}

/** The UTC instant at which a business date begins in a time zone. */
export function dayStartUtc(date: string, tz: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))
    throw fieldError('date', `${date} is not a date like 2026-01-31`);
  const guess = new Date(`${date}T00:00:00Z`);
  // Two passes settle the offset even across a daylight-saving change on that day.
  let t = guess.getTime() - offsetMinutes(guess, tz) * 60_000;
  t = guess.getTime() - offsetMinutes(new Date(t), tz) * 60_000;
  return new Date(t).toISOString();
}

export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export interface Period {
  from: string;
  to: string;
  /** [fromUtc, toUtcExclusive) for instant columns. */
  fromUtc: string;
  toUtcExclusive: string;
}

export function period(from: string, to: string, tz: string): Period {
  if (to < from) throw fieldError('to', 'the period ends before it starts');
  return { from, to, fromUtc: dayStartUtc(from, tz), toUtcExclusive: dayStartUtc(nextDay(to), tz) };
}

/** Days between two instants, as a decimal with one place (for cycle times). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 8_640_000) / 10;
}

/** The median of a list of durations (days); null for an empty list. */
export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : Math.round(((s[m - 1]! + s[m]!) / 2) * 10) / 10;
}

/**
 * The median of durations given as a histogram of tenths of a day (what the database returns instead of
 * the rows: `daysBetween` is `tenths / 10`), equal to `median` of the durations themselves.
 */
export function medianOfTenths(hist: ReadonlyArray<{ tenths: number; n: number }>): number | null {
  const s = hist.filter((h) => h.n > 0).sort((a, b) => a.tenths - b.tenths);
  const total = s.reduce((t, h) => t + h.n, 0);
  if (!total) return null;
  const at = (i: number) => {
    let seen = 0;
    for (const h of s) {
      seen += h.n;
      if (i < seen) return Math.round(h.tenths) / 10;
    }
    throw new RangeError('median index beyond the histogram');
  };
  const m = total >> 1;
  return total % 2 ? at(m) : Math.round(((at(m - 1) + at(m)) / 2) * 10) / 10;
}

/** Tenths of a day between two instants, as `daysBetween` rounds them (half up), for a histogram. */
export function tenthsBetween(a: string, b: string): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 8_640_000);
}
