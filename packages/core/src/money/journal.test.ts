import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError } from '../platform/errors.ts';
import { money, parseMoney } from './money.ts';
import { settleReceivable } from './fx.ts';
import {
  DEFAULT_CHART_OF_ACCOUNTS as chart,
  assertBalanced,
  exportJournalCsv,
  exportJournalLines,
  parseChartOfAccounts,
  postCreditNote,
  postDunningCharge,
  postFxDifference,
  postInvoice,
  postPayment,
  postRevenueRecognition,
  postSettlement,
  trialBalance,
  type JournalEntry,
} from './journal.ts';

const cny = (s: string) => parseMoney(s, 'CNY');
const usd = (s: string) => parseMoney(s, 'USD');
const fen = (m: bigint) => money(m, 'CNY');
const lines = (e: JournalEntry) => e.lines.map((l) => [l.account, l.debit, l.credit]);

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e.extra.fields?.[0]?.code ?? e.code;
    throw e;
  }
  return 'no error';
}

describe('postings', () => {
  // The entry taught in Chinese accounting textbooks for a general taxpayer's sale on credit of
  // ¥10,000 plus 13 % VAT: 借：应收账款 11,300；贷：主营业务收入 10,000，应交税费—应交增值税（销项税额）1,300.
  it('invoice: Dr AR 11,300 / Cr revenue 10,000 / Cr VAT output 1,300', () => {
    const e = postInvoice(chart, { date: '2026-03-31', documentRef: 'INV-2026-000001', currency: 'CNY', net: cny('10000'), tax: cny('1300') });
    expect(lines(e)).toEqual([
      ['1122', 1130000n, 0n],
      ['6001', 0n, 1000000n],
      ['22210102', 0n, 130000n],
    ]);
    expect(e.description).toBe('Invoice INV-2026-000001');
  });

  it('an annual subscription invoiced up front goes to deferred revenue and is recognised month by month', () => {
    const inv = postInvoice(chart, {
      date: '2026-01-01',
      documentRef: 'INV-2026-000002',
      currency: 'CNY',
      net: cny('12000'),
      deferred: cny('12000'),
      tax: [{ taxCodeId: 'CN-VAT-6', amount: cny('720') }],
    });
    expect(inv.lines).toEqual([
      { account: '1122', debit: 1272000n, credit: 0n },
      { account: '2205', debit: 0n, credit: 1200000n },
      { account: '22210102', debit: 0n, credit: 72000n, memo: 'CN-VAT-6' },
    ]);
    const jan = postRevenueRecognition(chart, '2026-01-31', 'INV-2026-000002', cny('1000'));
    expect(lines(jan)).toEqual([
      ['2205', 100000n, 0n],
      ['6001', 0n, 100000n],
    ]);
    const down = postRevenueRecognition(chart, '2026-02-28', 'INV-2026-000002', cny('-50'), 'catch-up');
    expect(lines(down)).toEqual([
      ['2205', 0n, 5000n],
      ['6001', 5000n, 0n],
    ]);
    expect(codeOf(() => postInvoice(chart, { date: '2026-01-01', documentRef: 'x', currency: 'CNY', net: cny('1'), deferred: cny('2'), tax: cny('0') }))).toBe('invalid_amount');
  });

  it('credit note reverses the invoice; together they leave every account at zero', () => {
    const p = { date: '2026-03-31', documentRef: 'CN-2026-000001', currency: 'CNY', net: cny('10000'), deferred: cny('4000'), tax: cny('1300') };
    const cn = postCreditNote(chart, p);
    expect(lines(cn)).toEqual([
      ['1122', 0n, 1130000n],
      ['6001', 600000n, 0n],
      ['2205', 400000n, 0n],
      ['22210102', 130000n, 0n],
    ]);
    const [tb] = trialBalance([postInvoice(chart, { ...p, documentRef: 'INV-1' }), cn]);
    expect(tb!.rows.every((r) => r.balance === 0n)).toBe(true);
  });

  it('payment with bank charges', () => {
    const e = postPayment(chart, { date: '2026-04-10', documentRef: 'PAY-1', currency: 'CNY', received: cny('1000'), arCleared: cny('1000'), bankCharges: cny('5') });
    expect(lines(e)).toEqual([
      ['1002', 99500n, 0n],
      ['660303', 500n, 0n],
      ['1122', 0n, 100000n],
    ]);
    expect(codeOf(() => postPayment(chart, { date: '2026-04-10', documentRef: 'x', currency: 'CNY', received: cny('1'), arCleared: cny('1'), bankCharges: cny('2') }))).toBe('invalid_amount');
    expect(codeOf(() => postPayment(chart, { date: '2026-04-10', documentRef: 'x', currency: 'CNY', received: usd('1'), arCleared: cny('1') }))).toBe('currency_mismatch');
  });

  it('foreign-currency settlement books the realised FX gain or loss (USD 10,000 booked at 7.10)', () => {
    const balance = { outstanding: usd('10000'), carrying: cny('71000') };
    const gain = postSettlement(chart, '2026-05-01', 'PAY-2', settleReceivable(balance, usd('10000'), { num: 36n, den: 5n }));
    expect(lines(gain)).toEqual([
      ['1002', 7200000n, 0n],
      ['1122', 0n, 7100000n],
      ['660301', 0n, 100000n],
    ]);
    const loss = postSettlement(chart, '2026-05-01', 'PAY-3', settleReceivable(balance, usd('10000'), { num: 141n, den: 20n }), cny('20'));
    expect(lines(loss)).toEqual([
      ['1002', 7048000n, 0n],
      ['660303', 2000n, 0n],
      ['1122', 0n, 7100000n],
      ['660302', 50000n, 0n],
    ]);
  });

  it('FX revaluation, dunning charges', () => {
    expect(lines(postFxDifference(chart, '2026-06-30', 'INV-9', cny('12.34')))).toEqual([
      ['1122', 1234n, 0n],
      ['660301', 0n, 1234n],
    ]);
    expect(lines(postFxDifference(chart, '2026-06-30', 'INV-9', cny('-12.34')))).toEqual([
      ['1122', 0n, 1234n],
      ['660302', 1234n, 0n],
    ]);
    expect(codeOf(() => postFxDifference(chart, '2026-06-30', 'INV-9', cny('0')))).toBe('invalid_amount');
    expect(postDunningCharge(chart, '2026-04-15', 'INV-1', cny('100'), cny('225')).lines).toEqual([
      { account: '1122', debit: 32500n, credit: 0n },
      { account: '6301', debit: 0n, credit: 10000n, memo: 'fee' },
      { account: '6301', debit: 0n, credit: 22500n, memo: 'interest' },
    ]);
    expect(postDunningCharge(chart, '2026-04-15', 'INV-1', cny('100'), cny('0')).lines).toHaveLength(2);
    expect(codeOf(() => postDunningCharge(chart, '2026-04-15', 'INV-1', cny('0'), cny('0')))).toBe('invalid_amount');
  });
});

