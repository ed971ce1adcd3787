import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import { sumAmounts } from '../platform/money.ts';
import { priceLines as priceDoc, type LineInput, type PricingContext, type ProductFacts } from './pricing.ts';
import { CN_VAT_CODES } from '../money/tax.ts';
import type { TaxCodeFacts } from '../pricing/document-pricing.ts';

/** The seeded China VAT codes, as a legal entity has them out of the box. */
const CODES: TaxCodeFacts[] = CN_VAT_CODES.map((c) => ({
  id: `taxc_${c.id}`,
  code: c.id,
  name: c.name,
  kind: c.kind,
  components: [{ name: c.name, rate: c.rate, compound: false }],
  rate: c.rate,
  active: true,
}));
const PC: PricingContext = { taxCodes: CODES, books: [], date: '2026-01-15', rounding: 'line', mode: 'half_up' };
const priceLines = (inputs: LineInput[], products: ReadonlyMap<string, ProductFacts>, currency: string) => priceDoc(inputs, products, currency, PC).lines;

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
      taxCodeId: 'taxc_CN-VAT-13',
      taxCode: 'CN-VAT-13',
      listAmountMinor: 370_368,
      discountMinor: 37_037,
      docDiscountMinor: 0,
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
        { description: 'Consulting 咨询', quantity: '1', unitPriceMinor: 50, taxCode: 'CN-VAT-SS-1' },
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
    // A bare rate 0 resolves to zero-rated, never to exempt (the compatibility rule).
    expect([l!.unitPriceMinor, l!.taxRate, l!.taxCode, l!.taxMinor, l!.totalMinor]).toEqual([100_000, '0', 'CN-VAT-0', 0, 100_000]);
  });

  it('names the offending line in every refusal', () => {
    const base = { productId: 'prod_1', quantity: '1' };
    expect(fieldOf(() => priceLines([base, { ...base, productId: 'prod_2' }], catalog, 'CNY'))).toEqual({ path: 'lines.1.productId', code: 'currency_mismatch' });
    expect(fieldOf(() => priceLines([{ ...base, productId: 'prod_3' }], catalog, 'CNY'))).toEqual({ path: 'lines.0.productId', code: 'inactive' });
    expect(fieldOf(() => priceLines([{ ...base, productId: 'prod_9' }], catalog, 'CNY'))).toEqual({ path: 'lines.0.productId', code: 'unknown_reference' });
    expect(fieldOf(() => priceLines([{ quantity: '1', unitPriceMinor: 1, taxRate: '0' }], catalog, 'CNY')).path).toBe('lines.0.description');
    expect(fieldOf(() => priceLines([{ quantity: '1', description: 'x', taxRate: '0' }], catalog, 'CNY')).path).toBe('lines.0.unitPriceMinor');
    expect(fieldOf(() => priceLines([{ quantity: '1', description: 'x', unitPriceMinor: 1 }], catalog, 'CNY')).path).toBe('lines.0.taxCode');
    expect(fieldOf(() => priceLines([{ ...base, taxRate: '0.17' }], catalog, 'CNY'))).toEqual({ path: 'lines.0.taxRate', code: 'unknown_tax_rate' });
    expect(fieldOf(() => priceLines([{ ...base, taxCode: 'NOPE' }], catalog, 'CNY'))).toEqual({ path: 'lines.0.taxCode', code: 'unknown_reference' });
    expect(fieldOf(() => priceLines([{ ...base, taxCode: 'CN-VAT-6', taxRate: '0.13' }], catalog, 'CNY'))).toEqual({ path: 'lines.0.taxRate', code: 'tax_rate_mismatch' });
    expect(fieldOf(() => priceLines([{ ...base, discountRate: '0.1', discountAmountMinor: 5 }], catalog, 'CNY')).path).toBe('lines.0.discountAmountMinor');
    expect(fieldOf(() => priceLines([{ ...base, quantity: '0' }], catalog, 'CNY')).path).toBe('lines.0.quantity');
    expect(fieldOf(() => priceLines([{ ...base, quantity: '1.2345' }], catalog, 'CNY')).path).toBe('lines.0.quantity');
  });
});

