import { z } from 'zod';
import { AppError, fieldError } from '../platform/errors.ts';
import { currencyExponent, currencyMismatch, formatMoney, type Money } from './money.ts';
import { dayNumber } from './dates.ts';
import type { FxSettlement } from './fx.ts';

/**
 * Double-entry journal lines for the money events of lead-to-cash, on a configurable chart of
 * accounts, with a trial balance and export shapes an ERP can import.
 *
 * An entry has one currency (the legal entity's functional currency; foreign amounts are converted
 * before they are posted) and lines with a debit or a credit in minor units. Every entry is checked
 * to balance when it is built; an unbalanced one is refused.
 */
export const ACCOUNT_ROLES = ['cash', 'ar', 'revenue', 'deferredRevenue', 'vatOutput', 'fxGain', 'fxLoss', 'feesIncome', 'bankCharges'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

const accountSchema = z
  .object({
    code: z.string().regex(/^[0-9A-Za-z.\-_]{1,32}$/),
    name: z.string().min(1).max(200),
  })
  .strict();
export type LedgerAccount = z.infer<typeof accountSchema>;

export const chartOfAccountsSchema = z
  .object({
    cash: accountSchema,
    ar: accountSchema,
    revenue: accountSchema,
    deferredRevenue: accountSchema,
    vatOutput: accountSchema,
    fxGain: accountSchema,
    fxLoss: accountSchema,
    feesIncome: accountSchema,
    bankCharges: accountSchema,
  })
  .strict();
export type ChartOfAccounts = z.infer<typeof chartOfAccountsSchema>;

/**
 * Defaults after the Chinese enterprise accounting standards' chart (企业会计准则 会计科目); an
 * administrator maps each role to the company's own codes.
 */
export const DEFAULT_CHART_OF_ACCOUNTS: Readonly<ChartOfAccounts> = Object.freeze({
  cash: { code: '1002', name: '银行存款 / Bank deposits' },
  ar: { code: '1122', name: '应收账款 / Accounts receivable' },
  deferredRevenue: { code: '2205', name: '合同负债 / Contract liabilities (deferred revenue)' },
  vatOutput: { code: '22210102', name: '应交税费—应交增值税（销项税额）/ VAT output' },
  revenue: { code: '6001', name: '主营业务收入 / Revenue' },
  feesIncome: { code: '6301', name: '营业外收入 / Other income (late fees and interest)' },
  fxGain: { code: '660301', name: '财务费用—汇兑收益 / FX gain' },
  fxLoss: { code: '660302', name: '财务费用—汇兑损失 / FX loss' },
  bankCharges: { code: '660303', name: '财务费用—手续费 / Bank charges' },
});

/** Parses a configured chart, refusing two roles on one code only where that would hide a mistake. */
export function parseChartOfAccounts(input: unknown): ChartOfAccounts {
  const chart = chartOfAccountsSchema.parse(input);
  const pairs: Array<[AccountRole, AccountRole]> = [
    ['ar', 'cash'],
    ['revenue', 'deferredRevenue'],
    ['ar', 'revenue'],
  ];
  for (const [a, b] of pairs)
    if (chart[a].code === chart[b].code) throw fieldError(b, `${a} and ${b} cannot share account ${chart[a].code}`, 'invalid_chart');
  return chart;
}

export interface JournalLine {
  account: string;
  debit: bigint;
  credit: bigint;
  memo?: string;
}

export interface JournalEntry {
  date: string;
  /** The business document behind the entry: an invoice, credit note or payment number. */
  documentRef: string;
  description: string;
  currency: string;
  lines: JournalLine[];
}

export const unbalanced = (entry: JournalEntry, debit: bigint, credit: bigint) =>
  new AppError(422, 'unbalanced_entry', 'Unbalanced journal entry', `entry ${entry.documentRef} debits ${debit} and credits ${credit} minor units`, {
    documentRef: entry.documentRef,
    debit: debit.toString(),
    credit: credit.toString(),
  });

/**
 * Checks an entry: a valid date and currency, at least two lines, each line a non-negative debit
 * or credit (not both, not neither), and debits equal to credits. Returns the entry.
 */
export function assertBalanced(entry: JournalEntry): JournalEntry {
  dayNumber(entry.date, 'date');
  currencyExponent(entry.currency);
  if (!entry.documentRef) throw fieldError('documentRef', 'an entry names its document', 'required');
  if (entry.lines.length < 2) throw fieldError('lines', 'an entry has at least two lines', 'invalid_entry');
  let debit = 0n;
  let credit = 0n;
  entry.lines.forEach((l, i) => {
    if (!l.account) throw fieldError(`lines.${i}.account`, 'a line needs an account', 'required');
    if (l.debit < 0n || l.credit < 0n || (l.debit === 0n) === (l.credit === 0n))
      throw fieldError(`lines.${i}`, 'a line has either a debit or a credit above zero', 'invalid_entry');
    debit += l.debit;
    credit += l.credit;
  });
  if (debit !== credit) throw unbalanced(entry, debit, credit);
  return entry;
}

/** One side of a posting: a signed amount on an account (positive = debit, negative = credit). */
interface Leg {
  account: LedgerAccount;
  amount: bigint;
  memo?: string;
}

function build(date: string, documentRef: string, description: string, currency: string, legs: readonly Leg[]): JournalEntry {
  const lines = legs
    .filter((l) => l.amount !== 0n)
    .map((l) => ({ account: l.account.code, debit: l.amount > 0n ? l.amount : 0n, credit: l.amount < 0n ? -l.amount : 0n, ...(l.memo ? { memo: l.memo } : {}) }));
  return assertBalanced({ date, documentRef, description, currency, lines });
}

function currencyOf(currency: string, ...amounts: Array<Money | undefined>): void {
  for (const a of amounts) if (a && a.currency !== currency) throw currencyMismatch(a.currency, currency, 'post');
}

export interface InvoicePosting {
  date: string;
  documentRef: string;
  currency: string;
  /** Net revenue of the invoice (without tax). */
  net: Money;
  /** The part of the net not yet earned (goes to deferred revenue); default none. */
  deferred?: Money;
  /** Output VAT, one leg per tax code when given as a list. */
  tax: Money | ReadonlyArray<{ taxCodeId: string; amount: Money }>;
  description?: string;
}

function taxLegs(chart: ChartOfAccounts, tax: InvoicePosting['tax'], sign: bigint): Leg[] {
  if (!Array.isArray(tax)) return [{ account: chart.vatOutput, amount: -sign * (tax as Money).minor }];
  return (tax as ReadonlyArray<{ taxCodeId: string; amount: Money }>).map((t) => ({ account: chart.vatOutput, amount: -sign * t.amount.minor, memo: t.taxCodeId }));
}

function invoiceLegs(chart: ChartOfAccounts, p: InvoicePosting, sign: bigint): Leg[] {
  const taxes = Array.isArray(p.tax) ? (p.tax as ReadonlyArray<{ amount: Money }>).map((t) => t.amount) : [p.tax as Money];
  currencyOf(p.currency, p.net, p.deferred, ...taxes);
  const deferred = p.deferred?.minor ?? 0n;
  if (deferred < 0n || deferred > p.net.minor) throw fieldError('deferred', 'the deferred part is between zero and the net amount', 'invalid_amount');
  const tax = taxes.reduce((a, t) => a + t.minor, 0n);
  return [
    { account: chart.ar, amount: sign * (p.net.minor + tax) },
    { account: chart.revenue, amount: -sign * (p.net.minor - deferred) },
    { account: chart.deferredRevenue, amount: -sign * deferred },
    ...taxLegs(chart, p.tax, sign),
  ];
}

/** Invoice issued: Dr receivables (gross) / Cr revenue (earned part) / Cr deferred revenue / Cr VAT output. */
export function postInvoice(chart: ChartOfAccounts, p: InvoicePosting): JournalEntry {
  return build(p.date, p.documentRef, p.description ?? `Invoice ${p.documentRef}`, p.currency, invoiceLegs(chart, p, 1n));
}

/** Credit note issued: the invoice posting reversed (amounts given positive, as on the credit note). */
export function postCreditNote(chart: ChartOfAccounts, p: InvoicePosting): JournalEntry {
  return build(p.date, p.documentRef, p.description ?? `Credit note ${p.documentRef}`, p.currency, invoiceLegs(chart, p, -1n));
}

export interface PaymentPosting {
  date: string;
  documentRef: string;
  currency: string;
  /** What the customer paid, in the functional currency at the payment date's rate. */
  received: Money;
  /** The carrying amount of the receivables it clears (equal to `received` in one currency). */
  arCleared: Money;
  /** Charges the bank kept; the cash that arrives is received − charges. */
  bankCharges?: Money;
  description?: string;
}

/**
 * Payment received: Dr cash (net of bank charges) / Dr bank charges / Cr receivables (carrying amount
 * cleared), and the difference between received and cleared as a realised FX gain (Cr) or loss (Dr).
 */
export function postPayment(chart: ChartOfAccounts, p: PaymentPosting): JournalEntry {
  currencyOf(p.currency, p.received, p.arCleared, p.bankCharges);
  const charges = p.bankCharges?.minor ?? 0n;
  if (p.received.minor <= 0n || p.arCleared.minor < 0n) throw fieldError('received', 'a payment is above zero', 'invalid_amount');
  if (charges < 0n || charges > p.received.minor) throw fieldError('bankCharges', 'bank charges are between zero and the payment', 'invalid_amount');
  const diff = p.received.minor - p.arCleared.minor;
  return build(p.date, p.documentRef, p.description ?? `Payment ${p.documentRef}`, p.currency, [
    { account: chart.cash, amount: p.received.minor - charges },
    { account: chart.bankCharges, amount: charges },
    { account: chart.ar, amount: -p.arCleared.minor },
    diff > 0n ? { account: chart.fxGain, amount: -diff } : { account: chart.fxLoss, amount: -diff },
  ]);
}

/** postPayment for a foreign-currency settlement computed by settleReceivable. */
export function postSettlement(chart: ChartOfAccounts, date: string, documentRef: string, s: FxSettlement, bankCharges?: Money): JournalEntry {
  return postPayment(chart, { date, documentRef, currency: s.received.currency, received: s.received, arCleared: s.carryingCleared, ...(bankCharges ? { bankCharges } : {}) });
}

/**
 * An exchange difference on an open receivable (revaluation at a period end): a gain is Dr
 * receivables / Cr FX gain, a loss Dr FX loss / Cr receivables.
 */
export function postFxDifference(chart: ChartOfAccounts, date: string, documentRef: string, difference: Money): JournalEntry {
  const d = difference.minor;
  if (d === 0n) throw fieldError('difference', 'there is no difference to post', 'invalid_amount');
  return build(date, documentRef, `Exchange difference ${documentRef}`, difference.currency, [
    { account: chart.ar, amount: d },
    d > 0n ? { account: chart.fxGain, amount: -d } : { account: chart.fxLoss, amount: -d },
  ]);
}

/** A dunning fee and late interest charged to the customer: Dr receivables / Cr fee income. */
export function postDunningCharge(chart: ChartOfAccounts, date: string, documentRef: string, fee: Money, interest: Money): JournalEntry {
  currencyOf(fee.currency, interest);
  if (fee.minor < 0n || interest.minor < 0n || fee.minor + interest.minor === 0n)
    throw fieldError('fee', 'a dunning charge is a fee or interest above zero', 'invalid_amount');
  return build(date, documentRef, `Dunning charges ${documentRef}`, fee.currency, [
    { account: chart.ar, amount: fee.minor + interest.minor },
    { account: chart.feesIncome, amount: -fee.minor, memo: 'fee' },
    { account: chart.feesIncome, amount: -interest.minor, memo: 'interest' },
  ]);
}

/**
 * Revenue recognised from deferred revenue: Dr deferred revenue / Cr revenue. A negative amount (a
 * downward catch-up) posts the other way round.
 */
export function postRevenueRecognition(chart: ChartOfAccounts, date: string, documentRef: string, amount: Money, description?: string): JournalEntry {
  if (amount.minor === 0n) throw fieldError('amount', 'there is no revenue to recognise', 'invalid_amount');
  return build(date, documentRef, description ?? `Revenue recognised ${documentRef}`, amount.currency, [
    { account: chart.deferredRevenue, amount: amount.minor },
    { account: chart.revenue, amount: -amount.minor },
  ]);
}

export interface TrialBalanceRow {
  account: string;
  debit: bigint;
  credit: bigint;
  /** debit − credit: positive is a debit balance. */
  balance: bigint;
}

export interface TrialBalance {
  currency: string;
  rows: TrialBalanceRow[];
  debit: bigint;
  credit: bigint;
}

/** The trial balance of entries, one per currency, accounts by code; every entry is re-checked. */
export function trialBalance(entries: readonly JournalEntry[]): TrialBalance[] {
  const byCurrency = new Map<string, Map<string, TrialBalanceRow>>();
  for (const e of entries) {
    assertBalanced(e);
    const rows = byCurrency.get(e.currency) ?? new Map<string, TrialBalanceRow>();
    byCurrency.set(e.currency, rows);
    for (const l of e.lines) {
      const r = rows.get(l.account) ?? { account: l.account, debit: 0n, credit: 0n, balance: 0n };
      rows.set(l.account, { account: l.account, debit: r.debit + l.debit, credit: r.credit + l.credit, balance: r.balance + l.debit - l.credit });
    }
  }
  return [...byCurrency.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, rows]) => {
      const list = [...rows.values()].sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
      const debit = list.reduce((a, r) => a + r.debit, 0n);
      const credit = list.reduce((a, r) => a + r.credit, 0n);
      if (debit !== credit) throw new AppError(500, 'trial_balance_out_of_balance', 'Trial balance out of balance', `debits ${debit} ≠ credits ${credit} in ${currency}`);
      return { currency, rows: list, debit, credit };
    });
}

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

