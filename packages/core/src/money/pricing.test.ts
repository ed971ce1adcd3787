import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError } from '../platform/errors.ts';
import { parseQty } from '../platform/money.ts';
import { money, parseMoney } from './money.ts';
import { findPrice, priceLine, schemeAmount, spreadDocumentDiscount, validateTiers, type PriceBook, type PriceScheme, type PriceTier } from './pricing.ts';

const usd = (s: string) => parseMoney(s, 'USD');
const cny = (s: string) => parseMoney(s, 'CNY');
const units = (n: number) => n * 1000;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e.extra.fields?.[0]?.code ?? e.code;
    throw e;
  }
  return 'no error';
}

// Stripe documentation, "Set up tiered pricing" (docs.stripe.com/subscriptions/pricing-models/tiered-pricing):
// Typographic's fonts priced 1–5 at 7 USD, 6–10 at 6.50 USD, 11+ at 6 USD.
const typographic: PriceTier[] = [
  { upToMilli: units(5), unitPrice: 700n },
  { upToMilli: units(10), unitPrice: 650n },
  { upToMilli: null, unitPrice: 600n },
];
// Stripe documentation, "Tiered pricing" (stripe.com/docs/billing/subscriptions/tiers): $5 up to 5,
// $4 up to 10, $3 up to 15, $2 up to 20, $1 above.
const fiveTiers: PriceTier[] = [
  { upToMilli: units(5), unitPrice: 500n },
  { upToMilli: units(10), unitPrice: 400n },
  { upToMilli: units(15), unitPrice: 300n },
  { upToMilli: units(20), unitPrice: 200n },
  { upToMilli: null, unitPrice: 100n },
];

