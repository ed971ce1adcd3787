import { allowedActions, defineMachine } from '../platform/machine.ts';

export const SCHEDULE_ITEM_STATES = ['planned', 'due', 'invoiced', 'cancelled'] as const;
export type ScheduleItemState = (typeof SCHEDULE_ITEM_STATES)[number];
export const SCHEDULE_ITEM_KINDS = ['payment_plan', 'milestone', 'recurring'] as const;
export type ScheduleItemKind = (typeof SCHEDULE_ITEM_KINDS)[number];
/** What makes an item billable: its bill date, a delivery's acceptance, the whole order's acceptance, or a person. */
export const SCHEDULE_TRIGGERS = ['date', 'delivery_accepted', 'order_accepted', 'manual'] as const;
export type ScheduleTrigger = (typeof SCHEDULE_TRIGGERS)[number];

/**
 * Billing schedule item lifecycle.
 * - `reach`: a milestone is reached (its delivery was accepted, the whole order was, or operations
 *   marked it) → due; its bill date becomes the day reached plus its offset in days.
 * - `invoice`: the billing run or an approved invoice request bills the item once it is billable
 *   (see isBillable): a dated item from its bill date straight from planned, a milestone only once due.
 * - `cancel`: the item will not be billed (the rest of the order may then be billed by hand).
 * Invoiced and cancelled are final.
 */
export const scheduleItemMachine = defineMachine({
  entity: 'billing_schedule_item',
  initial: 'planned' as ScheduleItemState,
  states: SCHEDULE_ITEM_STATES,
  transitions: {
    reach: { from: ['planned'], to: 'due' },
    invoice: { from: ['planned', 'due'], to: 'invoiced' },
    cancel: { from: ['planned', 'due'], to: 'cancelled' },
  },
});
export type ScheduleItemAction = keyof typeof scheduleItemMachine.transitions;

export interface BillableFacts {
  status: string;
  trigger: string;
  billDate: string | null;
  requestId?: string | null;
}

/**
 * Whether the billing run bills an item as of a business date: open (planned or due), not held by an
 * invoice request, and either dated with its bill date come, or a reached milestone whose bill date
 * (reached + offset) has come. A milestone that is still planned waits, whatever its date.
 */
export function isBillable(item: BillableFacts, asOf: string): boolean {
  if (item.status !== 'planned' && item.status !== 'due') return false;
  if (item.requestId) return false;
  if (!item.billDate || item.billDate > asOf) return false;
  return item.trigger === 'date' || item.status === 'due';
}

/** The actions a user may take on an item (invoice is the run's or an approved request's). */
export function scheduleItemUserActions(item: { status: string; trigger: string; requestId: string | null }): ScheduleItemAction[] {
  if (item.requestId) return [];
  return allowedActions(scheduleItemMachine, item.status as ScheduleItemState).filter(
    (a) => a !== 'invoice' && (a !== 'reach' || item.trigger !== 'date'),
  );
}
