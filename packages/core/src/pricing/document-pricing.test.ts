import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError } from '../platform/errors.ts';
import { codeForRate, effectiveRate, priceDocument, resolveTaxCode, type PricingLine, type TaxCodeFacts } from './document-pricing.ts';

const code = (c: string, rate: string, kind: TaxCodeFacts['kind'] = 'standard', over: Partial<TaxCodeFacts> = {}): TaxCodeFacts => ({
  id: `taxc_${c}`,
  code: c,
  name: c,
  kind,
  components: [{ name: c, rate, compound: false }],
  rate,
  active: true,
  ...over,
});
const VAT13 = code('VAT13', '0.13');
const VAT6 = code('VAT6', '0.06', 'reduced');
const VAT0 = code('VAT0', '0', 'zero');
const VATEX = code('VATEX', '0', 'exempt');
const CODES = [VATEX, VAT0, VAT13, VAT6];
const unit = (minor: number, qty = 1000, tax = VAT13): PricingLine => ({ scheme: { kind: 'per_unit', unitPrice: BigInt(minor) }, qtyMilli: qty, tax });

describe('tax codes', () => {
  it('adds components into the effective rate, a compound one levied on the tax before it too', () => {
    expect(effectiveRate([{ name: 'a', rate: '0.13', compound: false }])).toBe('0.13');
    expect(effectiveRate([{ name: 'a', rate: '0.05', compound: false }, { name: 'b', rate: '0.07', compound: false }])).toBe('0.12');
    // Québec-style: 5 % GST, then 9.975 % QST on net + GST = 5 % + 9.975 % × 1.05 = 15.47375 %.
    expect(effectiveRate([{ name: 'GST', rate: '0.05', compound: false }, { name: 'QST', rate: '0.09975', compound: true }])).toBe('0.1547375');
  });

  it('resolves a bare rate to the entity code: single component first, zero-rated before exempt', () => {
    expect(codeForRate(CODES, '0.130')?.code).toBe('VAT13');
    expect(codeForRate(CODES, '0')?.code).toBe('VAT0');
    expect(codeForRate([VATEX], '0')?.code).toBe('VATEX');
    expect(codeForRate([{ ...VAT0, active: false }], '0')).toBeUndefined();
  });

  it('takes the line code, then the product default, and refuses inactive codes', () => {
    expect(resolveTaxCode(CODES, { taxCode: 'VAT6' }, { taxCode: 'VAT13', taxRate: '0.13' }, 'lines.0').code).toBe('VAT6');
    expect(resolveTaxCode(CODES, {}, { taxCode: 'VAT13', taxRate: '0.13' }, 'lines.0').code).toBe('VAT13');
    expect(resolveTaxCode(CODES, {}, { taxCode: null, taxRate: '0.06' }, 'lines.0').code).toBe('VAT6');
    expect(() => resolveTaxCode([{ ...VAT13, active: false }], { taxCode: 'VAT13' }, undefined, 'lines.3')).toThrowError(/inactive/);
    try {
      resolveTaxCode(CODES, { taxRate: '0.17' }, undefined, 'lines.3');
    } catch (e) {
      expect((e as AppError).extra.fields?.[0]).toMatchObject({ path: 'lines.3.taxRate', code: 'unknown_tax_rate' });
    }
  });
});

