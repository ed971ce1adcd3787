import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocate, formatQty, lineAmounts, parseDecimal, parseQty, percent, roundDiv, sumAmounts } from './money.ts';
import { AppError } from './errors.ts';

describe('roundDiv', () => {
  it('rounds each mode as documented, for positive and negative values', () => {
    const cases: Array<[bigint, bigint, string, bigint]> = [
      [5n, 2n, 'half_up', 3n],
      [-5n, 2n, 'half_up', -3n],
      [5n, 2n, 'half_even', 2n],
      [7n, 2n, 'half_even', 4n],
      [-7n, 2n, 'half_even', -4n],
      [11n, 10n, 'up', 2n],
      [-11n, 10n, 'up', -2n],
      [19n, 10n, 'down', 1n],
      [-19n, 10n, 'down', -1n],
      [14n, 10n, 'half_up', 1n],
      [15n, 10n, 'half_up', 2n],
      [10n, 5n, 'up', 2n],
    ];
    for (const [n, d, mode, want] of cases) expect(roundDiv(n, d, mode as any), `${n}/${d} ${mode}`).toBe(want);
  });

  it('never differs from the exact quotient by more than one unit', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), fc.constantFrom('half_up', 'half_even', 'up', 'down'), (n, d, mode) => {
        const q = roundDiv(n, d, mode as any);
        const diff = q * d - n;
        expect(diff < 0n ? -diff : diff).toBeLessThan(d);
      }),
    );
  });
});

describe('lineAmounts', () => {
  it('prices 3 × ¥1,234.56 at 10% off with 13% VAT exactly', () => {
    // 3 × 123456 fen = 370368; −10% = 333331.2 → 333331; VAT 13% = 43333.03 → 43333.
    expect(lineAmounts(3000, 123456, '0.1', '0.13')).toEqual({ netMinor: 333331, taxMinor: 43333, totalMinor: 376664 });
  });

  it('handles fractional quantities (1.5 hours at ¥800, 6% VAT)', () => {
    expect(lineAmounts(parseQty('1.5'), 80000, '0', '0.06')).toEqual({ netMinor: 120000, taxMinor: 7200, totalMinor: 127200 });
  });

  it('refuses a discount above 100% and malformed rates', () => {
    expect(() => lineAmounts(1000, 100, '1.5', '0.13')).toThrow(AppError);
    expect(() => lineAmounts(1000, 100, '0.1', '13%')).toThrow(AppError);
  });

  it('total is always net + tax, and sums add up', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            q: fc.integer({ min: 0, max: 1_000_000 }),
            p: fc.integer({ min: 0, max: 100_000_000 }),
            d: fc.constantFrom('0', '0.05', '0.1', '0.125', '0.333333'),
            t: fc.constantFrom('0', '0.01', '0.03', '0.06', '0.09', '0.13'),
          }),
          { maxLength: 20 },
        ),
        (lines) => {
          const amounts = lines.map((l) => lineAmounts(l.q, l.p, l.d, l.t));
          for (const a of amounts) {
            expect(a.totalMinor).toBe(a.netMinor + a.taxMinor);
            expect(Number.isSafeInteger(a.netMinor)).toBe(true);
          }
          const s = sumAmounts(amounts);
          expect(s.netMinor).toBe(amounts.reduce((x, a) => x + a.netMinor, 0));
          expect(s.totalMinor).toBe(s.netMinor + s.taxMinor);
        },
      ),
    );
  });
});

describe('allocate (largest remainder)', () => {
  it('splits ¥100.00 three ways as 33.34 + 33.33 + 33.33', () => {
    expect(allocate(10000, [1, 1, 1])).toEqual([3334, 3333, 3333]);
  });

  it('always adds up to the whole and each part is within one unit of its exact share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 30 }),
        (total, weights) => {
          const parts = allocate(total, weights);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          const sum = weights.reduce((a, b) => a + b, 0);
          if (sum > 0)
            parts.forEach((p, i) => {
              const exact = (total * weights[i]!) / sum;
              expect(Math.abs(p - exact)).toBeLessThan(1 + 1e-6);
            });
        },
      ),
    );
  });
});

describe('quantities and decimals', () => {
  it('parses and formats quantities with up to 3 decimals', () => {
    expect(parseQty('1.5')).toBe(1500);
    expect(parseQty('2')).toBe(2000);
    expect(parseQty('0.001')).toBe(1);
    expect(formatQty(1500)).toBe('1.5');
    expect(formatQty(2000)).toBe('2');
    expect(formatQty(1)).toBe('0.001');
    expect(() => parseQty('1.2345')).toThrow(AppError);
    expect(() => parseQty('-1')).toThrow(AppError);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (m) => {
        expect(parseQty(formatQty(m))).toBe(m);
      }),
    );
  });

  it('parses decimal rates exactly', () => {
    expect(parseDecimal('0.13')).toEqual({ num: 13n, den: 100n });
    expect(parseDecimal('6')).toEqual({ num: 6n, den: 1n });
    expect(() => parseDecimal('0.1.3')).toThrow(AppError);
  });

  it('computes percentages with one decimal', () => {
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(5, 0)).toBe(0);
    expect(percent(10, 10)).toBe(100);
  });
});
