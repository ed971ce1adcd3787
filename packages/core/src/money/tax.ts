import { z } from 'zod';
import { AppError, fieldError } from '../platform/errors.ts';
import { parseDecimal, roundDiv, type Fraction, type RoundingMode } from '../platform/money.ts';
import { allocateMinor, currencyExponent, distributeRounded, currencyMismatch, type Money } from './money.ts';
import { DEFAULT_ROUNDING_MODE, DEFAULT_TAX_ROUNDING, addFractions, mulFractions, reduceFraction, type TaxRoundingLevel } from './rounding.ts';

/**
 * Tax codes and tax calculation for documents.
 *
 * A tax code is a rate with a meaning (China VAT 13 % standard, 9 %/6 % reduced, 0 % zero-rated
 * exports, exempt, small-scale 3 %/1 %), per region and optionally per legal entity. A line carries
 * one or more codes in order; a `compound` code is levied on the net plus the taxes before it on
 * the line, a plain one on the net only.
 */
export type TaxKind = 'standard' | 'reduced' | 'zero' | 'exempt' | 'small_scale';

const RATE = /^\d{1,3}(?:\.\d{1,8})?$/;

export const taxCodeSchema = z
  .object({
    id: z.string().min(1).max(64),
    name: z.string().min(1).max(200),
    rate: z.string().regex(RATE, 'a decimal rate such as 0.13'),
    region: z.string().min(2).max(16),
    kind: z.enum(['standard', 'reduced', 'zero', 'exempt', 'small_scale']),
    compound: z.boolean().optional(),
    legalEntityId: z.string().min(1).optional(),
  })
  .strict();
export type TaxCode = z.infer<typeof taxCodeSchema>;

/**
 * The China VAT (增值税) catalog shipped out of the box: general taxpayers' 13 % (goods, processing,
 * repairs, tangible movable leasing), 9 % (transport, construction, real estate, basic telecoms,
 * agricultural goods …), 6 % (modern services, value-added telecoms, finance), 0 % (zero-rated
 * exports and cross-border services), exempt (免税), and small-scale taxpayers' 3 % levy rate and the
 * reduced 1 %. Administrators add or override codes per region and legal entity.
 */
export const CN_VAT_CODES: readonly TaxCode[] = Object.freeze([
  { id: 'CN-VAT-13', name: '增值税 13% / VAT 13%', rate: '0.13', region: 'CN', kind: 'standard' },
  { id: 'CN-VAT-9', name: '增值税 9% / VAT 9%', rate: '0.09', region: 'CN', kind: 'reduced' },
  { id: 'CN-VAT-6', name: '增值税 6% / VAT 6%', rate: '0.06', region: 'CN', kind: 'reduced' },
  { id: 'CN-VAT-0', name: '增值税零税率 / VAT zero-rated', rate: '0', region: 'CN', kind: 'zero' },
  { id: 'CN-VAT-EXEMPT', name: '免税 / VAT exempt', rate: '0', region: 'CN', kind: 'exempt' },
  { id: 'CN-VAT-SS-3', name: '小规模纳税人 3% / small-scale 3%', rate: '0.03', region: 'CN', kind: 'small_scale' },
  { id: 'CN-VAT-SS-1', name: '小规模纳税人 1% / small-scale 1%', rate: '0.01', region: 'CN', kind: 'small_scale' },
] as TaxCode[]);

/** Validates a configured tax code: schema, rate at most 100 %, zero and exempt codes at 0. */
export function validateTaxCode(input: unknown): TaxCode {
  const code = taxCodeSchema.parse(input);
  const r = parseDecimal(code.rate, 'rate');
  if (r.num > r.den) throw fieldError('rate', `tax code ${code.id}: a rate above 100% is not a tax rate`, 'invalid_rate');
  if ((code.kind === 'zero' || code.kind === 'exempt') && r.num !== 0n)
    throw fieldError('rate', `tax code ${code.id} is ${code.kind} and must have rate 0`, 'invalid_rate');
  return code;
}

