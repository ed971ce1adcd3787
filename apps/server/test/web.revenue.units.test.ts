// The revenue screens' pure parts: progress typed as a percent and kept as an exact decimal.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { percentOf, percentToDecimal } from '../../web/src/pages/revenue/percent.ts';

describe('progress percent ↔ decimal', () => {
  it('moves the decimal point on the digits, refusing what is not 0–100 %', () => {
    expect(['0', '7', '40', '40.5', '99.9999', '100', '100.0', '012.5'].map(percentToDecimal)).toEqual(['0', '0.07', '0.4', '0.405', '0.999999', '1', '1', '0.125']);
    expect(['', '-1', '100.01', '150', '1e2', '40.12345', 'abc'].map(percentToDecimal)).toEqual([null, null, null, null, null, null, null]);
    expect(['0', '0.07', '0.4', '0.405', '1'].map(percentOf)).toEqual(['0', '7', '40', '40.5', '100']);
  });
  it('round-trips every percent with up to 4 decimals (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (tenThousandths) => {
        const whole = Math.floor(tenThousandths / 10_000);
        const frac = String(tenThousandths % 10_000).padStart(4, '0').replace(/0+$/, '');
        const typed = frac ? `${whole}.${frac}` : String(whole);
        const d = percentToDecimal(typed)!;
        expect(d).not.toBeNull();
        expect(percentOf(d)).toBe(typed);
      }),
    );
  });
});
