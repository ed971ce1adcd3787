import { defineMachine } from '../platform/machine.ts';

export const OPPORTUNITY_STATES = ['open', 'won', 'lost'] as const;
export type OpportunityState = (typeof OPPORTUNITY_STATES)[number];

/** Opportunity outcome; the stage within `open` moves freely along the pipeline. */
export const opportunityMachine = defineMachine({
  entity: 'opportunity',
  initial: 'open' as OpportunityState,
  states: OPPORTUNITY_STATES,
  transitions: {
    win: { from: ['open'], to: 'won' },
    lose: { from: ['open'], to: 'lost' },
    reopen: { from: ['won', 'lost'], to: 'open' },
  },
});
export type OpportunityAction = keyof typeof opportunityMachine.transitions;

/** The default pipeline created on first start: stages with their default win probability. */
export const DEFAULT_STAGES: Array<{ name: string; probability: number; kind: 'open' | 'won' | 'lost' }> = [
  { name: 'Qualification 验证', probability: 10, kind: 'open' },
  { name: 'Needs analysis 需求分析', probability: 25, kind: 'open' },
  { name: 'Proposal 方案报价', probability: 50, kind: 'open' },
  { name: 'Negotiation 商务谈判', probability: 75, kind: 'open' },
  { name: 'Closed won 赢单', probability: 100, kind: 'won' },
  { name: 'Closed lost 输单', probability: 0, kind: 'lost' },
];
