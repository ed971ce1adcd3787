import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { businessDate } from './clock.ts';

const ZONES = ['Asia/Shanghai', 'UTC', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/St_Johns', 'Africa/Monrovia'];
// The reference: Intl's own answer for each instant, from a formatter of the test's own.
const reference = new Map(ZONES.map((tz) => [tz, new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' })]));
const fresh = (d: Date, tz: string) => reference.get(tz)!.format(d);

describe('businessDate', () => {
  it('is the date a fresh formatter gives, around midnight and DST changes, in zones with odd offsets', () => {
    for (const tz of ZONES) {
      // Every minute from 2 hours before to 2 hours after local midnight, and each second of the minutes next to it.
      for (const day of [Date.UTC(2026, 11, 31), Date.UTC(2026, 2, 8), Date.UTC(2026, 3, 5), Date.UTC(2026, 9, 4)]) {
        for (let ms = day - 16 * 3_600_000; ms <= day + 16 * 3_600_000; ms += 60_000) {
          for (const s of [0, 1, 59_999]) expect(businessDate(new Date(ms + s), tz)).toBe(fresh(new Date(ms + s), tz));
        }
      }
    }
  });

  it('property: any instant, in any order, in any of the zones (before 1980 too)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }), fc.constantFrom(...ZONES), fc.integer({ min: -2, max: 2 })), { minLength: 1, maxLength: 50 }),
        (steps) => {
          for (const [ms, tz, near] of steps) {
            // Also the instants right next to the one before, which share its minute or cross it.
            for (const t of [ms, ms + near, ms + near * 60_000]) expect(businessDate(new Date(t), tz)).toBe(fresh(new Date(t), tz));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
