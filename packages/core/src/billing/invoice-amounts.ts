import { lineAmounts, parseDecimal, roundDiv, toSafeNumber, type LineAmounts, type RoundingMode } from '../platform/money.ts';
import { allocateMinor, distributeRounded } from '../money/money.ts';

/** The priced part of an order line that billing needs. */
export interface BillableLine {
  qtyMilli: number;
  unitPriceMinor: number;
  discountRate: string;
  taxRate: string;
  netMinor: number;
  taxMinor: number;
}

/** What earlier invoices (not cancelled) already billed of the line. */
export interface BilledSoFar {
  qtyMilli: number;
  netMinor: number;
  taxMinor: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

/**
 * The amounts of an invoice line billing `qtyMilli` more of an order line.
 *
 * The line is priced with lineAmounts() on the cumulative quantity billed after this invoice, minus
 * what was billed before: rounding each part on its own could make the parts (and so the last
 * remainder) drift by a fen each, even below zero; rounding the running total keeps every part ≥ 0.
 * The invoice that completes the line takes exactly the remainder of the order line's stored net and
 * tax, so however a line is split, its invoices add up to the order line to the fen (the order line
 * may carry amounts copied from a quote, which need not match a recomputation).
 * A line whose amounts are not qty × unit price × (1 − discount) and tax at its rate — tiered
 * prices, an amount discount, a share of a document discount, prices with tax, tax rounded per
 * document — is billed in proportion instead: the cumulative part is the line's net and tax × the
 * cumulative quantity ÷ the line's quantity, each rounded once.
 */
export function billLineAmounts(line: BillableLine, billed: BilledSoFar, qtyMilli: number, mode: RoundingMode = 'half_up'): LineAmounts {
  if (qtyMilli <= 0) throw new RangeError('the billed quantity must be positive');
  const after = billed.qtyMilli + qtyMilli;
  if (after > line.qtyMilli) throw new RangeError('billing more than the order line');
  const leftNet = line.netMinor - billed.netMinor;
  const leftTax = line.taxMinor - billed.taxMinor;
  let net: number;
  let tax: number;
  if (after === line.qtyMilli) {
    net = leftNet;
    tax = leftTax;
  } else {
    const full = lineAmounts(line.qtyMilli, line.unitPriceMinor, line.discountRate, line.taxRate, mode);
    const plain = full.netMinor === line.netMinor && full.taxMinor === line.taxMinor;
    const share = (v: number) => toSafeNumber(roundDiv(BigInt(v) * BigInt(after), BigInt(line.qtyMilli), mode));
    const cum = plain ? lineAmounts(after, line.unitPriceMinor, line.discountRate, line.taxRate, mode) : { netMinor: share(line.netMinor), taxMinor: share(line.taxMinor) };
    net = clamp(cum.netMinor - billed.netMinor, 0, Math.max(leftNet, 0));
    tax = clamp(cum.taxMinor - billed.taxMinor, 0, Math.max(leftTax, 0));
  }
  return { netMinor: net, taxMinor: tax, totalMinor: net + tax };
}

/** A line of an invoice in a tax group (one tax code at one rate) for per-document tax rounding. */
export interface DocumentTaxLine {
  group: string;
  netMinor: number;
  /** The line's effective tax rate (decimal string). */
  taxRate: string;
}

/** For a tax group of the order: its tax (as priced), what earlier invoices billed, and whether this invoice bills the rest of it. */
export interface DocumentTaxGroup {
  orderTaxMinor: number;
  billedTaxMinor: number;
  completes: boolean;
}

/**
 * Tax of a partial invoice of a legal entity that rounds tax per document (the rule in MONEY.md,
 * "Partial invoices"): per tax group, the invoice's own lines are a document — the exact taxes
 * (net × rate) are summed and rounded once — but never more than the order's tax for the group
 * still unbilled, and the invoice that bills the last of the group's lines takes exactly that
 * remainder. The group's tax is handed back to the lines: each the floor or ceiling of its exact
 * tax when the amount is the group's own rounding, else (capped, or the remainder) in proportion to
 * the exact taxes by largest remainder. So the invoices of an order add up to the order's tax per
 * group and never pass it at any point, whatever the split.
 */
export function documentTaxOfInvoice(lines: readonly DocumentTaxLine[], groups: ReadonlyMap<string, DocumentTaxGroup>, mode: RoundingMode = 'half_up'): number[] {
  const out = lines.map(() => 0);
  const byGroup = new Map<string, number[]>();
  lines.forEach((l, i) => byGroup.set(l.group, [...(byGroup.get(l.group) ?? []), i]));
  for (const [key, idx] of byGroup) {
    const g = groups.get(key);
    if (!g) throw new RangeError(`no order tax for group ${key}`);
    // One denominator for the group: the rates' denominators are powers of ten, so the largest divides by the others.
    const rates = idx.map((i) => parseDecimal(lines[i]!.taxRate, 'taxRate'));
    const den = rates.reduce((d, r) => (r.den > d ? r.den : d), 1n);
    const nums = idx.map((i, k) => BigInt(Math.max(lines[i]!.netMinor, 0)) * rates[k]!.num * (den / rates[k]!.den));
    const own = roundDiv(nums.reduce((a, b) => a + b, 0n), den, mode);
    const left = BigInt(Math.max(g.orderTaxMinor - g.billedTaxMinor, 0));
    const total = g.completes ? left : own < left ? own : left;
    let parts: bigint[];
    if (total === own) parts = distributeRounded(total, nums, den);
    else {
      const weights = nums.some((n) => n > 0n) ? nums : idx.map((i) => BigInt(Math.max(lines[i]!.netMinor, 0)) || 1n);
      parts = allocateMinor(total, weights);
    }
    idx.forEach((i, k) => (out[i] = toSafeNumber(parts[k]!)));
  }
  return out;
}
