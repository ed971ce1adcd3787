import { type FieldError, validationError } from '../platform/errors.ts';
import type { ActivityType } from './activity.schema.ts';

/**
 * The pure rules of activities: which fields each type takes, when a task is overdue, and how long
 * its author may still delete an activity. No I/O, so they are tested exhaustively beside this file.
 */

/** The author may delete an activity this long after logging it (a slip of the finger); after that it is history. */
export const DELETE_WINDOW_MINUTES = 15;
/** A call, email or note cannot be logged further in the future than this (clock skew); meetings may be planned ahead. */
export const FUTURE_SLACK_MINUTES = 5;

export interface ActivityFields {
  outcome?: string | null | undefined;
  direction?: string | null | undefined;
  durationMinutes?: number | null | undefined;
  occurredAt?: string | undefined;
  dueAt?: string | undefined;
  assigneeId?: string | null | undefined;
}

/**
 * Checks the fields against the activity's type, reporting every misplaced field at once.
 * `creating`: a task then needs `dueAt`, and the other types get `occurredAt` = now when it is absent.
 */
export function checkFields(type: ActivityType, f: ActivityFields, now: Date, creating: boolean): void {
  const errors: FieldError[] = [];
  const refuse = (path: string, message: string) => errors.push({ path, message, code: 'not_for_type' });
  if (f.outcome != null && type !== 'call') refuse('outcome', 'only a call has an outcome');
  if (f.direction != null && type !== 'call' && type !== 'email') refuse('direction', 'only a call or an email has a direction');
  if (f.durationMinutes != null && type !== 'call' && type !== 'meeting') refuse('durationMinutes', 'only a call or a meeting has a duration');
  if (type === 'task') {
    if (f.occurredAt !== undefined) refuse('occurredAt', 'a task is done when it is completed; give dueAt instead');
    if (creating && f.dueAt === undefined) errors.push({ path: 'dueAt', message: 'a task needs a due time', code: 'required' });
  } else {
    if (f.dueAt !== undefined) refuse('dueAt', 'only a task has a due time');
    if (f.assigneeId != null) refuse('assigneeId', 'only a task is assigned');
    if (f.occurredAt !== undefined && type !== 'meeting' && Date.parse(f.occurredAt) > now.getTime() + FUTURE_SLACK_MINUTES * 60_000)
      errors.push({ path: 'occurredAt', message: `a ${type} cannot be logged in the future`, code: 'in_future' });
  }
  if (errors.length) throw validationError(errors);
}

/** An open task whose due time has passed. */
export function isOverdue(a: { type: string; status: string; dueAt: string | null }, now: Date): boolean {
  return a.type === 'task' && a.status === 'open' && a.dueAt !== null && Date.parse(a.dueAt) < now.getTime();
}

/** Only the person who logged it, and only inside the window. */
export function canDelete(a: { createdBy: string | null; createdAt: string }, userId: string, now: Date): boolean {
  return a.createdBy === userId && now.getTime() - Date.parse(a.createdAt) < DELETE_WINDOW_MINUTES * 60_000;
}

/**
 * What an activity does to its parent's "last touched": the instant it happened, if it has happened.
 * An open task or a meeting planned ahead touches nothing yet.
 */
export function touchInstant(a: { type: string; status: string; occurredAt: string | null }, now: Date): string | null {
  if (a.status !== 'done' || !a.occurredAt) return null;
  return Date.parse(a.occurredAt) <= now.getTime() ? a.occurredAt : null;
}

/** The later of two ISO instants (null counts as never). */
export function later(a: string | null | undefined, b: string | null | undefined): string | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

