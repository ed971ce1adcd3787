import { z } from 'zod';
import { id, isoDate, listQuery, money, reason, text } from '../platform/schema.ts';
import { fraction } from '../catalog/product.schema.ts';
import { QUOTE_STATES } from './quote.machine.ts';

export const QuoteLineInput = z
  .object({
    productId: id('prod').optional(),
    description: text(500).min(1).optional().describe('Defaults to the product name'),
    quantity: z
      .string()
      .regex(/^\d{1,9}(\.\d{1,3})?$/, 'a decimal quantity with at most 3 decimals, like "1.5"')
      .describe('Decimal string, up to 3 decimals'),
    unitPriceMinor: money.optional().describe("Defaults to the product's price in the quote's price book, else its list price"),
    discountRate: fraction.optional().describe('"0.1" = 10 % off'),
    discountAmountMinor: money.optional().describe('A line discount as an amount (instead of discountRate)'),
    taxCodeId: id('taxc').optional().describe("Defaults to the product's default tax code"),
    taxCode: z.string().max(32).optional().describe('A tax code by its code, e.g. VAT13 (instead of taxCodeId)'),
    taxRate: fraction
      .optional()
      .describe("Compatibility: the legal entity's active tax code with this rate (single-component first, then standard, reduced, zero-rated, small-scale, exempt); 422 unknown_tax_rate when none"),
  })
  .strict();

/** A document discount: a rate of the document total or an amount, spread over the lines by largest remainder. */
export const DocumentDiscount = z.union([z.object({ rate: fraction }).strict(), z.object({ amountMinor: money }).strict()]);
export type DocumentDiscount = z.infer<typeof DocumentDiscount>;
export type QuoteLineInput = z.infer<typeof QuoteLineInput>;

const lines = z.array(QuoteLineInput).max(500);
const docFields = {
  validUntil: isoDate.nullable().optional().describe('Last day the offer holds (business date); defaults to 30 days ahead'),
  notes: text(5000).nullable().optional(),
  priceBookId: id('pb').nullable().optional().describe("The price book; default: the default book of the quote's currency, else list prices"),
  documentDiscount: DocumentDiscount.nullable().optional().describe('{"rate":"0.05"} or {"amountMinor":10000}; with tax when the book prices include tax'),
};

const legalEntityId = id('le')
  .optional()
  .describe('The legal entity that quotes (the seller): its tax codes price the lines, and the order takes it; default: the first legal entity');
/** The conversion endpoint's body: the opportunity comes from the URL. */
export const QuoteFromOpportunity = z.object({ legalEntityId, ...docFields, lines: lines.default([]) }).strict();
export const QuoteCreate = z.object({ opportunityId: id('opp'), legalEntityId, ...docFields, lines: lines.default([]) }).strict();
export const QuoteUpdate = z.object({ ...docFields, lines: lines.optional().describe('Replaces all lines') }).strict();
export const QuoteQuery = listQuery
  .extend({
    status: z.enum(QUOTE_STATES).optional(),
    opportunityId: z.string().optional(),
    accountId: z.string().optional(),
    ownerId: z.string().optional(),
    number: z.string().optional(),
  })
  .strict();
export const QuoteReason = z.object({ reason }).strict();
export type QuoteCreate = z.infer<typeof QuoteCreate>;

export const QuoteLineDto = z.object({
  id: z.string(),
  quoteId: z.string(),
  lineNo: z.number().int(),
  productId: z.string().nullable(),
  description: z.string(),
  quantity: z.string(),
  qtyMilli: z.number().int(),
  unitPriceMinor: z.number().int(),
  discountRate: z.string(),
  taxRate: z.string(),
  taxCodeId: z.string().nullable(),
  taxCode: z.string().nullable(),
  listAmountMinor: z.number().int().nullable().describe('Before discounts (qty × unit price, or the tiered amount)'),
  discountMinor: z.number().int().describe('The line discount as an amount'),
  docDiscountMinor: z.number().int().describe("The line's share of the document discount"),
  netMinor: z.number().int(),
  taxMinor: z.number().int(),
  totalMinor: z.number().int(),
});

const quoteFields = {
  id: z.string(),
  number: z.string(),
  versionNo: z.number().int(),
  opportunityId: z.string(),
  accountId: z.string(),
  status: z.enum(QUOTE_STATES),
  legalEntityId: z.string().nullable().describe('the seller, whose tax codes the lines use'),
  currency: z.string(),
  netMinor: z.number().int(),
  taxMinor: z.number().int(),
  totalMinor: z.number().int(),
  priceBookId: z.string().nullable(),
  pricesIncludeTax: z.boolean(),
  documentDiscount: DocumentDiscount.nullable(),
  documentDiscountMinor: z.number().int(),
  validUntil: z.string().nullable(),
  notes: z.string().nullable(),
  supersededById: z.string().nullable(),
  rejectReason: z.string().nullable(),
  declineReason: z.string().nullable(),
  ownerId: z.string().nullable(),
  teamId: z.string().nullable(),
  allowedActions: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string().nullable(),
  version: z.number().int(),
};
export const QuoteSummaryDto = z.object(quoteFields);
export const QuoteDto = z.object({ ...quoteFields, lines: z.array(QuoteLineDto) });
export type QuoteSummaryDto = z.infer<typeof QuoteSummaryDto>;
export type QuoteDto = z.infer<typeof QuoteDto>;