describe('balance checks', () => {
  const ok: JournalEntry = {
    date: '2026-01-01',
    documentRef: 'J-1',
    description: 'x',
    currency: 'CNY',
    lines: [
      { account: '1', debit: 5n, credit: 0n },
      { account: '2', debit: 0n, credit: 5n },
    ],
  };

  it('refuses an unbalanced entry with 422 unbalanced_entry, and malformed lines', () => {
    expect(assertBalanced(ok)).toBe(ok);
    let err: AppError | undefined;
    try {
      assertBalanced({ ...ok, lines: [ok.lines[0]!, { account: '2', debit: 0n, credit: 4n }] });
    } catch (e) {
      err = e as AppError;
    }
    expect([err?.status, err?.code, err?.extra.debit, err?.extra.credit]).toEqual([422, 'unbalanced_entry', '5', '4']);
    expect(codeOf(() => assertBalanced({ ...ok, lines: [ok.lines[0]!] }))).toBe('invalid_entry');
    expect(codeOf(() => assertBalanced({ ...ok, lines: [...ok.lines, { account: '3', debit: 1n, credit: 1n }] }))).toBe('invalid_entry');
    expect(codeOf(() => assertBalanced({ ...ok, lines: [...ok.lines, { account: '3', debit: 0n, credit: 0n }] }))).toBe('invalid_entry');
    expect(codeOf(() => assertBalanced({ ...ok, lines: [{ account: '1', debit: -5n, credit: 0n }, { account: '2', debit: -5n, credit: 0n }] }))).toBe('invalid_entry');
    expect(codeOf(() => assertBalanced({ ...ok, date: '2026-02-30' }))).toBe('invalid_date');
    expect(codeOf(() => assertBalanced({ ...ok, documentRef: '' }))).toBe('required');
    expect(() => trialBalance([{ ...ok, lines: [ok.lines[0]!, { account: '2', debit: 0n, credit: 4n }] }])).toThrow(AppError);
  });

  it('takes a configured chart strictly', () => {
    expect(parseChartOfAccounts({ ...chart })).toEqual(chart);
    expect(() => parseChartOfAccounts({ ...chart, ar: { code: '1002', name: 'AR' } })).toThrow(AppError);
    expect(() => parseChartOfAccounts({ ...chart, extra: { code: '1', name: 'x' } })).toThrow();
    expect(() => parseChartOfAccounts({ ...chart, cash: { code: 'a b', name: 'x' } })).toThrow();
  });
});

