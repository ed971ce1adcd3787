import { z } from 'zod';
import { currency, id, isoDate, listQuery, reason, text } from '../platform/schema.ts';
import { PAYMENT_STATES } from './payment.machine.ts';

export { PAYMENT_STATES };
export const PAYMENT_METHODS = ['bank_transfer', 'cash', 'card', 'alipay', 'wechat_pay', 'other'] as const;

const positive = z.number().int('an integer amount in minor units (fen)').min(1, 'the amount must be more than 0').max(Number.MAX_SAFE_INTEGER);

export const Allocation = z.object({ invoiceId: id('inv'), amountMinor: positive }).strict();

export const PaymentCreate = z
  .object({
    accountId: id('acc'),
    legalEntityId: id('le')
      .optional()
      .describe("the legal entity that received the money; default: the one of the invoices it is allocated to, else of the customer's open invoices in its currency"),
    amountMinor: positive,
    currency,
    receivedOn: isoDate,
    method: z.enum(PAYMENT_METHODS),
    reference: text(200).min(1).nullable().optional().describe('bank reference or memo'),
    allocations: z.array(Allocation).max(200).optional(),
    autoAllocate: z
      .boolean()
      .optional()
      .describe("allocate to the account's open invoices in the payment's currency, oldest due first (then issue date, number); not with allocations"),
  })
  .strict();

export const PaymentAllocate = z
  .object({
    allocations: z.array(Allocation).min(1).max(200).optional(),
    autoAllocate: z.boolean().optional().describe('what is left, oldest due first; give either this or allocations'),
  })
  .strict();

export const PaymentReverse = z.object({ reason }).strict();

export const PaymentQuery = listQuery
  .extend({
    status: z.enum(PAYMENT_STATES).optional(),
    accountId: z.string().optional(),
    legalEntityId: z.string().optional(),
    method: z.enum(PAYMENT_METHODS).optional(),
    currency: z.string().optional(),
    receivedFrom: z.string().optional(),
    receivedTo: z.string().optional(),
  })
  .strict();

export const PaymentDto = z.object({
  id: z.string(),
  number: z.string(),
  accountId: z.string(),
  legalEntityId: z.string().describe('the legal entity that received it: its journal, exchange differences and the customer credit it leaves post there'),
  status: z.enum(PAYMENT_STATES),
  amountMinor: z.number().int(),
  currency: z.string(),
  receivedOn: z.string(),
  method: z.enum(PAYMENT_METHODS),
  reference: z.string().nullable(),
  allocations: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['allocation', 'reversal', 'credit_release']).describe('counter-rows (reversal, credit_release) are negative'),
      invoiceId: z.string(),
      invoiceNumber: z.string().nullable(),
      amountMinor: z.number().int(),
      creditNoteId: z.string().nullable(),
      effectiveOn: z.string().nullable(),
      createdAt: z.string(),
      createdBy: z.string().nullable(),
    }),
  ),
  allocatedMinor: z.number().int().describe('net of counter-rows'),
  refundedMinor: z.number().int(),
  chargeAllocatedMinor: z.number().int().describe('paid on dunning charges (fees and late interest), net of reversals'),
  unallocatedMinor: z.number().int().describe("the customer's credit on this payment: amount − allocated (to invoices and dunning charges) − refunded; 0 once reversed"),
  fx: z
    .object({
      functionalCurrency: z.string(),
      rate: z.string().nullable().describe('units of the functional currency per unit of the payment currency, at the payment date'),
      rateDate: z.string().nullable(),
      functionalAmountMinor: z.number().int().describe('the payment in the functional currency'),
      realisedGainLossMinor: z.number().int().describe('realised exchange gain (above 0) or loss (below 0) posted by this payment, net'),
    })
    .nullable()
    .describe('null when the payment is in the functional currency of its legal entity'),
  reversedAt: z.string().nullable(),
  reversedOn: z.string().nullable(),
  reversalReason: z.string().nullable(),
  allowedActions: z.array(z.string()),
  ownerId: z.string().nullable(),
  teamId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string().nullable(),
  version: z.number().int(),
});
export type PaymentDto = z.infer<typeof PaymentDto>;
export type Allocation = z.infer<typeof Allocation>;