describe('tiered prices, reproducing Stripe\'s documented examples', () => {
  it('volume: the whole quantity at the tier reached (Typographic table)', () => {
    const scheme: PriceScheme = { kind: 'volume', tiers: typographic };
    const table: Array<[number, string]> = [
      [1, '7'],
      [5, '35'],
      [6, '39'],
      [20, '120'],
      [25, '150'],
    ];
    for (const [q, want] of table) expect(schemeAmount(scheme, units(q), 'USD'), `${q}`).toEqual(usd(want));
  });

  it('graduated: each unit in its own tier (Typographic: 5 fonts cost 35 USD either way)', () => {
    const scheme: PriceScheme = { kind: 'graduated', tiers: typographic };
    expect(schemeAmount(scheme, units(5), 'USD')).toEqual(usd('35'));
    expect(schemeAmount(scheme, units(6), 'USD')).toEqual(usd('41.50')); // 5 × 7 + 1 × 6.50
    expect(schemeAmount(scheme, units(20), 'USD')).toEqual(usd('127.50')); // 35 + 32.50 + 10 × 6
    expect(schemeAmount(scheme, units(25), 'USD')).toEqual(usd('157.50'));
  });

  it('volume totals can drop at a boundary; graduated for 6 is $29 (five-tier example)', () => {
    const volume: PriceScheme = { kind: 'volume', tiers: fiveTiers };
    const table: Array<[number, string]> = [
      [1, '5'],
      [5, '25'],
      [6, '24'],
      [20, '40'],
      [25, '25'],
    ];
    for (const [q, want] of table) expect(schemeAmount(volume, units(q), 'USD'), `${q}`).toEqual(usd(want));
    expect(schemeAmount({ kind: 'graduated', tiers: fiveTiers }, units(6), 'USD')).toEqual(usd('29'));
  });

  it('flat fees per tier, fractional quantities and rounding once', () => {
    const tiers: PriceTier[] = [
      { upToMilli: units(10), unitPrice: 1000n, flatFee: 5000n },
      { upToMilli: null, unitPrice: 333n, flatFee: 100n },
    ];
    // graduated 12.5: 50 + 10 × 10 + 1 + 2.5 × 3.33 = 151 + 8.325 → 159.33
    expect(schemeAmount({ kind: 'graduated', tiers }, parseQty('12.5'), 'USD')).toEqual(usd('159.33'));
    expect(schemeAmount({ kind: 'graduated', tiers }, parseQty('12.5'), 'USD', 'down')).toEqual(usd('159.32'));
    // volume 12.5: 1 + 12.5 × 3.33 = 42.625 → 42.63 (half_up), 42.62 (half_even)
    expect(schemeAmount({ kind: 'volume', tiers }, parseQty('12.5'), 'USD')).toEqual(usd('42.63'));
    expect(schemeAmount({ kind: 'volume', tiers }, parseQty('12.5'), 'USD', 'half_even')).toEqual(usd('42.62'));
    // bounds are inclusive: exactly 10 is in the first tier
    expect(schemeAmount({ kind: 'volume', tiers }, units(10), 'USD')).toEqual(usd('150'));
    expect(schemeAmount({ kind: 'volume', tiers }, 0, 'USD')).toEqual(usd('0'));
    expect(schemeAmount({ kind: 'per_unit', unitPrice: 123456n }, units(3), 'CNY')).toEqual(cny('3703.68'));
  });

  it('refuses malformed tiers and quantities', () => {
    expect(codeOf(() => validateTiers([]))).toBe('invalid_tiers');
    expect(codeOf(() => validateTiers([{ upToMilli: 5, unitPrice: 1n }]))).toBe('invalid_tiers');
    expect(codeOf(() => validateTiers([{ upToMilli: null, unitPrice: 1n }, { upToMilli: null, unitPrice: 1n }]))).toBe('invalid_tiers');
    expect(codeOf(() => validateTiers([{ upToMilli: 5, unitPrice: 1n }, { upToMilli: 5, unitPrice: 1n }, { upToMilli: null, unitPrice: 1n }]))).toBe('invalid_tiers');
    expect(codeOf(() => validateTiers([{ upToMilli: null, unitPrice: -1n }]))).toBe('invalid_tiers');
    expect(codeOf(() => schemeAmount({ kind: 'per_unit', unitPrice: 1n }, -1, 'USD'))).toBe('invalid_quantity');
    expect(codeOf(() => schemeAmount({ kind: 'per_unit', unitPrice: 1n }, 1.5, 'USD'))).toBe('invalid_quantity');
  });
});

const arbTiers = fc
  .tuple(fc.uniqueArray(fc.integer({ min: 1, max: 50 }), { minLength: 0, maxLength: 5 }), fc.array(fc.bigInt({ min: 0n, max: 100_000n }), { minLength: 6, maxLength: 6 }))
  .map(([bounds, prices]) => {
    const sorted = [...bounds].sort((a, b) => a - b);
    return [...sorted.map((b, i) => ({ upToMilli: units(b), unitPrice: prices[i]! })), { upToMilli: null, unitPrice: prices[sorted.length]! }] as PriceTier[];
  });

/** The price of the k-th whole unit (1-based): the tier that contains it. */
const unitPriceAt = (tiers: PriceTier[], k: number) => tiers.find((t) => t.upToMilli === null || units(k) <= t.upToMilli)!.unitPrice;

