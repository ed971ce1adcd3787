import { z } from 'zod';
import { currency, id, isoDate, listQuery, money, reason, text } from '../platform/schema.ts';
import { LEAD_STATES } from './lead.machine.ts';

const fields = {
  name: text(100).min(1, 'a name is required'),
  company: text(200).nullable().optional(),
  title: text(100).nullable().optional(),
  email: z.email().max(200).nullable().optional(),
  phone: z
    .string()
    .trim()
    .regex(/^[+0-9 ()-]{5,30}$/, 'a phone number of digits, spaces, +, - or ()')
    .nullable()
    .optional(),
  region: text(100).nullable().optional(),
  industry: text(100).nullable().optional(),
  source: text(100).nullable().optional(),
  campaign: text(100).nullable().optional(),
  notes: text(5000).nullable().optional(),
  score: z.number().int().min(0).max(100).optional().describe('Only while no scoring rule is active; otherwise the rules compute it'),
  ownerId: id('usr').nullable().optional(),
  customFields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
};

export const LeadCreate = z.object(fields).strict();
export const LeadUpdate = z.object(fields).partial().strict();
export const LeadQuery = listQuery
  .extend({
    status: z.enum(LEAD_STATES).optional(),
    ownerId: z.string().optional(),
    source: z.string().optional(),
    region: z.string().optional(),
    createdFrom: z.string().optional(),
    createdTo: z.string().optional(),
  })
  .strict();
export const LeadDisqualify = z.object({ reason }).strict();
export const LeadConvert = z
  .object({
    accountId: id('acc').optional().describe('Attach to an existing account instead of creating one'),
    accountName: text(200).min(1).optional(),
    createOpportunity: z.boolean().default(true),
    opportunityName: text(200).min(1).optional(),
    amountMinor: money.optional(),
    currency: currency.optional(),
    expectedCloseDate: isoDate.optional(),
    pipelineId: id('pipe').optional(),
  })
  .strict();

export type LeadCreate = z.infer<typeof LeadCreate>;
export type LeadUpdate = z.infer<typeof LeadUpdate>;
export type LeadConvert = z.infer<typeof LeadConvert>;

export const LeadDto = z.object({
  id: z.string(),
  name: z.string(),
  company: z.string().nullable(),
  title: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  region: z.string().nullable(),
  industry: z.string().nullable(),
  source: z.string().nullable(),
  campaign: z.string().nullable(),
  status: z.enum(LEAD_STATES),
  disqualifyReason: z.string().nullable(),
  score: z.number().int(),
  /** The scoring rules the lead matched when it was last written (empty when scored by hand). */
  scoreReasons: z.array(z.object({ ruleId: z.string(), name: z.string(), points: z.number().int() })),
  /** The import batch and file row that created the lead, if it was imported. */
  importBatchId: z.string().nullable(),
  importRowNo: z.number().int().nullable(),
  notes: z.string().nullable(),
  customFields: z.record(z.string(), z.unknown()),
  ownerId: z.string().nullable(),
  teamId: z.string().nullable(),
  convertedAccountId: z.string().nullable(),
  convertedContactId: z.string().nullable(),
  convertedOpportunityId: z.string().nullable(),
  convertedAt: z.string().nullable(),
  lastActivityAt: z.string().nullable().optional().describe('Last touched: the latest call, meeting, email, note or completed task logged on the lead'),
  allowedActions: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type LeadDto = z.infer<typeof LeadDto>;
