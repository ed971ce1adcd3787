import type { Fraction, RoundingMode } from '../platform/money.ts';
import { convertMoney } from '../money/fx.ts';
import { assertBalanced } from '../money/journal.ts';
import { currencyMismatch, type Money } from '../money/money.ts';
import { DEFAULT_ROUNDING_MODE } from '../money/rounding.ts';

/**
 * Period-end revaluation of foreign-currency monetary items (IAS 21.23: monetary items are
 * translated at the closing rate; the exchange difference goes to profit or loss, IAS 21.28), pure.
 *
 * An item is an open receivable (an asset: a debit balance) or a customer's unapplied money (a
 * liability: a credit balance), with its balance in the transaction currency and its carrying amount
 * in the functional currency at the rates it was booked at. Revalued = balance × closing rate,
 * rounded once; the difference to the carrying amount is posted on an adjustment account beside the
 * item's own account (AR, customer advances) against unrealised FX gain or loss, and reversed on the
 * first day of the next period — so the items themselves stay carried at their booked rates and a
 * later payment's realised difference is measured from the booked rate as before.
 */

export type RevaluedKind = 'receivable' | 'advance';

export interface RevaluationItem {
  kind: RevaluedKind;
  /** The balance in the transaction currency, as a positive amount (what is owed to us, or what we hold). */
  balance: Money;
  /** Its carrying amount in the functional currency (positive, same side as the balance). */
  carrying: Money;
}

export interface RevaluedItem extends RevaluationItem {
  revalued: Money;
  /** revalued − carrying: the change of the item's functional balance on its own side. */
  difference: Money;
  /** The effect on profit: above zero an unrealised gain, below zero a loss. */
  gainLoss: Money;
}

export function revalueItem(item: RevaluationItem, closingRate: Fraction, mode: RoundingMode = DEFAULT_ROUNDING_MODE): RevaluedItem {
  const fc = item.carrying.currency;
  const revalued = convertMoney(item.balance, fc, closingRate, mode);
  const difference = { minor: revalued.minor - item.carrying.minor, currency: fc };
  // A receivable that grows is a gain; money we hold for a customer that grows is a loss.
  const gainLoss = { minor: item.kind === 'receivable' ? difference.minor : -difference.minor, currency: fc };
  return { ...item, revalued, difference, gainLoss };
}

export type RevaluationRole = 'arRevaluation' | 'advancesRevaluation' | 'unrealisedFxGain' | 'unrealisedFxLoss';

/** A line of a revaluation entry in the functional currency; signed, positive = debit. */
export interface RevaluationLeg {
  role: RevaluationRole;
  functional: bigint;
  /** Index of the item the line adjusts (adjustment lines only). */
  item?: number;
}

/**
 * The entry of one run for one foreign currency: one adjustment line per item that changed (Dr AR
 * revaluation when a receivable grows, Cr when it shrinks; the opposite for advances), the gains on
 * unrealised FX gain and the losses on unrealised FX loss, gross. Checked to balance in the
 * functional currency by the journal library (`assertBalanced`).
 */
export function revaluationLegs(items: readonly RevaluedItem[], fc: string, date = '2000-01-31'): RevaluationLeg[] {
  const legs: RevaluationLeg[] = [];
  let gain = 0n;
  let loss = 0n;
  items.forEach((it, i) => {
    if (it.difference.currency !== fc) throw currencyMismatch(it.difference.currency, fc, 'revalue');
    if (it.difference.minor === 0n) return;
    legs.push({ role: it.kind === 'receivable' ? 'arRevaluation' : 'advancesRevaluation', functional: it.kind === 'receivable' ? it.difference.minor : -it.difference.minor, item: i });
    if (it.gainLoss.minor > 0n) gain += it.gainLoss.minor;
    else loss -= it.gainLoss.minor;
  });
  if (gain) legs.push({ role: 'unrealisedFxGain', functional: -gain });
  if (loss) legs.push({ role: 'unrealisedFxLoss', functional: loss });
  if (legs.length) assertLegsBalance(legs, fc, date);
  return legs;
}

/** The reversal on the first day of the next period: every line the other way round. */
export function reversalLegs(legs: readonly RevaluationLeg[]): RevaluationLeg[] {
  return legs.map((l) => ({ ...l, functional: -l.functional }));
}

export function assertLegsBalance(legs: readonly RevaluationLeg[], fc: string, date: string): void {
  assertBalanced({
    date,
    documentRef: 'FX revaluation',
    description: 'period-end FX revaluation',
    currency: fc,
    lines: legs.map((l) => ({ account: l.role, debit: l.functional > 0n ? l.functional : 0n, credit: l.functional < 0n ? -l.functional : 0n })),
  });
}
