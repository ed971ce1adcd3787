import { AppError, fieldError } from '../platform/errors.ts';
import { parseDecimal, roundDiv, type RoundingMode } from '../platform/money.ts';
import { allocateMinor, currencyExponent, currencyMismatch, type Money } from './money.ts';
import { DEFAULT_ROUNDING_MODE } from './rounding.ts';

/**
 * Prices: price books per currency, per-unit, graduated (tiered) and volume schemes, line discounts
 * and document discounts spread over the lines.
 *
 * Quantities are integer thousandths (`qtyMilli`, as parseQty gives them: 1.5 units = 1500); unit
 * prices are minor units per whole unit. An amount is computed exactly as a fraction and rounded
 * once.
 */
export interface PriceTier {
  /** The last quantity (in thousandths, inclusive) of the tier; null for the open last tier. */
  upToMilli: number | null;
  /** Minor units per whole unit within this tier. */
  unitPrice: bigint;
  /** A fixed amount charged once when the quantity reaches the tier. */
  flatFee?: bigint;
}

export type PriceScheme =
  | { kind: 'per_unit'; unitPrice: bigint }
  /** Each unit is priced in the tier it falls in (Stripe `tiers_mode=graduated`). */
  | { kind: 'graduated'; tiers: readonly PriceTier[] }
  /** All units are priced at the tier the whole quantity reaches (Stripe `tiers_mode=volume`). */
  | { kind: 'volume'; tiers: readonly PriceTier[] };

export interface PriceBookEntry {
  productId: string;
  scheme: PriceScheme;
}

export interface PriceBook {
  id: string;
  name: string;
  currency: string;
  /** Prices in this book include tax (gross); the document's tax is then split out of them. */
  pricesIncludeTax: boolean;
  /** The book used for its currency when the document names none. */
  isDefault?: boolean;
  /** Business dates (YYYY-MM-DD), inclusive; open when left out. */
  validFrom?: string;
  validTo?: string;
  entries: readonly PriceBookEntry[];
}

export interface PriceQuery {
  productId: string;
  currency: string;
  /** The document date; books outside their validity are skipped. */
  date: string;
  /** A book chosen on the document (an account's price book, a campaign). */
  priceBookId?: string;
}

export interface FoundPrice {
  book: PriceBook;
  entry: PriceBookEntry;
}

const valid = (b: PriceBook, date: string) => (!b.validFrom || b.validFrom <= date) && (!b.validTo || date <= b.validTo);

/**
 * The price of a product in a currency on a date: from the chosen book if one is named (it must be
 * in that currency), else from the default book of the currency, else from the first other valid
 * book of the currency (by id) that lists the product. 422 `no_price` when nothing applies: a price
 * is never converted silently from another currency.
 */
export function findPrice(books: readonly PriceBook[], q: PriceQuery): FoundPrice {
  currencyExponent(q.currency);
  const pick = (b: PriceBook | undefined) => {
    const entry = b?.entries.find((e) => e.productId === q.productId);
    return b && entry ? { book: b, entry } : undefined;
  };
  if (q.priceBookId) {
    const b = books.find((x) => x.id === q.priceBookId);
    if (!b) throw fieldError('priceBookId', `price book ${q.priceBookId} does not exist`, 'unknown_reference');
    if (b.currency !== q.currency) throw currencyMismatch(b.currency, q.currency, 'price a document from a book mixing');
    if (!valid(b, q.date)) throw fieldError('priceBookId', `price book ${b.name} is not valid on ${q.date}`, 'price_book_expired');
    const found = pick(b);
    if (found) return found;
  } else {
    const candidates = books
      .filter((b) => b.currency === q.currency && valid(b, q.date))
      .sort((a, b) => Number(!!b.isDefault) - Number(!!a.isDefault) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const b of candidates) {
      const found = pick(b);
      if (found) return found;
    }
  }
  throw new AppError(422, 'no_price', 'No price', `no price book in ${q.currency} valid on ${q.date} prices product ${q.productId}`, {
    productId: q.productId,
    currency: q.currency,
  });
}

/** Checks that tiers are in increasing order, priced ≥ 0, and end with an open tier. */
export function validateTiers(tiers: readonly PriceTier[]): void {
  if (!tiers.length) throw fieldError('tiers', 'a tiered price needs at least one tier', 'invalid_tiers');
  let prev = 0;
  tiers.forEach((t, i) => {
    if (t.unitPrice < 0n || (t.flatFee ?? 0n) < 0n) throw fieldError(`tiers.${i}`, 'tier prices cannot be negative', 'invalid_tiers');
    const last = i === tiers.length - 1;
    if (t.upToMilli === null) {
      if (!last) throw fieldError(`tiers.${i}.upToMilli`, 'only the last tier may be open-ended', 'invalid_tiers');
      return;
    }
    if (last) throw fieldError(`tiers.${i}.upToMilli`, 'the last tier must be open-ended (upToMilli null)', 'invalid_tiers');
    if (!Number.isSafeInteger(t.upToMilli) || t.upToMilli <= prev)
      throw fieldError(`tiers.${i}.upToMilli`, 'tier bounds must increase', 'invalid_tiers');
    prev = t.upToMilli;
  });
}

