import type { Opportunity } from '../../api/types.ts';

export interface Totals {
  count: number;
  /** Per currency: amount and probability-weighted amount, exact (BigInt minor units). */
  byCurrency: Map<string, { amount: bigint; weighted: bigint }>;
}

export function totalsOf(opps: Opportunity[]): Totals {
  const byCurrency = new Map<string, { amount: bigint; weighted: bigint }>();
  for (const o of opps) {
    const cur = byCurrency.get(o.currency) ?? { amount: 0n, weighted: 0n };
    cur.amount += BigInt(o.amountMinor);
    cur.weighted += BigInt(o.weightedAmountMinor);
    byCurrency.set(o.currency, cur);
  }
  return { count: opps.length, byCurrency };
}
