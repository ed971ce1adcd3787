import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError } from '../platform/errors.ts';
import {
  CURRENCY_EXPONENTS,
  absMoney,
  addMoney,
  allocateMinor,
  allocateMoney,
  compareMoney,
  distributeRounded,
  currencyExponent,
  equalMoney,
  formatMoney,
  isNegativeMoney,
  isZeroMoney,
  money,
  moneyFromJson,
  moneyToJson,
  multiplyMoney,
  negateMoney,
  parseMoney,
  rmbCapital,
  subtractMoney,
  sumMoney,
  toMinorNumber,
  zeroMoney,
} from './money.ts';

const cny = (minor: bigint) => money(minor, 'CNY');

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('Money arithmetic', () => {
  it('adds, subtracts, negates and compares amounts of one currency', () => {
    expect(addMoney(cny(12345n), cny(55n))).toEqual(cny(12400n));
    expect(subtractMoney(cny(100n), cny(250n))).toEqual(cny(-150n));
    expect(negateMoney(cny(7n))).toEqual(cny(-7n));
    expect(absMoney(cny(-7n))).toEqual(cny(7n));
    expect(compareMoney(cny(1n), cny(2n))).toBe(-1);
    expect(compareMoney(cny(2n), cny(2n))).toBe(0);
    expect(compareMoney(cny(3n), cny(2n))).toBe(1);
    expect(equalMoney(cny(2n), cny(2n))).toBe(true);
    expect(equalMoney(cny(2n), cny(3n))).toBe(false);
    expect(isZeroMoney(zeroMoney('JPY'))).toBe(true);
    expect(isNegativeMoney(cny(-1n))).toBe(true);
    expect(sumMoney([cny(1n), cny(2n), cny(3n)], 'CNY')).toEqual(cny(6n));
    expect(sumMoney([], 'USD')).toEqual(money(0n, 'USD'));
  });

  it('refuses to mix currencies with 422 currency_mismatch', () => {
    const usd = money(100n, 'USD');
    for (const fn of [() => addMoney(cny(1n), usd), () => subtractMoney(usd, cny(1n)), () => compareMoney(cny(1n), usd), () => equalMoney(usd, cny(100n)), () => sumMoney([usd], 'CNY')]) {
      const e = errorOf(fn);
      expect(e.status).toBe(422);
      expect(e.code).toBe('currency_mismatch');
    }
  });

  it('knows the ISO 4217 exponents and refuses unknown currencies', () => {
    expect(currencyExponent('CNY')).toBe(2);
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('EUR')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
    expect(errorOf(() => currencyExponent('XXX')).status).toBe(422);
    expect(errorOf(() => money(1n, 'cny')).status).toBe(422);
    for (const [code, e] of Object.entries(CURRENCY_EXPONENTS)) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect([0, 2, 3]).toContain(e);
    }
  });

  it('accepts safe-integer numbers only and converts back exactly', () => {
    expect(money(123, 'CNY')).toEqual(cny(123n));
    expect(errorOf(() => money(1.5, 'CNY')).code).toBe('validation_failed');
    expect(errorOf(() => money(2 ** 53, 'CNY')).code).toBe('validation_failed');
    expect(toMinorNumber(cny(9007199254740991n))).toBe(9007199254740991);
    expect(errorOf(() => toMinorNumber(cny(9007199254740992n))).code).toBe('amount_out_of_range');
    expect(moneyToJson(cny(-120n))).toEqual({ minor: '-120', currency: 'CNY' });
    expect(moneyFromJson({ minor: '-120', currency: 'CNY' })).toEqual(cny(-120n));
    expect(moneyFromJson({ minor: 5, currency: 'JPY' })).toEqual(money(5n, 'JPY'));
    expect(() => moneyFromJson({ minor: '1.5', currency: 'CNY' })).toThrow(AppError);
  });

  it('multiplies by an exact fraction with the chosen rounding', () => {
    expect(multiplyMoney(cny(1005n), { num: 1n, den: 2n })).toEqual(cny(503n));
    expect(multiplyMoney(cny(1005n), { num: 1n, den: 2n }, 'half_even')).toEqual(cny(502n));
    expect(multiplyMoney(cny(1001n), { num: 1n, den: 10n }, 'up')).toEqual(cny(101n));
    expect(multiplyMoney(cny(-1009n), { num: 1n, den: 10n }, 'down')).toEqual(cny(-100n));
  });

  it('stays exact far beyond 2^53', () => {
    const big = cny(10n ** 20n + 1n);
    expect(addMoney(big, big).minor).toBe(2n * 10n ** 20n + 2n);
    expect(formatMoney(big)).toBe('1000000000000000000.01');
  });
});

