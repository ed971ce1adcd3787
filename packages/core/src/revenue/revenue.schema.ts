import { z } from 'zod';
import { id, isoDate, money, reason, text } from '../platform/schema.ts';
import { REVENUE_METHODS } from './rules.ts';

export const revenuePeriod = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month like 2026-10');
const progressValue = z.string().regex(/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/, 'a decimal between 0 and 1 like 0.4');

const milestone = z
  .object({
    id: z.string().regex(/^[\w.-]{1,40}$/, 'letters, digits, _ . - (at most 40)'),
    name: text(200).min(1, 'a name is required'),
    weight: z.number().int().min(0).max(1_000_000),
    plannedOn: isoDate.nullable().optional(),
    reachedOn: isoDate.nullable().optional().describe('set by operations when the milestone is reached: its revenue is then scheduled on that day'),
  })
  .strict();

export const ObligationUpdate = z
  .object({
    method: z.enum(REVENUE_METHODS).optional(),
    serviceStart: isoDate.optional(),
    serviceEnd: isoDate.optional(),
    milestones: z.array(milestone).max(100).optional(),
  })
  .strict();

export const ProgressInput = z
  .object({
    date: isoDate.describe('the day progress is measured'),
    progress: progressValue.describe('cumulative progress, 0 to 1'),
  })
  .strict();

export const ModificationInput = z
  .object({
    date: isoDate.describe('the first day under the new terms'),
    newAllocatedMinor: money.describe("the obligation's transaction price after the modification"),
    newEnd: isoDate.optional().describe('ratable obligations: a new end of service'),
    method: z.enum(['prospective', 'cumulative_catch_up']).describe('IFRS 15.21(a) prospective (distinct remaining goods or services) or 15.21(b) cumulative catch-up'),
    reason,
  })
  .strict();

export const AllocationInput = z
  .object({
    discountTo: z
      .array(id('pob'))
      .max(500)
      .describe('the obligations the whole discount belongs to (IFRS 15.82); empty: spread over all obligations (15.81)'),
    reason,
  })
  .strict();

export const RevenueCloseInput = z.object({ period: revenuePeriod, legalEntityId: id('le').optional().describe('default: the first legal entity') }).strict();

export const RevenueReportQuery = z
  .object({
    from: revenuePeriod.optional().describe('first period (YYYY-MM); default: January of the year of `to`'),
    to: revenuePeriod.optional().describe('last period (YYYY-MM); default: the current month'),
    legalEntityId: id('le').optional(),
  })
  .strict();

export const RevenuePeriodsQuery = z.object({ legalEntityId: id('le').optional() }).strict();

export const ScheduleLineDto = z.object({
  id: z.string(),
  period: z.string(),
  recogniseOn: z.string(),
  amountMinor: z.number().int(),
  kind: z.string(),
  ref: z.string().nullable(),
  status: z.enum(['scheduled', 'recognised']),
});

export const ObligationDto = z.object({
  id: z.string(),
  orderId: z.string(),
  orderLineId: z.string(),
  lineNo: z.number().int(),
  description: z.string(),
  productId: z.string().nullable(),
  currency: z.string(),
  quantity: z.string(),
  method: z.enum(REVENUE_METHODS),
  sspMinor: z.number().int().describe('standalone selling price of the line'),
  allocatedMinor: z.number().int().describe('the share of the transaction price allocated at confirmation (relative SSP)'),
  discountMinor: z.number().int().describe('SSP − allocated: the part of the contract discount it bears'),
  bearsDiscount: z.boolean(),
  creditedMinor: z.number().int().describe('credit notes on its invoice lines (net), lowering its price'),
  priceMinor: z.number().int().describe('what it recognises in all: allocated (or modified) − credited'),
  serviceStart: z.string().nullable(),
  serviceEnd: z.string().nullable(),
  milestones: z.array(milestone),
  progress: z.array(ProgressInput),
  modifications: z.array(ModificationInput.extend({ newEnd: isoDate.nullable().optional() })),
  recognisedMinor: z.number().int(),
  scheduledMinor: z.number().int().describe('dated but not yet recognised (open periods)'),
  unscheduledMinor: z.number().int().describe('not yet dated: goods not delivered, milestones not reached, progress not entered'),
  lines: z.array(ScheduleLineDto),
  version: z.number().int(),
});
export type ObligationDto = z.infer<typeof ObligationDto>;

export const OrderRevenueDto = z.object({
  orderId: z.string(),
  orderNumber: z.string(),
  currency: z.string(),
  transactionPriceMinor: z.number().int().describe('the order net (VAT excluded)'),
  sspTotalMinor: z.number().int(),
  billedMinor: z.number().int().describe('net invoiced − net credited'),
  recognisedMinor: z.number().int(),
  deferredMinor: z.number().int().describe('contract liability: billed beyond what is recognised'),
  unbilledMinor: z.number().int().describe('contract asset: recognised beyond what is billed'),
  obligations: z.array(ObligationDto),
});
export type OrderRevenueDto = z.infer<typeof OrderRevenueDto>;

export const RevenuePeriodDto = z.object({ id: z.string(), legalEntityId: z.string(), period: z.string(), closedAt: z.string(), closedBy: z.string().nullable(), lines: z.number().int(), entries: z.number().int() });

export const RevenueCloseDto = z.object({
  legalEntityId: z.string(),
  period: z.string(),
  alreadyClosed: z.boolean().describe('true when the period was closed before: nothing was posted again'),
  lines: z.number().int().describe('schedule lines recognised'),
  entries: z.number().int().describe('journal entries posted'),
  recognised: z.array(z.object({ currency: z.string(), amountMinor: z.number().int() })),
  closed: RevenuePeriodDto,
  fxRevaluationId: z.string().optional().describe('the FX revaluation of the month the close ran (fx/revaluations); absent when the month was closed before'),
});
export type RevenueCloseDto = z.infer<typeof RevenueCloseDto>;

export const RevenuePeriodsDto = z.object({ legalEntityId: z.string(), closedThrough: z.string().nullable(), nextToClose: z.string().nullable(), periods: z.array(RevenuePeriodDto) });

const amountRow = { currency: z.string(), amountMinor: z.number().int() };
export const RevenueReportDto = z.object({
  legalEntityId: z.string(),
  from: z.string(),
  to: z.string(),
  closedThrough: z.string().nullable(),
  byPeriod: z.array(
    z.object({
      period: z.string(),
      currency: z.string(),
      closed: z.boolean(),
      recognisedMinor: z.number().int().describe('posted by the revenue close'),
      scheduledMinor: z.number().int().describe('scheduled in a period not closed yet'),
      atBillingMinor: z.number().int().describe('orders without obligations (confirmed before revenue recognition): revenue posted when invoiced'),
      deferredMinor: z.number().int().describe('contract liabilities at the end of the period'),
      unbilledMinor: z.number().int().describe('contract assets at the end of the period'),
    }),
  ),
  byProduct: z.array(z.object({ productId: z.string().nullable(), productName: z.string(), ...amountRow })),
  byAccount: z.array(z.object({ accountId: z.string(), accountName: z.string(), ...amountRow })),
  balances: z.array(
    z.object({
      currency: z.string(),
      asOf: z.string(),
      billedMinor: z.number().int(),
      recognisedMinor: z.number().int(),
      deferredMinor: z.number().int(),
      unbilledMinor: z.number().int(),
    }),
  ),
  totals: z.array(z.object({ currency: z.string(), recognisedMinor: z.number().int(), atBillingMinor: z.number().int(), scheduledMinor: z.number().int() })),
});
export type RevenueReportDto = z.infer<typeof RevenueReportDto>;