/**
 * The amount of `qtyMilli` under a scheme, exact and rounded once (to the minor unit, `mode`).
 * Tier bounds are inclusive: with tiers up to 5 and up to 10, quantity 5 is in the first tier and
 * 5.001 in the second. A quantity of 0 costs nothing (no flat fee).
 */
export function schemeAmount(scheme: PriceScheme, qtyMilli: number, currency: string, mode: RoundingMode = DEFAULT_ROUNDING_MODE): Money {
  currencyExponent(currency);
  if (!Number.isSafeInteger(qtyMilli) || qtyMilli < 0) throw fieldError('quantity', 'the quantity must be a non-negative number of thousandths', 'invalid_quantity');
  const q = BigInt(qtyMilli);
  let thousandths = 0n; // the amount × 1000
  if (scheme.kind === 'per_unit') {
    if (scheme.unitPrice < 0n) throw fieldError('unitPrice', 'a unit price cannot be negative', 'invalid_price');
    thousandths = q * scheme.unitPrice;
  } else if (q > 0n) {
    validateTiers(scheme.tiers);
    let lower = 0n;
    for (const t of scheme.tiers) {
      const upper = t.upToMilli === null ? null : BigInt(t.upToMilli);
      if (scheme.kind === 'graduated') {
        const inTier = (upper === null || q < upper ? q : upper) - lower;
        thousandths += inTier * t.unitPrice + (t.flatFee ?? 0n) * 1000n;
      } else if (upper === null || q <= upper) {
        thousandths = q * t.unitPrice + (t.flatFee ?? 0n) * 1000n;
      }
      if (upper === null || q <= upper) break;
      lower = upper;
    }
  }
  return { minor: roundDiv(thousandths, 1000n, mode), currency };
}

export type PriceDiscount = { kind: 'percent'; rate: string } | { kind: 'amount'; amount: Money };

export interface LinePrice {
  /** Before the line discount. */
  listAmount: Money;
  lineDiscount: Money;
  /** After the line discount (before any document discount). */
  amount: Money;
}

function discountOf(base: Money, d: PriceDiscount | undefined, mode: RoundingMode, path: string): Money {
  if (!d) return { minor: 0n, currency: base.currency };
  let off: bigint;
  if (d.kind === 'percent') {
    const r = parseDecimal(d.rate, `${path}.rate`);
    if (r.num > r.den) throw fieldError(`${path}.rate`, 'a discount cannot exceed 100%', 'invalid_discount');
    off = roundDiv(base.minor * r.num, r.den, mode);
  } else {
    if (d.amount.currency !== base.currency) throw currencyMismatch(d.amount.currency, base.currency, 'discount');
    if (d.amount.minor < 0n) throw fieldError(`${path}.amount`, 'a discount cannot be negative', 'invalid_discount');
    off = d.amount.minor;
  }
  if (off > base.minor) throw fieldError(path, 'the discount is larger than the amount it reduces', 'discount_exceeds_amount');
  return { minor: off, currency: base.currency };
}

/** A line: the scheme's amount for the quantity, less a line discount (a rate of it, or an amount off). */
export function priceLine(
  scheme: PriceScheme,
  qtyMilli: number,
  currency: string,
  discount?: PriceDiscount,
  mode: RoundingMode = DEFAULT_ROUNDING_MODE,
): LinePrice {
  const listAmount = schemeAmount(scheme, qtyMilli, currency, mode);
  const lineDiscount = discountOf(listAmount, discount, mode, 'discount');
  return { listAmount, lineDiscount, amount: { minor: listAmount.minor - lineDiscount.minor, currency } };
}

export interface SpreadDiscount {
  total: Money;
  /** Each line's share of the document discount. */
  shares: Money[];
  /** Each line's amount after its share. */
  amounts: Money[];
}

/**
 * A document discount (a rate of the document total, rounded once, or a fixed amount) spread over
 * the lines in proportion to their amounts by largest remainder: the shares add up to the discount
 * and the discounted lines add up to the discounted total, to the minor unit.
 */
export function spreadDocumentDiscount(lines: readonly Money[], discount: PriceDiscount, currency: string, mode: RoundingMode = DEFAULT_ROUNDING_MODE): SpreadDiscount {
  lines.forEach((l, i) => {
    if (l.currency !== currency) throw currencyMismatch(l.currency, currency, 'discount');
    if (l.minor < 0n) throw fieldError(`lines.${i}`, 'a document discount is spread over non-negative lines only', 'invalid_discount');
  });
  const sum: Money = { minor: lines.reduce((a, l) => a + l.minor, 0n), currency };
  const total = discountOf(sum, discount, mode, 'documentDiscount');
  if (!lines.length) return { total, shares: [], amounts: [] };
  const shares = allocateMinor(total.minor, lines.map((l) => l.minor)).map((minor) => ({ minor, currency }));
  return { total, shares, amounts: lines.map((l, i) => ({ minor: l.minor - shares[i]!.minor, currency })) };
}
