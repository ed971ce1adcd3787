import { allowedActions, defineMachine } from '../platform/machine.ts';

export const INVOICE_STATES = ['draft', 'issued', 'partially_paid', 'paid', 'cancelled'] as const;
export type InvoiceState = (typeof INVOICE_STATES)[number];

/**
 * Invoice lifecycle. Only a draft can change or be cancelled; issuing freezes it and gives it its
 * number. `pay_partially` and `pay` are taken by the payments use case when allocations change
 * what is paid, in the same transaction as the allocation.
 */
export const invoiceMachine = defineMachine({
  entity: 'invoice',
  initial: 'draft' as InvoiceState,
  states: INVOICE_STATES,
  transitions: {
    issue: { from: ['draft'], to: 'issued' },
    cancel: { from: ['draft'], to: 'cancelled' },
    pay_partially: { from: ['issued'], to: 'partially_paid' },
    pay: { from: ['issued', 'partially_paid'], to: 'paid' },
  },
});
export type InvoiceAction = keyof typeof invoiceMachine.transitions;

export const INVOICE_SYSTEM_ACTIONS: readonly InvoiceAction[] = ['pay_partially', 'pay'];

export function invoiceUserActions(state: InvoiceState): InvoiceAction[] {
  return allowedActions(invoiceMachine, state).filter((a) => !INVOICE_SYSTEM_ACTIONS.includes(a));
}

/** Invoices that are owed: issued and not yet paid in full. */
export const OPEN_INVOICE_STATES: readonly InvoiceState[] = ['issued', 'partially_paid'];

/** The state an issued invoice should be in for what has been paid against it. */
export function paidState(totalMinor: number, paidMinor: number): InvoiceState {
  if (paidMinor >= totalMinor && totalMinor > 0) return 'paid';
  return paidMinor > 0 ? 'partially_paid' : 'issued';
}
