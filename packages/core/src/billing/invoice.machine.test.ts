import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import { allowedActions, isFinal, transition } from '../platform/machine.ts';
import { INVOICE_STATES, invoiceMachine, invoiceUserActions, paidState, settleAction, type InvoiceAction, type InvoiceState } from './invoice.machine.ts';

const LEGAL: Record<InvoiceState, Partial<Record<InvoiceAction, InvoiceState>>> = {
  draft: { issue: 'issued', cancel: 'cancelled' },
  issued: { pay_partially: 'partially_paid', pay: 'paid' },
  partially_paid: { pay: 'paid', reopen: 'issued' },
  paid: { pay_partially: 'partially_paid', reopen: 'issued' },
  cancelled: {},
};
const ACTIONS = Object.keys(invoiceMachine.transitions) as InvoiceAction[];

describe('invoice lifecycle', () => {
  it('starts as a draft', () => {
    expect(invoiceMachine.initial).toBe('draft');
  });

  it.each(INVOICE_STATES)('allows exactly the expected actions from %s', (state) => {
    expect(allowedActions(invoiceMachine, state).sort()).toEqual(Object.keys(LEGAL[state]).sort());
  });

  for (const state of INVOICE_STATES)
    for (const action of ACTIONS) {
      const to = LEGAL[state][action];
      it(`${state} --${action}--> ${to ?? '409'}`, () => {
        if (to) expect(transition(invoiceMachine, state, action)).toBe(to);
        else {
          let err: unknown;
          try {
            transition(invoiceMachine, state, action);
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(AppError);
          expect((err as AppError).code).toBe('invalid_transition');
        }
      });
    }

  it('cannot cancel once issued: issued invoices are corrected by credit notes', () => {
    for (const s of ['issued', 'partially_paid', 'paid'] as const) expect(allowedActions(invoiceMachine, s)).not.toContain('cancel');
  });

  it('leaves payment steps to the payments use case', () => {
    expect(invoiceUserActions('draft')).toEqual(['issue', 'cancel']);
    expect(invoiceUserActions('issued')).toEqual([]);
    expect(invoiceUserActions('partially_paid')).toEqual([]);
  });

  it('derives the paid state from what is paid', () => {
    expect(paidState(10_000, 0)).toBe('issued');
    expect(paidState(10_000, 1)).toBe('partially_paid');
    expect(paidState(10_000, 9_999)).toBe('partially_paid');
    expect(paidState(10_000, 10_000)).toBe('paid');
  });

  it('counts credit notes towards settling an invoice, but only payments make it partially paid', () => {
    expect(paidState(10_000, 0, 10_000)).toBe('paid');
    expect(paidState(10_000, 0, 4_000)).toBe('issued');
    expect(paidState(10_000, 6_000, 4_000)).toBe('paid');
    expect(paidState(10_000, 5_999, 4_000)).toBe('partially_paid');
    expect(settleAction('paid')).toBe('pay');
    expect(settleAction('partially_paid')).toBe('pay_partially');
    expect(settleAction('issued')).toBe('reopen');
  });

  it('treats only cancelled as final: a reversed payment can reopen a paid invoice', () => {
    expect(INVOICE_STATES.filter((s) => isFinal(invoiceMachine, s))).toEqual(['cancelled']);
  });
});
