import { defineMachine } from '../platform/machine.ts';

export const QUOTE_STATES = ['draft', 'submitted', 'approved', 'sent', 'accepted', 'rejected', 'expired', 'superseded'] as const;
export type QuoteState = (typeof QUOTE_STATES)[number];

/**
 * Quote lifecycle. Edits happen only in draft; an approver approves or declines (back to draft);
 * the approved quote is sent and the customer accepts or rejects it. `revise` is the one way to
 * change a quote after draft: it supersedes this version and opens the next one under the same
 * number (never cancel-and-amend), so only `accepted` and `superseded` are truly final.
 */
export const quoteMachine = defineMachine({
  entity: 'quote',
  initial: 'draft' as QuoteState,
  states: QUOTE_STATES,
  transitions: {
    submit: { from: ['draft'], to: 'submitted' },
    approve: { from: ['submitted'], to: 'approved' },
    decline: { from: ['submitted'], to: 'draft' },
    send: { from: ['approved'], to: 'sent' },
    accept: { from: ['sent'], to: 'accepted' },
    reject: { from: ['sent'], to: 'rejected' },
    expire: { from: ['approved', 'sent'], to: 'expired' },
    revise: { from: ['draft', 'submitted', 'approved', 'sent', 'rejected', 'expired'], to: 'superseded' },
  },
});
export type QuoteAction = keyof typeof quoteMachine.transitions;

/** The actions that need the `approve` permission on quotes (sales managers, admins). */
export const QUOTE_APPROVAL_ACTIONS: readonly QuoteAction[] = ['approve', 'decline'];
