import type { LegalEntityTable } from '@openltc/db';
import type { Ctx } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { type Fraction } from '../platform/money.ts';
import { carryingChange, convertMoney, type FoundRate } from '../money/fx.ts';
import { roundingModeOf } from '../billing/legal-entities.ts';
import { fractionText, fxRateOn, parseFractionText } from '../fx/rates.ts';
import type { LedgerRole } from './chart.ts';

/**
 * The functional-currency side of a journal entry. Every line keeps its amount in the transaction
 * currency (the document's) and gets its amount in the functional currency of the legal entity:
 *
 * - A receivable line (role `ar`, naming its open item: an invoice or a dunning charge) is carried
 *   at the open item's booked rate — the rate of its issue date — and so that the carrying amount of
 *   an open item is always its outstanding amount at the booked rate, rounded once, the line takes
 *   the difference between that figure after the line and what the item's lines carry already.
 *   A payment that clears a receivable therefore clears exactly its booked functional amount; the
 *   last payment takes what is left.
 * - Every other line is converted at the entry's rate, rounded once (the entry currency's rate on
 *   the entry's rate date, or the rate of the entry it follows, e.g. a credit note at its invoice's).
 * - `spread` (invoices, credit notes, dunning charges): the income and tax lines are converted at
 *   the same rate and the rounding residue goes to the largest of them, so the entry balances with
 *   no exchange difference (a document is one transaction at one rate).
 * - `gainLoss` (payment events): what does not balance is the realised exchange difference, a line
 *   on FX gain (credit) or FX loss (debit) with no transaction-currency amount.
 * When the entry is in the functional currency every functional amount equals the amount.
 */

export interface FunctionalLeg {
  role: LedgerRole;
  amount: number;
  openItemId?: string | null;
}

export interface FunctionalPlan {
  functionalCurrency: string;
  rate: Fraction | null;
  rateText: string | null;
  rateDate: string | null;
  /** Per input leg, signed (positive = debit). */
  functional: number[];
  /** Exchange-difference legs to add: no transaction amount, a functional amount only. */
  differences: Array<{ role: 'fxGain' | 'fxLoss'; functional: number }>;
}

export interface FunctionalInput {
  legalEntityId: string;
  currency: string;
  /** The business date whose rate converts the entry (ignored with rateOf). */
  rateDate: string;
  /** Use the rate another entry was posted at (a credit note: its invoice's issue). */
  rateOf?: { sourceType: string; sourceId: string; event: string } | undefined;
  balance: 'spread' | 'gainLoss';
  /** The open item this entry books (its own AR legs use the entry's rate). */
  booksOpenItem?: string | undefined;
}

const num = (v: unknown) => Number(v ?? 0);

async function entryRate(tx: Ctx, key: { sourceType: string; sourceId: string; event: string }): Promise<{ rate: Fraction; date: string | null } | null> {
  const e = await tx.db
    .selectFrom('journalEntries')
    .select(['fxRate', 'fxRateDate', 'currency', 'functionalCurrency'])
    .where('sourceType', '=', key.sourceType)
    .where('sourceId', '=', key.sourceId)
    .where('event', '=', key.event)
    .executeTakeFirst();
  if (!e) return null;
  if (e.fxRate) return { rate: parseFractionText(e.fxRate), date: e.fxRateDate ?? null };
  return e.functionalCurrency && e.functionalCurrency === e.currency ? { rate: { num: 1n, den: 1n }, date: null } : null;
}

/** The rate an open item was booked at: the rate of the entry that issued it. */
async function bookedRate(tx: Ctx, openItemId: string): Promise<Fraction | null> {
  const e = await tx.db
    .selectFrom('journalEntries')
    .select(['fxRate', 'currency', 'functionalCurrency'])
    .where('sourceId', '=', openItemId)
    .where('event', '=', 'issue')
    .where('sourceType', 'in', ['invoice', 'dunning_charge'])
    .executeTakeFirst();
  if (!e) return null;
  if (e.fxRate) return parseFractionText(e.fxRate);
  return e.functionalCurrency === e.currency ? { num: 1n, den: 1n } : null;
}

/**
 * What a batch of postings in one transaction may share (ledger/batch-posting.ts): the legal entities
 * and the rates found by (currency, functional currency, date), each read once instead of per entry.
 */
export interface FunctionalLookups {
  entities: Map<string, LegalEntityTable>;
  rates: Map<string, FoundRate>;
}

