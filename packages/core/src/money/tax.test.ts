import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError } from '../platform/errors.ts';
import { money, parseMoney, type Money } from './money.ts';
import { CN_VAT_CODES, computeDocumentTax, splitInclusive, taxCodesFor, taxOnNet, validateTaxCode, type TaxCode, type TaxLineInput } from './tax.ts';

const cny = (s: string) => parseMoney(s, 'CNY');
const fen = (minor: bigint) => money(minor, 'CNY');
const CN = taxCodesFor(CN_VAT_CODES, 'CN');
const sum = (xs: readonly Money[]) => xs.reduce((a, x) => a + x.minor, 0n);

describe('tax codes', () => {
  it('ships the China VAT catalog: 13 %, 9 %, 6 %, 0 %, exempt, small-scale 3 % and 1 %', () => {
    const rates = CN_VAT_CODES.map((c) => [c.id, c.rate, c.kind]);
    expect(rates).toEqual([
      ['CN-VAT-13', '0.13', 'standard'],
      ['CN-VAT-9', '0.09', 'reduced'],
      ['CN-VAT-6', '0.06', 'reduced'],
      ['CN-VAT-0', '0', 'zero'],
      ['CN-VAT-EXEMPT', '0', 'exempt'],
      ['CN-VAT-SS-3', '0.03', 'small_scale'],
      ['CN-VAT-SS-1', '0.01', 'small_scale'],
    ]);
    for (const c of CN_VAT_CODES) expect(validateTaxCode(c)).toEqual(c);
  });

  it('validates configured codes: strict schema, rate ≤ 100 %, zero/exempt at 0', () => {
    const ok = { id: 'DE-19', name: 'MwSt 19%', rate: '0.19', region: 'DE', kind: 'standard' };
    expect(validateTaxCode(ok).rate).toBe('0.19');
    expect(() => validateTaxCode({ ...ok, extra: 1 })).toThrow();
    expect(() => validateTaxCode({ ...ok, rate: '19%' })).toThrow();
    expect(() => validateTaxCode({ ...ok, rate: '1.5' })).toThrow(AppError);
    expect(() => validateTaxCode({ ...ok, kind: 'exempt' })).toThrow(AppError);
  });

  it('resolves codes per region and lets a legal entity override a shared code', () => {
    const own: TaxCode = { id: 'CN-VAT-6', name: 'custom 6%', rate: '0.06', region: 'CN', kind: 'reduced', legalEntityId: 'le_b' };
    const other: TaxCode = { id: 'HK-0', name: 'none', rate: '0', region: 'HK', kind: 'zero' };
    const codes = [...CN_VAT_CODES, own, other];
    expect(taxCodesFor(codes, 'CN').get('CN-VAT-6')!.name).toBe('增值税 6% / VAT 6%');
    expect(taxCodesFor(codes, 'CN', 'le_a').get('CN-VAT-6')!.name).toBe('增值税 6% / VAT 6%');
    expect(taxCodesFor(codes, 'CN', 'le_b').get('CN-VAT-6')!.name).toBe('custom 6%');
    expect(taxCodesFor(codes, 'CN').has('HK-0')).toBe(false);
    expect([...taxCodesFor(codes, 'HK').keys()]).toEqual(['HK-0']);
  });
});

describe('价税分离: splitting tax-inclusive amounts', () => {
  // Textbook rule taught in Chinese tax and accounting courses: 不含税销售额 = 含税销售额 ÷ (1 + 税率),
  // 销项税额 = 不含税销售额 × 税率. A general taxpayer's ¥113,000 sale at 13 % is ¥100,000 + ¥13,000.
  it('reproduces the textbook 13 % example and the small-scale 3 % and 1 % levies', () => {
    expect(splitInclusive(cny('113000'), '0.13')).toEqual({ net: cny('100000'), tax: cny('13000') });
    expect(splitInclusive(cny('10900'), '0.09')).toEqual({ net: cny('10000'), tax: cny('900') });
    expect(splitInclusive(cny('10600'), '0.06')).toEqual({ net: cny('10000'), tax: cny('600') });
    // Small-scale taxpayers: 销售额 = 含税销售额 ÷ (1 + 征收率), at the 3 % levy rate and at the
    // reduced 1 % (State Taxation Administration announcements 2023 No. 1 and No. 19).
    expect(splitInclusive(cny('10300'), '0.03')).toEqual({ net: cny('10000'), tax: cny('300') });
    expect(splitInclusive(cny('10100'), '0.01')).toEqual({ net: cny('10000'), tax: cny('100') });
  });

  it('rounds the net once and gives the tax the rest, so they add up to the gross', () => {
    // 99.99 / 1.13 = 88.486… → 88.49; tax 11.50
    expect(splitInclusive(cny('99.99'), '0.13')).toEqual({ net: cny('88.49'), tax: cny('11.50') });
    // 1.13 × 0.005 boundary: 0.17 / 1.13 = 0.1504… → 0.15 net, 0.02 tax
    expect(splitInclusive(cny('0.17'), '0.13')).toEqual({ net: cny('0.15'), tax: cny('0.02') });
    expect(splitInclusive(cny('5'), '0')).toEqual({ net: cny('5'), tax: cny('0') });
    expect(splitInclusive(cny('-113'), '0.13')).toEqual({ net: cny('-100'), tax: cny('-13') });
  });

  it('net + tax = gross and the tax is within a fen of net × rate (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }),
        fc.constantFrom('0.13', '0.09', '0.06', '0.03', '0.01', '0', '0.175', '0.0825'),
        fc.constantFrom('half_up', 'half_even', 'up', 'down'),
        (g, rate, mode) => {
          const { net, tax } = splitInclusive(fen(g), rate, mode as any);
          expect(net.minor + tax.minor).toBe(g);
          const exact = taxOnNet(net, rate, 'half_up');
          const d = exact.minor - tax.minor;
          expect(d < 0n ? -d : d).toBeLessThanOrEqual(1n);
        },
      ),
    );
  });
});

