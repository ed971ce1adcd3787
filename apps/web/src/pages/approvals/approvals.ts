import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Permissions } from '../../api/types.ts';

/** A document waiting at a gate the user may open (GET /approvals). */
export interface InboxItem {
  type: string;
  id: string;
  title: string;
  status: string;
  amountMinor: number | null;
  currency: string | null;
  ownerId: string | null;
  waitingSince: string;
  actions: string[];
}

/** Whether the role may open any gate (approve on some entity): then the inbox is in the menu. */
export function mayApprove(permissions: Permissions | undefined): boolean {
  return Object.values(permissions ?? {}).some((g) => g?.actions.includes('approve'));
}

export const approvalsKey = ['approvals'];

export function useApprovals(enabled = true) {
  return useQuery({
    queryKey: approvalsKey,
    queryFn: ({ signal }) => api.get<{ items: InboxItem[] }>('/approvals', undefined, signal),
    enabled,
    staleTime: 30_000,
    refetchInterval: 120_000,
  });
}

/** What each inbox action needs: a reason in a dialog, and which permission (gates need 'approve'). */
export const INBOX_ACTIONS: Record<string, { reason?: boolean; permission: 'write' | 'approve'; danger?: boolean }> = {
  approve: { permission: 'approve' },
  issue: { permission: 'approve' },
  decline: { permission: 'approve', reason: true, danger: true },
  return: { permission: 'approve', reason: true, danger: true },
  reject: { permission: 'approve', reason: true, danger: true },
  release: { permission: 'approve', reason: true },
  cancel: { permission: 'write', danger: true },
};

/** Orders are cancelled with a reason; a draft invoice is cancelled without one. */
export function needsReason(type: string, action: string): boolean {
  return !!INBOX_ACTIONS[action]?.reason || (type === 'orders' && action === 'cancel');
}
