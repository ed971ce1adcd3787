import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Fraction, RoundingMode } from '../platform/money.ts';
import { parseMoney, type Money } from '../money/money.ts';
import { reduceFraction } from '../money/rounding.ts';
import { convertMoney, findFxRate, settleReceivable, type ReceivableBalance } from '../money/fx.ts';
import { assertBalanced } from '../money/journal.ts';
import { assertLegsBalance, revalueItem, revaluationLegs, reversalLegs, type RevaluationLeg } from './revaluation.calc.ts';

const rate = (s: string): Fraction => {
  const [w, f = ''] = s.split('.');
  return reduceFraction({ num: BigInt(w! + f), den: 10n ** BigInt(f.length) });
};
const cny = (minor: bigint): Money => ({ minor, currency: 'CNY' });
const usd = (minor: bigint): Money => ({ minor, currency: 'USD' });

describe('period-end FX revaluation (pure)', () => {
  it('a receivable that grows is an unrealised gain on AR revaluation; shrinking, a loss; advances the other way round', () => {
    const item = { kind: 'receivable' as const, balance: parseMoney('10000', 'USD'), carrying: parseMoney('71000', 'CNY') };
    const up = revalueItem(item, rate('7.2'));
    expect([up.revalued.minor, up.difference.minor, up.gainLoss.minor]).toEqual([7_200_000n, 100_000n, 100_000n]);
    expect(revaluationLegs([up], 'CNY')).toEqual([
      { role: 'arRevaluation', functional: 100_000n, item: 0 },
      { role: 'unrealisedFxGain', functional: -100_000n },
    ]);
    const down = revalueItem(item, rate('7.05'));
    expect(revaluationLegs([down], 'CNY')).toEqual([
      { role: 'arRevaluation', functional: -50_000n, item: 0 },
      { role: 'unrealisedFxLoss', functional: 50_000n },
    ]);
    // Money a customer left with us (a liability) is worth more in CNY when USD rises: a loss.
    const adv = revalueItem({ kind: 'advance', balance: parseMoney('1000', 'USD'), carrying: parseMoney('7100', 'CNY') }, rate('7.2'));
    expect(adv.gainLoss.minor).toBe(-10_000n);
    expect(revaluationLegs([adv], 'CNY')).toEqual([
      { role: 'advancesRevaluation', functional: -10_000n, item: 0 },
      { role: 'unrealisedFxLoss', functional: 10_000n },
    ]);
    // Gains and losses are posted gross; nothing for an item that did not move.
    const legs = revaluationLegs([up, down, adv, revalueItem(item, rate('7.1'))], 'CNY');
    expect(legs.filter((l) => l.role === 'unrealisedFxGain').map((l) => l.functional)).toEqual([-100_000n]);
    expect(legs.filter((l) => l.role === 'unrealisedFxLoss').map((l) => l.functional)).toEqual([60_000n]);
    expect(legs).toHaveLength(5);
    expect(reversalLegs(legs).map((l) => l.functional)).toEqual(legs.map((l) => -l.functional));
  });

  /**
   * Kaplan Publishing, ACCA Strategic Business Reporting (SBR) Integrated Workbook S18-J19,
   * chapter 25, Example 2 "Overseas transactions": an entity with the dollar as functional currency
   * sells goods for 3m dinar on credit at 2.5 dinar/$ ($1.2m: Dr Receivables / Cr Revenue); at the
   * reporting date the rate is 3 dinar/$, the receivable (a monetary item) is retranslated at the
   * closing rate to $1.0m and a loss of $0.2m goes to profit or loss (Dr P/L / Cr Receivables).
   * The dinar is taken as KWD (three decimals); the rates are stored as USD/KWD and inverted exactly.
   */
  it('reproduces the Kaplan ACCA SBR workbook example: 3m dinar receivable, 2.5 → 3 dinar/$, $0.2m loss', () => {
    const rates = [
      { base: 'USD', quote: 'KWD', rate: '2.5', effectiveDate: '2018-01-01' },
      { base: 'USD', quote: 'KWD', rate: '3', effectiveDate: '2018-12-31' },
    ];
    const booked = findFxRate(rates, 'KWD', 'USD', '2018-06-30');
    const closing = findFxRate(rates, 'KWD', 'USD', '2018-12-31');
    const receivable = parseMoney('3000000', 'KWD');
    const carrying = convertMoney(receivable, 'USD', booked.rate);
    expect(carrying).toEqual(parseMoney('1200000', 'USD'));
    const r = revalueItem({ kind: 'receivable', balance: receivable, carrying }, closing.rate);
    expect(r.revalued).toEqual(parseMoney('1000000', 'USD'));
    expect(r.gainLoss).toEqual(parseMoney('-200000', 'USD'));
    expect(revaluationLegs([r], 'USD', '2018-12-31')).toEqual([
      { role: 'arRevaluation', functional: -20_000_000n, item: 0 },
      { role: 'unrealisedFxLoss', functional: 20_000_000n },
    ]);
  });

  it('refuses an entry that does not balance or mixes currencies', () => {
    expect(() => assertLegsBalance([{ role: 'arRevaluation', functional: 5n }, { role: 'unrealisedFxGain', functional: -4n }], 'CNY', '2026-10-31')).toThrow(/debits 5 and credits 4/);
    const other = revalueItem({ kind: 'receivable', balance: usd(100n), carrying: { minor: 700n, currency: 'EUR' } }, rate('7.2'));
    expect(() => revaluationLegs([other], 'CNY')).toThrow();
  });

  /**
   * The ledger of one USD receivable of a CNY entity, in CNY: booked at issue, part paid before the
   * period end, revalued at the closing rate on the last day, reversed on the first day of the next
   * month, then paid in parts. Realised differences are measured from the booked rate (what the
   * journal does: settleReceivable with the booked rate), so the revaluation nets out: the total
   * exchange result equals that of the payments alone, the receivable is cleared exactly, every entry
   * balances in CNY, and at the period end AR plus its revaluation is the balance at the closing rate.
   */
  it('property: revalue + reverse + pay gives the same total FX result as pay alone; every entry balances in CNY', () => {
    const rateArb = fc.integer({ min: 50_000, max: 90_000 }).map((n) => reduceFraction({ num: BigInt(n), den: 10_000n }));
    const modeArb = fc.constantFrom<RoundingMode>('half_up', 'half_even', 'up', 'down');
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10_000_000_000n }),
        rateArb,
        rateArb,
        fc.array(fc.tuple(fc.integer({ min: 1, max: 100 }), rateArb), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 4 }),
        modeArb,
        (amount, booked, closing, parts, beforeEnd, mode) => {
          // Payment amounts: shares of the invoice by weight, the last one settling what is left.
          const total = parts.reduce((s, [w]) => s + w, 0);
          let left = amount;
          const payments = parts.map(([w, r], i) => {
            const p = i === parts.length - 1 ? left : (amount * BigInt(w)) / BigInt(total);
            left -= p;
            return { amount: p, rate: r };
          }).filter((p) => p.amount > 0n);
          const split = Math.min(beforeEnd, payments.length);

          const ledger = new Map<string, bigint>();
          const post = (legs: Array<[string, bigint]>) => {
            assertBalanced({
              date: '2026-10-31',
              documentRef: 't',
              description: 't',
              currency: 'CNY',
              lines: legs.filter(([, a]) => a !== 0n).map(([account, a]) => ({ account, debit: a > 0n ? a : 0n, credit: a < 0n ? -a : 0n })),
            });
            for (const [k, a] of legs) ledger.set(k, (ledger.get(k) ?? 0n) + a);
          };
          const fxResult = () => -['fxGain', 'fxLoss', 'unrealisedFxGain', 'unrealisedFxLoss'].reduce((s, k) => s + (ledger.get(k) ?? 0n), 0n);

          const run = (revalue: boolean) => {
            ledger.clear();
            const carrying0 = convertMoney(usd(amount), 'CNY', booked, mode);
            post([['ar', carrying0.minor], ['revenue', -carrying0.minor]]);
            let bal: ReceivableBalance = { outstanding: usd(amount), carrying: carrying0 };
            const payAll = (ps: typeof payments) => {
              for (const p of ps) {
                const s = settleReceivable(bal, usd(p.amount), p.rate, mode, booked);
                post([['cash', s.received.minor], ['ar', -s.carryingCleared.minor], [s.gainLoss.minor >= 0n ? 'fxGain' : 'fxLoss', -s.gainLoss.minor]]);
                bal = s.after;
              }
            };
            payAll(payments.slice(0, split));
            if (revalue) {
              const r = revalueItem({ kind: 'receivable', balance: bal.outstanding, carrying: bal.carrying }, closing, mode);
              const legs = revaluationLegs(r.difference.minor === 0n ? [] : [r], 'CNY', '2026-10-31');
              const asPairs = (ls: RevaluationLeg[]) => ls.map((l): [string, bigint] => [l.role, l.functional]);
              if (legs.length) post(asPairs(legs));
              // At the period end: AR + its revaluation = the balance at the closing rate.
              expect((ledger.get('ar') ?? 0n) + (ledger.get('arRevaluation') ?? 0n)).toBe(convertMoney(bal.outstanding, 'CNY', closing, mode).minor);
              if (legs.length) post(asPairs(reversalLegs(legs)));
              expect(ledger.get('arRevaluation') ?? 0n).toBe(0n);
            }
            payAll(payments.slice(split));
            expect(bal.outstanding.minor).toBe(0n);
            expect(ledger.get('ar')).toBe(0n);
            return { fx: fxResult(), cash: ledger.get('cash') ?? 0n, carrying0: carrying0.minor };
          };
          const alone = run(false);
          const revalued = run(true);
          expect(revalued.fx).toBe(alone.fx);
          // …and that total is what the cash brought in over what was booked.
          expect(alone.fx).toBe(alone.cash - alone.carrying0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: the revaluation of many items balances and nets to the sum of their exchange differences', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.bigInt({ min: 1n, max: 1_000_000_000n }), fc.bigInt({ min: 0n, max: 8_000_000_000n })), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 200_000 }),
        (raw, closingNum) => {
          const closing = reduceFraction({ num: BigInt(closingNum), den: 10_000n });
          const items = raw.map(([isAr, bal, carry]) => revalueItem({ kind: isAr ? 'receivable' : 'advance', balance: usd(bal), carrying: cny(carry) }, closing));
          const legs = revaluationLegs(items, 'CNY');
          expect(legs.reduce((s, l) => s + l.functional, 0n)).toBe(0n);
          const pnl = -legs.filter((l) => l.role.startsWith('unrealised')).reduce((s, l) => s + l.functional, 0n);
          expect(pnl).toBe(items.reduce((s, i) => s + i.gainLoss.minor, 0n));
          const rev = reversalLegs(legs);
          expect(legs.map((l, i) => l.functional + rev[i]!.functional).every((x) => x === 0n)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