describe('parse and format', () => {
  it('parses major-unit decimal strings exactly', () => {
    expect(parseMoney('1234.56', 'CNY')).toEqual(cny(123456n));
    expect(parseMoney('0.1', 'CNY')).toEqual(cny(10n));
    expect(parseMoney('-0.01', 'CNY')).toEqual(cny(-1n));
    expect(parseMoney('12', 'CNY')).toEqual(cny(1200n));
    expect(parseMoney('1234', 'JPY')).toEqual(money(1234n, 'JPY'));
    expect(parseMoney('1.234', 'KWD')).toEqual(money(1234n, 'KWD'));
    // 0.1 + 0.2 is not 0.3 in floating point; here it is.
    expect(addMoney(parseMoney('0.1', 'USD'), parseMoney('0.2', 'USD'))).toEqual(parseMoney('0.3', 'USD'));
  });

  it('refuses more decimals than the currency has, and malformed text', () => {
    expect(errorOf(() => parseMoney('1.234', 'CNY')).extra.fields?.[0]?.code).toBe('too_many_decimals');
    expect(errorOf(() => parseMoney('1.5', 'JPY')).extra.fields?.[0]?.code).toBe('too_many_decimals');
    for (const bad of ['', '1,234.56', '1e3', ' 1', '1.', '.5', '--1', '¥1', 'NaN'])
      expect(errorOf(() => parseMoney(bad, 'CNY')).extra.fields?.[0]?.code, bad).toBe('invalid_amount');
  });

  it('formats in the major unit, with optional grouping and currency', () => {
    expect(formatMoney(cny(123456n))).toBe('1234.56');
    expect(formatMoney(cny(5n))).toBe('0.05');
    expect(formatMoney(cny(-5n))).toBe('-0.05');
    expect(formatMoney(cny(123456789n), { grouping: true })).toBe('1,234,567.89');
    expect(formatMoney(money(1234567n, 'JPY'), { grouping: true, withCurrency: true })).toBe('1,234,567 JPY');
    expect(formatMoney(money(1n, 'KWD'))).toBe('0.001');
  });

  it('round-trips every amount in every currency', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), fc.constantFrom('CNY', 'JPY', 'KWD', 'USD'), (minor, cur) => {
        const a = money(minor, cur);
        expect(parseMoney(formatMoney(a), cur)).toEqual(a);
      }),
    );
  });
});

