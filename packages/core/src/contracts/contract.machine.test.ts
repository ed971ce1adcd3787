import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import { allowedActions, isFinal, transition } from '../platform/machine.ts';
import { CONTRACT_STATES, contractMachine, type ContractAction, type ContractState } from './contract.machine.ts';

// The expected lifecycle, written out by hand: every legal (state, action) pair and where it leads.
const LEGAL: Record<ContractState, Partial<Record<ContractAction, ContractState>>> = {
  draft: { submit: 'in_review' },
  in_review: { approve: 'approved', return: 'draft' },
  approved: { sign: 'signed' },
  signed: { activate: 'active', terminate: 'terminated' },
  active: { expire: 'expired', terminate: 'terminated' },
  expired: {},
  terminated: {},
};
const ACTIONS = Object.keys(contractMachine.transitions) as ContractAction[];

describe('contract lifecycle', () => {
  it('starts in draft', () => {
    expect(contractMachine.initial).toBe('draft');
  });

  it.each(CONTRACT_STATES)('allows exactly the expected actions from %s', (state) => {
    expect(allowedActions(contractMachine, state).sort()).toEqual(Object.keys(LEGAL[state]).sort());
  });

  for (const state of CONTRACT_STATES)
    for (const action of ACTIONS) {
      const to = LEGAL[state][action];
      it(`${state} --${action}--> ${to ?? '409'}`, () => {
        if (to) expect(transition(contractMachine, state, action)).toBe(to);
        else {
          let err: unknown;
          try {
            transition(contractMachine, state, action);
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(AppError);
          const e = err as AppError;
          expect([e.status, e.code]).toEqual([409, 'invalid_transition']);
          expect(e.extra.allowedActions).toEqual(allowedActions(contractMachine, state));
        }
      });
    }

  it('ends in expired or terminated', () => {
    expect(CONTRACT_STATES.filter((s) => isFinal(contractMachine, s))).toEqual(['expired', 'terminated']);
  });

  it('reaches active only through review, approval and signature', () => {
    let s: ContractState = contractMachine.initial;
    for (const a of ['submit', 'approve', 'sign', 'activate'] as const) s = transition(contractMachine, s, a);
    expect(s).toBe('active');
  });
});