describe('document pricing', () => {
  /**
   * Per line vs per document, differing by a fen. Per line is how a 增值税发票 states tax: each line's
   * 税额 = 金额 × 税率 rounded to the fen (国家税务总局 invoice rules; the tax platform computes it per
   * line). Per document rounds each tax code's total once, as ERPs offer it (Odoo's "Round Globally",
   * SAP's tax calculation on the document total). Three lines of ¥10.05 at 6 %:
   * per line 0.603 → ¥0.60 each, ¥1.80 in all; per document 30.15 × 6 % = 1.809 → ¥1.81.
   */
  it('rounds per line by default and once per code with document rounding (worked example)', () => {
    const lines = [unit(1005, 1000, VAT6), unit(1005, 1000, VAT6), unit(1005, 1000, VAT6)];
    const perLine = priceDocument(lines, { currency: 'CNY', pricesIncludeTax: false, rounding: 'line', mode: 'half_up' });
    const perDoc = priceDocument(lines, { currency: 'CNY', pricesIncludeTax: false, rounding: 'document', mode: 'half_up' });
    expect(perLine.lines.map((l) => l.taxMinor)).toEqual([60, 60, 60]);
    expect(perDoc.lines.map((l) => l.taxMinor)).toEqual([61, 60, 60]);
    expect(perDoc.byCode).toEqual([{ taxCodeId: 'taxc_VAT6', baseMinor: 3015, taxMinor: 181 }]);
  });

  it('prices graduated and volume tiers', () => {
    const tiers = [
      { upToMilli: 10_000, unitPrice: 10_000n },
      { upToMilli: null, unitPrice: 8_000n },
    ];
    const opts = { currency: 'CNY', pricesIncludeTax: false, rounding: 'line' as const, mode: 'half_up' as const };
    const g = priceDocument([{ scheme: { kind: 'graduated', tiers }, qtyMilli: 15_000, tax: VAT13 }], opts);
    const v = priceDocument([{ scheme: { kind: 'volume', tiers }, qtyMilli: 15_000, tax: VAT13 }], opts);
    expect(g.lines[0]).toMatchObject({ listAmountMinor: 140_000, netMinor: 140_000, taxMinor: 18_200 });
    expect(v.lines[0]).toMatchObject({ listAmountMinor: 120_000, netMinor: 120_000, taxMinor: 15_600 });
  });

  it('names the line of a discount larger than its amount', () => {
    try {
      priceDocument([unit(100), { ...unit(100), discount: { kind: 'amount', amount: { minor: 101n, currency: 'CNY' } } }], { currency: 'CNY', pricesIncludeTax: false, rounding: 'line', mode: 'half_up' });
      expect.unreachable();
    } catch (e) {
      expect((e as AppError).extra.fields?.[0]?.path).toBe('lines.1.discount');
    }
  });

  it('keeps every total exact under any discounts, rounding and tax basis (property)', () => {
    const line = fc.record({
      price: fc.integer({ min: 0, max: 5_000_000 }),
      qty: fc.integer({ min: 1, max: 50_000 }),
      tax: fc.constantFrom(VAT13, VAT6, VAT0, code('MIX', '0.1547375', 'standard', { components: [{ name: 'a', rate: '0.05', compound: false }, { name: 'b', rate: '0.09975', compound: true }] })),
      pct: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('line' as const, 'document' as const),
        fc.boolean(),
        fc.oneof(fc.constant(undefined), fc.integer({ min: 0, max: 100 }).map((p) => ({ kind: 'percent' as const, rate: String(p / 100) })), fc.nat()),
        (ls, rounding, incl, dd) => {
          const lines: PricingLine[] = ls.map((l) => ({ ...unit(l.price, l.qty, l.tax), ...(l.pct === undefined ? {} : { discount: { kind: 'percent' as const, rate: String(l.pct / 100) } }) }));
          const base = priceDocument(lines, { currency: 'CNY', pricesIncludeTax: incl, rounding, mode: 'half_up' });
          const afterLine = base.lines.reduce((a, l) => a + l.listAmountMinor - l.discountMinor, 0);
          const documentDiscount = typeof dd === 'number' ? { kind: 'amount' as const, amount: { minor: BigInt(dd % (afterLine + 1)), currency: 'CNY' } } : dd;
          const r = priceDocument(lines, { currency: 'CNY', pricesIncludeTax: incl, rounding, mode: 'half_up', documentDiscount });
          // The shares add up to the document discount, and each line is what is left after its discounts.
          expect(r.lines.reduce((a, l) => a + l.docDiscountMinor, 0)).toBe(r.documentDiscountMinor);
          for (const l of r.lines) {
            expect(l.netMinor + l.taxMinor).toBe(l.totalMinor);
            expect(incl ? l.totalMinor : l.netMinor).toBe(l.listAmountMinor - l.discountMinor - l.docDiscountMinor);
            expect(l.docDiscountMinor).toBeGreaterThanOrEqual(0);
          }
          expect(r.lines.reduce((a, l) => a + (incl ? l.totalMinor : l.netMinor), 0)).toBe(afterLine - r.documentDiscountMinor);
          expect(r.byCode.reduce((a, c) => a + c.taxMinor, 0)).toBe(r.lines.reduce((a, l) => a + l.taxMinor, 0));
        },
      ),
      { numRuns: 300 },
    );
  });
});
