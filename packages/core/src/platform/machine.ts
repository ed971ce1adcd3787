import { AppError } from './errors.ts';

/**
 * A lifecycle as a transition table: for each action, the states it may start from and the
 * state it leads to. Pure data, so it is unit-tested and drawn in docs.
 */
export interface Machine<S extends string, A extends string> {
  entity: string;
  initial: S;
  states: readonly S[];
  transitions: Record<A, { from: readonly S[]; to: S }>;
}

export function defineMachine<S extends string, A extends string>(m: Machine<S, A>): Machine<S, A> {
  for (const [action, t] of Object.entries(m.transitions) as Array<[A, { from: readonly S[]; to: S }]>) {
    for (const s of [...t.from, t.to]) {
      if (!m.states.includes(s)) throw new Error(`${m.entity}.${action}: unknown state ${s}`);
    }
  }
  return m;
}

/** The actions allowed from a state. */
export function allowedActions<S extends string, A extends string>(m: Machine<S, A>, from: S): A[] {
  return (Object.keys(m.transitions) as A[]).filter((a) => m.transitions[a].from.includes(from));
}

/** The state an action leads to, or a 409 naming the actions that are allowed from here. */
export function transition<S extends string, A extends string>(m: Machine<S, A>, from: S, action: A): S {
  const t = m.transitions[action];
  if (!t) throw new AppError(400, 'unknown_action', 'Unknown action', `${m.entity} has no action ${action}`);
  if (!t.from.includes(from)) {
    const allowed = allowedActions(m, from);
    throw new AppError(
      409,
      'invalid_transition',
      'Transition not allowed',
      `${m.entity} cannot ${action} while ${from}; allowed: ${allowed.length ? allowed.join(', ') : 'none (final state)'}`,
      { currentState: from, action, allowedActions: allowed },
    );
  }
  return t.to;
}

export function isFinal<S extends string, A extends string>(m: Machine<S, A>, s: S): boolean {
  return allowedActions(m, s).length === 0;
}
