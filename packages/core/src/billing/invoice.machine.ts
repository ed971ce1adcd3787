import { allowedActions, defineMachine } from '../platform/machine.ts';

export const INVOICE_STATES = ['draft', 'issued', 'partially_paid', 'paid', 'cancelled'] as const;
export type InvoiceState = (typeof INVOICE_STATES)[number];

/**
 * Invoice lifecycle. Only a draft can change or be cancelled; issuing freezes it and gives it its
 * number. `pay_partially`, `pay` and `reopen` are taken by the system when what is paid or credited
 * changes (an allocation, a credit note, a payment reversal), in the same transaction: a reversal can
 * take a paid invoice back to partially paid or issued.
 */
export const invoiceMachine = defineMachine({
  entity: 'invoice',
  initial: 'draft' as InvoiceState,
  states: INVOICE_STATES,
  transitions: {
    issue: { from: ['draft'], to: 'issued' },
    cancel: { from: ['draft'], to: 'cancelled' },
    pay_partially: { from: ['issued', 'paid'], to: 'partially_paid' },
    pay: { from: ['issued', 'partially_paid'], to: 'paid' },
    reopen: { from: ['partially_paid', 'paid'], to: 'issued' },
  },
});
export type InvoiceAction = keyof typeof invoiceMachine.transitions;

export const INVOICE_SYSTEM_ACTIONS: readonly InvoiceAction[] = ['pay_partially', 'pay', 'reopen'];

export function invoiceUserActions(state: InvoiceState): InvoiceAction[] {
  return allowedActions(invoiceMachine, state).filter((a) => !INVOICE_SYSTEM_ACTIONS.includes(a));
}

/** Invoices that are owed: issued and not yet paid in full. */
export const OPEN_INVOICE_STATES: readonly InvoiceState[] = ['issued', 'partially_paid'];

/**
 * The state an issued invoice should be in for what has been paid and credited against it:
 * paid once nothing is outstanding (total − paid − credited ≤ 0; a fully credited invoice too),
 * partially paid while some payment is on it, issued otherwise (a partial credit alone does not
 * make an invoice partially paid; it lowers what is outstanding).
 */
export function paidState(totalMinor: number, paidMinor: number, creditedMinor = 0): InvoiceState {
  if (totalMinor > 0 && paidMinor + creditedMinor >= totalMinor) return 'paid';
  return paidMinor > 0 ? 'partially_paid' : 'issued';
}

/** The action that moves an issued invoice from one settlement state to another. */
export function settleAction(to: InvoiceState): InvoiceAction {
  return to === 'paid' ? 'pay' : to === 'partially_paid' ? 'pay_partially' : 'reopen';
}