/**
 * The codes that apply to a legal entity in a region: the shared codes of the region, with a code
 * configured for the entity replacing a shared one of the same id.
 */
export function taxCodesFor(codes: readonly TaxCode[], region: string, legalEntityId?: string): Map<string, TaxCode> {
  const out = new Map<string, TaxCode>();
  for (const c of codes) if (c.region === region && !c.legalEntityId) out.set(c.id, c);
  if (legalEntityId) for (const c of codes) if (c.region === region && c.legalEntityId === legalEntityId) out.set(c.id, c);
  return out;
}

export interface TaxSplit {
  net: Money;
  tax: Money;
}

/** Tax on a net amount, rounded once: net × rate. */
export function taxOnNet(net: Money, rate: string, mode: RoundingMode = DEFAULT_ROUNDING_MODE): Money {
  const r = parseDecimal(rate, 'rate');
  return { minor: roundDiv(net.minor * r.num, r.den, mode), currency: net.currency };
}

/**
 * 价税分离: splits a tax-inclusive amount into net and tax. net = gross ÷ (1 + rate), rounded once;
 * tax = gross − net, so the two always add up to the gross exactly.
 */
export function splitInclusive(gross: Money, rate: string, mode: RoundingMode = DEFAULT_ROUNDING_MODE): TaxSplit {
  const r = parseDecimal(rate, 'rate');
  const net = roundDiv(gross.minor * r.den, r.den + r.num, mode);
  return { net: { minor: net, currency: gross.currency }, tax: { minor: gross.minor - net, currency: gross.currency } };
}

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

export interface TaxLineInput {
  /** Net amount when prices exclude tax, gross amount when they include it. */
  amount: Money;
  /** Tax codes in the order they are levied (matters only for compound codes). */
  taxCodeIds: readonly string[];
}

export interface LineTax {
  taxCodeId: string;
  amount: Money;
}

export interface TaxLineResult {
  net: Money;
  taxes: LineTax[];
  tax: Money;
  gross: Money;
}

export interface TaxCodeTotal {
  taxCodeId: string;
  rate: string;
  kind: TaxKind;
  /** Σ of the lines' taxable bases (net, plus earlier taxes for a compound code). */
  base: Money;
  amount: Money;
}

export interface DocumentTax {
  lines: TaxLineResult[];
  byCode: TaxCodeTotal[];
  net: Money;
  tax: Money;
  gross: Money;
}

export interface DocumentTaxOptions {
  currency: string;
  codes: ReadonlyMap<string, TaxCode>;
  pricesIncludeTax?: boolean;
  /** 'line' (default): each line's tax is rounded; 'document': each tax code's total is rounded once. */
  rounding?: TaxRoundingLevel;
  mode?: RoundingMode;
}

const ONE: Fraction = { num: 1n, den: 1n };
const ZERO: Fraction = { num: 0n, den: 1n };

/** Each code's tax as an exact fraction of the line net (compound codes include earlier taxes). */
function taxFactors(codes: readonly TaxCode[]): Fraction[] {
  let before = ZERO;
  return codes.map((c) => {
    const r = reduceFraction(parseDecimal(c.rate, 'rate'));
    const f = c.compound ? mulFractions(r, addFractions(ONE, before)) : r;
    before = addFractions(before, f);
    return f;
  });
}

const gcd = (a: bigint, b: bigint): bigint => {
  while (b) [a, b] = [b, a % b];
  return a;
};

/** Numerators of the fractions over their least common denominator (so they can serve as weights). */
function overCommonDen(fs: readonly Fraction[]): { nums: bigint[]; den: bigint } {
  const den = fs.reduce((l, f) => (l * f.den) / gcd(l, f.den), 1n);
  return { nums: fs.map((f) => (f.num * den) / f.den), den };
}

