import { describe, expect, it } from 'vitest';
import { dayStartUtc, daysBetween, median, period } from './period.ts';

describe('periods in the organisation time zone', () => {
  it('starts a Shanghai business day at 16:00 UTC the day before', () => {
    expect(dayStartUtc('2026-01-01', 'Asia/Shanghai')).toBe('2025-12-31T16:00:00.000Z');
    expect(period('2026-03-01', '2026-03-31', 'Asia/Shanghai')).toEqual({
      from: '2026-03-01',
      to: '2026-03-31',
      fromUtc: '2026-02-28T16:00:00.000Z',
      toUtcExclusive: '2026-03-31T16:00:00.000Z',
    });
  });

  it('handles daylight saving (Berlin, last Sunday of March)', () => {
    expect(dayStartUtc('2026-03-29', 'Europe/Berlin')).toBe('2026-03-28T23:00:00.000Z');
    expect(dayStartUtc('2026-03-30', 'Europe/Berlin')).toBe('2026-03-29T22:00:00.000Z');
  });

  it('refuses bad dates and reversed periods', () => {
    expect(() => dayStartUtc('2026-13-01', 'UTC')).toThrow();
    expect(() => period('2026-02-01', '2026-01-01', 'UTC')).toThrow();
  });

  it('computes medians and day spans', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(daysBetween('2026-01-01T00:00:00Z', '2026-01-02T12:00:00Z')).toBe(1.5);
  });
});
