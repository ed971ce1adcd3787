import { z } from 'zod';
import { currency, id, isoDate, listQuery, money, qty, rate, reason, text } from '../platform/schema.ts';
import { ORDER_STATES } from './order.machine.ts';

export const OrderLineInput = z
  .object({
    productId: id('prod').nullable().optional(),
    description: text(500).min(1, 'a description is required'),
    quantity: qty.describe('decimal string with at most 3 decimals, e.g. "2.5"'),
    unitPriceMinor: money,
    discountRate: rate.optional().describe('0.1 = 10% off; default 0'),
    taxCodeId: id('taxc').optional().describe("The tax code; default: the product's default tax code"),
    taxCode: z.string().max(32).optional().describe('A tax code by its code, e.g. VAT13'),
    taxRate: rate.optional().describe("Compatibility: resolved to the legal entity's active tax code with this rate (422 unknown_tax_rate when none)"),
  })
  .strict();

export const OrderCreate = z
  .object({
    accountId: id('acc'),
    legalEntityId: id('le').optional().describe('default: the first legal entity'),
    orderDate: isoDate.optional().describe("default: today in the legal entity's time zone"),
    currency: currency.optional().describe("default: the account's currency"),
    lines: z.array(OrderLineInput).min(1, 'an order needs at least one line').max(500),
  })
  .strict();

/** Drafts only. Lines replace all lines (manual orders only: quote lines are copied, not edited). */
export const OrderUpdate = z
  .object({
    orderDate: isoDate.optional(),
    lines: z.array(OrderLineInput).min(1, 'an order needs at least one line').max(500).optional(),
  })
  .strict();

export const OrderQuery = listQuery
  .extend({
    status: z.enum(ORDER_STATES).optional(),
    accountId: z.string().optional(),
    ownerId: z.string().optional(),
    quoteId: z.string().optional(),
    contractId: z.string().optional(),
    dateFrom: z.string().optional(),
    dateTo: z.string().optional(),
  })
  .strict();

export const OrderCancel = z.object({ reason }).strict();
export const OrderRelease = z.object({ reason }).strict();

export type OrderCreate = z.infer<typeof OrderCreate>;
export type OrderLineInput = z.infer<typeof OrderLineInput>;

const progress = {
  deliveredPct: z.number().describe('delivered share of the order total, by amount (one decimal)'),
  billedMinor: z.number().int(),
  billedPct: z.number(),
  paidMinor: z.number().int(),
  paidPct: z.number(),
};

export const OrderLineDto = z.object({
  id: z.string(),
  lineNo: z.number().int(),
  productId: z.string().nullable(),
  quoteLineId: z.string().nullable(),
  description: z.string(),
  unitPriceMinor: z.number().int(),
  discountRate: z.string(),
  taxRate: z.string(),
  taxCodeId: z.string().nullable().describe('The tax code the line was priced with'),
  taxCode: z.string().nullable().describe('Its code as it was, e.g. VAT13'),
  netMinor: z.number().int(),
  taxMinor: z.number().int(),
  totalMinor: z.number().int(),
  orderedQty: z.string(),
  deliveredQty: z.string(),
  billedQty: z.string(),
});

export const OrderSummaryDto = z.object({
  id: z.string(),
  number: z.string(),
  quoteId: z.string().nullable(),
  contractId: z.string().nullable(),
  opportunityId: z.string().nullable(),
  accountId: z.string(),
  legalEntityId: z.string(),
  status: z.enum(ORDER_STATES),
  orderDate: z.string(),
  currency: z.string(),
  netMinor: z.number().int(),
  taxMinor: z.number().int(),
  totalMinor: z.number().int(),
  confirmedAt: z.string().nullable(),
  fulfilledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  holdReason: z.string().nullable().describe('why confirmation put the order on credit hold'),
  releaseReason: z.string().nullable().describe('why the credit hold was released'),
  ...progress,
  allowedActions: z.array(z.string()),
  ownerId: z.string().nullable(),
  teamId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string().nullable(),
  version: z.number().int(),
});
export const OrderDto = OrderSummaryDto.extend({ lines: z.array(OrderLineDto) });
export type OrderSummaryDto = z.infer<typeof OrderSummaryDto>;
export type OrderDto = z.infer<typeof OrderDto>;
export type OrderLineDto = z.infer<typeof OrderLineDto>;
