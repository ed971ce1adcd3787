import { z } from 'zod';
import { currency, id, isoDate, listQuery, text } from '../platform/schema.ts';

export const PAYMENT_METHODS = ['bank_transfer', 'cash', 'card', 'alipay', 'wechat_pay', 'other'] as const;
/** Reversal comes with its own use case later; until then a payment is simply received. */
export const PAYMENT_STATES = ['received'] as const;

const positive = z.number().int('an integer amount in minor units (fen)').min(1, 'the amount must be more than 0').max(Number.MAX_SAFE_INTEGER);

export const Allocation = z.object({ invoiceId: id('inv'), amountMinor: positive }).strict();

export const PaymentCreate = z
  .object({
    accountId: id('acc'),
    amountMinor: positive,
    currency,
    receivedOn: isoDate,
    method: z.enum(PAYMENT_METHODS),
    reference: text(200).min(1).nullable().optional().describe('bank reference or memo'),
    allocations: z.array(Allocation).max(200).optional(),
  })
  .strict();

export const PaymentAllocate = z.object({ allocations: z.array(Allocation).min(1).max(200) }).strict();

export const PaymentQuery = listQuery
  .extend({
    status: z.enum(PAYMENT_STATES).optional(),
    accountId: z.string().optional(),
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
  status: z.enum(PAYMENT_STATES),
  amountMinor: z.number().int(),
  currency: z.string(),
  receivedOn: z.string(),
  method: z.enum(PAYMENT_METHODS),
  reference: z.string().nullable(),
  allocations: z.array(
    z.object({
      id: z.string(),
      invoiceId: z.string(),
      invoiceNumber: z.string().nullable(),
      amountMinor: z.number().int(),
      createdAt: z.string(),
      createdBy: z.string().nullable(),
    }),
  ),
  allocatedMinor: z.number().int(),
  unallocatedMinor: z.number().int(),
  ownerId: z.string().nullable(),
  teamId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string().nullable(),
  version: z.number().int(),
});
export type PaymentDto = z.infer<typeof PaymentDto>;
export type Allocation = z.infer<typeof Allocation>;