describe('allocation by largest remainder', () => {
  it('splits ¥100.00 three ways as 33.34 + 33.33 + 33.33 and handles negatives and zero weights', () => {
    expect(allocateMinor(10000n, [1n, 1n, 1n])).toEqual([3334n, 3333n, 3333n]);
    expect(allocateMinor(-10000n, [1n, 1n, 1n])).toEqual([-3334n, -3333n, -3333n]);
    expect(allocateMinor(5n, [0n, 0n])).toEqual([3n, 2n]);
    expect(allocateMinor(0n, [])).toEqual([]);
    // remainders .78, .67, .56 of (17.77…, 26.66…, 35.55…): the two largest get the extra cents
    expect(allocateMinor(8000n, [2000n, 3000n, 4000n])).toEqual([1778n, 2667n, 3555n]);
    expect(allocateMoney(cny(1n), [1n, 1n])).toEqual([cny(1n), cny(0n)]);
    expect(errorOf(() => allocateMinor(1n, [])).code).toBe('nothing_to_allocate_to');
    expect(errorOf(() => allocateMinor(1n, [1n, -1n])).code).toBe('negative_weight');
  });

  it('always adds up, each part within one unit of its exact share (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 40 }),
        (total, weights) => {
          const parts = allocateMinor(total, weights);
          expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
          const sum = weights.reduce((a, b) => a + b, 0n);
          if (sum > 0n)
            parts.forEach((p, i) => {
              const diff = p * sum - total * weights[i]!; // (part − exact share) × sum
              expect(diff < 0n ? -diff : diff).toBeLessThan(sum);
            });
          for (const p of parts) expect(typeof p).toBe('bigint');
        },
      ),
    );
  });
});

describe('distributeRounded', () => {
  it('gives each part the floor or ceiling of its exact value', () => {
    // exact 0.013 × 3 = 0.039 → 4: floors 1,1,1 plus one to the first (ties to the earlier part)
    expect(distributeRounded(4n, [13n, 13n, 13n], 10n)).toEqual([2n, 1n, 1n]);
    expect(distributeRounded(3n, [13n, 13n, 13n], 10n)).toEqual([1n, 1n, 1n]);
    expect(distributeRounded(7n, [15n, 19n, 31n], 10n)).toEqual([2n, 2n, 3n]); // 1.5, 1.9, 3.1: floors 1, 1, 3; the two left go to .9 and .5
    expect(() => distributeRounded(7n, [13n, 13n, 13n], 10n)).toThrow(RangeError); // above Σ ceilings (6)
    expect(() => distributeRounded(2n, [13n, 13n, 13n], 10n)).toThrow(RangeError);
  });

  it('works for any rounding of the exact sum (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 30 }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        fc.constantFrom('half_up', 'half_even', 'up', 'down'),
        (nums, den, mode) => {
          const s = nums.reduce((a, b) => a + b, 0n);
          const total = multiplyMoney(money(s, 'CNY'), { num: 1n, den }, mode as any).minor;
          const parts = distributeRounded(total, nums, den);
          expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
          parts.forEach((p, i) => {
            expect(p * den <= nums[i]! + den - 1n && p * den >= nums[i]! - den + 1n).toBe(true);
          });
        },
      ),
    );
  });
});

