import { z } from 'zod';
import { fieldError } from '../platform/errors.ts';
import { parseDecimal, roundDiv, type RoundingMode } from '../platform/money.ts';
import { allocateMinor, type Money } from './money.ts';
import { dayNumber } from './dates.ts';
import { DEFAULT_ROUNDING_MODE } from './rounding.ts';

/**
 * Collections: dunning levels and a pure dunning run.
 *
 * A level applies from a number of days past due and says which reminder template to send, what
 * fee to charge (per currency, in minor units), what late interest to charge (an annual rate, day
 * count ACT/365: interest = outstanding × rate × days ÷ 365, rounded once), and whether to escalate
 * (to a manager or collector) and put the customer's new orders on hold.
 *
 * A run is pure: given the invoices' current dunning state and a run date it returns the actions;
 * applying them (`applyDunningRun`) gives the new state, and running again on the same date with
 * that state returns nothing.
 */
const DECIMAL = /^\d{1,3}(?:\.\d{1,8})?$/;

export const dunningLevelSchema = z
  .object({
    level: z.number().int().min(1).max(99),
    minDaysPastDue: z.number().int().min(1).max(3650),
    template: z.string().min(1).max(100),
    /** Fee per currency, in minor units as a whole-number string: { "CNY": "5000" } is ¥50.00. */
    fees: z.record(z.string().regex(/^[A-Z]{3}$/), z.string().regex(/^\d{1,15}$/)).optional(),
    /** Annual late-interest rate as a decimal, e.g. "0.125" for 12.5 % a year (ACT/365). */
    interestAnnualRate: z.string().regex(DECIMAL).optional(),
    escalate: z.boolean().optional(),
    holdOrders: z.boolean().optional(),
  })
  .strict();
export type DunningLevel = z.infer<typeof dunningLevelSchema>;

export const dunningConfigSchema = z
  .object({
    levels: z.array(dunningLevelSchema).min(1),
    /** Jump straight to the highest level reached (default false: one level per run). */
    skipLevels: z.boolean().optional(),
    /** Days to wait after a notice before the next one (default 0). */
    minDaysBetweenNotices: z.number().int().min(0).max(365).optional(),
  })
  .strict();
export type DunningConfig = z.infer<typeof dunningConfigSchema>;

/** Parses and checks a configuration: levels numbered and timed in increasing order. */
export function parseDunningConfig(input: unknown): DunningConfig {
  const c = dunningConfigSchema.parse(input);
  c.levels.forEach((l, i) => {
    const prev = c.levels[i - 1];
    if (prev && (l.level <= prev.level || l.minDaysPastDue <= prev.minDaysPastDue))
      throw fieldError(`levels.${i}`, 'levels must increase in number and in days past due', 'invalid_dunning_levels');
  });
  return c;
}

export interface DunningInvoice {
  invoiceId: string;
  customerId: string;
  dueDate: string;
  outstanding: Money;
  /** The last level sent; 0 when none. */
  level: number;
  lastNoticeDate?: string | null;
  /** Late interest has been charged up to and including this date. */
  interestThrough?: string | null;
  /** A promise to pay: no dunning while the run date is on or before it. */
  promiseToPayUntil?: string | null;
  /** A disputed invoice is not dunned. */
  disputed?: boolean;
}

export interface DunningAction {
  invoiceId: string;
  customerId: string;
  level: number;
  template: string;
  daysPastDue: number;
  fee: Money;
  interest: Money;
  /** The interest covers the days after `interestFrom` up to and including `interestThrough`. */
  interestFrom: string | null;
  interestThrough: string | null;
  interestDays: number;
  escalate: boolean;
  holdOrders: boolean;
}

export type DunningSkipReason = 'promise_to_pay' | 'disputed' | 'too_soon';

export interface DunningRun {
  runDate: string;
  actions: DunningAction[];
  /** Customers whose new orders the actions put on hold. */
  holdCustomers: string[];
  /** Invoices that would have moved up a level but did not, and why. */
  skipped: Array<{ invoiceId: string; reason: DunningSkipReason }>;
}

/** Late interest, ACT/365: amount × annual rate × days ÷ 365, rounded once. */
export function lateInterest(amount: Money, annualRate: string, days: number, mode: RoundingMode = DEFAULT_ROUNDING_MODE): Money {
  if (!Number.isSafeInteger(days) || days < 0) throw fieldError('days', 'interest days must be a whole number ≥ 0', 'invalid_days');
  const r = parseDecimal(annualRate, 'interestAnnualRate');
  return { minor: roundDiv(amount.minor * r.num * BigInt(days), r.den * 365n, mode), currency: amount.currency };
}

/**
 * The dunning actions due on `runDate`. An invoice moves up when it is outstanding, past due at
 * least the next level's days, not disputed, not under a promise to pay, not noticed already on
 * the run date, and the last notice is at least `minDaysBetweenNotices` old. It moves one level per run, or straight to the highest
 * level reached with `skipLevels`. The notice carries that level's fee (in the invoice currency;
 * none when the level sets no fee for it) and, if the level charges interest, the interest since
 * the day interest was last charged (or since the due date) up to the run date.
 */
