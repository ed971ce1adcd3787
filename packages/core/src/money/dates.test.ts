import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError } from '../platform/errors.ts';
import { addCalendarDays, dateOfDay, dayNumber, calendarDaysBetween, daysInMonth, isLeapYear, monthOf, monthsInRange } from './dates.ts';

describe('business dates', () => {
  it('numbers days exactly and refuses non-dates', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('2026-03-01') - dayNumber('2026-02-28')).toBe(1);
    expect(dayNumber('2024-03-01') - dayNumber('2024-02-28')).toBe(2);
    expect(calendarDaysBetween('2025-12-31', '2026-03-31')).toBe(90);
    expect(calendarDaysBetween('2026-03-31', '2025-12-31')).toBe(-90);
    expect(addCalendarDays('2026-01-31', 30)).toBe('2026-03-02');
    for (const bad of ['2026-02-29', '2026-13-01', '2026-1-1', '20260101', '', '2026-00-10', '2026-04-31'])
      expect(() => dayNumber(bad), bad).toThrow(AppError);
  });

  it('knows leap years and month lengths', () => {
    expect([1900, 2000, 2024, 2026].map(isLeapYear)).toEqual([false, true, true, false]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2026, 2)).toBe(28);
    expect(monthOf('2026-04-15')).toEqual({ start: '2026-04-01', end: '2026-04-30', days: 30 });
  });

  it('splits a range into clipped calendar months', () => {
    expect(monthsInRange('2026-01-15', '2026-03-10')).toEqual([
      { month: '2026-01', start: '2026-01-15', end: '2026-01-31', days: 17 },
      { month: '2026-02', start: '2026-02-01', end: '2026-02-28', days: 28 },
      { month: '2026-03', start: '2026-03-01', end: '2026-03-10', days: 10 },
    ]);
    expect(monthsInRange('2026-05-05', '2026-05-05')).toEqual([{ month: '2026-05', start: '2026-05-05', end: '2026-05-05', days: 1 }]);
    expect(() => monthsInRange('2026-05-05', '2026-05-04')).toThrow(AppError);
  });

  it('round-trips and the months of a range cover it exactly (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), fc.integer({ min: 0, max: 1500 }), (day, len) => {
        expect(dayNumber(dateOfDay(day))).toBe(day);
        const months = monthsInRange(dateOfDay(day), dateOfDay(day + len));
        expect(months.reduce((a, m) => a + m.days, 0)).toBe(len + 1);
      }),
    );
  });
});
