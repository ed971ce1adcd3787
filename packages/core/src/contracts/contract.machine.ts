import { defineMachine } from '../platform/machine.ts';

export const CONTRACT_STATES = ['draft', 'in_review', 'approved', 'signed', 'active', 'expired', 'terminated'] as const;
export type ContractState = (typeof CONTRACT_STATES)[number];

/**
 * Contract lifecycle: drafted by sales, reviewed and approved by legal (or returned to draft with a
 * reason), signed by the customer, then active until it expires or is terminated.
 */
export const contractMachine = defineMachine({
  entity: 'contract',
  initial: 'draft' as ContractState,
  states: CONTRACT_STATES,
  transitions: {
    submit: { from: ['draft'], to: 'in_review' },
    approve: { from: ['in_review'], to: 'approved' },
    return: { from: ['in_review'], to: 'draft' },
    sign: { from: ['approved'], to: 'signed' },
    activate: { from: ['signed'], to: 'active' },
    expire: { from: ['active'], to: 'expired' },
    terminate: { from: ['signed', 'active'], to: 'terminated' },
  },
});
export type ContractAction = keyof typeof contractMachine.transitions;

/** The actions that need the `approve` permission on contracts (legal, admins). */
export const CONTRACT_APPROVAL_ACTIONS: readonly ContractAction[] = ['approve', 'return'];
