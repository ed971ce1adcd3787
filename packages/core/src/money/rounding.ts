import { z } from 'zod';
import { fieldError } from '../platform/errors.ts';
import { ROUNDING_MODES, parseDecimal, roundDiv, type Fraction, type RoundingMode } from '../platform/money.ts';

/**
 * Rounding is explicit: every calculation that can produce a fraction of a minor unit takes a
 * rounding mode, and a legal entity decides which (its books, its invoices).
 *
 * - half_up (default, 四舍五入): a half rounds away from zero; 2.5 → 3, −2.5 → −3.
 * - half_even (banker's rounding): a half rounds to the even neighbour; 2.5 → 2, 3.5 → 4.
 * - up: away from zero whenever there is a remainder; 2.1 → 3, −2.1 → −3.
 * - down: toward zero (truncation); 2.9 → 2, −2.9 → −2.
 *
 * Tax is rounded per line by default (each invoice line carries its own rounded tax, as Chinese VAT
 * invoices print it) or once per document and tax code when a legal entity chooses 'document'.
 */
export const DEFAULT_ROUNDING_MODE: RoundingMode = 'half_up';

export type TaxRoundingLevel = 'line' | 'document';
export const TAX_ROUNDING_LEVELS: readonly TaxRoundingLevel[] = ['line', 'document'];
export const DEFAULT_TAX_ROUNDING: TaxRoundingLevel = 'line';

export interface RoundingPolicy {
  mode: RoundingMode;
  taxRounding: TaxRoundingLevel;
}

export const DEFAULT_ROUNDING_POLICY: Readonly<RoundingPolicy> = Object.freeze({
  mode: DEFAULT_ROUNDING_MODE,
  taxRounding: DEFAULT_TAX_ROUNDING,
});

/** A legal entity's rounding settings as configured (either may be left out to take the default). */
export const roundingSettingsSchema = z
  .object({
    legalEntityId: z.string().min(1),
    mode: z.enum(['half_up', 'half_even', 'up', 'down']).optional(),
    taxRounding: z.enum(['line', 'document']).optional(),
  })
  .strict();
export type RoundingSettings = z.infer<typeof roundingSettingsSchema>;

/**
 * The policy of a legal entity: its own settings where given, the defaults (half_up, per-line tax)
 * otherwise, including for an entity with no settings at all.
 */
export function roundingPolicyFor(settings: readonly RoundingSettings[], legalEntityId: string): RoundingPolicy {
  const s = settings.find((x) => x.legalEntityId === legalEntityId);
  return { mode: s?.mode ?? DEFAULT_ROUNDING_MODE, taxRounding: s?.taxRounding ?? DEFAULT_TAX_ROUNDING };
}

/** Reads a rounding mode from configuration text, refusing unknown names. */
export function parseRoundingMode(s: string, path = 'roundingMode'): RoundingMode {
  if ((ROUNDING_MODES as readonly string[]).includes(s)) return s as RoundingMode;
  throw fieldError(path, `"${s}" is not a rounding mode (${ROUNDING_MODES.join(', ')})`, 'invalid_rounding_mode');
}

/** Rounds an exact fraction to an integer. */
export function roundFraction(f: Fraction, mode: RoundingMode = DEFAULT_ROUNDING_MODE): bigint {
  return roundDiv(f.num, f.den, mode);
}

/** amount × rate (a decimal string such as "0.13"), rounded once. */
export function applyRate(amount: bigint, rate: string, mode: RoundingMode = DEFAULT_ROUNDING_MODE, path = 'rate'): bigint {
  const r = parseDecimal(rate, path);
  return roundDiv(amount * r.num, r.den, mode);
}

/** Reduces a fraction to lowest terms with a positive denominator. */
export function reduceFraction(f: Fraction): Fraction {
  if (f.den === 0n) throw new RangeError('division by zero');
  const sign = f.den < 0n ? -1n : 1n;
  let a = f.num < 0n ? -f.num : f.num;
  let b = f.den < 0n ? -f.den : f.den;
  while (b) [a, b] = [b, a % b];
  const g = a || 1n;
  return { num: (sign * f.num) / g, den: (sign * f.den) / g };
}

export const addFractions = (a: Fraction, b: Fraction): Fraction => reduceFraction({ num: a.num * b.den + b.num * a.den, den: a.den * b.den });
export const mulFractions = (a: Fraction, b: Fraction): Fraction => reduceFraction({ num: a.num * b.num, den: a.den * b.den });

/** An exact fraction as a decimal string with `places` decimals, rounded with `mode`: 737/10 → "73.7". */
export function formatFraction(f: Fraction, places: number, mode: RoundingMode = DEFAULT_ROUNDING_MODE): string {
  const scaled = roundDiv(f.num * 10n ** BigInt(places), f.den, mode);
  const neg = scaled < 0n;
  const digits = (neg ? -scaled : scaled).toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const frac = digits.slice(digits.length - places);
  return `${neg ? '-' : ''}${whole}${places ? `.${frac}` : ''}`;
}
