import { allowedActions, defineMachine } from '../platform/machine.ts';

export const PAYMENT_STATES = ['received', 'reversed'] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

/**
 * Payment lifecycle: money received; reversed when the bank returns it. A reversal takes the
 * payment's allocations off its invoices with counter-rows (never by deleting them) and is final.
 */
export const paymentMachine = defineMachine({
  entity: 'payment',
  initial: 'received' as PaymentState,
  states: PAYMENT_STATES,
  transitions: {
    reverse: { from: ['received'], to: 'reversed' },
  },
});
export type PaymentAction = keyof typeof paymentMachine.transitions;

export function paymentActions(state: PaymentState): PaymentAction[] {
  return allowedActions(paymentMachine, state);
}
