import { z } from 'zod';
import { id, listQuery, qty, reason } from '../platform/schema.ts';
import { CREDIT_NOTE_STATES } from './credit-note.machine.ts';

/** What happens to credit beyond what the invoice still owes (it was paid): kept as customer credit, or refunded. */
export const CREDIT_SETTLEMENTS = ['balance', 'refund'] as const;
export type CreditSettlement = (typeof CREDIT_SETTLEMENTS)[number];

const CreditLine = z.object({ invoiceLineId: id('iln'), quantity: qty.describe('decimal string, e.g. "2.5"') }).strict();

export const CreditNoteCreate = z
  .object({
    reason,
    lines: z.array(CreditLine).min(1).max(500).optional().describe('quantities of invoice lines to credit'),
    amountMinor: z
      .number()
      .int('an integer amount in minor units (fen)')
      .min(1, 'the amount must be more than 0')
      .max(Number.MAX_SAFE_INTEGER)
      .optional()
      .describe('a credit by amount, tax included, spread over the lines by what is left on each'),
    settlement: z.enum(CREDIT_SETTLEMENTS).optional().describe("credit beyond what is still owed: 'balance' (default) or 'refund'"),
    issue: z.boolean().optional().describe('issue at once (needs the right to issue)'),
  })
  .strict()
  .describe('without lines or amountMinor: a full credit of everything not yet credited');

export const CreditNoteQuery = listQuery
  .extend({
    status: z.enum(CREDIT_NOTE_STATES).optional(),
    invoiceId: z.string().optional(),
    orderId: z.string().optional(),
    accountId: z.string().optional(),
    legalEntityId: z.string().optional(),
    issuedFrom: z.string().optional(),
    issuedTo: z.string().optional(),
  })
  .strict();

export const CreditNoteLineDto = z.object({
  id: z.string(),
  lineNo: z.number().int(),
  invoiceLineId: z.string(),
  description: z.string(),
  quantity: z.string().describe('0 for a credit by amount'),
  unitPriceMinor: z.number().int(),
  discountRate: z.string(),
  taxRate: z.string(),
  taxCodeId: z.string().nullable().describe('The tax code the line was priced with'),
  taxCode: z.string().nullable().describe('Its code as it was, e.g. VAT13'),
  netMinor: z.number().int(),
  taxMinor: z.number().int(),
  totalMinor: z.number().int(),
});

export const CreditNoteDto = z.object({
  id: z.string(),
  number: z.string().nullable().describe('assigned when issued (CN-2026-000001), per legal entity'),
  legalEntityId: z.string(),
  invoiceId: z.string(),
  invoiceNumber: z.string().nullable(),
  orderId: z.string(),
  accountId: z.string(),
  status: z.enum(CREDIT_NOTE_STATES),
  currency: z.string(),
  netMinor: z.number().int(),
  taxMinor: z.number().int(),
  totalMinor: z.number().int(),
  reason: z.string(),
  settlement: z.enum(CREDIT_SETTLEMENTS),
  issueDate: z.string().nullable(),
  issuedAt: z.string().nullable(),
  appliedMinor: z.number().int().describe('at issue: the part that reduced what the invoice still owed'),
  toBalanceMinor: z.number().int().describe("at issue: the part released from the invoice's payments to the customer's credit"),
  refundedMinor: z.number().int().describe('at issue: the part released and refunded'),
  refunds: z.array(z.object({ id: z.string(), number: z.string(), paymentId: z.string(), amountMinor: z.number().int(), status: z.string() })),
  lines: z.array(CreditNoteLineDto),
  allowedActions: z.array(z.string()),
  ownerId: z.string().nullable(),
  teamId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string().nullable(),
  version: z.number().int(),
});
export type CreditNoteDto = z.infer<typeof CreditNoteDto>;
