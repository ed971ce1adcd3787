import { defineMachine } from '../platform/machine.ts';

export const LEAD_STATES = ['new', 'working', 'nurturing', 'qualified', 'converted', 'disqualified'] as const;
export type LeadState = (typeof LEAD_STATES)[number];

/** Lead lifecycle: worked and nurtured until qualified, then converted; or disqualified with a reason. */
export const leadMachine = defineMachine({
  entity: 'lead',
  initial: 'new' as LeadState,
  states: LEAD_STATES,
  transitions: {
    work: { from: ['new', 'nurturing'], to: 'working' },
    nurture: { from: ['new', 'working'], to: 'nurturing' },
    qualify: { from: ['new', 'working', 'nurturing'], to: 'qualified' },
    disqualify: { from: ['new', 'working', 'nurturing', 'qualified'], to: 'disqualified' },
    reopen: { from: ['disqualified'], to: 'working' },
    convert: { from: ['qualified'], to: 'converted' },
  },
});
export type LeadAction = keyof typeof leadMachine.transitions;