describe('人民币大写 (RMB capital amounts)', () => {
  // Examples from the People's Bank of China rules for writing bills and settlement vouchers
  // (《支付结算办法》 annex 《正确填写票据和结算凭证的基本规定》, rules 一 to 四 on 零 and 整).
  it('reproduces the PBOC rule examples', () => {
    const cases: Array<[string, string]> = [
      ['1409.50', '壹仟肆佰零玖元伍角'], // rule (1): a zero between digits is written 零; 整 may be left out after 角
      ['6007.14', '陆仟零柒元壹角肆分'], // rule (2): several zeros in a row are written as one 零
      ['1680.32', '壹仟陆佰捌拾元叁角贰分'], // rule (3): 元 digit zero, 角 not: 零 optional (we write none)
      ['107000.53', '壹拾万柒仟元伍角叁分'], // rule (3): 万 digit zero, 仟 not: 零 optional (we write none)
      ['16409.02', '壹万陆仟肆佰零玖元零贰分'], // rule (4): 角 zero, 分 not: 零 after 元
      ['325.04', '叁佰贰拾伍元零肆分'], // rule (4)
    ];
    for (const [amount, want] of cases) expect(rmbCapital(parseMoney(amount, 'CNY')), amount).toBe(want);
  });

  it('writes 整 after 元, never after 分, after 角 only on request, and 人民币 on request', () => {
    expect(rmbCapital(parseMoney('12345.67', 'CNY'))).toBe('壹万贰仟叁佰肆拾伍元陆角柒分');
    expect(rmbCapital(parseMoney('100', 'CNY'))).toBe('壹佰元整');
    expect(rmbCapital(parseMoney('1.20', 'CNY'))).toBe('壹元贰角');
    expect(rmbCapital(parseMoney('1.20', 'CNY'), { zhengAfterJiao: true })).toBe('壹元贰角整');
    expect(rmbCapital(parseMoney('1.23', 'CNY'), { zhengAfterJiao: true })).toBe('壹元贰角叁分');
    expect(rmbCapital(parseMoney('1409.50', 'CNY'), { prefix: true })).toBe('人民币壹仟肆佰零玖元伍角');
  });

  it('handles zeros, tens, sections and the edges', () => {
    const cases: Array<[string, string]> = [
      ['0', '零元整'],
      ['0.05', '伍分'],
      ['0.50', '伍角'],
      ['0.55', '伍角伍分'],
      ['1', '壹元整'],
      ['10', '壹拾元整'],
      ['15', '壹拾伍元整'],
      ['20.00', '贰拾元整'],
      ['101', '壹佰零壹元整'],
      ['110', '壹佰壹拾元整'],
      ['1001', '壹仟零壹元整'],
      ['1010.10', '壹仟零壹拾元壹角'],
      ['10000', '壹万元整'],
      ['10001', '壹万零壹元整'],
      ['10010', '壹万零壹拾元整'],
      ['100500', '壹拾万零伍佰元整'],
      ['1000000', '壹佰万元整'],
      ['1001000', '壹佰万壹仟元整'],
      ['10000000', '壹仟万元整'],
      ['10000001', '壹仟万零壹元整'],
      ['100000000', '壹亿元整'],
      ['100000001', '壹亿零壹元整'],
      ['100010000', '壹亿零壹万元整'],
      ['110000000', '壹亿壹仟万元整'],
      ['1000000000000', '壹万亿元整'],
      ['1000100000000', '壹万亿零壹亿元整'],
      ['9999999999999999.99', '玖仟玖佰玖拾玖万亿玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分'],
      ['-3.05', '负叁元零伍分'],
    ];
    for (const [amount, want] of cases) expect(rmbCapital(parseMoney(amount, 'CNY')), amount).toBe(want);
    expect(() => rmbCapital(parseMoney('10000000000000000', 'CNY'))).toThrow(AppError);
    expect(errorOf(() => rmbCapital(money(100n, 'USD'))).code).toBe('currency_mismatch');
  });

  it('uses only the capital characters, never 一二三 or a bare 十, and no doubled 零 (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 18n - 1n }), (minor) => {
        const s = rmbCapital(cny(minor));
        expect(s).toMatch(/^[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+$/);
        expect(s).not.toMatch(/零零|零元|零万|零亿|零角|^拾|^元|零$/);
        expect(s.endsWith('整') || s.endsWith('分') || s.endsWith('角')).toBe(true);
        expect(s.includes('分') && s.endsWith('整')).toBe(false);
      }),
    );
  });
});

describe('no float touches an amount', () => {
  it('the money sources use no floating-point rounding or parsing', () => {
    const dir = new URL('.', import.meta.url);
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(sources).toEqual(
      expect.arrayContaining(['money.ts', 'rounding.ts', 'dates.ts', 'tax.ts', 'pricing.ts', 'fx.ts', 'aging.ts', 'dunning.ts', 'revenue.ts', 'journal.ts', 'index.ts']),
    );
    for (const f of sources) {
      const text = readFileSync(new URL(f, dir), 'utf8');
      expect(text, f).not.toMatch(/parseFloat|toFixed|toPrecision|Math\.(round|floor|ceil|trunc|pow)|\*\* ?0?\.\d/);
    }
  });
});
