import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatAmount, formatDate, formatNumber, formatPercent, formatQuantity, groupThousands, isDocLocale } from './format.ts';

describe('document number formats', () => {
  it('writes minor units in the major unit with thousands separators', () => {
    expect(formatNumber(0, 'CNY')).toBe('0.00');
    expect(formatNumber(5, 'CNY')).toBe('0.05');
    expect(formatNumber(99, 'CNY')).toBe('0.99');
    expect(formatNumber(100, 'CNY')).toBe('1.00');
    expect(formatNumber(2_182_100, 'CNY')).toBe('21,821.00');
    expect(formatNumber(123_456_789_012, 'CNY')).toBe('1,234,567,890.12');
    expect(formatNumber(-123_456, 'CNY')).toBe('-1,234.56');
    expect(formatNumber(Number.MAX_SAFE_INTEGER, 'CNY')).toBe('90,071,992,547,409.91');
  });

  it('follows the currency exponent: none for JPY, three for KWD, two for one the money table does not list', () => {
    expect(formatNumber(1_234_567, 'JPY')).toBe('1,234,567');
    expect(formatNumber(1_234_567, 'KWD')).toBe('1,234.567');
    expect(formatNumber(7, 'KWD')).toBe('0.007');
    expect(formatNumber(1_234_567, 'XTS')).toBe('12,345.67');
  });

  it('refuses what is not a whole number of minor units', () => {
    expect(() => formatNumber(1.5, 'CNY')).toThrow(RangeError);
    expect(() => formatNumber(Number.MAX_SAFE_INTEGER + 1, 'CNY')).toThrow(RangeError);
  });

  it('reads back to the same number of minor units (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (minor) => {
        const s = formatNumber(minor, 'CNY');
        expect(s).toMatch(/^-?\d{1,3}(,\d{3})*\.\d{2}$/);
        expect(BigInt(s.replace(/[,.]/g, ''))).toBe(BigInt(minor));
      }),
    );
  });

  it('puts ¥ before RMB amounts in Chinese and the ISO code in English', () => {
    expect(formatAmount(2_182_100, 'CNY', 'zh-CN')).toBe('¥21,821.00');
    expect(formatAmount(2_182_100, 'CNY', 'en')).toBe('CNY 21,821.00');
    expect(formatAmount(-50, 'CNY', 'zh-CN')).toBe('-¥0.50');
    expect(formatAmount(-50, 'CNY', 'en')).toBe('-CNY 0.50');
    expect(formatAmount(100_000, 'USD', 'zh-CN')).toBe('US$1,000.00');
    expect(formatAmount(100_000, 'SGD', 'zh-CN')).toBe('SGD 1,000.00');
    expect(formatAmount(1_000, 'JPY', 'en')).toBe('JPY 1,000');
  });

  it('writes rates as percentages by moving the decimal point', () => {
    expect(formatPercent('0.13')).toBe('13%');
    expect(formatPercent('0.06')).toBe('6%');
    expect(formatPercent('0.09')).toBe('9%');
    expect(formatPercent('0.03')).toBe('3%');
    expect(formatPercent('0')).toBe('0%');
    expect(formatPercent('0.00')).toBe('0%');
    expect(formatPercent('0.125')).toBe('12.5%');
    expect(formatPercent('0.1')).toBe('10%');
    expect(formatPercent('0.130000')).toBe('13%');
    expect(formatPercent('1')).toBe('100%');
    expect(formatPercent('0.0005')).toBe('0.05%');
    expect(() => formatPercent('13%')).toThrow(RangeError);
  });

  it('groups the whole part of quantities and keeps their decimals', () => {
    expect(formatQuantity('2')).toBe('2');
    expect(formatQuantity('12000')).toBe('12,000');
    expect(formatQuantity('1234567.125')).toBe('1,234,567.125');
    expect(formatQuantity('0.5')).toBe('0.5');
    expect(groupThousands('100')).toBe('100');
  });

  it('writes business dates the Chinese and the English way', () => {
    expect(formatDate('2026-01-05', 'zh-CN')).toBe('2026年1月5日');
    expect(formatDate('2026-12-31', 'zh-CN')).toBe('2026年12月31日');
    expect(formatDate('2026-01-05', 'en')).toBe('5 Jan 2026');
    expect(formatDate('2026-12-31', 'en')).toBe('31 Dec 2026');
    expect(() => formatDate('2026-13-01', 'en')).toThrow(RangeError);
    expect(() => formatDate('05/01/2026', 'zh-CN')).toThrow(RangeError);
  });

  it('knows its two languages', () => {
    expect(isDocLocale('zh-CN')).toBe(true);
    expect(isDocLocale('en')).toBe(true);
    expect(isDocLocale('fr')).toBe(false);
    expect(isDocLocale(null)).toBe(false);
  });
});
