import { z } from 'zod';
import { currency, id, isoDate, listQuery, money, reason, text } from '../platform/schema.ts';
import { CONTRACT_STATES } from './contract.machine.ts';

const dates = {
  startDate: isoDate.nullable().optional(),
  endDate: isoDate.nullable().optional(),
};

export const ContractCreate = z
  .object({
    accountId: id('acc'),
    title: text(300).min(1, 'a title is required'),
    totalMinor: money,
    currency: currency.optional().describe("Defaults to the account's currency"),
    ...dates,
    ownerId: id('usr').nullable().optional(),
  })
  .strict();
export const ContractFromQuote = z
  .object({ title: text(300).min(1).optional().describe('Defaults to the account name and the quote number'), ...dates })
  .strict();
export const ContractUpdate = z
  .object({
    title: text(300).min(1, 'a title is required'),
    totalMinor: money,
    currency,
    ...dates,
  })
  .partial()
  .strict();
export const ContractQuery = listQuery
  .extend({
    status: z.enum(CONTRACT_STATES).optional(),
    accountId: z.string().optional(),
    quoteId: z.string().optional(),
    opportunityId: z.string().optional(),
    ownerId: z.string().optional(),
    endFrom: z.string().optional(),
    endTo: z.string().optional(),
  })
  .strict();
export const ContractReason = z.object({ reason }).strict();
export const ContractSign = z
  .object({ signedBy: text(200).min(1, "the customer signatory's name is required").describe("The customer's signatory") })
  .strict();
export type ContractCreate = z.infer<typeof ContractCreate>;

export const ContractDto = z.object({
  id: z.string(),
  number: z.string(),
  title: z.string(),
  quoteId: z.string().nullable(),
  opportunityId: z.string().nullable(),
  accountId: z.string(),
  status: z.enum(CONTRACT_STATES),
  currency: z.string(),
  totalMinor: z.number().int(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  signedAt: z.string().nullable(),
  signedBy: z.string().nullable(),
  returnReason: z.string().nullable(),
  terminationReason: z.string().nullable(),
  ownerId: z.string().nullable(),
  teamId: z.string().nullable(),
  allowedActions: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string().nullable(),
  version: z.number().int(),
});
export type ContractDto = z.infer<typeof ContractDto>;
