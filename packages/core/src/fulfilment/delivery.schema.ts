import { z } from 'zod';
import { id, listQuery, qty, text } from '../platform/schema.ts';
import { DELIVERY_STATES } from './delivery.machine.ts';

export const DeliveryCreate = z
  .object({
    lines: z
      .array(z.object({ orderLineId: id('oln'), quantity: qty.describe('decimal string, e.g. "2.5"') }).strict())
      .min(1, 'a delivery needs at least one line')
      .max(500),
    carrier: text(100).min(1).nullable().optional(),
    trackingNo: text(100).min(1).nullable().optional(),
  })
  .strict();

export const DeliveryAccept = z
  .object({ acceptedBy: text(200).min(1, 'name the person who signed off').describe('who signed the acceptance (验收) for the customer') })
  .strict();

export const DeliveryQuery = listQuery
  .extend({
    status: z.enum(DELIVERY_STATES).optional(),
    orderId: z.string().optional(),
    accountId: z.string().optional(),
  })
  .strict();

export const DeliveryLineDto = z.object({
  id: z.string(),
  orderLineId: z.string(),
  lineNo: z.number().int(),
  description: z.string(),
  quantity: z.string(),
  billedQty: z.string().describe('how much of this delivery line invoices made from the delivery bill'),
});

export const DeliveryDto = z.object({
  id: z.string(),
  number: z.string(),
  orderId: z.string(),
  accountId: z.string(),
  status: z.enum(DELIVERY_STATES),
  carrier: z.string().nullable(),
  trackingNo: z.string().nullable(),
  shippedAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  acceptedBy: z.string().nullable(),
  lines: z.array(DeliveryLineDto),
  allowedActions: z.array(z.string()),
  ownerId: z.string().nullable(),
  teamId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string().nullable(),
  version: z.number().int(),
});
export type DeliveryDto = z.infer<typeof DeliveryDto>;
