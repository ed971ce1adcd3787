import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError } from '../platform/errors.ts';
import { money, parseMoney } from './money.ts';
import { reduceFraction } from './rounding.ts';
import { carryingChange, convertMoney, convertOn, findFxRate, settleReceivable, validateFxRate, type FxRate } from './fx.ts';

const cny = (s: string) => parseMoney(s, 'CNY');
const usd = (s: string) => parseMoney(s, 'USD');
const rate = (s: string) => {
  const [w, f = ''] = s.split('.');
  return reduceFraction({ num: BigInt(w! + f), den: 10n ** BigInt(f.length) });
};

const rates: FxRate[] = [
  { base: 'USD', quote: 'CNY', rate: '7.1000', effectiveDate: '2026-01-01' },
  { base: 'USD', quote: 'CNY', rate: '7.2000', effectiveDate: '2026-02-01' },
  { base: 'USD', quote: 'CNY', rate: '7.1500', effectiveDate: '2026-03-01' },
  { base: 'CNY', quote: 'JPY', rate: '20.5', effectiveDate: '2026-01-01' },
  { base: 'EUR', quote: 'USD', rate: '1.08', effectiveDate: '2026-01-01' },
  { base: 'USD', quote: 'EUR', rate: '0.9', effectiveDate: '2026-02-15' },
];

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e.extra.fields?.[0]?.code ?? e.code;
    throw e;
  }
  return 'no error';
}

describe('dated FX rates', () => {
  it('picks the latest rate on or before the date', () => {
    expect(findFxRate(rates, 'USD', 'CNY', '2026-01-31').rate).toEqual(rate('7.1'));
    expect(findFxRate(rates, 'USD', 'CNY', '2026-02-01').rate).toEqual(rate('7.2'));
    expect(findFxRate(rates, 'USD', 'CNY', '2026-12-31')).toEqual({ rate: { num: 143n, den: 20n }, effectiveDate: '2026-03-01', inverted: false });
    expect(codeOf(() => findFxRate(rates, 'USD', 'CNY', '2025-12-31'))).toBe('fx_rate_missing');
    expect(codeOf(() => findFxRate(rates, 'USD', 'GBP', '2026-06-01'))).toBe('fx_rate_missing');
    expect(findFxRate(rates, 'CNY', 'CNY', '2026-06-01').rate).toEqual({ num: 1n, den: 1n });
  });

  it('uses a stored rate the other way round exactly, and the later of both directions', () => {
    // CNY per USD 7.2 → USD per CNY 1/7.2 = 5/36 exactly
    expect(findFxRate(rates, 'CNY', 'USD', '2026-02-10')).toEqual({ rate: { num: 5n, den: 36n }, effectiveDate: '2026-02-01', inverted: true });
    expect(findFxRate(rates, 'EUR', 'USD', '2026-02-01').rate).toEqual({ num: 27n, den: 25n });
    expect(findFxRate(rates, 'EUR', 'USD', '2026-03-01')).toEqual({ rate: { num: 10n, den: 9n }, effectiveDate: '2026-02-15', inverted: true });
  });

  it('converts with exponents and one rounding', () => {
    expect(convertMoney(usd('1000'), 'CNY', rate('7.1234'))).toEqual(cny('7123.40'));
    expect(convertMoney(usd('0.01'), 'CNY', rate('7.1234'))).toEqual(cny('0.07'));
    expect(convertMoney(usd('0.01'), 'CNY', rate('7.1234'), 'down')).toEqual(cny('0.07'));
    expect(convertMoney(cny('100.00'), 'JPY', rate('20.5'))).toEqual(money(2050n, 'JPY'));
    expect(convertMoney(cny('0.03'), 'JPY', rate('20.5'))).toEqual(money(1n, 'JPY')); // 0.615 → 1
    expect(convertMoney(money(1n, 'JPY'), 'KWD', rate('0.00204'))).toEqual(money(2n, 'KWD'));
    expect(convertOn(rates, cny('72.00'), 'USD', '2026-02-10')).toEqual(usd('10'));
    expect(codeOf(() => convertMoney(usd('1'), 'CNY', { num: 0n, den: 1n }))).toBe('invalid_rate');
  });

  it('validates configured rates', () => {
    expect(validateFxRate(rates[0])).toEqual(rates[0]);
    expect(() => validateFxRate({ ...rates[0], rate: '0' })).toThrow(AppError);
    expect(() => validateFxRate({ ...rates[0], quote: 'USD' })).toThrow(AppError);
    expect(() => validateFxRate({ ...rates[0], effectiveDate: '2026-02-30' })).toThrow(AppError);
    expect(() => validateFxRate({ ...rates[0], rate: 7.1 })).toThrow();
    expect(() => validateFxRate({ ...rates[0], source: 'bank' })).toThrow();
  });
});