function resolveCodes(line: TaxLineInput, i: number, codes: ReadonlyMap<string, TaxCode>): TaxCode[] {
  if (new Set(line.taxCodeIds).size !== line.taxCodeIds.length)
    throw fieldError(`lines.${i}.taxCodeIds`, 'a tax code is listed twice on the line', 'duplicate_tax_code');
  return line.taxCodeIds.map((id, j) => {
    const c = codes.get(id);
    if (!c) throw fieldError(`lines.${i}.taxCodeIds.${j}`, `tax code ${id} does not exist here`, 'unknown_tax_code');
    return c;
  });
}

const m = (minor: bigint, currency: string): Money => ({ minor, currency });

/**
 * The taxes of a document's lines, their totals per tax code and the document totals.
 *
 * Prices without tax (default):
 * - 'line' rounding: each tax on each line is rounded (a compound tax is levied on the net plus the
 *   rounded taxes before it); the document's tax per code is the sum of its lines.
 * - 'document' rounding: each code's total is the exact sum over the lines, rounded once; that total
 *   is then handed back to the lines, each getting the floor or ceiling of its exact tax (largest
 *   remainder), so the lines still add up to the document to the fen.
 * Prices with tax (each line amount is gross):
 * - 'line': net = gross ÷ (1 + Σ factors) rounded, the line's tax = gross − net, split between its
 *   codes by largest remainder in proportion to their rates;
 * - 'document': lines with the same codes are summed and split once; the group's tax goes back to
 *   its lines as the floor or ceiling of each line's exact tax (largest remainder), and each line's
 *   net is its gross minus its tax.
 * In every case net + tax = gross on each line and on the document. The lines of one document must
 * not mix signs under 'document' rounding (a credit note is all negative, an invoice all positive).
 */