describe('tiered price properties', () => {
  it('graduated equals the sum of each unit at its tier; volume equals all units at the last unit\'s tier', () => {
    fc.assert(
      fc.property(arbTiers, fc.integer({ min: 0, max: 80 }), (tiers, n) => {
        let sum = 0n;
        for (let k = 1; k <= n; k++) sum += unitPriceAt(tiers, k);
        expect(schemeAmount({ kind: 'graduated', tiers }, units(n), 'USD').minor).toBe(sum);
        const vol = n ? BigInt(n) * unitPriceAt(tiers, n) : 0n;
        expect(schemeAmount({ kind: 'volume', tiers }, units(n), 'USD').minor).toBe(vol);
      }),
    );
  });

  it('graduated is monotone in the quantity; volume is monotone inside a tier; with falling prices graduated ≥ volume', () => {
    fc.assert(
      fc.property(arbTiers, fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: 0, max: 5_000 }), (tiers, q, dq) => {
        const g = (x: number) => schemeAmount({ kind: 'graduated', tiers }, x, 'USD').minor;
        const v = (x: number) => schemeAmount({ kind: 'volume', tiers }, x, 'USD').minor;
        expect(g(q + dq) >= g(q)).toBe(true);
        const tierOf = (x: number) => tiers.findIndex((t) => t.upToMilli === null || x <= t.upToMilli);
        if (q > 0 && tierOf(q) === tierOf(q + dq)) expect(v(q + dq) >= v(q)).toBe(true);
        const falling = tiers.every((t, i) => i === 0 || t.unitPrice <= tiers[i - 1]!.unitPrice);
        if (falling) expect(g(q) >= v(q)).toBe(true);
      }),
    );
  });
});

describe('line and document discounts', () => {
  it('takes a line discount as a rate or an amount off', () => {
    const scheme: PriceScheme = { kind: 'per_unit', unitPrice: 123456n };
    // same figures as lineAmounts in the platform: 3 × 1,234.56 = 3,703.68, 10 % off = 370.368 → 370.37
    expect(priceLine(scheme, units(3), 'CNY', { kind: 'percent', rate: '0.1' })).toEqual({ listAmount: cny('3703.68'), lineDiscount: cny('370.37'), amount: cny('3333.31') });
    expect(priceLine(scheme, units(3), 'CNY', { kind: 'amount', amount: cny('3.68') }).amount).toEqual(cny('3700'));
    expect(priceLine(scheme, units(3), 'CNY').lineDiscount).toEqual(cny('0'));
    expect(codeOf(() => priceLine(scheme, units(1), 'CNY', { kind: 'amount', amount: cny('2000') }))).toBe('discount_exceeds_amount');
    expect(codeOf(() => priceLine(scheme, units(1), 'CNY', { kind: 'percent', rate: '1.01' }))).toBe('invalid_discount');
    expect(codeOf(() => priceLine(scheme, units(1), 'CNY', { kind: 'amount', amount: usd('1') }))).toBe('currency_mismatch');
  });

  it('spreads a document discount over the lines so the totals still add up', () => {
    const lines = [cny('100'), cny('200'), cny('0.01')];
    const pct = spreadDocumentDiscount(lines, { kind: 'percent', rate: '0.1' }, 'CNY');
    // 300.01 × 10 % = 30.001 → 30.00; shares 10.00 / 20.00 / 0.00
    expect(pct.total).toEqual(cny('30'));
    expect(pct.shares).toEqual([cny('10'), cny('20'), cny('0')]);
    expect(pct.amounts).toEqual([cny('90'), cny('180'), cny('0.01')]);
    const amt = spreadDocumentDiscount([cny('1'), cny('1'), cny('1')], { kind: 'amount', amount: cny('1') }, 'CNY');
    expect(amt.shares).toEqual([cny('0.34'), cny('0.33'), cny('0.33')]);
    expect(codeOf(() => spreadDocumentDiscount([cny('1')], { kind: 'amount', amount: cny('2') }, 'CNY'))).toBe('discount_exceeds_amount');
    expect(codeOf(() => spreadDocumentDiscount([cny('-1')], { kind: 'amount', amount: cny('0') }, 'CNY'))).toBe('invalid_discount');
    expect(codeOf(() => spreadDocumentDiscount([usd('1')], { kind: 'amount', amount: cny('0') }, 'CNY'))).toBe('currency_mismatch');
  });

  it('shares add up to the discount, each line stays ≥ 0 and within a unit of its proportional share (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 10n }), { minLength: 1, maxLength: 20 }),
        fc.oneof(
          fc.constantFrom('0', '0.05', '0.1', '0.125', '0.333', '1').map((rate) => ({ kind: 'percent' as const, rate })),
          fc.bigInt({ min: 0n, max: 10n ** 10n }).map((a) => ({ kind: 'amount' as const, amount: money(a, 'CNY') })),
        ),
        (raw, d) => {
          const lines = raw.map((m) => money(m, 'CNY'));
          const sum = raw.reduce((a, b) => a + b, 0n);
          if (d.kind === 'amount' && d.amount.minor > sum) return;
          const r = spreadDocumentDiscount(lines, d, 'CNY');
          expect(r.shares.reduce((a, s) => a + s.minor, 0n)).toBe(r.total.minor);
          expect(r.amounts.reduce((a, s) => a + s.minor, 0n)).toBe(sum - r.total.minor);
          r.amounts.forEach((a) => expect(a.minor >= 0n).toBe(true));
          if (sum > 0n)
            r.shares.forEach((s, i) => {
              const diff = s.minor * sum - r.total.minor * raw[i]!;
              expect(diff < 0n ? -diff : diff).toBeLessThan(sum);
            });
        },
      ),
    );
  });
});

