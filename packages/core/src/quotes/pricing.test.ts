import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import { sumAmounts } from '../platform/money.ts';
import { priceLines, type ProductFacts } from './pricing.ts';

const server: ProductFacts = { id: 'prod_1', sku: 'SRV-01', name: '服务器', listPriceMinor: 123_456, currency: 'CNY', taxRate: '0.13', active: 1 };
const usd: ProductFacts = { ...server, id: 'prod_2', sku: 'USD-01', currency: 'USD' };
const old: ProductFacts = { ...server, id: 'prod_3', sku: 'OLD-01', active: 0 };
const catalog = new Map([server, usd, old].map((p) => [p.id, p]));

function fieldOf(fn: () => unknown): { path: string; code: string | undefined } {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError && e.extra.fields?.[0]) return { path: e.extra.fields[0].path, code: e.extra.fields[0].code };
    throw e;
  }
  throw new Error('expected a field error');
}

describe('quote line pricing', () => {
  it('prices 3 × ¥1,234.56 at 10 % discount and 13 % VAT to the exact fen', () => {
    const [l] = priceLines([{ productId: 'prod_1', quantity: '3', discountRate: '0.1' }], catalog, 'CNY');
    // 3 × 123456 = 370368; × 0.9 = 333331.2 → 333331; × 0.13 = 43333.03 → 43333
    expect(l).toEqual({
      lineNo: 1,
      productId: 'prod_1',
      description: '服务器',
      qtyMilli: 3000,
      unitPriceMinor: 123_456,
      discountRate: '0.1',
      taxRate: '0.13',
      netMinor: 333_331,
      taxMinor: 43_333,
      totalMinor: 376_664,
    });
  });

  it('rounds each line half-up and sums the rounded lines', () => {
    // 0.5 fen of tax on each line: per-line rounding gives 1 + 1, not round(0.5 + 0.5) once.
    const lines = priceLines(
      [
        { description: 'Consulting 咨询', quantity: '1', unitPriceMinor: 50, taxRate: '0.01' },
        { description: 'Consulting 咨询', quantity: '1', unitPriceMinor: 50, taxRate: '0.01' },
      ],
      catalog,
      'CNY',
    );
    expect(lines.map((l) => [l.netMinor, l.taxMinor])).toEqual([
      [50, 1],
      [50, 1],
    ]);
    expect(sumAmounts(lines)).toEqual({ netMinor: 100, taxMinor: 2, totalMinor: 102 });
  });

  it('takes fractional quantities in thousandths', () => {
    const [l] = priceLines([{ description: 'Hours 工时', quantity: '2.125', unitPriceMinor: 80_000, taxRate: '0.06' }], catalog, 'CNY');
    expect([l!.qtyMilli, l!.netMinor, l!.taxMinor]).toEqual([2125, 170_000, 10_200]);
  });

  it('lets a line override price and tax', () => {
    const [l] = priceLines([{ productId: 'prod_1', quantity: '1', unitPriceMinor: 100_000, taxRate: '0' }], catalog, 'CNY');
    expect([l!.unitPriceMinor, l!.taxRate, l!.taxMinor, l!.totalMinor]).toEqual([100_000, '0', 0, 100_000]);
  });

  it('names the offending line in every refusal', () => {
    const base = { productId: 'prod_1', quantity: '1' };
    expect(fieldOf(() => priceLines([base, { ...base, productId: 'prod_2' }], catalog, 'CNY'))).toEqual({ path: 'lines.1.productId', code: 'currency_mismatch' });
    expect(fieldOf(() => priceLines([{ ...base, productId: 'prod_3' }], catalog, 'CNY'))).toEqual({ path: 'lines.0.productId', code: 'inactive' });
    expect(fieldOf(() => priceLines([{ ...base, productId: 'prod_9' }], catalog, 'CNY'))).toEqual({ path: 'lines.0.productId', code: 'unknown_reference' });
    expect(fieldOf(() => priceLines([{ quantity: '1', unitPriceMinor: 1, taxRate: '0' }], catalog, 'CNY')).path).toBe('lines.0.description');
    expect(fieldOf(() => priceLines([{ quantity: '1', description: 'x', taxRate: '0' }], catalog, 'CNY')).path).toBe('lines.0.unitPriceMinor');
    expect(fieldOf(() => priceLines([{ quantity: '1', description: 'x', unitPriceMinor: 1 }], catalog, 'CNY')).path).toBe('lines.0.taxRate');
    expect(fieldOf(() => priceLines([{ ...base, quantity: '0' }], catalog, 'CNY')).path).toBe('lines.0.quantity');
    expect(fieldOf(() => priceLines([{ ...base, quantity: '1.2345' }], catalog, 'CNY')).path).toBe('lines.0.quantity');
  });
});