describe('trial balance and export', () => {
  const entries = [
    postInvoice(chart, { date: '2026-03-31', documentRef: 'INV-1', currency: 'CNY', net: cny('10000'), deferred: cny('3000'), tax: cny('1300') }),
    postPayment(chart, { date: '2026-04-10', documentRef: 'PAY-1', currency: 'CNY', received: cny('11300'), arCleared: cny('11300'), bankCharges: cny('5') }),
    postRevenueRecognition(chart, '2026-04-30', 'INV-1', cny('1000')),
    postDunningCharge(chart, '2026-04-15', 'INV-1', cny('50'), cny('0')),
    postInvoice(chart, { date: '2026-03-31', documentRef: 'INV-USD-1', currency: 'USD', net: usd('100'), tax: usd('0') }),
  ];

  it('sums accounts per currency, debits equal credits', () => {
    const [cnyTb, usdTb] = trialBalance(entries);
    expect(cnyTb!.currency).toBe('CNY');
    expect(cnyTb!.rows.map((r) => [r.account, r.balance])).toEqual([
      ['1002', 1129500n],
      ['1122', 5000n],
      ['2205', -200000n],
      ['22210102', -130000n],
      ['6001', -800000n],
      ['6301', -5000n],
      ['660303', 500n],
    ]);
    expect(cnyTb!.debit).toBe(cnyTb!.credit);
    expect(usdTb!.rows.map((r) => [r.account, r.balance])).toEqual([
      ['1122', 10000n],
      ['6001', -10000n],
    ]);
  });

  it('exports CSV (RFC 4180) and JSON lines an ERP can import', () => {
    const inv = postInvoice(chart, { date: '2026-03-31', documentRef: 'INV-1', currency: 'CNY', net: cny('10000'), tax: cny('1300'), description: '=HYPERLINK("x"), 发票' });
    const csv = exportJournalCsv([inv], chart);
    expect(csv.split('\r\n')).toEqual([
      'date,document_ref,line_no,account_code,account_name,debit,credit,currency,description,memo',
      '2026-03-31,INV-1,1,1122,应收账款 / Accounts receivable,11300.00,0.00,CNY,"\'=HYPERLINK(""x""), 发票",',
      '2026-03-31,INV-1,2,6001,主营业务收入 / Revenue,0.00,10000.00,CNY,"\'=HYPERLINK(""x""), 发票",',
      '2026-03-31,INV-1,3,22210102,应交税费—应交增值税（销项税额）/ VAT output,0.00,1300.00,CNY,"\'=HYPERLINK(""x""), 发票",',
      '',
    ]);
    const json = exportJournalLines(entries.slice(4));
    expect(json).toEqual([
      { date: '2026-03-31', documentRef: 'INV-USD-1', lineNo: 1, accountCode: '1122', accountName: '', debit: '100.00', credit: '0.00', currency: 'USD', description: 'Invoice INV-USD-1', memo: '' },
      { date: '2026-03-31', documentRef: 'INV-USD-1', lineNo: 2, accountCode: '6001', accountName: '', debit: '0.00', credit: '100.00', currency: 'USD', description: 'Invoice INV-USD-1', memo: '' },
    ]);
  });
});

