import { AppError, fieldError } from '../platform/errors.ts';
import { parseQty, roundDiv, toSafeNumber, type LineAmounts, type RoundingMode } from '../platform/money.ts';
import type { TaxRoundingLevel } from '../money/rounding.ts';
import { findPrice, type PriceBook, type PriceDiscount, type PriceScheme } from '../money/pricing.ts';
import { priceDocument, resolveTaxCode, type TaxCodeFacts } from '../pricing/document-pricing.ts';

/** What a caller types for one line: the product, quantity and any price, discount or tax override. */
export interface LineInput {
  productId?: string | undefined;
  description?: string | undefined;
  quantity: string;
  unitPriceMinor?: number | undefined;
  discountRate?: string | undefined;
  discountAmountMinor?: number | undefined;
  taxCodeId?: string | undefined;
  taxCode?: string | undefined;
  /** Compatibility: resolved to the legal entity's active tax code with this rate. */
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
  taxCode?: string | null;
  active: number;
}

export interface PricedLine extends LineAmounts {
  lineNo: number;
  productId: string | null;
  description: string;
  qtyMilli: number;
  /** The unit price (for tiered prices the average, list amount ÷ quantity); gross when prices include tax. */
  unitPriceMinor: number;
  discountRate: string;
  taxRate: string;
  taxCodeId: string;
  taxCode: string;
  listAmountMinor: number;
  discountMinor: number;
  docDiscountMinor: number;
}

/** What the document brings to its lines' pricing. */
export interface PricingContext {
  /** The tax codes of the legal entity that prices (all of them; inactive ones are refused). */
  taxCodes: readonly TaxCodeFacts[];
  /** The active price books of the document's currency. */
  books: readonly PriceBook[];
  /** A book chosen on the document; otherwise the currency's default book, if any. */
  priceBookId?: string | null | undefined;
  /** The document date (books outside their validity are skipped). */
  date: string;
  rounding: TaxRoundingLevel;
  mode: RoundingMode;
  documentDiscount?: PriceDiscount | undefined;
}

export interface PricedLines {
  lines: PricedLine[];
  priceBookId: string | null;
  pricesIncludeTax: boolean;
  documentDiscountMinor: number;
}

const valid = (b: PriceBook, date: string) => (!b.validFrom || b.validFrom <= date) && (!b.validTo || date <= b.validTo);

/** The book a document prices from: the one chosen (it must be active, in the currency and valid), else the currency's default. */
function chooseBook(pc: PricingContext, currency: string): PriceBook | null {
  if (pc.priceBookId) {
    const b = pc.books.find((x) => x.id === pc.priceBookId);
    if (!b) throw fieldError('priceBookId', `price book ${pc.priceBookId} is not an active price book in ${currency}`, 'unknown_reference');
    if (!valid(b, pc.date)) throw fieldError('priceBookId', `price book ${b.name} is not valid on ${pc.date}`, 'price_book_expired');
    return b;
  }
  return pc.books.find((b) => b.isDefault && b.currency === currency && valid(b, pc.date)) ?? null;
}

/**
 * Prices the lines of a document in `currency`. Per line: the tax code (resolveTaxCode: line, then
 * product default, a bare rate through the compatibility rule), the price (a typed unit price; else
 * the product's entry in the chosen or default price book, per unit or tiered; else, when the book's
 * prices exclude tax (or there is no book), the product's list price — a book with tax-inclusive
 * prices has no net list price to fall back on, so 422 `no_price`), the line discount
 * (a rate or an amount). Then priceDocument spreads the document discount and computes the tax.
 * Pure: the caller loads products, tax codes and books. Errors name the line (`lines.2.productId`).
 */
export function priceLines(inputs: readonly LineInput[], products: ReadonlyMap<string, ProductFacts>, currency: string, pc: PricingContext): PricedLines {
  const book = chooseBook(pc, currency);
  const pricesIncludeTax = !!book?.pricesIncludeTax;
  const prepared = inputs.map((l, i) => {
    const at = (f: string) => `lines.${i}.${f}`;
    const p = l.productId ? products.get(l.productId) : undefined;
    if (l.productId && !p) throw fieldError(at('productId'), `product ${l.productId} does not exist`, 'unknown_reference');
    if (p && !p.active) throw fieldError(at('productId'), `product ${p.sku} is inactive`, 'inactive');
    const description = l.description ?? p?.name;
    if (!description) throw fieldError(at('description'), 'a line without a product needs a description', 'required');
    const qtyMilli = parseQty(l.quantity, at('quantity'));
    if (qtyMilli <= 0) throw fieldError(at('quantity'), 'the quantity must be greater than 0');
    let scheme: PriceScheme;
    if (l.unitPriceMinor !== undefined) scheme = { kind: 'per_unit', unitPrice: BigInt(l.unitPriceMinor) };
    else if (!p) throw fieldError(at('unitPriceMinor'), 'a line without a product needs a unit price', 'required');
    else {
      let fromBook: PriceScheme | null = null;
      if (book) {
        try {
          fromBook = findPrice([book], { productId: p.id, currency, date: pc.date, priceBookId: book.id }).entry.scheme;
        } catch (e) {
          if (!(e instanceof AppError && e.code === 'no_price')) throw e;
          if (pricesIncludeTax)
            throw new AppError(422, 'no_price', 'No price', `price book ${book.name} has no price for ${p.sku}`, {
              fields: [{ path: at('productId'), message: `price book ${book.name} has no price for ${p.sku}; add it to the book or type a unit price`, code: 'no_price' }],
            });
        }
      }
      if (fromBook) scheme = fromBook;
      else {
        if (p.currency !== currency)
          throw fieldError(at('productId'), `product ${p.sku} is priced in ${p.currency}, the quote in ${currency}`, 'currency_mismatch');
        scheme = { kind: 'per_unit', unitPrice: BigInt(p.listPriceMinor) };
      }
    }
    if (l.discountRate !== undefined && l.discountAmountMinor !== undefined)
      throw fieldError(at('discountAmountMinor'), 'give a discount as a rate or as an amount, not both', 'invalid');
    const discount: PriceDiscount | undefined =
      l.discountAmountMinor !== undefined ? { kind: 'amount', amount: { minor: BigInt(l.discountAmountMinor), currency } } : l.discountRate !== undefined ? { kind: 'percent', rate: l.discountRate } : undefined;
    const tax = resolveTaxCode(pc.taxCodes, l, p, `lines.${i}`);
    return { productId: p?.id ?? null, description, qtyMilli, scheme, discount, tax, discountRate: l.discountRate ?? '0' };
  });
  const doc = priceDocument(prepared, { currency, pricesIncludeTax, rounding: pc.rounding, mode: pc.mode, documentDiscount: pc.documentDiscount });
  return {
    priceBookId: book?.id ?? null,
    pricesIncludeTax,
    documentDiscountMinor: doc.documentDiscountMinor,
    lines: prepared.map((l, i) => {
      const a = doc.lines[i]!;
      const unitPriceMinor =
        l.scheme.kind === 'per_unit' ? toSafeNumber(l.scheme.unitPrice) : toSafeNumber(roundDiv(BigInt(a.listAmountMinor) * 1000n, BigInt(l.qtyMilli), pc.mode));
      return {
        lineNo: i + 1,
        productId: l.productId,
        description: l.description,
        qtyMilli: l.qtyMilli,
        unitPriceMinor,
        discountRate: l.discountRate,
        taxRate: l.tax.rate,
        taxCodeId: l.tax.id,
        taxCode: l.tax.code,
        ...a,
      };
    }),
  };
}
