import { allowedActions, defineMachine } from '../platform/machine.ts';

export const INVOICE_REQUEST_STATES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;
export type InvoiceRequestState = (typeof INVOICE_REQUEST_STATES)[number];

/**
 * Invoice request (开票申请): sales asks, finance decides. `approve` creates and issues the invoice in
 * the same transaction and links it; `reject` needs a reason; the requester may `withdraw` while it is
 * pending. Every decision is final: a rejected request is corrected by a new request.
 */
export const invoiceRequestMachine = defineMachine({
  entity: 'invoice_request',
  initial: 'pending' as InvoiceRequestState,
  states: INVOICE_REQUEST_STATES,
  transitions: {
    approve: { from: ['pending'], to: 'approved' },
    reject: { from: ['pending'], to: 'rejected' },
    withdraw: { from: ['pending'], to: 'withdrawn' },
  },
});
export type InvoiceRequestAction = keyof typeof invoiceRequestMachine.transitions;
export const INVOICE_REQUEST_APPROVAL_ACTIONS: readonly InvoiceRequestAction[] = ['approve', 'reject'];

export function invoiceRequestActions(state: InvoiceRequestState): InvoiceRequestAction[] {
  return allowedActions(invoiceRequestMachine, state);
}