describe('price books', () => {
  const books: PriceBook[] = [
    { id: 'pb_cny_list', name: 'CNY list', currency: 'CNY', pricesIncludeTax: true, isDefault: true, entries: [{ productId: 'p1', scheme: { kind: 'per_unit', unitPrice: 11300n } }] },
    { id: 'pb_cny_partner', name: 'CNY partners', currency: 'CNY', pricesIncludeTax: false, entries: [{ productId: 'p1', scheme: { kind: 'per_unit', unitPrice: 9000n } }, { productId: 'p2', scheme: { kind: 'per_unit', unitPrice: 500n } }] },
    { id: 'pb_usd', name: 'USD list', currency: 'USD', pricesIncludeTax: false, isDefault: true, validFrom: '2026-01-01', validTo: '2026-12-31', entries: [{ productId: 'p1', scheme: { kind: 'per_unit', unitPrice: 1500n } }] },
  ];

  it('prefers the named book, then the default book of the currency, then another book listing the product', () => {
    expect(findPrice(books, { productId: 'p1', currency: 'CNY', date: '2026-03-01' }).book.id).toBe('pb_cny_list');
    expect(findPrice(books, { productId: 'p1', currency: 'CNY', date: '2026-03-01', priceBookId: 'pb_cny_partner' }).entry.scheme).toEqual({ kind: 'per_unit', unitPrice: 9000n });
    expect(findPrice(books, { productId: 'p2', currency: 'CNY', date: '2026-03-01' }).book.id).toBe('pb_cny_partner');
    expect(findPrice(books, { productId: 'p1', currency: 'USD', date: '2026-12-31' }).book.pricesIncludeTax).toBe(false);
  });

  it('never converts across currencies and respects validity', () => {
    expect(codeOf(() => findPrice(books, { productId: 'p2', currency: 'USD', date: '2026-03-01' }))).toBe('no_price');
    expect(codeOf(() => findPrice(books, { productId: 'p1', currency: 'USD', date: '2027-01-01' }))).toBe('no_price');
    expect(codeOf(() => findPrice(books, { productId: 'p1', currency: 'USD', date: '2026-03-01', priceBookId: 'pb_cny_list' }))).toBe('currency_mismatch');
    expect(codeOf(() => findPrice(books, { productId: 'p1', currency: 'USD', date: '2027-03-01', priceBookId: 'pb_usd' }))).toBe('price_book_expired');
    expect(codeOf(() => findPrice(books, { productId: 'p1', currency: 'CNY', date: '2026-03-01', priceBookId: 'nope' }))).toBe('unknown_reference');
    expect(codeOf(() => findPrice(books, { productId: 'p9', currency: 'CNY', date: '2026-03-01', priceBookId: 'pb_cny_list' }))).toBe('no_price');
  });
});
