import { allowedActions, defineMachine } from '../platform/machine.ts';

export const CREDIT_NOTE_STATES = ['draft', 'issued', 'cancelled'] as const;
export type CreditNoteState = (typeof CREDIT_NOTE_STATES)[number];

/**
 * Credit note lifecycle: a draft reserves what it credits (so two drafts cannot credit the same
 * line twice) and can be cancelled; issuing gives it its number and makes it final and immutable.
 */
export const creditNoteMachine = defineMachine({
  entity: 'credit_note',
  initial: 'draft' as CreditNoteState,
  states: CREDIT_NOTE_STATES,
  transitions: {
    issue: { from: ['draft'], to: 'issued' },
    cancel: { from: ['draft'], to: 'cancelled' },
  },
});
export type CreditNoteAction = keyof typeof creditNoteMachine.transitions;

export function creditNoteActions(state: CreditNoteState): CreditNoteAction[] {
  return allowedActions(creditNoteMachine, state);
}
