import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import { isFinal, transition } from '../platform/machine.ts';
import { SCHEDULE_ITEM_STATES, isBillable, scheduleItemMachine, scheduleItemUserActions, type ScheduleItemAction, type ScheduleItemState } from './schedule.machine.ts';
import { INVOICE_REQUEST_STATES, invoiceRequestMachine, type InvoiceRequestAction, type InvoiceRequestState } from './invoice-request.machine.ts';

function table<S extends string, A extends string>(name: string, machine: any, states: readonly S[], actions: readonly A[], legal: Record<S, Partial<Record<A, S>>>) {
  describe(`${name} transition table`, () => {
    for (const state of states)
      for (const action of actions) {
        const to = legal[state][action];
        it(`${state} --${action}--> ${to ?? '409'}`, () => {
          if (to) expect(transition(machine, state, action)).toBe(to);
          else {
            let err: unknown;
            try {
              transition(machine, state, action);
            } catch (e) {
              err = e;
            }
            expect((err as AppError).code).toBe('invalid_transition');
          }
        });
      }
  });
}

const ITEM: Record<ScheduleItemState, Partial<Record<ScheduleItemAction, ScheduleItemState>>> = {
  planned: { reach: 'due', invoice: 'invoiced', cancel: 'cancelled' },
  due: { invoice: 'invoiced', cancel: 'cancelled' },
  invoiced: {},
  cancelled: {},
};
table('billing schedule item', scheduleItemMachine, SCHEDULE_ITEM_STATES, ['reach', 'invoice', 'cancel'] as const, ITEM);

const REQUEST: Record<InvoiceRequestState, Partial<Record<InvoiceRequestAction, InvoiceRequestState>>> = {
  pending: { approve: 'approved', reject: 'rejected', withdraw: 'withdrawn' },
  approved: {},
  rejected: {},
  withdrawn: {},
};
table('invoice request', invoiceRequestMachine, INVOICE_REQUEST_STATES, ['approve', 'reject', 'withdraw'] as const, REQUEST);

describe('when an item is billable', () => {
  it('starts planned; invoiced and cancelled are final', () => {
    expect(scheduleItemMachine.initial).toBe('planned');
    expect(SCHEDULE_ITEM_STATES.filter((s) => isFinal(scheduleItemMachine, s))).toEqual(['invoiced', 'cancelled']);
  });
  it('bills a dated item from its bill date, not before', () => {
    const item = { status: 'planned', trigger: 'date', billDate: '2026-11-30', requestId: null };
    expect(isBillable(item, '2026-11-29')).toBe(false);
    expect(isBillable(item, '2026-11-30')).toBe(true);
    expect(isBillable({ ...item, status: 'invoiced' }, '2026-12-31')).toBe(false);
    expect(isBillable({ ...item, status: 'cancelled' }, '2026-12-31')).toBe(false);
  });
  it('bills a milestone only once reached, and not before its bill date (reached + offset)', () => {
    const m = { status: 'planned', trigger: 'delivery_accepted', billDate: null, requestId: null };
    expect(isBillable(m, '2099-01-01')).toBe(false);
    expect(isBillable({ ...m, billDate: '2026-11-01' }, '2099-01-01')).toBe(false);
    expect(isBillable({ ...m, status: 'due', billDate: '2026-12-01' }, '2026-11-30')).toBe(false);
    expect(isBillable({ ...m, status: 'due', billDate: '2026-12-01' }, '2026-12-01')).toBe(true);
  });
  it('leaves an item held by an invoice request to that request', () => {
    expect(isBillable({ status: 'due', trigger: 'manual', billDate: '2026-01-01', requestId: 'irq_1' }, '2026-12-01')).toBe(false);
    expect(scheduleItemUserActions({ status: 'due', trigger: 'manual', requestId: 'irq_1' })).toEqual([]);
  });
  it('offers reach only on milestones, and never invoice to a user', () => {
    expect(scheduleItemUserActions({ status: 'planned', trigger: 'date', requestId: null })).toEqual(['cancel']);
    expect(scheduleItemUserActions({ status: 'planned', trigger: 'manual', requestId: null })).toEqual(['reach', 'cancel']);
    expect(scheduleItemUserActions({ status: 'invoiced', trigger: 'manual', requestId: null })).toEqual([]);
  });
});
