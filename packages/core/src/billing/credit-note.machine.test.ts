import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import { isFinal, transition } from '../platform/machine.ts';
import { CREDIT_NOTE_STATES, creditNoteActions, creditNoteMachine, type CreditNoteAction, type CreditNoteState } from './credit-note.machine.ts';

const LEGAL: Record<CreditNoteState, Partial<Record<CreditNoteAction, CreditNoteState>>> = {
  draft: { issue: 'issued', cancel: 'cancelled' },
  issued: {},
  cancelled: {},
};

describe('credit note lifecycle', () => {
  it('starts as a draft and ends issued or cancelled', () => {
    expect(creditNoteMachine.initial).toBe('draft');
    expect(CREDIT_NOTE_STATES.filter((s) => isFinal(creditNoteMachine, s))).toEqual(['issued', 'cancelled']);
  });
  for (const state of CREDIT_NOTE_STATES)
    for (const action of ['issue', 'cancel'] as const) {
      const to = LEGAL[state][action];
      it(`${state} --${action}--> ${to ?? '409'}`, () => {
        if (to) expect(transition(creditNoteMachine, state, action)).toBe(to);
        else {
          let err: unknown;
          try {
            transition(creditNoteMachine, state, action);
          } catch (e) {
            err = e;
          }
          expect((err as AppError).code).toBe('invalid_transition');
          expect((err as AppError).extra.allowedActions).toEqual([]);
        }
      });
    }
  it('offers nothing once issued: an issued credit note never changes', () => {
    expect(creditNoteActions('issued')).toEqual([]);
    expect(creditNoteActions('draft')).toEqual(['issue', 'cancel']);
  });
});