describe('quote pricing with tax codes, price books and discounts', () => {
  const tiered: ProductFacts = { ...server, id: 'prod_4', sku: 'SEAT', name: '席位 Seat', listPriceMinor: 10_000, taxRate: '0.06', taxCode: 'CN-VAT-6' };
  const products = new Map([server, tiered].map((p) => [p.id, p]));
  const book = (over: Partial<PricingContext['books'][number]> = {}) => ({
    id: 'pb_1',
    name: 'Partner 2026',
    currency: 'CNY',
    pricesIncludeTax: false,
    isDefault: true,
    entries: [
      {
        productId: 'prod_4',
        scheme: {
          kind: 'graduated' as const,
          tiers: [
            { upToMilli: 10_000, unitPrice: 10_000n },
            { upToMilli: null, unitPrice: 8_000n },
          ],
        },
      },
    ],
    ...over,
  });

  it('takes the product default tax code, and prices a graduated tier from the default book', () => {
    // 15 seats: 10 × ¥100 + 5 × ¥80 = ¥1,400.00 net; VAT 6 % = ¥84.00.
    const r = priceDoc([{ productId: 'prod_4', quantity: '15' }], products, 'CNY', { ...PC, books: [book()] });
    expect(r.priceBookId).toBe('pb_1');
    expect(r.lines[0]).toMatchObject({ taxCode: 'CN-VAT-6', listAmountMinor: 140_000, unitPriceMinor: 9_333, netMinor: 140_000, taxMinor: 8_400, totalMinor: 148_400 });
  });

  it('falls back to the list price when a book without tax lacks the product, not when its prices include tax', () => {
    const r = priceDoc([{ productId: 'prod_1', quantity: '1' }], products, 'CNY', { ...PC, books: [book()], priceBookId: 'pb_1' });
    expect(r.lines[0]!.netMinor).toBe(123_456);
    expect(fieldOf(() => priceDoc([{ productId: 'prod_1', quantity: '1' }], products, 'CNY', { ...PC, books: [book({ pricesIncludeTax: true })] }))).toEqual({
      path: 'lines.0.productId',
      code: 'no_price',
    });
    expect(fieldOf(() => priceDoc([{ productId: 'prod_1', quantity: '1' }], products, 'CNY', { ...PC, books: [book()], priceBookId: 'pb_9' })).path).toBe('priceBookId');
  });

  it('splits prices that include tax with the inclusive split (价税分离)', () => {
    // ¥113.00 with 13 % VAT: net = 113 ÷ 1.13 = ¥100.00, tax ¥13.00.
    const incl = book({ pricesIncludeTax: true, entries: [{ productId: 'prod_1', scheme: { kind: 'per_unit', unitPrice: 11_300n } }] });
    const r = priceDoc([{ productId: 'prod_1', quantity: '1' }], products, 'CNY', { ...PC, books: [incl] });
    expect(r.pricesIncludeTax).toBe(true);
    expect(r.lines[0]).toMatchObject({ netMinor: 10_000, taxMinor: 1_300, totalMinor: 11_300 });
  });

  it('takes line discounts as a rate or an amount and spreads a document discount so the totals add up', () => {
    const r = priceDoc(
      [
        { description: 'A', quantity: '1', unitPriceMinor: 10_000, taxCode: 'CN-VAT-13', discountAmountMinor: 1_000 },
        { description: 'B', quantity: '1', unitPriceMinor: 20_001, taxCode: 'CN-VAT-13', discountRate: '0.5' },
      ],
      products,
      'CNY',
      { ...PC, documentDiscount: { kind: 'amount', amount: { minor: 1_001n, currency: 'CNY' } } },
    );
    // 50 % off 20,001: the net is 10,000.5 → 10,001 (rounded once, half up), so 10,000 off; the other line 9,000.
    // 1,001 spread 9,000 : 10,001 = 474.13 : 526.87 → 474 + 526 and the last fen to the larger remainder.
    expect(r.lines.map((l) => [l.discountMinor, l.docDiscountMinor, l.netMinor])).toEqual([
      [1_000, 474, 8_526],
      [10_000, 527, 9_474],
    ]);
    expect(r.documentDiscountMinor).toBe(1_001);
    expect(r.lines.reduce((a, l) => a + l.netMinor, 0)).toBe(9_000 + 10_001 - 1_001);
  });
});