export interface ExportedLine {
  date: string;
  documentRef: string;
  lineNo: number;
  accountCode: string;
  accountName: string;
  /** Decimal strings in the major unit ("1130.00"); the other side is "0.00". */
  debit: string;
  credit: string;
  currency: string;
  description: string;
  memo: string;
}

const accountNames = (chart?: ChartOfAccounts) => new Map(chart ? Object.values(chart).map((a) => [a.code, a.name]) : []);

/** Flat lines, one per journal line, with amounts as exact decimal strings: the JSON export. */
export function exportJournalLines(entries: readonly JournalEntry[], chart?: ChartOfAccounts): ExportedLine[] {
  const names = accountNames(chart);
  return entries.flatMap((e) => {
    assertBalanced(e);
    return e.lines.map((l, i) => ({
      date: e.date,
      documentRef: e.documentRef,
      lineNo: i + 1,
      accountCode: l.account,
      accountName: names.get(l.account) ?? '',
      debit: formatMoney({ minor: l.debit, currency: e.currency }),
      credit: formatMoney({ minor: l.credit, currency: e.currency }),
      currency: e.currency,
      description: e.description,
      memo: l.memo ?? '',
    }));
  });
}

export const JOURNAL_CSV_COLUMNS = ['date', 'document_ref', 'line_no', 'account_code', 'account_name', 'debit', 'credit', 'currency', 'description', 'memo'] as const;

/** A CSV field: quoted when needed (RFC 4180), and a text starting with = + - @ defused against formula injection. */
function csvField(v: string, text: boolean): string {
  const safe = text && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The CSV export (RFC 4180, CRLF line ends, a header row), one row per journal line. */
export function exportJournalCsv(entries: readonly JournalEntry[], chart?: ChartOfAccounts): string {
  const rows = exportJournalLines(entries, chart).map((l) =>
    [
      csvField(l.date, false),
      csvField(l.documentRef, true),
      String(l.lineNo),
      csvField(l.accountCode, true),
      csvField(l.accountName, true),
      l.debit,
      l.credit,
      l.currency,
      csvField(l.description, true),
      csvField(l.memo, true),
    ].join(','),
  );
  return [JOURNAL_CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}
