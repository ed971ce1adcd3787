import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import { allowedActions, isFinal, transition } from '../platform/machine.ts';
import { DELIVERY_STATES, deliveryMachine, type DeliveryAction, type DeliveryState } from './delivery.machine.ts';

const LEGAL: Record<DeliveryState, Partial<Record<DeliveryAction, DeliveryState>>> = {
  shipped: { deliver: 'delivered' },
  delivered: { accept: 'accepted' },
  accepted: {},
};
const ACTIONS = Object.keys(deliveryMachine.transitions) as DeliveryAction[];

describe('delivery lifecycle', () => {
  it('starts shipped', () => {
    expect(deliveryMachine.initial).toBe('shipped');
  });

  it.each(DELIVERY_STATES)('allows exactly the expected actions from %s', (state) => {
    expect(allowedActions(deliveryMachine, state).sort()).toEqual(Object.keys(LEGAL[state]).sort());
  });

  for (const state of DELIVERY_STATES)
    for (const action of ACTIONS) {
      const to = LEGAL[state][action];
      it(`${state} --${action}--> ${to ?? '409'}`, () => {
        if (to) expect(transition(deliveryMachine, state, action)).toBe(to);
        else expect(() => transition(deliveryMachine, state, action)).toThrow(AppError);
      });
    }

  it('cannot accept what has not arrived', () => {
    try {
      transition(deliveryMachine, 'shipped', 'accept');
      expect.unreachable();
    } catch (e) {
      expect((e as AppError).extra.allowedActions).toEqual(['deliver']);
    }
  });

  it('ends only when accepted', () => {
    expect(DELIVERY_STATES.filter((s) => isFinal(deliveryMachine, s))).toEqual(['accepted']);
  });
});
