import { z } from 'zod';
import { currency, isoDate } from '../platform/schema.ts';

export const AccountBalanceQuery = z.object({ currency: currency.optional().describe("default: the account's currency") }).strict();

export const AgingQuery = z
  .object({
    asOf: isoDate.optional().describe("default: today in the first legal entity's time zone"),
    groupBy: z.enum(['account', 'none']).optional().describe('default: account'),
    currency: currency.optional().describe("default: the first legal entity's currency"),
  })
  .strict();

export const DsoQuery = z
  .object({
    from: isoDate.optional().describe('first day of the period; default: 89 days before `to` (a 90-day period)'),
    to: isoDate.optional().describe('last day of the period; default: today'),
    currency: currency.optional(),
  })
  .strict();

export const AccountBalanceDto = z.object({
  accountId: z.string(),
  currency: z.string(),
  asOf: z.string().describe('the business date overdue is measured against'),
  invoicedMinor: z.number().int().describe('total of issued invoices'),
  creditedMinor: z.number().int().describe('total of issued credit notes on them'),
  paidMinor: z.number().int().describe('payments allocated to them, net of reversals and releases'),
  outstandingMinor: z.number().int().describe('invoiced − credited − paid'),
  overdueMinor: z.number().int().describe('outstanding on invoices past their due date'),
  unallocatedPaymentsMinor: z.number().int().describe('money received and not allocated (overpayments, credit released by credit notes), less refunds'),
  creditBalanceMinor: z.number().int().describe('what the customer has to their credit to use on invoices or to be refunded: the unallocated payments'),
  refundedMinor: z.number().int(),
  netBalanceMinor: z.number().int().describe('outstanding − credit balance: what the customer owes after using their credit (negative: we owe them)'),
  creditLimitMinor: z.number().int().nullable(),
  availableCreditMinor: z.number().int().nullable().describe('credit limit − outstanding, in the account currency'),
});
export type AccountBalanceDto = z.infer<typeof AccountBalanceDto>;

const bucketAmounts = z.record(z.string(), z.number().int());

export const AgingDto = z.object({
  asOf: z.string(),
  currency: z.string(),
  groupBy: z.enum(['account', 'none']),
  buckets: z.array(z.object({ key: z.string(), label: z.string(), minDaysPastDue: z.number().int().nullable(), maxDaysPastDue: z.number().int().nullable() })),
  rule: z.string(),
  rows: z.array(z.object({ accountId: z.string(), accountName: z.string().nullable(), buckets: bucketAmounts, totalMinor: z.number().int(), invoiceCount: z.number().int() })),
  totals: z.object({ buckets: bucketAmounts, totalMinor: z.number().int(), invoiceCount: z.number().int() }),
});
export type AgingDto = z.infer<typeof AgingDto>;

export const DsoDto = z.object({
  from: z.string(),
  to: z.string(),
  currency: z.string(),
  periodDays: z.number().int(),
  receivablesMinor: z.number().int().describe('outstanding on issued invoices at the end of the period (as of `to`)'),
  revenueMinor: z.number().int().describe('invoiced in the period, less credit notes issued in it (tax included, like receivables)'),
  standardDays: z.number().nullable().describe('receivables ÷ revenue × period days, one decimal; null without revenue'),
  countbackDays: z.number().describe('months walked back from `to` until their revenue covers the receivables, one decimal'),
  countbackExhausted: z.boolean().describe('true when 24 months of revenue do not cover the receivables'),
  countbackMonths: z.array(z.object({ month: z.string(), revenueMinor: z.number().int(), days: z.number().int() })),
  formulas: z.object({ standard: z.string(), countback: z.string() }),
});
export type DsoDto = z.infer<typeof DsoDto>;
