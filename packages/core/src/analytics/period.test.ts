import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dayStartUtc, daysBetween, median, medianOfTenths, period, tenthsBetween } from './period.ts';

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

describe('medians from a histogram of tenths of a day (what the database returns)', () => {
  const instant = fc.integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2030-01-01T00:00:00Z') }).map((ms) => new Date(ms).toISOString());
  // Durations near the rounding edges (x.x5 days) and negative ones (a document dated before its origin).
  const edge = fc.tuple(fc.integer({ min: -400, max: 4000 }), fc.constantFrom(0, 1, -1, 4_320_000, 4_319_999, 4_320_001)).map(([t, d]) => t * 8_640_000 + d);

  it('tenthsBetween is daysBetween × 10, half up, on edges and anywhere', () => {
    fc.assert(
      fc.property(instant, fc.oneof(edge, fc.integer({ min: -3e10, max: 3e10 })), (a, d) => {
        const b = new Date(Date.parse(a) + d).toISOString();
        expect(tenthsBetween(a, b) / 10).toBe(daysBetween(a, b));
      }),
    );
  });

  it('equals the median of the durations themselves', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -500, max: 5000 }), { maxLength: 60 }), (tenths) => {
        const hist = new Map<number, number>();
        for (const t of tenths) hist.set(t, (hist.get(t) ?? 0) + 1);
        const rows = [...hist].map(([t, n]) => ({ tenths: t, n }));
        expect(medianOfTenths(rows)).toBe(median(tenths.map((t) => Math.round(t) / 10)));
      }),
    );
    expect(medianOfTenths([{ tenths: 15, n: 1 }, { tenths: 20, n: 1 }])).toBe(1.8); // (1.5 + 2) / 2 = 1.75 → 1.8
    expect(medianOfTenths([{ tenths: 7, n: 0 }])).toBeNull();
  });
});
