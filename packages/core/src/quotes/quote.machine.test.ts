import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import { allowedActions, isFinal, transition } from '../platform/machine.ts';
import { QUOTE_STATES, quoteMachine, type QuoteAction, type QuoteState } from './quote.machine.ts';

// The expected lifecycle, written out by hand: every legal (state, action) pair and where it leads.
const LEGAL: Record<QuoteState, Partial<Record<QuoteAction, QuoteState>>> = {
  draft: { submit: 'submitted', revise: 'superseded' },
  submitted: { approve: 'approved', decline: 'draft', revise: 'superseded' },
  approved: { send: 'sent', expire: 'expired', revise: 'superseded' },
  sent: { accept: 'accepted', reject: 'rejected', expire: 'expired', revise: 'superseded' },
  accepted: {},
  rejected: { revise: 'superseded' },
  expired: { revise: 'superseded' },
  superseded: {},
};
const ACTIONS = Object.keys(quoteMachine.transitions) as QuoteAction[];

describe('quote lifecycle', () => {
  it('starts in draft', () => {
    expect(quoteMachine.initial).toBe('draft');
  });

  it.each(QUOTE_STATES)('allows exactly the expected actions from %s', (state) => {
    expect(allowedActions(quoteMachine, state).sort()).toEqual(Object.keys(LEGAL[state]).sort());
  });

  for (const state of QUOTE_STATES)
    for (const action of ACTIONS) {
      const to = LEGAL[state][action];
      it(`${state} --${action}--> ${to ?? '409'}`, () => {
        if (to) expect(transition(quoteMachine, state, action)).toBe(to);
        else {
          let err: unknown;
          try {
            transition(quoteMachine, state, action);
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(AppError);
          const e = err as AppError;
          expect([e.status, e.code]).toEqual([409, 'invalid_transition']);
          expect(e.extra.allowedActions).toEqual(allowedActions(quoteMachine, state));
        }
      });
    }

  it('treats only accepted and superseded as final', () => {
    expect(QUOTE_STATES.filter((s) => isFinal(quoteMachine, s))).toEqual(['accepted', 'superseded']);
  });
});