const line = (amount: string, ...codes: string[]): TaxLineInput => ({ amount: cny(amount), taxCodeIds: codes });

describe('document tax, prices without tax', () => {
  it('per-line rounding rounds each line; per-document rounds each code once and hands it back', () => {
    const lines = [line('0.10', 'CN-VAT-13'), line('0.10', 'CN-VAT-13'), line('0.10', 'CN-VAT-13')];
    const perLine = computeDocumentTax(lines, { currency: 'CNY', codes: CN });
    expect(perLine.lines.map((l) => l.tax.minor)).toEqual([1n, 1n, 1n]);
    expect(perLine.tax).toEqual(cny('0.03'));
    const perDoc = computeDocumentTax(lines, { currency: 'CNY', codes: CN, rounding: 'document' });
    // 0.30 × 13 % = 0.039 → 0.04, handed back 2 + 1 + 1 fen
    expect(perDoc.tax).toEqual(cny('0.04'));
    expect(perDoc.lines.map((l) => l.tax.minor)).toEqual([2n, 1n, 1n]);
    expect(perDoc.byCode).toEqual([{ taxCodeId: 'CN-VAT-13', rate: '0.13', kind: 'standard', base: cny('0.30'), amount: cny('0.04') }]);
    expect(perDoc.gross).toEqual(cny('0.34'));
  });

  it('keeps codes apart: totals per rate, exempt and zero-rated lines carry no tax', () => {
    const d = computeDocumentTax(
      [line('1000', 'CN-VAT-13'), line('500', 'CN-VAT-6'), line('200', 'CN-VAT-EXEMPT'), line('300', 'CN-VAT-0'), line('333.33', 'CN-VAT-13')],
      { currency: 'CNY', codes: CN },
    );
    expect(d.byCode.map((c) => [c.taxCodeId, c.base.minor, c.amount.minor])).toEqual([
      ['CN-VAT-13', 133333n, 17333n], // 130.00 + 43.33 (43.3329 → 43.33)
      ['CN-VAT-6', 50000n, 3000n],
      ['CN-VAT-EXEMPT', 20000n, 0n],
      ['CN-VAT-0', 30000n, 0n],
    ]);
    expect(d.net).toEqual(cny('2333.33'));
    expect(d.tax).toEqual(cny('203.33'));
    expect(d.gross).toEqual(cny('2536.66'));
  });

  // Québec: until 31 December 2012 the QST (9.5 %) was levied on the price including the 5 % GST;
  // from 1 January 2013 the rate became 9.975 % on the price alone (9.5 % × 1.05), as announced by
  // Revenu Québec for the QST/GST harmonisation. Both give the same tax on $100.00.
  it('compound and non-compound taxes on one line (Québec QST before and after 2013)', () => {
    const codes = new Map<string, TaxCode>([
      ['GST', { id: 'GST', name: 'GST 5%', rate: '0.05', region: 'CA-QC', kind: 'standard' }],
      ['QST-2012', { id: 'QST-2012', name: 'QST 9.5% on price + GST', rate: '0.095', region: 'CA-QC', kind: 'standard', compound: true }],
      ['QST', { id: 'QST', name: 'QST 9.975%', rate: '0.09975', region: 'CA-QC', kind: 'standard' }],
    ]);
    const usd = (s: string): TaxLineInput['amount'] => parseMoney(s, 'CAD');
    const before = computeDocumentTax([{ amount: usd('100'), taxCodeIds: ['GST', 'QST-2012'] }], { currency: 'CAD', codes });
    expect(before.lines[0]!.taxes.map((t) => t.amount.minor)).toEqual([500n, 998n]); // 9.975 → 9.98
    expect(before.byCode[1]!.base).toEqual(usd('105'));
    const after = computeDocumentTax([{ amount: usd('100'), taxCodeIds: ['GST', 'QST'] }], { currency: 'CAD', codes });
    expect(after.lines[0]!.taxes.map((t) => t.amount.minor)).toEqual([500n, 998n]);
    expect(after.gross).toEqual(usd('114.98'));
    // per-document rounding of the compound tax: exact 9.975 per line, ×3 = 29.925 → 29.93
    const three = computeDocumentTax(
      [0, 1, 2].map(() => ({ amount: usd('100'), taxCodeIds: ['GST', 'QST-2012'] })),
      { currency: 'CAD', codes, rounding: 'document' },
    );
    expect(three.byCode.map((c) => c.amount.minor)).toEqual([1500n, 2993n]);
    expect(three.lines.map((l) => l.taxes[1]!.amount.minor)).toEqual([998n, 998n, 997n]);
  });

  it('refuses unknown and duplicate codes, foreign-currency lines and mixed signs under document rounding', () => {
    expect(() => computeDocumentTax([line('1', 'NOPE')], { currency: 'CNY', codes: CN })).toThrow(AppError);
    expect(() => computeDocumentTax([line('1', 'CN-VAT-13', 'CN-VAT-13')], { currency: 'CNY', codes: CN })).toThrow(AppError);
    expect(() => computeDocumentTax([{ amount: money(1n, 'USD'), taxCodeIds: [] }], { currency: 'CNY', codes: CN })).toThrow(AppError);
    let code = '';
    try {
      computeDocumentTax([line('1', 'CN-VAT-13'), line('-1', 'CN-VAT-13')], { currency: 'CNY', codes: CN, rounding: 'document' });
    } catch (e) {
      code = (e as AppError).code;
    }
    expect(code).toBe('mixed_signs');
  });

  it('a credit note (all negative) is the exact mirror of the invoice', () => {
    const inv = [line('0.10', 'CN-VAT-13'), line('0.10', 'CN-VAT-13'), line('12.34', 'CN-VAT-9')];
    const cn = inv.map((l) => ({ ...l, amount: fen(-l.amount.minor) }));
    for (const rounding of ['line', 'document'] as const) {
      const a = computeDocumentTax(inv, { currency: 'CNY', codes: CN, rounding });
      const b = computeDocumentTax(cn, { currency: 'CNY', codes: CN, rounding });
      expect(b.lines.map((l) => -l.tax.minor)).toEqual(a.lines.map((l) => l.tax.minor));
      expect(b.gross.minor).toBe(-a.gross.minor);
    }
  });
});

