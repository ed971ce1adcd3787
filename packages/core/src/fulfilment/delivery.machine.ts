import { defineMachine } from '../platform/machine.ts';

export const DELIVERY_STATES = ['shipped', 'delivered', 'accepted'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** A delivery is created when goods leave (shipped), arrives (delivered) and is signed off by the customer (验收). */
export const deliveryMachine = defineMachine({
  entity: 'delivery',
  initial: 'shipped' as DeliveryState,
  states: DELIVERY_STATES,
  transitions: {
    deliver: { from: ['shipped'], to: 'delivered' },
    accept: { from: ['delivered'], to: 'accepted' },
  },
});
export type DeliveryAction = keyof typeof deliveryMachine.transitions;
