import { allocate, roundDiv, toSafeNumber, type LineAmounts, type RoundingMode } from '../platform/money.ts';
import { billLineAmounts } from './invoice-amounts.ts';

/** The priced part of an invoice line that a credit note credits. */
export interface CreditableLine {
  qtyMilli: number;
  unitPriceMinor: number;
  discountRate: string;
  taxRate: string;
  netMinor: number;
  taxMinor: number;
}

/** What earlier credit notes (not cancelled) already credited of the line. */
export interface CreditedSoFar {
  qtyMilli: number;
  netMinor: number;
  taxMinor: number;
}

export const NOTHING_CREDITED: CreditedSoFar = { qtyMilli: 0, netMinor: 0, taxMinor: 0 };

/** The credit of one line: a quantity (0 for a credit by amount) and its amounts. */
export interface CreditPart extends LineAmounts {
  qtyMilli: number;
}

/** What is still creditable on a line: quantity, net and tax not yet credited. */
export function creditableLeft(line: CreditableLine, credited: CreditedSoFar): CreditPart {
  const netMinor = Math.max(line.netMinor - credited.netMinor, 0);
  const taxMinor = Math.max(line.taxMinor - credited.taxMinor, 0);
  return { qtyMilli: Math.max(line.qtyMilli - credited.qtyMilli, 0), netMinor, taxMinor, totalMinor: netMinor + taxMinor };
}

/**
 * Credits a quantity of an invoice line with the same rule as partial invoicing (billLineAmounts):
 * priced on the cumulative quantity credited minus what was credited before, and the credit that
 * completes the line's quantity takes exactly what is left of its net and tax, so the credits of a
 * line add up to the line to the fen and never pass it. A credit by amount earlier (quantity 0) has
 * already taken part of the value: the quantity credit is then capped by what is left.
 */
export function creditQuantity(line: CreditableLine, credited: CreditedSoFar, qtyMilli: number, mode: RoundingMode = 'half_up'): CreditPart {
  const a = billLineAmounts(line, credited, qtyMilli, mode);
  return { qtyMilli, ...a };
}

/** The rest of a line: its uncredited quantity and exactly its uncredited net and tax. */
export function creditRest(line: CreditableLine, credited: CreditedSoFar): CreditPart {
  return creditableLeft(line, credited);
}

/**
 * Spreads a credit by amount (tax included) over the lines by what is left to credit on each, with
 * the largest-remainder method so the parts add up to the amount exactly; each part is split into
 * net and tax in the proportion of what is left of the line's net and tax. No part exceeds what is
 * left of its line's net or tax, so a later full credit still lands exactly on the invoice.
 * Throws a RangeError for an amount above what is left in total (the caller reports it first).
 */
export function spreadCreditAmount(left: readonly CreditPart[], amountMinor: number): CreditPart[] {
  const available = left.reduce((s, l) => s + l.totalMinor, 0);
  if (amountMinor <= 0) throw new RangeError('the credit must be positive');
  if (amountMinor > available) throw new RangeError('crediting more than is left on the invoice');
  const parts = allocate(amountMinor, left.map((l) => l.totalMinor));
  return parts.map((gross, i) => {
    const l = left[i]!;
    if (gross === 0 || l.totalMinor === 0) return { qtyMilli: 0, netMinor: 0, taxMinor: 0, totalMinor: 0 };
    const tax = toSafeNumber(roundDiv(BigInt(gross) * BigInt(l.taxMinor), BigInt(l.totalMinor), 'half_up'));
    return { qtyMilli: 0, netMinor: gross - tax, taxMinor: tax, totalMinor: gross };
  });
}
