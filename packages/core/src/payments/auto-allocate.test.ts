import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { planAutoAllocation, type OpenInvoice } from './auto-allocate.ts';

const inv = (id: string, dueDate: string, outstandingMinor: number, issueDate = '2026-01-01', number: string | null = `INV-${id}`): OpenInvoice => ({
  id,
  number,
  issueDate,
  dueDate,
  outstandingMinor,
});

describe('allocating a payment oldest due first', () => {
  it('pays the oldest due invoice first, then by issue date, then by number; the rest stays unallocated', () => {
    const plan = planAutoAllocation(25_000, [
      inv('c', '2026-03-01', 10_000),
      inv('b', '2026-02-01', 10_000, '2026-01-05'),
      inv('a', '2026-02-01', 10_000, '2026-01-02', 'INV-9'),
      inv('a2', '2026-02-01', 10_000, '2026-01-02', 'INV-10'),
    ]);
    // Same due and issue date: INV-10 sorts before INV-9 as text; numbers are zero-padded in practice.
    expect(plan).toEqual([
      { invoiceId: 'a2', amountMinor: 10_000 },
      { invoiceId: 'a', amountMinor: 10_000 },
      { invoiceId: 'b', amountMinor: 5_000 },
    ]);
    expect(planAutoAllocation(50_000, [inv('x', '2026-01-01', 10_000)])).toEqual([{ invoiceId: 'x', amountMinor: 10_000 }]);
    expect(planAutoAllocation(0, [inv('x', '2026-01-01', 10_000)])).toEqual([]);
  });

  it('never allocates more than the payment or than an invoice owes, and leaves no invoice half paid while money is left', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 10_000_000 }),
        fc.array(fc.record({ day: fc.integer({ min: 1, max: 28 }), owed: fc.nat({ max: 3_000_000 }) }), { maxLength: 10 }),
        (amount, xs) => {
          const invoices = xs.map((x, i) => inv(`i${i}`, `2026-02-${String(x.day).padStart(2, '0')}`, x.owed));
          const plan = planAutoAllocation(amount, invoices);
          const total = plan.reduce((s, p) => s + p.amountMinor, 0);
          expect(total).toBeLessThanOrEqual(amount);
          const owed = new Map(invoices.map((i) => [i.id, i.outstandingMinor]));
          for (const p of plan) expect(p.amountMinor).toBeLessThanOrEqual(owed.get(p.invoiceId)!);
          expect(total).toBe(Math.min(amount, invoices.reduce((s, i) => s + i.outstandingMinor, 0)));
          const dues = plan.map((p) => invoices.find((i) => i.id === p.invoiceId)!.dueDate!);
          expect([...dues].sort()).toEqual(dues);
        },
      ),
    );
  });
});
