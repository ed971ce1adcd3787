import { percent, roundDiv, toSafeNumber } from '../platform/money.ts';

/**
 * How far an order has come, derived from its lines and downstream documents (never stored).
 * Delivered value of a line = its total × delivered / ordered; percentages are by amount, so a
 * delivered ¥100,000 server counts more than a delivered ¥100 cable.
 */
export interface ProgressLine {
  id: string;
  qtyMilli: number;
  totalMinor: number;
}

export interface OrderProgress {
  deliveredPct: number;
  billedMinor: number;
  billedPct: number;
  paidMinor: number;
  paidPct: number;
}

export function orderProgress(
  totalMinor: number,
  lines: readonly ProgressLine[],
  delivered: ReadonlyMap<string, number>,
  billedMinor: number,
  paidMinor: number,
): OrderProgress {
  let deliveredValue = 0n;
  let orderedQty = 0;
  let deliveredQty = 0;
  for (const l of lines) {
    const d = Math.min(delivered.get(l.id) ?? 0, l.qtyMilli);
    orderedQty += l.qtyMilli;
    deliveredQty += d;
    if (l.qtyMilli > 0) deliveredValue += roundDiv(BigInt(l.totalMinor) * BigInt(d), BigInt(l.qtyMilli));
  }
  // A free order (total 0) has no amounts to weigh by: fall back to quantities.
  const deliveredPct =
    totalMinor > 0 ? percent(toSafeNumber(deliveredValue), totalMinor) : percent(deliveredQty, orderedQty);
  return {
    deliveredPct,
    billedMinor,
    billedPct: percent(billedMinor, totalMinor),
    paidMinor,
    paidPct: percent(paidMinor, totalMinor),
  };
}
