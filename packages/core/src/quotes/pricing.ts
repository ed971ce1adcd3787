import { fieldError } from '../platform/errors.ts';
import { lineAmounts, parseQty, type LineAmounts, type RoundingMode } from '../platform/money.ts';

/** What a caller types for one line: the product, quantity and any price, discount or tax override. */
export interface LineInput {
  productId?: string | undefined;
  description?: string | undefined;
  quantity: string;
  unitPriceMinor?: number | undefined;
  discountRate?: string | undefined;
  taxRate?: string | undefined;
}

/** The catalog facts a line falls back on. */
export interface ProductFacts {
  id: string;
  sku: string;
  name: string;
  listPriceMinor: number;
  currency: string;
  taxRate: string;
  active: number;
}

export interface PricedLine extends LineAmounts {
  lineNo: number;
  productId: string | null;
  description: string;
  qtyMilli: number;
  unitPriceMinor: number;
  discountRate: string;
  taxRate: string;
}

/**
 * Prices the lines of a document in `currency`: unknown fields fall back to the product (list
 * price, tax rate, name), amounts are always computed (per-line rounding), never typed. Pure: the
 * caller loads the products. Errors name the line (`lines.2.productId`).
 */
export function priceLines(
  inputs: readonly LineInput[],
  products: ReadonlyMap<string, ProductFacts>,
  currency: string,
  mode: RoundingMode = 'half_up',
): PricedLine[] {
  return inputs.map((l, i) => {
    const at = (f: string) => `lines.${i}.${f}`;
    const p = l.productId ? products.get(l.productId) : undefined;
    if (l.productId && !p) throw fieldError(at('productId'), `product ${l.productId} does not exist`, 'unknown_reference');
    if (p && !p.active) throw fieldError(at('productId'), `product ${p.sku} is inactive`, 'inactive');
    if (p && p.currency !== currency)
      throw fieldError(at('productId'), `product ${p.sku} is priced in ${p.currency}, the quote in ${currency}`, 'currency_mismatch');
    const description = l.description ?? p?.name;
    if (!description) throw fieldError(at('description'), 'a line without a product needs a description', 'required');
    const unitPriceMinor = l.unitPriceMinor ?? p?.listPriceMinor;
    if (unitPriceMinor === undefined) throw fieldError(at('unitPriceMinor'), 'a line without a product needs a unit price', 'required');
    const taxRate = l.taxRate ?? p?.taxRate;
    if (taxRate === undefined) throw fieldError(at('taxRate'), 'a line without a product needs a tax rate', 'required');
    const qtyMilli = parseQty(l.quantity, at('quantity'));
    if (qtyMilli <= 0) throw fieldError(at('quantity'), 'the quantity must be greater than 0');
    const discountRate = l.discountRate ?? '0';
    return {
      lineNo: i + 1,
      productId: p?.id ?? null,
      description,
      qtyMilli,
      unitPriceMinor,
      discountRate,
      taxRate,
      ...lineAmounts(qtyMilli, unitPriceMinor, discountRate, taxRate, mode),
    };
  });
}
