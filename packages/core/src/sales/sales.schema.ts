import { z } from 'zod';
import { currency, id, isoDate, listQuery, money, reason, text } from '../platform/schema.ts';
import { OPPORTUNITY_STATES } from './sales.machine.ts';

const accountFields = {
  name: text(200).min(1, 'a name is required'),
  industry: text(100).nullable().optional(),
  region: text(100).nullable().optional(),
  taxId: text(50).nullable().optional(),
  address: text(500).nullable().optional(),
  website: text(200).nullable().optional(),
  currency: currency.optional(),
  creditLimitMinor: money.nullable().optional(),
  ownerId: id('usr').nullable().optional(),
  customFields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
};
export const AccountCreate = z.object(accountFields).strict();
export const AccountUpdate = z.object(accountFields).partial().strict();
export const AccountQuery = listQuery
  .extend({ ownerId: z.string().optional(), region: z.string().optional(), industry: z.string().optional() })
  .strict();

const contactFields = {
  accountId: id('acc'),
  name: text(100).min(1, 'a name is required'),
  title: text(100).nullable().optional(),
  email: z.email().max(200).nullable().optional(),
  phone: text(30).nullable().optional(),
  ownerId: id('usr').nullable().optional(),
};
export const ContactCreate = z.object(contactFields).strict();
export const ContactUpdate = z.object(contactFields).omit({ accountId: true }).partial().strict();
export const ContactQuery = listQuery.extend({ accountId: z.string().optional() }).strict();

const oppFields = {
  name: text(200).min(1, 'a name is required'),
  accountId: id('acc'),
  contactId: id('con').nullable().optional(),
  pipelineId: id('pipe').optional(),
  stageId: id('stg').optional(),
  amountMinor: money,
  currency: currency.optional(),
  probability: z.number().int().min(0).max(100).optional(),
  expectedCloseDate: isoDate.nullable().optional(),
  ownerId: id('usr').nullable().optional(),
};
export const OpportunityCreate = z.object(oppFields).strict();
export const OpportunityUpdate = z.object(oppFields).omit({ accountId: true, pipelineId: true }).partial().strict();
export const OpportunityQuery = listQuery
  .extend({
    status: z.enum(OPPORTUNITY_STATES).optional(),
    stageId: z.string().optional(),
    pipelineId: z.string().optional(),
    accountId: z.string().optional(),
    ownerId: z.string().optional(),
    closeFrom: z.string().optional(),
    closeTo: z.string().optional(),
    closedFrom: z.string().optional().describe('closed (won or lost) at or after this instant'),
    closedTo: z.string().optional(),
  })
  .strict();
export const OpportunityLose = z.object({ reason }).strict();

export type AccountCreate = z.infer<typeof AccountCreate>;
export type ContactCreate = z.infer<typeof ContactCreate>;
export type OpportunityCreate = z.infer<typeof OpportunityCreate>;
