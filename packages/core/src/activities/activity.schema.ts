import { z } from 'zod';
import { id, listQuery, text } from '../platform/schema.ts';

/** What can be logged, and on what. */
export const ACTIVITY_TYPES = ['call', 'meeting', 'email', 'note', 'task'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];
export const PARENT_TYPES = ['lead', 'opportunity', 'account', 'contact'] as const;
export type ParentType = (typeof PARENT_TYPES)[number];
/** How a call went. */
export const CALL_OUTCOMES = ['connected', 'no_answer', 'left_message', 'busy', 'wrong_number'] as const;
export const DIRECTIONS = ['inbound', 'outbound'] as const;
export const ACTIVITY_STATUSES = ['open', 'done'] as const;

/** An instant with its offset (`2026-11-23T09:30:00Z`, `2026-11-23T17:30:00+08:00`), stored as UTC ISO. */
const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString());

const common = {
  subject: text(200).min(1, 'a subject is required'),
  notes: text(5000).nullable().optional(),
  outcome: z.enum(CALL_OUTCOMES).nullable().optional().describe('Calls only'),
  direction: z.enum(DIRECTIONS).nullable().optional().describe('Calls and emails only'),
  durationMinutes: z.number().int().min(0).max(24 * 60).nullable().optional().describe('Calls and meetings'),
  occurredAt: instant.optional().describe('When it happened (not tasks); default now'),
  dueAt: instant.optional().describe('Tasks only: when it is due (required for a task)'),
  assigneeId: id('usr').nullable().optional().describe('Tasks: who must do it; default the owner'),
};

export const ActivityCreate = z
  .object({
    type: z.enum(ACTIVITY_TYPES),
    parentType: z.enum(PARENT_TYPES),
    parentId: z.string().min(1).max(40),
    ...common,
    ownerId: id('usr').nullable().optional().describe('Who did it; default the caller'),
  })
  .strict();

export const ActivityUpdate = z
  .object({
    subject: common.subject.optional(),
    notes: common.notes,
    outcome: common.outcome,
    direction: common.direction,
    durationMinutes: common.durationMinutes,
    occurredAt: common.occurredAt,
    dueAt: common.dueAt,
    assigneeId: common.assigneeId,
  })
  .strict();

export const ActivityComplete = z
  .object({
    notes: text(5000).nullable().optional().describe('Replaces the notes, e.g. with what was done'),
    outcome: common.outcome,
  })
  .strict();

const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

export const ActivityQuery = listQuery
  .extend({
    parentType: z.enum(PARENT_TYPES).optional(),
    parentId: z.string().max(40).optional(),
    accountId: z.string().max(40).optional().describe('Everything on an account: the account itself, its contacts and its opportunities'),
    type: z.enum(ACTIVITY_TYPES).optional(),
    status: z.enum(ACTIVITY_STATUSES).optional(),
    ownerId: z.string().max(40).optional().describe('A user id, or `me`'),
    assigneeId: z.string().max(40).optional().describe('A user id, or `me`'),
    overdue: bool.optional().describe('true: open tasks past their due time'),
    dueFrom: instant.optional(),
    dueTo: instant.optional(),
    since: instant
      .optional()
      .describe(
        'With `q` and no parentId/accountId: how far back the text search reaches. A text of 3 characters or more is found by the text index over all of history unless `since` is given; a shorter one (or a database without the index) is matched by LIKE from 365 days ago by default. A search within one record (parentId or accountId) reaches all of its history',
      ),
  })
  .strict();

export const ActivityDto = z.object({
  id: z.string(),
  type: z.enum(ACTIVITY_TYPES),
  parentType: z.enum(PARENT_TYPES),
  parentId: z.string(),
  parentName: z.string().nullable().describe('The parent record’s name, for lists across records'),
  subject: z.string(),
  notes: z.string().nullable(),
  outcome: z.enum(CALL_OUTCOMES).nullable(),
  direction: z.enum(DIRECTIONS).nullable(),
  durationMinutes: z.number().int().nullable(),
  occurredAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  status: z.enum(ACTIVITY_STATUSES),
  overdue: z.boolean(),
  completedAt: z.string().nullable(),
  completedBy: z.string().nullable(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string().nullable(),
  version: z.number().int(),
  /** Whether the caller may still delete it (its author, inside the deletion window). */
  deletable: z.boolean(),
});
export type ActivityDto = z.infer<typeof ActivityDto>;
export type ActivityCreate = z.input<typeof ActivityCreate>;