describe('document tax, prices with tax', () => {
  it('splits each line (line rounding) or each group of lines (document rounding)', () => {
    const lines = [line('1.13', 'CN-VAT-13'), line('1.13', 'CN-VAT-13'), line('0.50', 'CN-VAT-13')];
    const perLine = computeDocumentTax(lines, { currency: 'CNY', codes: CN, pricesIncludeTax: true });
    // 1.00 + 0.13; 1.00 + 0.13; 0.50 / 1.13 = 0.4425 → 0.44 + 0.06
    expect(perLine.lines.map((l) => [l.net.minor, l.tax.minor])).toEqual([[100n, 13n], [100n, 13n], [44n, 6n]]);
    expect(perLine.tax).toEqual(cny('0.32'));
    const perDoc = computeDocumentTax(lines, { currency: 'CNY', codes: CN, pricesIncludeTax: true, rounding: 'document' });
    // 2.76 / 1.13 = 2.4425 → 2.44 net, 0.32 tax for the group, handed back by gross
    expect(perDoc.net).toEqual(cny('2.44'));
    expect(perDoc.tax).toEqual(cny('0.32'));
    expect(perDoc.gross).toEqual(cny('2.76'));
    expect(perDoc.lines.map((l) => l.tax.minor)).toEqual([13n, 13n, 6n]);
  });

  it('splits the tax of a two-tax line between its codes by their rates', () => {
    const codes = new Map<string, TaxCode>([
      ['A', { id: 'A', name: 'A 10%', rate: '0.1', region: 'X', kind: 'standard' }],
      ['B', { id: 'B', name: 'B 5%', rate: '0.05', region: 'X', kind: 'standard' }],
    ]);
    const d = computeDocumentTax([line('115', 'A', 'B')], { currency: 'CNY', codes, pricesIncludeTax: true });
    expect(d.lines[0]!.net).toEqual(cny('100'));
    expect(d.lines[0]!.taxes.map((t) => t.amount)).toEqual([cny('10'), cny('5')]);
  });
});