describe('realised exchange differences', () => {
  // Worked example: an invoice of USD 10,000 booked at 7.10 (CNY 71,000.00) is paid at 7.20: the
  // company receives CNY 72,000.00 and realises a gain of CNY 1,000.00; paid at 7.05 instead, it
  // receives CNY 70,500.00, a loss of CNY 500.00 (IAS 21.28 / CAS 19: exchange differences on
  // settlement of monetary items are recognised in profit or loss in the period they arise).
  it('books the difference between the carrying amount and the payment at the day\'s rate', () => {
    const balance = { outstanding: usd('10000'), carrying: cny('71000') };
    const gain = settleReceivable(balance, usd('10000'), rate('7.20'));
    expect(gain.received).toEqual(cny('72000'));
    expect(gain.gainLoss).toEqual(cny('1000'));
    expect(gain.after).toEqual({ outstanding: usd('0'), carrying: cny('0') });
    expect(settleReceivable(balance, usd('10000'), rate('7.05')).gainLoss).toEqual(cny('-500'));
  });

  it('clears the carrying amount in proportion to partial payments; the last payment takes the rest', () => {
    let bal = { outstanding: usd('100'), carrying: cny('710.01') };
    const first = settleReceivable(bal, usd('33.33'), rate('7.2'));
    expect(first.carryingCleared).toEqual(cny('236.65')); // 710.01 × 33.33 / 100 = 236.6463… → 236.65
    expect(first.received).toEqual(cny('239.98'));
    expect(first.gainLoss).toEqual(cny('3.33'));
    bal = first.after;
    const second = settleReceivable(bal, usd('66.67'), rate('7.0'));
    expect(second.carryingCleared).toEqual(cny('473.36'));
    expect(second.after.carrying).toEqual(cny('0'));
    expect(codeOf(() => settleReceivable(bal, usd('100'), rate('7')))).toBe('over_settlement');
    expect(codeOf(() => settleReceivable(bal, cny('1'), rate('7')))).toBe('currency_mismatch');
    expect(codeOf(() => settleReceivable(bal, usd('0'), rate('7')))).toBe('invalid_amount');
  });

  it('at the booked rate (what the journal posts), what is left stays carried at outstanding × booked rate', () => {
    // USD 100.00 booked at 7.1001 → CNY 710.01; USD 33.33 paid at 7.2: USD 66.67 left carries
    // 66.67 × 7.1001 = 473.3637 → 473.36, so the payment clears 710.01 − 473.36 = 236.65 (gain 3.33).
    const bal = { outstanding: usd('100'), carrying: cny('710.01') };
    const first = settleReceivable(bal, usd('33.33'), rate('7.2'), 'half_up', rate('7.1001'));
    expect([first.carryingCleared, first.after.carrying, first.gainLoss]).toEqual([cny('236.65'), cny('473.36'), cny('3.33')]);
    // A reversal or a credit note moves the carrying amount the same way, up or down.
    expect(carryingChange(first.after, usd('33.33'), rate('7.1001'))).toEqual(cny('236.65'));
    expect(carryingChange(first.after, usd('-66.67'), rate('7.1001'))).toEqual(cny('-473.36'));
    expect(codeOf(() => carryingChange(first.after, cny('1'), rate('7')))).toBe('currency_mismatch');
  });

  it('at the booked rate: carrying = outstanding × booked rate after every change, and the last payment clears the rest (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 10n }),
        fc.constantFrom('7.1', '7.1234', '6.98765432', '0.1404'),
        fc.array(fc.tuple(fc.bigInt({ min: -500n, max: 1000n }), fc.constantFrom('6.9', '7.0', '7.25')), { minLength: 1, maxLength: 8 }),
        (total, bookedText, steps) => {
          const booked = rate(bookedText);
          let bal = { outstanding: money(total, 'USD'), carrying: convertMoney(money(total, 'USD'), 'CNY', booked) };
          for (const [w, paidRate] of steps) {
            const delta = (bal.outstanding.minor * w) / 1000n;
            if (delta > 0n && delta <= bal.outstanding.minor) {
              const s = settleReceivable(bal, money(delta, 'USD'), rate(paidRate), 'half_up', booked);
              expect(s.gainLoss.minor).toBe(s.received.minor - s.carryingCleared.minor);
              bal = s.after;
            } else if (delta < 0n) {
              const c = carryingChange(bal, money(-delta, 'USD'), booked);
              bal = { outstanding: money(bal.outstanding.minor - delta, 'USD'), carrying: money(bal.carrying.minor + c.minor, 'CNY') };
            }
            expect(bal.carrying).toEqual(convertMoney(bal.outstanding, 'CNY', booked));
          }
          if (bal.outstanding.minor > 0n) {
            const last = settleReceivable(bal, bal.outstanding, rate('7'), 'half_up', booked);
            expect([last.carryingCleared, last.after.carrying.minor]).toEqual([bal.carrying, 0n]);
          }
        },
      ),
    );
  });

  it('however a receivable is paid, cleared carrying amounts add up to the booking and gains to received − booked (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 10n }),
        fc.array(fc.bigInt({ min: 1n, max: 1000n }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.constantFrom('6.9', '7.0', '7.1234', '7.25', '6.5'), { minLength: 8, maxLength: 8 }),
        (outstanding, weights, paidRates) => {
          const booked = convertMoney(money(outstanding, 'USD'), 'CNY', rate('7.1'));
          // split the outstanding into payments by weights (each ≥ 0, last gets the rest)
          const sumW = weights.reduce((a, b) => a + b, 0n);
          const parts = weights.map((w) => (outstanding * w) / sumW);
          parts[parts.length - 1] = outstanding - parts.slice(0, -1).reduce((a, b) => a + b, 0n);
          let bal = { outstanding: money(outstanding, 'USD'), carrying: booked };
          let cleared = 0n;
          let received = 0n;
          let gains = 0n;
          parts.forEach((p, i) => {
            if (p === 0n) return;
            const s = settleReceivable(bal, money(p, 'USD'), rate(paidRates[i]!));
            cleared += s.carryingCleared.minor;
            received += s.received.minor;
            gains += s.gainLoss.minor;
            bal = s.after;
          });
          expect(bal.outstanding.minor).toBe(0n);
          expect(bal.carrying.minor).toBe(0n);
          expect(cleared).toBe(booked.minor);
          expect(gains).toBe(received - booked.minor);
        },
      ),
    );
  });
});
