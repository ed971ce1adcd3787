import { allowedActions, defineMachine } from '../platform/machine.ts';

export const ORDER_STATES = ['draft', 'on_hold', 'confirmed', 'fulfilled', 'closed', 'cancelled'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

/**
 * Order lifecycle. `fulfil` is taken by the system, never by a person: it happens in the
 * transaction that records the delivery completing the last line. `hold` too: confirming an order
 * whose account is over its credit limit or has invoices more than 30 days overdue puts it on
 * credit hold instead; someone allowed to approve orders releases it (with a reason) or it is cancelled.
 */
export const orderMachine = defineMachine({
  entity: 'order',
  initial: 'draft' as OrderState,
  states: ORDER_STATES,
  transitions: {
    confirm: { from: ['draft'], to: 'confirmed' },
    hold: { from: ['draft'], to: 'on_hold' },
    release: { from: ['on_hold'], to: 'confirmed' },
    cancel: { from: ['draft', 'on_hold', 'confirmed'], to: 'cancelled' },
    fulfil: { from: ['confirmed'], to: 'fulfilled' },
    close: { from: ['fulfilled'], to: 'closed' },
  },
});
export type OrderAction = keyof typeof orderMachine.transitions;

/** Actions only the system takes; they are not offered to users. */
export const ORDER_SYSTEM_ACTIONS: readonly OrderAction[] = ['fulfil', 'hold'];

/** What a user may do next (for the DTO and the UI). */
export function orderUserActions(state: OrderState): OrderAction[] {
  return allowedActions(orderMachine, state).filter((a) => !ORDER_SYSTEM_ACTIONS.includes(a));
}