const arbLines = fc.array(
  fc.record({
    minor: fc.bigInt({ min: 0n, max: 10n ** 11n }),
    codes: fc.subarray(['CN-VAT-13', 'CN-VAT-9', 'CN-VAT-6', 'CN-VAT-0', 'CN-VAT-SS-3', 'C-COMP'], { minLength: 0, maxLength: 3 }),
  }),
  { minLength: 1, maxLength: 25 },
);
const withCompound = new Map(CN);
withCompound.set('C-COMP', { id: 'C-COMP', name: 'compound 2.5%', rate: '0.025', region: 'CN', kind: 'standard', compound: true });

describe('document tax properties', () => {
  it('every line and the document satisfy net + tax = gross; lines add up to the per-code totals', () => {
    fc.assert(
      fc.property(
        arbLines,
        fc.boolean(),
        fc.constantFrom('line', 'document'),
        fc.constantFrom('half_up', 'half_even', 'up', 'down'),
        fc.boolean(),
        (raw, inclusive, rounding, mode, negative) => {
          const lines = raw.map((r) => ({ amount: fen(negative ? -r.minor : r.minor), taxCodeIds: r.codes }));
          const d = computeDocumentTax(lines, { currency: 'CNY', codes: withCompound, pricesIncludeTax: inclusive, rounding: rounding as any, mode: mode as any });
          d.lines.forEach((l, i) => {
            expect(l.net.minor + l.tax.minor).toBe(l.gross.minor);
            expect(sum(l.taxes.map((t) => t.amount))).toBe(l.tax.minor);
            expect(inclusive ? l.gross.minor : l.net.minor).toBe(lines[i]!.amount.minor);
          });
          expect(d.net.minor + d.tax.minor).toBe(d.gross.minor);
          expect(sum(d.lines.map((l) => l.gross))).toBe(d.gross.minor);
          for (const c of d.byCode) {
            const fromLines = d.lines.flatMap((l) => l.taxes.filter((t) => t.taxCodeId === c.taxCodeId).map((t) => t.amount));
            expect(sum(fromLines)).toBe(c.amount.minor);
          }
          expect(sum(d.byCode.map((c) => c.amount))).toBe(d.tax.minor);
        },
      ),
    );
  });

  it('per-document rounding with tax-inclusive prices: each line tax is within a fen of gross × r / (1 + r)', () => {
    fc.assert(
      fc.property(arbLines, (raw) => {
        const lines = raw.map((r) => ({ amount: fen(r.minor), taxCodeIds: r.codes.filter((c) => c !== 'C-COMP').slice(0, 1) }));
        const d = computeDocumentTax(lines, { currency: 'CNY', codes: CN, rounding: 'document', pricesIncludeTax: true });
        d.lines.forEach((l, i) => {
          const id = lines[i]!.taxCodeIds[0];
          const [w, f = ''] = (id ? CN.get(id)!.rate : '0').split('.');
          const r = BigInt(w! + f);
          const scale = 10n ** BigInt(f.length);
          const diff = l.tax.minor * (scale + r) - lines[i]!.amount.minor * r; // (tax − exact) × (1 + r) × scale
          expect(diff < 0n ? -diff : diff).toBeLessThan(scale + r);
        });
      }),
    );
  });

  it('per-document rounding: each non-compound code total is Σ net × rate rounded once, and each line is within a fen of its exact tax', () => {
    fc.assert(
      fc.property(arbLines, fc.constantFrom('half_up', 'half_even', 'up', 'down'), (raw, mode) => {
        const lines = raw.map((r) => ({ amount: fen(r.minor), taxCodeIds: r.codes.filter((c) => c !== 'C-COMP') }));
        const d = computeDocumentTax(lines, { currency: 'CNY', codes: CN, rounding: 'document', mode: mode as any });
        for (const c of d.byCode) {
          const baseSum = sum(lines.filter((l) => l.taxCodeIds.includes(c.taxCodeId)).map((l) => l.amount));
          expect(c.amount).toEqual(taxOnNet(fen(baseSum), c.rate, mode as any));
        }
        d.lines.forEach((l, i) =>
          l.taxes.forEach((t) => {
            const rate = CN.get(t.taxCodeId)!.rate;
            const [w, f = ''] = rate.split('.');
            const exactNum = lines[i]!.amount.minor * BigInt(w! + f); // exact tax × 10^len(f)
            const scale = 10n ** BigInt(f.length);
            const diff = t.amount.minor * scale - exactNum;
            expect(diff < 0n ? -diff : diff).toBeLessThan(scale);
          }),
        );
      }),
    );
  });
});
