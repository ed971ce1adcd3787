import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lineAmounts } from '../platform/money.ts';
import { creditableLeft, creditQuantity, creditRest, spreadCreditAmount, NOTHING_CREDITED, type CreditableLine, type CreditedSoFar } from './credit-amounts.ts';

const line = fc
  .record({
    qtyMilli: fc.integer({ min: 1, max: 2_000_000 }),
    unitPriceMinor: fc.integer({ min: 0, max: 10_000_000 }),
    discountRate: fc.constantFrom('0', '0.05', '0.125', '0.3333'),
    taxRate: fc.constantFrom('0', '0.03', '0.06', '0.09', '0.13'),
  })
  .map((l): CreditableLine => ({ ...l, ...lineAmounts(l.qtyMilli, l.unitPriceMinor, l.discountRate, l.taxRate) }));

/** One step of a credit sequence: a quantity of a line or an amount, each up to what is left (`pick` modulo it). */
const step = fc.oneof(
  fc.record({ kind: fc.constant('qty' as const), line: fc.nat(), pick: fc.nat() }),
  fc.record({ kind: fc.constant('amount' as const), pick: fc.nat() }),
);

function add(c: CreditedSoFar, p: { qtyMilli: number; netMinor: number; taxMinor: number }): CreditedSoFar {
  return { qtyMilli: c.qtyMilli + p.qtyMilli, netMinor: c.netMinor + p.netMinor, taxMinor: c.taxMinor + p.taxMinor };
}

describe('crediting an invoice in parts', () => {
  it('never credits more than a line or the invoice, and a full credit after partial ones lands exactly on the invoice total', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), fc.array(step, { maxLength: 12 }), (lines, steps) => {
        const credited: CreditedSoFar[] = lines.map(() => NOTHING_CREDITED);
        const invoiceTotal = lines.reduce((s, l) => s + l.netMinor + l.taxMinor, 0);
        let creditedTotal = 0;
        for (const s of steps) {
          if (s.kind === 'qty') {
            const i = s.line % lines.length;
            const left = lines[i]!.qtyMilli - credited[i]!.qtyMilli;
            const q = s.pick % (left + 1);
            if (q <= 0) continue;
            const part = creditQuantity(lines[i]!, credited[i]!, q);
            expect(Math.min(part.netMinor, part.taxMinor)).toBeGreaterThanOrEqual(0);
            expect(part.totalMinor).toBe(part.netMinor + part.taxMinor);
            credited[i] = add(credited[i]!, part);
            creditedTotal += part.totalMinor;
          } else {
            const left = lines.map((l, i) => creditableLeft(l, credited[i]!));
            const available = left.reduce((a, l) => a + l.totalMinor, 0);
            const amount = s.pick % (available + 1);
            if (amount <= 0) continue;
            const parts = spreadCreditAmount(left, amount);
            expect(parts.reduce((a, p) => a + p.totalMinor, 0)).toBe(amount);
            parts.forEach((p, i) => {
              expect(Math.min(p.netMinor, p.taxMinor)).toBeGreaterThanOrEqual(0);
              credited[i] = add(credited[i]!, p);
            });
            creditedTotal += amount;
          }
          lines.forEach((l, i) => {
            expect(credited[i]!.qtyMilli).toBeLessThanOrEqual(l.qtyMilli);
            expect(credited[i]!.netMinor).toBeLessThanOrEqual(l.netMinor);
            expect(credited[i]!.taxMinor).toBeLessThanOrEqual(l.taxMinor);
          });
          expect(creditedTotal).toBeLessThanOrEqual(invoiceTotal);
        }
        // The full credit of what is left.
        lines.forEach((l, i) => {
          const rest = creditRest(l, credited[i]!);
          expect(Math.min(rest.netMinor, rest.taxMinor, rest.qtyMilli)).toBeGreaterThanOrEqual(0);
          credited[i] = add(credited[i]!, rest);
          creditedTotal += rest.totalMinor;
          expect(credited[i]).toEqual({ qtyMilli: l.qtyMilli, netMinor: l.netMinor, taxMinor: l.taxMinor });
        });
        expect(creditedTotal).toBe(invoiceTotal);
      }),
      { numRuns: 400 },
    );
  });

  it('credits a whole line at exactly its amounts, and half of it by the invoicing rule', () => {
    const l: CreditableLine = { qtyMilli: 3_000, unitPriceMinor: 33_333, discountRate: '0', taxRate: '0.13', ...lineAmounts(3_000, 33_333, '0', '0.13') };
    expect(creditRest(l, NOTHING_CREDITED)).toEqual({ qtyMilli: 3_000, netMinor: 99_999, taxMinor: 13_000, totalMinor: 112_999 });
    const first = creditQuantity(l, NOTHING_CREDITED, 1_000);
    expect(first).toEqual({ qtyMilli: 1_000, netMinor: 33_333, taxMinor: 4_333, totalMinor: 37_666 });
    const rest = creditQuantity(l, first, 2_000);
    expect(rest).toEqual({ qtyMilli: 2_000, netMinor: 66_666, taxMinor: 8_667, totalMinor: 75_333 });
  });

  it('spreads an amount over lines by what is left on each, net and tax in proportion', () => {
    const a: CreditableLine = { qtyMilli: 1_000, unitPriceMinor: 100_000, discountRate: '0', taxRate: '0.06', netMinor: 100_000, taxMinor: 6_000 };
    const b: CreditableLine = { qtyMilli: 1_000, unitPriceMinor: 100_000, discountRate: '0', taxRate: '0.13', netMinor: 100_000, taxMinor: 13_000 };
    const parts = spreadCreditAmount([creditableLeft(a, NOTHING_CREDITED), creditableLeft(b, NOTHING_CREDITED)], 21_900);
    // 106,000 : 113,000 of 21,900 → 10,600 and 11,300.
    expect(parts).toEqual([
      { qtyMilli: 0, netMinor: 10_000, taxMinor: 600, totalMinor: 10_600 },
      { qtyMilli: 0, netMinor: 10_000, taxMinor: 1_300, totalMinor: 11_300 },
    ]);
    expect(() => spreadCreditAmount([creditableLeft(a, NOTHING_CREDITED)], 106_001)).toThrow(RangeError);
    expect(() => creditQuantity(a, NOTHING_CREDITED, 1_001)).toThrow(RangeError);
  });
});
