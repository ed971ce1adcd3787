import { describe, expect, it } from 'vitest';
import { creditHoldFindings, type CreditPosition } from './credit-policy.ts';

const fmt = (m: number) => `¥${m}`;
const base: CreditPosition = { currency: 'CNY', creditLimitMinor: 100_000, outstandingMinor: 60_000, orderTotalMinor: 40_000, overdue: [] };

describe('credit hold rule', () => {
  it('holds only above the limit: outstanding + order equal to the limit passes', () => {
    expect(creditHoldFindings(base, fmt)).toEqual([]);
    const over = creditHoldFindings({ ...base, orderTotalMinor: 40_001 }, fmt);
    expect(over.map((f) => f.code)).toEqual(['credit_limit_exceeded']);
    expect(over[0]!.message).toBe('credit limit ¥100000 exceeded: outstanding ¥60000 + this order ¥40001 = ¥100001');
  });

  it('has no limit to check without one, or for an order in another currency', () => {
    expect(creditHoldFindings({ ...base, creditLimitMinor: null, outstandingMinor: 10 ** 12 }, fmt)).toEqual([]);
    expect(creditHoldFindings({ ...base, orderTotalMinor: null, outstandingMinor: 10 ** 12 }, fmt)).toEqual([]);
    expect(creditHoldFindings({ ...base, creditLimitMinor: 0, outstandingMinor: 0, orderTotalMinor: 1 }, fmt).map((f) => f.code)).toEqual(['credit_limit_exceeded']);
  });

  it('holds for an invoice 31 days overdue, not 30', () => {
    const at = (days: number, owed = 5_000) => creditHoldFindings({ ...base, creditLimitMinor: null, overdue: [{ number: 'INV-2026-000007', daysPastDue: days, outstandingMinor: owed }] }, fmt);
    expect(at(30)).toEqual([]);
    expect(at(31, 0)).toEqual([]);
    expect(at(31)).toEqual([{ code: 'overdue_invoices', message: '1 invoice(s) more than 30 days overdue: INV-2026-000007 (31 days, ¥5000)' }]);
  });

  it('reports both reasons together', () => {
    const both = creditHoldFindings({ ...base, outstandingMinor: 100_000, overdue: [{ number: 'INV-1', daysPastDue: 90, outstandingMinor: 100_000 }] }, fmt);
    expect(both.map((f) => f.code)).toEqual(['credit_limit_exceeded', 'overdue_invoices']);
  });
});
