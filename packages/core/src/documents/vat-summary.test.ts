import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lineAmounts } from '../platform/money.ts';
import { vatSummary } from './vat-summary.ts';

const line = (taxRate: string, netMinor: number, taxMinor: number) => ({ taxRate, netMinor, taxMinor, totalMinor: netMinor + taxMinor });

describe('VAT summary by rate', () => {
  it('sums the lines of each rate, highest rate first', () => {
    expect(vatSummary([line('0.06', 1_000, 60), line('0.13', 2_000, 260), line('0.06', 500, 30), line('0', 100, 0)])).toEqual([
      { taxRate: '0.13', netMinor: 2_000, taxMinor: 260, totalMinor: 2_260 },
      { taxRate: '0.06', netMinor: 1_500, taxMinor: 90, totalMinor: 1_590 },
      { taxRate: '0', netMinor: 100, taxMinor: 0, totalMinor: 100 },
    ]);
  });

  it('puts equal rates written differently in one row and orders by value, not by text', () => {
    const rows = vatSummary([line('0.13', 100, 13), line('0.130', 200, 26), line('0.09', 100, 9), line('0.1', 100, 10)]);
    expect(rows.map((r) => [r.taxRate, r.netMinor])).toEqual([
      ['0.13', 300],
      ['0.1', 100],
      ['0.09', 100],
    ]);
  });

  it('is empty for no lines', () => {
    expect(vatSummary([])).toEqual([]);
  });

  it('adds up to the document totals and keeps rates distinct (property)', () => {
    const rates = ['0', '0.01', '0.03', '0.06', '0.09', '0.13'];
    const arb = fc.array(
      fc.record({ qtyMilli: fc.integer({ min: 1, max: 1_000_000 }), unit: fc.integer({ min: 0, max: 10_000_000 }), rate: fc.constantFrom(...rates) }),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(arb, (ls) => {
        const lines = ls.map((l) => ({ taxRate: l.rate, ...lineAmounts(l.qtyMilli, l.unit, '0', l.rate) }));
        const rows = vatSummary(lines);
        const sum = (k: 'netMinor' | 'taxMinor' | 'totalMinor') => (xs: readonly Record<typeof k, number>[]) => xs.reduce((s, x) => s + x[k], 0);
        for (const k of ['netMinor', 'taxMinor', 'totalMinor'] as const) expect(sum(k)(rows)).toBe(sum(k)(lines));
        expect(new Set(rows.map((r) => r.taxRate)).size).toBe(rows.length);
        expect(rows.length).toBe(new Set(lines.map((l) => l.taxRate)).size);
      }),
    );
  });
});
