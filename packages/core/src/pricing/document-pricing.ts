import { AppError, fieldError } from '../platform/errors.ts';
import { lineAmounts, parseDecimal, toSafeNumber, type RoundingMode } from '../platform/money.ts';
import { addFractions, formatFraction, mulFractions, reduceFraction, type TaxRoundingLevel } from '../money/rounding.ts';
import { priceLine, spreadDocumentDiscount, type PriceDiscount, type PriceScheme } from '../money/pricing.ts';
import { computeDocumentTax, type TaxCode, type TaxKind } from '../money/tax.ts';
import type { Money } from '../money/money.ts';

/**
 * Pricing a document's lines with tax codes, price schemes and discounts. Pure: it wires the money
 * library (priceLine, spreadDocumentDiscount, computeDocumentTax) together and computes nothing of
 * its own, so quotes, manual orders and previews price alike.
 */

export interface TaxComponent {
  name: string;
  /** Exact decimal rate, "0.13". */
  rate: string;
  /** Levied on the net plus the components before it (a tax on tax). */
  compound: boolean;
}

/** A tax code as the pricing needs it (a row of `tax_codes`, or the legacy bare rate). */
export interface TaxCodeFacts {
  id: string;
  code: string;
  name: string;
  kind: TaxKind;
  components: TaxComponent[];
  /** The effective rate of the components together. */
  rate: string;
  active: boolean;
}

/** The effective rate of components: Σ of each one's share of the net (compound ones include the ones before). */
export function effectiveRate(components: readonly TaxComponent[]): string {
  let before = { num: 0n, den: 1n };
  for (const c of components) {
    const r = reduceFraction(parseDecimal(c.rate, 'rate'));
    const f = c.compound ? mulFractions(r, addFractions({ num: 1n, den: 1n }, before)) : r;
    before = addFractions(before, f);
  }
  // Every factor is a decimal, so the sum is one; 18 places cover three components of six decimals.
  const s = formatFraction(before, 18);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** Two decimal rates are equal as numbers ("0.130" = "0.13"). */
export function sameRate(a: string, b: string): boolean {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  return x.num * y.den === y.num * x.den;
}

const KIND_ORDER: TaxKind[] = ['standard', 'reduced', 'zero', 'small_scale', 'exempt'];

/**
 * The compatibility rule for a bare `taxRate`: the legal entity's active code with that effective
 * rate — single-component codes first, then by kind (standard, reduced, zero-rated, small-scale,
 * exempt), then by code — so 0.13 is VAT13 and 0 is VAT0 (zero-rated), never exempt by accident.
 */
export function codeForRate(codes: readonly TaxCodeFacts[], rate: string): TaxCodeFacts | undefined {
  return codes
    .filter((c) => c.active && sameRate(c.rate, rate))
    .sort(
      (a, b) =>
        a.components.length - b.components.length ||
        KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
        (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
    )[0];
}

export interface TaxRequest {
  taxCodeId?: string | null | undefined;
  taxCode?: string | null | undefined;
  taxRate?: string | null | undefined;
}

/**
 * The tax code of a line, first found: the line's `taxCodeId`, its `taxCode`, its bare `taxRate`
 * (compatibility rule above), the product's default tax code, the product's rate (same rule). A code
 * named must exist in the legal entity and be active; a rate with no active code is refused (422
 * `unknown_tax_rate`) rather than guessed. `path` is the line's path (`lines.2`).
 */
export function resolveTaxCode(codes: readonly TaxCodeFacts[], line: TaxRequest, product: { taxCode?: string | null; taxRate?: string } | undefined, path: string): TaxCodeFacts {
  const named = (c: TaxCodeFacts | undefined, field: string, what: string): TaxCodeFacts => {
    if (!c) throw fieldError(`${path}.${field}`, `tax code ${what} does not exist in this legal entity`, 'unknown_reference');
    if (!c.active) throw fieldError(`${path}.${field}`, `tax code ${c.code} is inactive; choose another`, 'inactive');
    return c;
  };
  const byRate = (rate: string, field: string): TaxCodeFacts => {
    const c = codeForRate(codes, rate);
    if (!c) throw fieldError(`${path}.${field}`, `no active tax code has the rate ${rate}; send taxCode instead`, 'unknown_tax_rate');
    return c;
  };
  let code: TaxCodeFacts;
  if (line.taxCodeId) code = named(codes.find((c) => c.id === line.taxCodeId), 'taxCodeId', line.taxCodeId);
  else if (line.taxCode) code = named(codes.find((c) => c.code === line.taxCode), 'taxCode', line.taxCode);
  else if (line.taxRate) return byRate(line.taxRate, 'taxRate');
  else if (product?.taxCode) code = named(codes.find((c) => c.code === product.taxCode), 'productId', `${product.taxCode} (the product's default)`);
  else if (product?.taxRate) return byRate(product.taxRate, 'productId');
  else throw fieldError(`${path}.taxCode`, 'a line without a product needs a tax code', 'required');
  if (line.taxRate && !sameRate(line.taxRate, code.rate))
    throw fieldError(`${path}.taxRate`, `tax code ${code.code} has the rate ${code.rate}, not ${line.taxRate}`, 'tax_rate_mismatch');
  return code;
}

export interface PricingLine {
  scheme: PriceScheme;
  qtyMilli: number;
  discount?: PriceDiscount | undefined;
  tax: TaxCodeFacts;
}

export interface PricingOptions {
  currency: string;
  /** The prices (and so the line amounts and any amount discount) include tax. */
  pricesIncludeTax: boolean;
  rounding: TaxRoundingLevel;
  mode: RoundingMode;
  documentDiscount?: PriceDiscount | undefined;
}

export interface PricedAmounts {
  /** Before any discount (gross when prices include tax). */
  listAmountMinor: number;
  discountMinor: number;
  docDiscountMinor: number;
  netMinor: number;
  taxMinor: number;
  totalMinor: number;
}

export interface PricedDocument {
  lines: PricedAmounts[];
  documentDiscountMinor: number;
  /** Tax per tax code of the document (components added up), codes in first-use order. */
  byCode: Array<{ taxCodeId: string; baseMinor: number; taxMinor: number }>;
}

/** Re-raises a field error of a line under its path (`lines.2.discount`). */
function underLine<T>(i: number, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof AppError && e.extra.fields)
      throw new AppError(e.status, e.code, e.title, `lines.${i}: ${e.message}`, {
        ...e.extra,
        fields: e.extra.fields.map((f) => ({ ...f, path: `lines.${i}.${f.path}` })),
      });
    throw e;
  }
}

