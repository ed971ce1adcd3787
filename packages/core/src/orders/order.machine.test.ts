import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import { allowedActions, isFinal, transition } from '../platform/machine.ts';
import { ORDER_STATES, orderMachine, orderUserActions, type OrderAction, type OrderState } from './order.machine.ts';

// The expected lifecycle, written out by hand: every legal (state, action) pair and where it leads.
const LEGAL: Record<OrderState, Partial<Record<OrderAction, OrderState>>> = {
  draft: { confirm: 'confirmed', hold: 'on_hold', cancel: 'cancelled' },
  on_hold: { release: 'confirmed', cancel: 'cancelled' },
  confirmed: { cancel: 'cancelled', fulfil: 'fulfilled' },
  fulfilled: { close: 'closed' },
  closed: {},
  cancelled: {},
};
const ACTIONS = Object.keys(orderMachine.transitions) as OrderAction[];

describe('order lifecycle', () => {
  it('starts in draft', () => {
    expect(orderMachine.initial).toBe('draft');
  });

  it.each(ORDER_STATES)('allows exactly the expected actions from %s', (state) => {
    expect(allowedActions(orderMachine, state).sort()).toEqual(Object.keys(LEGAL[state]).sort());
  });

  for (const state of ORDER_STATES)
    for (const action of ACTIONS) {
      const to = LEGAL[state][action];
      it(`${state} --${action}--> ${to ?? '409'}`, () => {
        if (to) expect(transition(orderMachine, state, action)).toBe(to);
        else {
          let err: unknown;
          try {
            transition(orderMachine, state, action);
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(AppError);
          expect([(err as AppError).status, (err as AppError).code]).toEqual([409, 'invalid_transition']);
        }
      });
    }

  it('never offers the system step fulfil to users', () => {
    expect(orderUserActions('confirmed')).toEqual(['cancel']);
    for (const s of ORDER_STATES) expect(orderUserActions(s)).not.toContain('fulfil');
  });

  it('treats closed and cancelled as final', () => {
    expect(ORDER_STATES.filter((s) => isFinal(orderMachine, s))).toEqual(['closed', 'cancelled']);
  });
});
