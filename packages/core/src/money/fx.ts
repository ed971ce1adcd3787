import { z } from 'zod';
import { AppError, fieldError } from '../platform/errors.ts';
import { parseDecimal, roundDiv, type Fraction, type RoundingMode } from '../platform/money.ts';
import { currencyExponent, currencyMismatch, type Money } from './money.ts';
import { DEFAULT_ROUNDING_MODE, reduceFraction } from './rounding.ts';
import { dayNumber } from './dates.ts';

/**
 * Dated exchange rates and realised exchange differences.
 *
 * A rate says how many units of `quote` one unit of `base` buys, in major units (USD→CNY 7.1234),
 * from its effective date on, until a later rate of the same pair takes over. Rates are exact
 * decimal strings; conversions round once, to the target currency's minor unit.
 */
export const fxRateSchema = z
  .object({
    base: z.string().regex(/^[A-Z]{3}$/),
    quote: z.string().regex(/^[A-Z]{3}$/),
    rate: z.string().regex(/^\d{1,9}(?:\.\d{1,8})?$/, 'a decimal rate such as 7.1234'),
    effectiveDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  })
  .strict();
export type FxRate = z.infer<typeof fxRateSchema>;

export interface FoundRate {
  /** Units of `to` per unit of `from`, exact. */
  rate: Fraction;
  effectiveDate: string | null;
  /** True when the rate was stored the other way round and inverted. */
  inverted: boolean;
}

/** Validates a configured rate: schema, a real date, a rate above zero. */
export function validateFxRate(input: unknown): FxRate {
  const r = fxRateSchema.parse(input);
  dayNumber(r.effectiveDate, 'effectiveDate');
  currencyExponent(r.base);
  currencyExponent(r.quote);
  if (r.base === r.quote) throw fieldError('quote', 'a rate needs two different currencies', 'invalid_rate');
  if (parseDecimal(r.rate).num === 0n) throw fieldError('rate', 'an exchange rate must be above zero', 'invalid_rate');
  return r;
}

/**
 * The rate from `from` to `to` on `date`: the latest rate with an effective date on or before it,
 * stored either way round (the inverse of a stored rate is used exactly, as a fraction). When both
 * directions have a rate, the later effective date wins, and the stored direction on a tie.
 * 422 `fx_rate_missing` (naming the pair and the date) when none is in effect.
 */
export function findFxRate(rates: readonly FxRate[], from: string, to: string, date: string): FoundRate {
  if (from === to) return { rate: { num: 1n, den: 1n }, effectiveDate: null, inverted: false };
  const day = dayNumber(date);
  let best: { r: FxRate; inverted: boolean; day: number } | undefined;
  for (const r of rates) {
    const direct = r.base === from && r.quote === to;
    const inverse = r.base === to && r.quote === from;
    if (!direct && !inverse) continue;
    const d = dayNumber(r.effectiveDate, 'effectiveDate');
    if (d > day) continue;
    if (!best || d > best.day || (d === best.day && direct && best.inverted)) best = { r, inverted: inverse, day: d };
  }
  if (!best) throw new AppError(422, 'fx_rate_missing', 'Exchange rate missing', `no ${from}/${to} exchange rate is in effect on ${date}; add one under Settings → FX rates`, {
      pair: `${from}/${to}`,
      from,
      to,
      date,
    });
  const f = reduceFraction(parseDecimal(best.r.rate));
  return { rate: best.inverted ? { num: f.den, den: f.num } : f, effectiveDate: best.r.effectiveDate, inverted: best.inverted };
}

/**
 * Converts at an exact rate (units of `to` per unit of the amount's currency), rounding once to the
 * minor unit of `to`; the currencies' exponents are taken into account (CNY fen → JPY yen).
 */
export function convertMoney(amount: Money, to: string, rate: Fraction, mode: RoundingMode = DEFAULT_ROUNDING_MODE): Money {
  const eFrom = currencyExponent(amount.currency);
  const eTo = currencyExponent(to);
  if (rate.num <= 0n || rate.den <= 0n) throw fieldError('rate', 'an exchange rate must be above zero', 'invalid_rate');
  const num = amount.minor * rate.num * 10n ** BigInt(eTo);
  const den = rate.den * 10n ** BigInt(eFrom);
  return { minor: roundDiv(num, den, mode), currency: to };
}

