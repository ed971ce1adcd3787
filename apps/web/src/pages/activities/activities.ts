import { useMutation, useQuery } from '@tanstack/react-query';
import { api, request } from '../../api/client.ts';
import { useInvalidate } from '../../api/hooks.ts';
import type { Page, Versioned } from '../../api/types.ts';

/** Activities and tasks as the API returns them (`/api/v1/activities`). */
export type ActivityType = 'call' | 'meeting' | 'email' | 'note' | 'task';
export type ParentType = 'lead' | 'opportunity' | 'account' | 'contact';
export const CALL_OUTCOMES = ['connected', 'no_answer', 'left_message', 'busy', 'wrong_number'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export interface Activity extends Versioned {
  type: ActivityType;
  parentType: ParentType;
  parentId: string;
  parentName: string | null;
  subject: string;
  notes: string | null;
  outcome: CallOutcome | null;
  direction: 'inbound' | 'outbound' | null;
  durationMinutes: number | null;
  occurredAt: string | null;
  dueAt: string | null;
  status: 'open' | 'done';
  overdue: boolean;
  completedAt: string | null;
  ownerId: string | null;
  ownerName: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  createdAt: string;
  deletable: boolean;
}

/** The URL segment of each parent type (for links and for refreshing the parent's caches). */
export const PARENT_SEGMENT: Record<ParentType, string> = {
  lead: 'leads',
  opportunity: 'opportunities',
  account: 'accounts',
  contact: 'contacts',
};

export function useActivities(params: Record<string, string | number | undefined>, enabled = true) {
  return useQuery({
    queryKey: ['activities', 'list', params],
    queryFn: ({ signal }) => api.get<Page<Activity>>('/activities', params, signal),
    enabled,
  });
}

/** Open tasks assigned to the caller, soonest due first. */
export function useMyTasks(enabled = true) {
  return useActivities(
    { type: 'task', status: 'open', assigneeId: 'me', sort: 'dueAt', limit: 100 },
    enabled,
  );
}

/** Log an activity or add a task; refreshes activity lists and the parent (timeline, last touched). */
export function useLogActivity(parentType: ParentType) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<Activity>('/activities', body),
    onSuccess: () => invalidate('activities', PARENT_SEGMENT[parentType]),
  });
}

/** Complete a task (If-Match on the version shown). */
export function useCompleteTask() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (a: Activity) =>
      api.post<Activity>(`/activities/${a.id}/complete`, {}, { version: a.version }),
    onSuccess: (a) => invalidate('activities', PARENT_SEGMENT[a.parentType]),
  });
}

/** A new due time for an open task (If-Match on the version shown). */
export function useRescheduleTask() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ a, dueAt }: { a: Activity; dueAt: string }) =>
      api.patch<Activity>(`/activities/${a.id}`, { dueAt }, a.version),
    onSuccess: (a) => invalidate('activities', PARENT_SEGMENT[a.parentType]),
  });
}

export function useDeleteActivity() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (a: Activity) => request('DELETE', `/activities/${a.id}`).then(() => a),
    onSuccess: (a) => invalidate('activities', PARENT_SEGMENT[a.parentType]),
  });
}

export type DueGroup = 'overdue' | 'today' | 'upcoming';

/** Which group a task falls in, by the viewer's local calendar day. */
export function dueGroup(dueAt: string | null, now: Date): DueGroup {
  if (!dueAt) return 'upcoming';
  const due = new Date(dueAt);
  if (due.getTime() < now.getTime()) return 'overdue';
  const endOfToday = new Date(now);
  endOfToday.setHours(23, 59, 59, 999);
  return due.getTime() <= endOfToday.getTime() ? 'today' : 'upcoming';
}

/** Tomorrow at 10:00 local time: the default due time of a new task. */
export function defaultDue(now = new Date()): Date {
  const d = new Date(now);
  d.setDate(d.getDate() + 1);
  d.setHours(10, 0, 0, 0);
  return d;
}