export function computeDocumentTax(lines: readonly TaxLineInput[], opts: DocumentTaxOptions): DocumentTax {
  const { currency, codes } = opts;
  currencyExponent(currency);
  const mode = opts.mode ?? DEFAULT_ROUNDING_MODE;
  const rounding = opts.rounding ?? DEFAULT_TAX_ROUNDING;
  lines.forEach((l) => {
    if (l.amount.currency !== currency) throw currencyMismatch(l.amount.currency, currency, 'tax a line in');
  });
  const lineCodes = lines.map((l, i) => resolveCodes(l, i, codes));
  const factors = lineCodes.map(taxFactors);

  if (rounding === 'document') {
    const pos = lines.some((l) => l.amount.minor > 0n);
    const neg = lines.some((l) => l.amount.minor < 0n);
    if (pos && neg)
      throw new AppError(422, 'mixed_signs', 'Mixed signs', 'per-document tax rounding needs lines of one sign; put credits on a credit note');
    if (neg) {
      const flipped = computeDocumentTax(
        lines.map((l) => ({ ...l, amount: m(-l.amount.minor, currency) })),
        opts,
      );
      return negateDocumentTax(flipped);
    }
  }

  const nets: bigint[] = new Array<bigint>(lines.length).fill(0n);
  const taxes: bigint[][] = lineCodes.map((cs) => cs.map(() => 0n));

  if (!opts.pricesIncludeTax && rounding === 'line') {
    lines.forEach((l, i) => {
      nets[i] = l.amount.minor;
      let before = 0n;
      lineCodes[i]!.forEach((c, j) => {
        const r = parseDecimal(c.rate, 'rate');
        const base = l.amount.minor + (c.compound ? before : 0n);
        const t = roundDiv(base * r.num, r.den, mode);
        taxes[i]![j] = t;
        before += t;
      });
    });
  } else if (!opts.pricesIncludeTax) {
    // Exact tax of every (line, code) over one common denominator, then per code: round the sum once
    // and hand it back to the lines by largest remainder.
    lines.forEach((l, i) => (nets[i] = l.amount.minor));
    const exact: Array<{ i: number; j: number; f: Fraction }> = [];
    lineCodes.forEach((cs, i) => cs.forEach((_, j) => exact.push({ i, j, f: { num: lines[i]!.amount.minor * factors[i]![j]!.num, den: factors[i]![j]!.den } })));
    const { nums, den } = overCommonDen(exact.map((e) => e.f));
    for (const id of new Set(exact.map((e) => lineCodes[e.i]![e.j]!.id))) {
      const idx = exact.map((e, k) => (lineCodes[e.i]![e.j]!.id === id ? k : -1)).filter((k) => k >= 0);
      const weights = idx.map((k) => nums[k]!);
      const total = roundDiv(
        weights.reduce((a, b) => a + b, 0n),
        den,
        mode,
      );
      distributeRounded(total, weights, den).forEach((t, n) => {
        const e = exact[idx[n]!]!;
        taxes[e.i]![e.j] = t;
      });
    }
  } else if (rounding === 'line') {
    lines.forEach((l, i) => {
      const { nums, den } = overCommonDen(factors[i]!);
      const sumF = nums.reduce((a, b) => a + b, 0n);
      const net = roundDiv(l.amount.minor * den, den + sumF, mode);
      nets[i] = net;
      taxes[i] = nums.length ? allocateMinor(l.amount.minor - net, nums) : [];
    });
  } else {
    const groups = new Map<string, number[]>();
    lines.forEach((l, i) => {
      const key = l.taxCodeIds.join('\u0000');
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    for (const idx of groups.values()) {
      const { nums, den } = overCommonDen(factors[idx[0]!]!);
      const sumF = nums.reduce((a, b) => a + b, 0n);
      const gross = idx.reduce((a, i) => a + lines[i]!.amount.minor, 0n);
      const net = roundDiv(gross * den, den + sumF, mode);
      // Each line's exact tax is gross × Σf / (1 + Σf); the group's rounded tax goes back to the lines
      // as floors and ceilings of those, then each line's tax is split between its codes by rate.
      const exactLineTax = idx.map((i) => lines[i]!.amount.minor * sumF);
      const lineTax = distributeRounded(gross - net, exactLineTax, den + sumF);
      idx.forEach((i, n) => {
        taxes[i] = nums.length ? allocateMinor(lineTax[n]!, nums) : [];
        nets[i] = lines[i]!.amount.minor - lineTax[n]!;
      });
    }
  }

  const results: TaxLineResult[] = lines.map((_, i) => {
    const tax = taxes[i]!.reduce((a, b) => a + b, 0n);
    return {
      net: m(nets[i]!, currency),
      taxes: lineCodes[i]!.map((c, j) => ({ taxCodeId: c.id, amount: m(taxes[i]![j]!, currency) })),
      tax: m(tax, currency),
      gross: m(nets[i]! + tax, currency),
    };
  });

  const totals = new Map<string, TaxCodeTotal>();
  lineCodes.forEach((cs, i) => {
    let before = 0n;
    cs.forEach((c, j) => {
      const t = totals.get(c.id) ?? { taxCodeId: c.id, rate: c.rate, kind: c.kind, base: m(0n, currency), amount: m(0n, currency) };
      const base = nets[i]! + (c.compound ? before : 0n);
      totals.set(c.id, { ...t, base: m(t.base.minor + base, currency), amount: m(t.amount.minor + taxes[i]![j]!, currency) });
      before += taxes[i]![j]!;
    });
  });
  const net = nets.reduce((a, b) => a + b, 0n);
  const tax = results.reduce((a, r) => a + r.tax.minor, 0n);
  return { lines: results, byCode: [...totals.values()], net: m(net, currency), tax: m(tax, currency), gross: m(net + tax, currency) };
}

function negateDocumentTax(d: DocumentTax): DocumentTax {
  const neg = (x: Money): Money => ({ minor: -x.minor, currency: x.currency });
  return {
    lines: d.lines.map((l) => ({ net: neg(l.net), taxes: l.taxes.map((t) => ({ ...t, amount: neg(t.amount) })), tax: neg(l.tax), gross: neg(l.gross) })),
    byCode: d.byCode.map((c) => ({ ...c, base: neg(c.base), amount: neg(c.amount) })),
    net: neg(d.net),
    tax: neg(d.tax),
    gross: neg(d.gross),
  };
}
