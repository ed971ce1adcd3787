import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { missingStageFields, parseRequiredFields } from './pipelines.ts';
import { formatNumber, periodOf } from '../platform/numbering.ts';

describe('stage gate', () => {
  it('names every required field left empty, a zero amount included', () => {
    const opp = { contactId: null, expectedCloseDate: '', amountMinor: 0 };
    expect(missingStageFields(['contactId', 'expectedCloseDate', 'amountMinor'], opp)).toEqual(['contactId', 'expectedCloseDate', 'amountMinor']);
    expect(missingStageFields(['contactId', 'amountMinor'], { contactId: 'con_1', amountMinor: 1 })).toEqual([]);
    expect(missingStageFields([], {})).toEqual([]);
  });
  it('reads only known gate fields from storage', () => {
    expect(parseRequiredFields('["contactId","nope","amountMinor"]')).toEqual(['contactId', 'amountMinor']);
    expect(parseRequiredFields('not json')).toEqual([]);
  });
});

describe('number formats', () => {
  const today = () => '2026-11-23';
  it('puts a date in the period of its date part', () => {
    expect(periodOf('YYYY', '2026-03-05', today)).toBe('2026');
    expect(periodOf('YYYYMM', '2026-03-05', today)).toBe('202603');
    expect(periodOf('none', '2026-03-05', today)).toBe('*');
    // A bare year: this month when it is this year.
    expect(periodOf('YYYYMM', '2026', today)).toBe('202611');
  });
  it('formats numbers, and distinct formats or counters never give the same number', () => {
    expect(formatNumber({ prefix: 'INV', datePart: 'YYYY', padding: 6 }, '2026', 123)).toBe('INV-2026-000123');
    expect(formatNumber({ prefix: 'FP', datePart: 'YYYYMM', padding: 4 }, '202611', 12345)).toBe('FP-202611-12345');
    expect(formatNumber({ prefix: 'CN', datePart: 'none', padding: 3 }, '*', 7)).toBe('CN-007');
    const fmt = fc.record({ prefix: fc.constantFrom('INV', 'FP', 'INV2026'), datePart: fc.constantFrom('YYYY' as const, 'YYYYMM' as const, 'none' as const), padding: fc.integer({ min: 3, max: 8 }) });
    fc.assert(
      fc.property(fmt, fmt, fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 10_000_000 }), (a, b, x, y) => {
        const pa = periodOf(a.datePart, '2026-11-23', today);
        const pb = periodOf(b.datePart, '2026-11-23', today);
        const same = a.prefix === b.prefix && a.datePart === b.datePart && pa === pb && x === y;
        if (!same) expect(formatNumber(a, pa, x)).not.toBe(formatNumber(b, pb, y));
      }),
    );
  });
});