describe('journal properties', () => {
  const amt = fc.bigInt({ min: 0n, max: 10n ** 13n });
  it('every posting builder yields a balanced entry, and the trial balance of any mix balances', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.tuple(fc.constant('inv'), amt, amt, amt),
            fc.tuple(fc.constant('cn'), amt, amt, amt),
            fc.tuple(fc.constant('pay'), amt, amt, amt),
            fc.tuple(fc.constant('fx'), amt, amt, amt),
            fc.tuple(fc.constant('fee'), amt, amt, amt),
            fc.tuple(fc.constant('rev'), amt, amt, amt),
          ),
          { minLength: 1, maxLength: 30 },
        ),
        (ops) => {
          const entries: JournalEntry[] = [];
          ops.forEach(([op, a, b, c], i) => {
            const ref = `D-${i}`;
            const date = '2026-06-30';
            if (op === 'inv' || op === 'cn') {
              const net = fen(a);
              const p = { date, documentRef: ref, currency: 'CNY', net, deferred: fen(b > a ? a : b), tax: fen(c) };
              if (a + c === 0n) return;
              entries.push(op === 'inv' ? postInvoice(chart, p) : postCreditNote(chart, p));
            } else if (op === 'pay') {
              if (a === 0n) return;
              entries.push(postPayment(chart, { date, documentRef: ref, currency: 'CNY', received: fen(a), arCleared: fen(b), bankCharges: fen(c > a ? a : c) }));
            } else if (op === 'fx') {
              if (a === b) return;
              entries.push(postFxDifference(chart, date, ref, fen(a - b)));
            } else if (op === 'fee') {
              if (a + b === 0n) return;
              entries.push(postDunningCharge(chart, date, ref, fen(a), fen(b)));
            } else {
              if (a === b) return;
              entries.push(postRevenueRecognition(chart, date, ref, fen(a - b)));
            }
          });
          for (const e of entries) {
            const d = e.lines.reduce((s, l) => s + l.debit, 0n);
            const c = e.lines.reduce((s, l) => s + l.credit, 0n);
            expect(d).toBe(c);
            for (const l of e.lines) expect(typeof l.debit === 'bigint' && typeof l.credit === 'bigint').toBe(true);
          }
          const tbs = trialBalance(entries);
          for (const tb of tbs) {
            expect(tb.debit).toBe(tb.credit);
            expect(tb.rows.reduce((s, r) => s + r.balance, 0n)).toBe(0n);
          }
          // the export's decimal strings add back up to the same totals
          const exported = exportJournalLines(entries);
          const cents = (s: string) => BigInt(s.replace('.', ''));
          expect(exported.reduce((s, l) => s + cents(l.debit), 0n)).toBe(exported.reduce((s, l) => s + cents(l.credit), 0n));
        },
      ),
    );
  });
});