async function rateOn(tx: Ctx, from: string, to: string, date: string, lookups: FunctionalLookups | undefined): Promise<FoundRate> {
  if (!lookups) return fxRateOn(tx, from, to, date);
  const key = `${from}|${to}|${date}`;
  let found = lookups.rates.get(key);
  if (!found) lookups.rates.set(key, (found = await fxRateOn(tx, from, to, date)));
  return found;
}

export async function functionalPlan(tx: Ctx, d: FunctionalInput, legs: readonly FunctionalLeg[], lookups?: FunctionalLookups): Promise<FunctionalPlan> {
  let le = lookups?.entities.get(d.legalEntityId);
  if (!le) {
    le = await tx.db.selectFrom('legalEntities').selectAll().where('id', '=', d.legalEntityId).executeTakeFirstOrThrow();
    lookups?.entities.set(le.id, le);
  }
  const fc = le.currency;
  if (d.currency === fc) return { functionalCurrency: fc, rate: null, rateText: null, rateDate: null, functional: legs.map((l) => l.amount), differences: [] };
  const mode = roundingModeOf(le);
  let rate: Fraction;
  let rateDate: string | null;
  const followed = d.rateOf ? await entryRate(tx, d.rateOf) : null;
  if (followed) ({ rate, date: rateDate } = followed);
  else {
    const found = await rateOn(tx, d.currency, fc, d.rateDate, lookups);
    rate = found.rate;
    rateDate = found.effectiveDate;
  }
  const conv = (minor: bigint, r: Fraction) => convertMoney({ minor, currency: d.currency }, fc, r, mode).minor;

  // Receivable legs: carried at their item's booked rate, as the difference to the item's new carrying amount.
  const running = new Map<string, { txn: bigint; fun: bigint; rate: Fraction }>();
  const functional: Array<number | null> = [];
  for (const l of legs) {
    if (l.role !== 'ar' || !l.openItemId) {
      functional.push(null);
      continue;
    }
    let cur = running.get(l.openItemId);
    if (!cur) {
      const own = l.openItemId === d.booksOpenItem;
      const r = own ? rate : ((await bookedRate(tx, l.openItemId)) ?? rate);
      const sums = own
        ? null
        : await tx.db
            .selectFrom('journalLines')
            .select((eb) => [
              eb.fn.sum<number>('debitMinor').as('d'),
              eb.fn.sum<number>('creditMinor').as('c'),
              eb.fn.sum<number>('functionalDebitMinor').as('fd'),
              eb.fn.sum<number>('functionalCreditMinor').as('fc'),
            ])
            .where('openItemId', '=', l.openItemId)
            .where('accountRole', '=', 'ar')
            .executeTakeFirst();
      cur = { txn: BigInt(num(sums?.d) - num(sums?.c)), fun: BigInt(num(sums?.fd) - num(sums?.fc)), rate: r };
    }
    const change = carryingChange(
      { outstanding: { minor: cur.txn, currency: d.currency }, carrying: { minor: cur.fun, currency: fc } },
      { minor: BigInt(l.amount), currency: d.currency },
      cur.rate,
      mode,
    ).minor;
    functional.push(Number(change));
    running.set(l.openItemId, { ...cur, txn: cur.txn + BigInt(l.amount), fun: cur.fun + change });
  }

  const others = legs.map((l, i) => (functional[i] === null ? i : -1)).filter((i) => i >= 0);
  const arTotal = functional.reduce<number>((s, f) => s + (f ?? 0), 0);
  const hasAr = others.length < legs.length;
  for (const i of others) functional[i] = Number(conv(BigInt(legs[i]!.amount), rate));
  if (d.balance === 'spread' && hasAr && others.length) {
    // One document, one rate: the rounding residue (a few minor units at most) goes to the largest
    // other leg, so the income and tax lines add up to the receivable exactly.
    const residue = -arTotal - others.reduce((s, i) => s + functional[i]!, 0);
    const largest = others.reduce((a, b) => (Math.abs(legs[b]!.amount) > Math.abs(legs[a]!.amount) ? b : a));
    functional[largest] = functional[largest]! + residue;
  }

  const out = functional.map((f) => f!);
  const diff = out.reduce((s, f) => s + f, 0);
  const differences: FunctionalPlan['differences'] = [];
  if (diff !== 0) {
    if (d.balance === 'spread')
      throw new AppError(500, 'invalid_posting', 'Invalid posting', `a ${d.currency} document entry does not balance in ${fc} by ${diff}; this is a bug`);
    differences.push(diff > 0 ? { role: 'fxGain', functional: -diff } : { role: 'fxLoss', functional: -diff });
  }
  return { functionalCurrency: fc, rate, rateText: fractionText(rate), rateDate, functional: out, differences };
}
