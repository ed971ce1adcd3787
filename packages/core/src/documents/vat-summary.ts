import { parseDecimal } from '../platform/money.ts';

export interface VatLine {
  taxRate: string;
  netMinor: number;
  taxMinor: number;
  totalMinor: number;
}

export interface VatRow {
  /** The rate as written on the lines ("0.13"); equal rates written differently ("0.130") share a row. */
  taxRate: string;
  netMinor: number;
  taxMinor: number;
  totalMinor: number;
}

/** Compares two decimal rates exactly (cross-multiplied fractions). */
function compareRates(a: string, b: string): number {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  const l = x.num * y.den;
  const r = y.num * x.den;
  return l === r ? 0 : l < r ? -1 : 1;
}

/**
 * The per-rate VAT table of an invoice (增值税汇总): the lines' own amounts summed by tax rate,
 * highest rate first. The rows add up to the document totals, since each line is counted once.
 */
export function vatSummary(lines: readonly VatLine[]): VatRow[] {
  const rows: VatRow[] = [];
  for (const l of lines) {
    const row = rows.find((r) => compareRates(r.taxRate, l.taxRate) === 0);
    if (row) {
      row.netMinor += l.netMinor;
      row.taxMinor += l.taxMinor;
      row.totalMinor += l.totalMinor;
    } else rows.push({ taxRate: l.taxRate, netMinor: l.netMinor, taxMinor: l.taxMinor, totalMinor: l.totalMinor });
  }
  return rows.sort((a, b) => compareRates(b.taxRate, a.taxRate));
}
