import { fieldError } from '../platform/errors.ts';

/**
 * Business dates (`YYYY-MM-DD`, proleptic Gregorian, no time zone) as integer day numbers, so that
 * day counts are exact integers. Only whole days exist here; time-of-day never enters.
 */
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a valid `YYYY-MM-DD` date (refuses 2026-02-30 and other non-dates). */
export function dayNumber(date: string, path = 'date'): number {
  const m = DATE_RE.exec(date);
  if (!m) throw fieldError(path, `"${date}" is not a date like 2026-03-31`, 'invalid_date');
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    throw fieldError(path, `"${date}" is not a calendar date`, 'invalid_date');
  // A UTC midnight is an exact multiple of a day in milliseconds: this division is exact.
  return ms / MS_PER_DAY;
}

export function dateOfDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function calendarDaysBetween(from: string, to: string): number {
  return dayNumber(to, 'to') - dayNumber(from, 'from');
}

export function addCalendarDays(date: string, days: number): string {
  return dateOfDay(dayNumber(date) + days);
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, month: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** The first and last day of the month of `date`. */
export function monthOf(date: string): { start: string; end: string; days: number } {
  dayNumber(date);
  const y = Number(date.slice(0, 4));
  const mo = Number(date.slice(5, 7));
  const days = daysInMonth(y, mo);
  const p = (n: number) => String(n).padStart(2, '0');
  return { start: `${date.slice(0, 7)}-01`, end: `${date.slice(0, 7)}-${p(days)}`, days };
}

/** The calendar months touched by [start, end] (inclusive), each clipped to the range. */
export function monthsInRange(start: string, end: string): Array<{ month: string; start: string; end: string; days: number }> {
  const s = dayNumber(start, 'start');
  const e = dayNumber(end, 'end');
  if (e < s) throw fieldError('end', 'the end date is before the start date', 'invalid_period');
  const out: Array<{ month: string; start: string; end: string; days: number }> = [];
  let cur = s;
  while (cur <= e) {
    const m = monthOf(dateOfDay(cur));
    const last = Math.min(dayNumber(m.end), e);
    out.push({ month: m.start.slice(0, 7), start: dateOfDay(cur), end: dateOfDay(last), days: last - cur + 1 });
    cur = last + 1;
  }
  return out;
}