const COMPONENT = '#';

/**
 * Prices the lines: each line's scheme amount less its line discount (priceLine), the document
 * discount spread over the lines by largest remainder (spreadDocumentDiscount), then the taxes of
 * every line per its code's components with the legal entity's rounding (computeDocumentTax), split
 * out of the amounts when prices include tax. Net + tax = total on every line and on the document.
 */
export function priceDocument(lines: readonly PricingLine[], opts: PricingOptions): PricedDocument {
  const { currency, mode } = opts;
  const priced = lines.map((l, i) =>
    underLine(i, () => {
      const { scheme, discount } = l;
      if (scheme.kind !== 'per_unit' || discount?.kind !== 'percent') return priceLine(scheme, l.qtyMilli, currency, discount, mode);
      // A rate off a unit price is taken off the exact amount and rounded once (net = qty × price ×
      // (1 − rate), lineAmounts as documents always priced); the line discount is what that takes off
      // the rounded list amount. priceLine then applies it as an amount.
      const net = lineAmounts(l.qtyMilli, toSafeNumber(scheme.unitPrice), discount.rate, '0', mode).netMinor;
      const list = priceLine(scheme, l.qtyMilli, currency, undefined, mode).listAmount.minor;
      return priceLine(scheme, l.qtyMilli, currency, { kind: 'amount', amount: { minor: list - BigInt(net), currency } }, mode);
    }),
  );
  let amounts: Money[] = priced.map((p) => p.amount);
  let shares: bigint[] = amounts.map(() => 0n);
  let documentDiscountMinor = 0n;
  if (opts.documentDiscount) {
    const spread = spreadDocumentDiscount(amounts, opts.documentDiscount, currency, mode);
    amounts = spread.amounts;
    shares = spread.shares.map((s) => s.minor);
    documentDiscountMinor = spread.total.minor;
  }
  const codes = new Map<string, TaxCode>();
  const taxLines = lines.map((l, i) => {
    const ids = l.tax.components.map((c, j) => {
      const id = `${l.tax.id}${COMPONENT}${j}`;
      codes.set(id, { id, name: c.name, rate: c.rate, region: 'XX', kind: l.tax.kind, compound: c.compound });
      return id;
    });
    return { amount: amounts[i]!, taxCodeIds: ids };
  });
  const doc = computeDocumentTax(taxLines, { currency, codes, pricesIncludeTax: opts.pricesIncludeTax, rounding: opts.rounding, mode });
  const byCode = new Map<string, { taxCodeId: string; baseMinor: number; taxMinor: number }>();
  lines.forEach((l, i) => {
    const cur = byCode.get(l.tax.id) ?? { taxCodeId: l.tax.id, baseMinor: 0, taxMinor: 0 };
    byCode.set(l.tax.id, { ...cur, baseMinor: cur.baseMinor + toSafeNumber(doc.lines[i]!.net.minor), taxMinor: cur.taxMinor + toSafeNumber(doc.lines[i]!.tax.minor) });
  });
  return {
    lines: lines.map((_, i) => ({
      listAmountMinor: toSafeNumber(priced[i]!.listAmount.minor),
      discountMinor: toSafeNumber(priced[i]!.lineDiscount.minor),
      docDiscountMinor: toSafeNumber(shares[i]!),
      netMinor: toSafeNumber(doc.lines[i]!.net.minor),
      taxMinor: toSafeNumber(doc.lines[i]!.tax.minor),
      totalMinor: toSafeNumber(doc.lines[i]!.gross.minor),
    })),
    documentDiscountMinor: toSafeNumber(documentDiscountMinor),
    byCode: [...byCode.values()],
  };
}