export function evaluateDunning(config: DunningConfig, invoices: readonly DunningInvoice[], runDate: string, mode: RoundingMode = DEFAULT_ROUNDING_MODE): DunningRun {
  const run = dayNumber(runDate, 'runDate');
  const levels = config.levels;
  const actions: DunningAction[] = [];
  const skipped: DunningRun['skipped'] = [];
  for (const inv of invoices) {
    if (inv.outstanding.minor <= 0n) continue;
    const due = dayNumber(inv.dueDate, 'dueDate');
    const dpd = run - due;
    const reached = [...levels].reverse().find((l) => l.minDaysPastDue <= dpd);
    if (!reached || reached.level <= inv.level) continue;
    if (inv.disputed) {
      skipped.push({ invoiceId: inv.invoiceId, reason: 'disputed' });
      continue;
    }
    if (inv.promiseToPayUntil && dayNumber(inv.promiseToPayUntil, 'promiseToPayUntil') >= run) {
      skipped.push({ invoiceId: inv.invoiceId, reason: 'promise_to_pay' });
      continue;
    }
    const sinceNotice = inv.lastNoticeDate ? run - dayNumber(inv.lastNoticeDate, 'lastNoticeDate') : null;
    // One notice per invoice per day: a second run on the same date (with the state the first one
    // produced) has nothing to add.
    if (sinceNotice !== null && sinceNotice <= 0) continue;
    if (sinceNotice !== null && sinceNotice < (config.minDaysBetweenNotices ?? 0)) {
      skipped.push({ invoiceId: inv.invoiceId, reason: 'too_soon' });
      continue;
    }
    const target = config.skipLevels ? reached : levels.find((l) => l.level > inv.level)!;
    const fee = BigInt(target.fees?.[inv.outstanding.currency] ?? '0');
    let interest = 0n;
    let interestFrom: string | null = null;
    let interestDays = 0;
    if (target.interestAnnualRate) {
      interestFrom = inv.interestThrough ?? inv.dueDate;
      interestDays = Math.max(0, run - dayNumber(interestFrom, 'interestThrough'));
      interest = lateInterest(inv.outstanding, target.interestAnnualRate, interestDays, mode).minor;
    }
    actions.push({
      invoiceId: inv.invoiceId,
      customerId: inv.customerId,
      level: target.level,
      template: target.template,
      daysPastDue: dpd,
      fee: { minor: fee, currency: inv.outstanding.currency },
      interest: { minor: interest, currency: inv.outstanding.currency },
      interestFrom,
      interestThrough: target.interestAnnualRate ? runDate : null,
      interestDays,
      escalate: !!target.escalate,
      holdOrders: !!target.holdOrders,
    });
  }
  const holdCustomers = [...new Set(actions.filter((a) => a.holdOrders).map((a) => a.customerId))].sort();
  return { runDate, actions, holdCustomers, skipped };
}

/**
 * The invoices' dunning state after a run: each dunned invoice is at its new level, noticed on the
 * run date, with interest charged through the run date when the notice charged interest. (Fees and
 * interest are new receivables of their own; they do not change the invoice's outstanding amount.)
 */
export function applyDunningRun(invoices: readonly DunningInvoice[], run: DunningRun): DunningInvoice[] {
  const byId = new Map(run.actions.map((a) => [a.invoiceId, a]));
  return invoices.map((inv) => {
    const a = byId.get(inv.invoiceId);
    if (!a) return inv;
    return { ...inv, level: a.level, lastNoticeDate: run.runDate, interestThrough: a.interestThrough ?? inv.interestThrough ?? null };
  });
}

/** Customers whose new orders stay on hold: any open invoice at or above the first level that holds orders. */
export function customersOnHold(config: DunningConfig, invoices: readonly DunningInvoice[]): string[] {
  const holding = new Set(config.levels.filter((l) => l.holdOrders).map((l) => l.level));
  const minHold = Math.min(...holding);
  return [...new Set(invoices.filter((i) => i.outstanding.minor > 0n && i.level >= minHold).map((i) => i.customerId))].sort();
}

/**
 * A dunning charge's waived amount split over its fee, interest and VAT in proportion to them (largest
 * remainder): the parts add up to `waived` exactly, and waiving the whole charge gives its own
 * amounts. Waiving the unpaid rest of a partly paid charge reverses only these parts.
 */
export function waivedParts(
  c: { feeMinor: number | bigint; interestMinor: number | bigint; taxMinor?: number | bigint | null },
  waived: number,
): { fee: number; interest: number; tax: number } {
  const weights = [BigInt(c.feeMinor), BigInt(c.interestMinor), BigInt(c.taxMinor ?? 0)];
  const [fee, interest, tax] = allocateMinor(BigInt(waived), weights).map(Number) as [number, number, number];
  return { fee, interest, tax };
}
