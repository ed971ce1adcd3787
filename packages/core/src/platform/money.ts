import { fieldError } from './errors.ts';

/**
 * Exact money arithmetic. Amounts are integer minor units (fen for CNY); rates and quantities
 * are decimals held as exact fractions of bigints; nothing passes through a float.
 */
export type RoundingMode = 'half_up' | 'half_even' | 'up' | 'down';
export const ROUNDING_MODES: readonly RoundingMode[] = ['half_up', 'half_even', 'up', 'down'];

export interface Fraction {
  num: bigint;
  den: bigint;
}

const RATE_RE = /^(\d{1,9})(?:\.(\d{1,8}))?$/;

/** Parses a non-negative decimal string ("0.13", "6", "12.5") into an exact fraction. */
export function parseDecimal(s: string, path = 'rate'): Fraction {
  const m = RATE_RE.exec(s);
  if (!m) throw fieldError(path, `"${s}" is not a non-negative decimal number like 0.13`);
  const frac = m[2] ?? '';
  return { num: BigInt(m[1]! + frac), den: 10n ** BigInt(frac.length) };
}

/** Divides exactly and rounds to an integer with the given mode (works for negative values). */
export function roundDiv(n: bigint, d: bigint, mode: RoundingMode = 'half_up'): bigint {
  if (d === 0n) throw new RangeError('division by zero');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const neg = n < 0n;
  const a = neg ? -n : n;
  const q = a / d;
  const r = a % d;
  let up = false;
  if (r !== 0n) {
    if (mode === 'up') up = true;
    else if (mode === 'down') up = false;
    else if (mode === 'half_up') up = r * 2n >= d;
    else up = r * 2n > d || (r * 2n === d && q % 2n === 1n);
  }
  const res = up ? q + 1n : q;
  return neg ? -res : res;
}

export function toSafeNumber(b: bigint): number {
  const n = Number(b);
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount out of range: ${b}`);
  return n;
}

export interface LineAmounts {
  netMinor: number;
  taxMinor: number;
  totalMinor: number;
}

/**
 * The amounts of one priced line: net = qty × unit price × (1 − discount), then tax = net × rate,
 * each rounded once (per-line rounding). Quantities are thousandths.
 */
export function lineAmounts(
  qtyMilli: number,
  unitPriceMinor: number,
  discountRate: string,
  taxRate: string,
  mode: RoundingMode = 'half_up',
): LineAmounts {
  const d = parseDecimal(discountRate, 'discountRate');
  if (d.num > d.den) throw fieldError('discountRate', 'a discount cannot exceed 100%');
  const t = parseDecimal(taxRate, 'taxRate');
  const net = roundDiv(BigInt(qtyMilli) * BigInt(unitPriceMinor) * (d.den - d.num), 1000n * d.den, mode);
  const tax = roundDiv(net * t.num, t.den, mode);
  return { netMinor: toSafeNumber(net), taxMinor: toSafeNumber(tax), totalMinor: toSafeNumber(net + tax) };
}

/** Sums line amounts into document totals. */
export function sumAmounts(lines: readonly LineAmounts[]): LineAmounts {
  let net = 0n;
  let tax = 0n;
  for (const l of lines) {
    net += BigInt(l.netMinor);
    tax += BigInt(l.taxMinor);
  }
  return { netMinor: toSafeNumber(net), taxMinor: toSafeNumber(tax), totalMinor: toSafeNumber(net + tax) };
}

/**
 * Splits a whole into parts proportional to weights by the largest-remainder method:
 * the parts always add up exactly to the whole. Ties go to the earlier part.
 */
export function allocate(totalMinor: number, weights: readonly number[]): number[] {
  if (!weights.length) return [];
  const w = weights.map((x) => BigInt(x));
  const sum = w.reduce((a, b) => a + b, 0n);
  const total = BigInt(totalMinor);
  if (sum === 0n) {
    const even = w.map(() => 1n);
    return allocate(totalMinor, even.map(Number));
  }
  const sign = total < 0n ? -1n : 1n;
  const abs = total * sign;
  const base = w.map((x) => (abs * x) / sum);
  const rem = w.map((x, i) => ({ i, r: (abs * x) % sum }));
  let left = abs - base.reduce((a, b) => a + b, 0n);
  rem.sort((a, b) => (b.r > a.r ? 1 : b.r < a.r ? -1 : a.i - b.i));
  for (const { i } of rem) {
    if (left <= 0n) break;
    base[i]! += 1n;
    left -= 1n;
  }
  return base.map((b) => toSafeNumber(b * sign));
}

/** Quantities travel as decimal strings ("1.5") in the API and as integer thousandths inside. */
export function parseQty(s: string | number, path = 'quantity'): number {
  const str = typeof s === 'number' ? String(s) : s;
  const m = /^(\d{1,12})(?:\.(\d{1,3}))?$/.exec(str);
  if (!m) throw fieldError(path, `"${str}" is not a quantity with at most 3 decimals`);
  return Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
}

export function formatQty(milli: number): string {
  const whole = Math.trunc(milli / 1000);
  const frac = Math.abs(milli % 1000);
  return frac ? `${whole}.${String(frac).padStart(3, '0').replace(/0+$/, '')}` : String(whole);
}

/** A ratio as an integer percent with one decimal, e.g. 333 of 1000 → 33.3. */
export function percent(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Number(roundDiv(BigInt(part) * 1000n, BigInt(whole), 'half_up')) / 10;
}