/** Converts with the rate in effect on `date`. */
export function convertOn(rates: readonly FxRate[], amount: Money, to: string, date: string, mode: RoundingMode = DEFAULT_ROUNDING_MODE): Money {
  return convertMoney(amount, to, findFxRate(rates, amount.currency, to, date).rate, mode);
}

export interface ReceivableBalance {
  /** What is still owed, in the invoice currency. */
  outstanding: Money;
  /** Its carrying amount in the functional currency (as booked at the invoice rate). */
  carrying: Money;
}

export interface FxSettlement {
  /** The part of the carrying amount the payment clears. */
  carryingCleared: Money;
  /** The payment in the functional currency, at the payment date's rate. */
  received: Money;
  /** received − carryingCleared: above zero a realised gain, below zero a loss. */
  gainLoss: Money;
  /** What is left of the receivable, in both currencies. */
  after: ReceivableBalance;
}

/**
 * The change of an open item's carrying amount when what it owes changes by `delta` (a payment or a
 * credit: negative; a reversal or a release: positive), when the item is carried at its booked rate:
 * afterwards it carries what it owes at that rate, rounded once, so however it is paid, credited or
 * reinstated its carrying amount never drifts from "outstanding × booked rate" and the last payment
 * clears exactly what is left. This is what the journal posts on receivable lines.
 */
export function carryingChange(balance: ReceivableBalance, delta: Money, bookedRate: Fraction, mode: RoundingMode = DEFAULT_ROUNDING_MODE): Money {
  if (delta.currency !== balance.outstanding.currency) throw currencyMismatch(delta.currency, balance.outstanding.currency, 'change');
  const after = convertMoney({ minor: balance.outstanding.minor + delta.minor, currency: delta.currency }, balance.carrying.currency, bookedRate, mode);
  return { minor: after.minor - balance.carrying.minor, currency: balance.carrying.currency };
}

/**
 * A payment in the invoice currency settling (part of) a receivable booked in the functional
 * currency at an earlier rate. The cleared carrying amount is the carrying amount in proportion to
 * the part paid (rounded once); the payment that clears the receivable takes exactly what is left,
 * so however a receivable is paid in parts the carrying amounts cleared add up to the amount booked.
 * With `bookedRate` (what the journal does), the part cleared is instead {@link carryingChange}: what
 * is left stays carried at exactly its outstanding amount at the booked rate.
 * The difference with the payment at the day's rate is the realised exchange gain or loss.
 */
export function settleReceivable(balance: ReceivableBalance, paid: Money, paidRate: Fraction, mode: RoundingMode = DEFAULT_ROUNDING_MODE, bookedRate?: Fraction): FxSettlement {
  const { outstanding, carrying } = balance;
  if (paid.currency !== outstanding.currency) throw currencyMismatch(paid.currency, outstanding.currency, 'settle');
  if (paid.minor <= 0n) throw fieldError('amount', 'a payment must be above zero', 'invalid_amount');
  if (paid.minor > outstanding.minor)
    throw fieldError('amount', 'the payment is larger than what is outstanding; the rest is a credit, not a settlement', 'over_settlement');
  const carryingCleared: Money = bookedRate
    ? { minor: -carryingChange(balance, { minor: -paid.minor, currency: paid.currency }, bookedRate, mode).minor, currency: carrying.currency }
    : paid.minor === outstanding.minor
      ? carrying
      : { minor: roundDiv(carrying.minor * paid.minor, outstanding.minor, mode), currency: carrying.currency };
  const received = convertMoney(paid, carrying.currency, paidRate, mode);
  return {
    carryingCleared,
    received,
    gainLoss: { minor: received.minor - carryingCleared.minor, currency: carrying.currency },
    after: {
      outstanding: { minor: outstanding.minor - paid.minor, currency: outstanding.currency },
      carrying: { minor: carrying.minor - carryingCleared.minor, currency: carrying.currency },
    },
  };
}
