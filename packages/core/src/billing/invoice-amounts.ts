import { lineAmounts, roundDiv, toSafeNumber, type LineAmounts, type RoundingMode } from '../platform/money.ts';

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
