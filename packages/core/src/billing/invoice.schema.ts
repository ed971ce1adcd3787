import { z } from 'zod';
import { id, listQuery, qty } from '../platform/schema.ts';
import { INVOICE_STATES } from './invoice.machine.ts';

const BillLine = z.object({ orderLineId: id('oln'), quantity: qty.describe('decimal string, e.g. "2.5"') }).strict();
const paymentTermsDays = z.number().int().min(0).max(365).describe('days from issue to due date; default 30');

export const InvoiceFromOrder = z
  .object({
    lines: z.array(BillLine).min(1).max(500).optional().describe('what to bill; default: everything not yet billed'),
    paymentTermsDays: paymentTermsDays.optional(),
  })
  .strict();

export const InvoiceFromDelivery = z.object({ paymentTermsDays: paymentTermsDays.optional() }).strict();

/** Drafts only: issued invoices never change. */
export const InvoiceUpdate = z
  .object({
    paymentTermsDays: paymentTermsDays.optional(),
    lines: z.array(BillLine).min(1).max(500).optional().describe('replaces every line (invoices made from an order only)'),
  })
  .strict();

export const InvoiceQuery = listQuery
  .extend({
    status: z.enum(INVOICE_STATES).optional(),
    orderId: z.string().optional(),
    deliveryId: z.string().optional(),
    accountId: z.string().optional(),
    legalEntityId: z.string().optional(),
    dueFrom: z.string().optional(),
    dueTo: z.string().optional(),
    issuedFrom: z.string().optional().describe('issue date on or after (YYYY-MM-DD)'),
    issuedTo: z.string().optional(),
  })
  .strict();

export const InvoiceLineDto = z.object({
  id: z.string(),
  lineNo: z.number().int(),
  orderLineId: z.string(),
  deliveryLineId: z.string().nullable(),
  productId: z.string().nullable(),
  description: z.string(),
  quantity: z.string(),
  unitPriceMinor: z.number().int(),
  discountRate: z.string(),
  taxRate: z.string(),
  taxCodeId: z.string().nullable().describe('The tax code the line was priced with'),
  taxCode: z.string().nullable().describe('Its code as it was, e.g. VAT13'),
  netMinor: z.number().int(),
  taxMinor: z.number().int(),
  totalMinor: z.number().int(),
});

export const InvoiceDto = z.object({
  id: z.string(),
  number: z.string().nullable().describe('assigned when issued; drafts have none'),
  legalEntityId: z.string(),
  orderId: z.string(),
  deliveryId: z.string().nullable(),
  accountId: z.string(),
  status: z.enum(INVOICE_STATES),
  currency: z.string(),
  netMinor: z.number().int(),
  taxMinor: z.number().int(),
  totalMinor: z.number().int(),
  paidMinor: z.number().int(),
  creditedMinor: z.number().int().describe('the total of issued credit notes on this invoice'),
  outstandingMinor: z.number().int().describe('what the customer still owes: total − paid − credited; 0 before issue'),
  issueDate: z.string().nullable(),
  dueDate: z.string().nullable(),
  paymentTermsDays: z.number().int(),
  issuedAt: z.string().nullable(),
  paidAt: z.string().nullable().describe('while paid: when the last payment allocated to it was recorded; null otherwise'),
  lines: z.array(InvoiceLineDto),
  allowedActions: z.array(z.string()),
  ownerId: z.string().nullable(),
  teamId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string().nullable(),
  version: z.number().int(),
});
export type InvoiceDto = z.infer<typeof InvoiceDto>;
export type InvoiceLineDto = z.infer<typeof InvoiceLineDto>;
