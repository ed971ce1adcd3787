import { describe, expect, it } from 'vitest';
import { allowedActions, defineMachine, isFinal, transition } from './machine.ts';
import { AppError } from './errors.ts';
import { leadMachine, LEAD_STATES } from '../leads/lead.machine.ts';
import { opportunityMachine } from '../sales/sales.machine.ts';

describe('lifecycle machines', () => {
  it('rejects a table that names an unknown state', () => {
    expect(() =>
      defineMachine({ entity: 'x', initial: 'a', states: ['a', 'b'] as const, transitions: { go: { from: ['a'], to: 'c' as any } } }),
    ).toThrow(/unknown state c/);
  });

  it('lead: the happy path and the refusal naming allowed actions', () => {
    let s = leadMachine.initial;
    for (const a of ['work', 'nurture', 'qualify', 'convert'] as const) s = transition(leadMachine, s, a);
    expect(s).toBe('converted');
    expect(isFinal(leadMachine, 'converted')).toBe(true);
    try {
      transition(leadMachine, 'new', 'convert');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).status).toBe(409);
      expect((e as AppError).extra.allowedActions).toEqual(['work', 'nurture', 'qualify', 'disqualify']);
    }
  });

  it('lead: every state except converted can leave, disqualified only by reopening', () => {
    for (const s of LEAD_STATES) {
      const allowed = allowedActions(leadMachine, s);
      if (s === 'converted') expect(allowed).toEqual([]);
      else expect(allowed.length).toBeGreaterThan(0);
    }
    expect(allowedActions(leadMachine, 'disqualified')).toEqual(['reopen']);
  });

  it('opportunity: won and lost can only reopen', () => {
    expect(transition(opportunityMachine, 'open', 'win')).toBe('won');
    expect(transition(opportunityMachine, 'open', 'lose')).toBe('lost');
    expect(allowedActions(opportunityMachine, 'won')).toEqual(['reopen']);
    expect(() => transition(opportunityMachine, 'won', 'lose')).toThrow(AppError);
  });
});
