import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError } from '../platform/errors.ts';
import {
  DEFAULT_ROUNDING_MODE,
  DEFAULT_ROUNDING_POLICY,
  addFractions,
  applyRate,
  formatFraction,
  mulFractions,
  parseRoundingMode,
  reduceFraction,
  roundFraction,
  roundingPolicyFor,
  roundingSettingsSchema,
} from './rounding.ts';

describe('rounding policy', () => {
  it('defaults to half-up (四舍五入) and per-line tax rounding', () => {
    expect(DEFAULT_ROUNDING_MODE).toBe('half_up');
    expect(DEFAULT_ROUNDING_POLICY).toEqual({ mode: 'half_up', taxRounding: 'line' });
    expect(roundingPolicyFor([], 'le_1')).toEqual({ mode: 'half_up', taxRounding: 'line' });
  });

  it('takes each legal entity its own settings', () => {
    const settings = [
      roundingSettingsSchema.parse({ legalEntityId: 'le_de', mode: 'half_even', taxRounding: 'document' }),
      roundingSettingsSchema.parse({ legalEntityId: 'le_cn', taxRounding: 'document' }),
    ];
    expect(roundingPolicyFor(settings, 'le_de')).toEqual({ mode: 'half_even', taxRounding: 'document' });
    expect(roundingPolicyFor(settings, 'le_cn')).toEqual({ mode: 'half_up', taxRounding: 'document' });
    expect(roundingPolicyFor(settings, 'le_other')).toEqual({ mode: 'half_up', taxRounding: 'line' });
    expect(() => roundingSettingsSchema.parse({ legalEntityId: 'x', mode: 'bankers' })).toThrow();
    expect(() => roundingSettingsSchema.parse({ legalEntityId: 'x', extra: true })).toThrow();
    expect(parseRoundingMode('down')).toBe('down');
    expect(() => parseRoundingMode('HALF_UP')).toThrow(AppError);
  });

  it('rounds halves and remainders per mode, symmetric for negatives', () => {
    const table: Array<[bigint, bigint, Record<string, bigint>]> = [
      [25n, 10n, { half_up: 3n, half_even: 2n, up: 3n, down: 2n }],
      [35n, 10n, { half_up: 4n, half_even: 4n, up: 4n, down: 3n }],
      [21n, 10n, { half_up: 2n, half_even: 2n, up: 3n, down: 2n }],
      [-25n, 10n, { half_up: -3n, half_even: -2n, up: -3n, down: -2n }],
      [-29n, 10n, { half_up: -3n, half_even: -3n, up: -3n, down: -2n }],
      [30n, 10n, { half_up: 3n, half_even: 3n, up: 3n, down: 3n }],
    ];
    for (const [num, den, want] of table)
      for (const [mode, v] of Object.entries(want)) expect(roundFraction({ num, den }, mode as any), `${num}/${den} ${mode}`).toBe(v);
    // ¥0.125 of VAT → 0.13 half-up, 0.12 half-even; rates are exact decimal strings
    expect(applyRate(125n, '1', 'half_up')).toBe(125n);
    expect(applyRate(1250n, '0.01')).toBe(13n);
    expect(applyRate(1250n, '0.01', 'half_even')).toBe(12n);
  });

  it('keeps fractions exact and formats them with a fixed number of decimals', () => {
    expect(reduceFraction({ num: 6n, den: -4n })).toEqual({ num: -3n, den: 2n });
    expect(addFractions({ num: 1n, den: 3n }, { num: 1n, den: 6n })).toEqual({ num: 1n, den: 2n });
    expect(mulFractions({ num: 2n, den: 3n }, { num: 9n, den: 4n })).toEqual({ num: 3n, den: 2n });
    expect(formatFraction({ num: 221n, den: 3n }, 1)).toBe('73.7');
    expect(formatFraction({ num: -1n, den: 20n }, 1)).toBe('-0.1');
    expect(formatFraction({ num: 1n, den: 20n }, 1, 'half_even')).toBe('0.0');
    expect(formatFraction({ num: 7n, den: 1n }, 0)).toBe('7');
    expect(() => reduceFraction({ num: 1n, den: 0n })).toThrow(RangeError);
  });

  it('the modes order as down ≤ half_even, half_up ≤ up in absolute value (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (n, d) => {
        const r = (mode: string) => roundFraction({ num: n, den: d }, mode as any);
        expect(r('down') <= r('half_even') && r('half_even') <= r('half_up') && r('half_up') <= r('up')).toBe(true);
        expect(r('up') - r('down')).toBe(n % d === 0n ? 0n : 1n);
        expect(roundFraction({ num: -n, den: d }, 'half_up')).toBe(-r('half_up'));
      }),
    );
  });
});
