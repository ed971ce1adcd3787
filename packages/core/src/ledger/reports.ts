import { z } from 'zod';
import type { Ctx } from '../platform/context.ts';
import { today } from '../platform/clock.ts';
import { AppError, fieldError } from '../platform/errors.ts';
import { SYSTEM, assertCan } from '../platform/permissions.ts';
import { paginate } from '../platform/list.ts';
import { currency, isoDate } from '../platform/schema.ts';
import { formatMoney } from '../money/money.ts';
import { legalEntityFor } from '../billing/legal-entities.ts';
import { receivablesAging, receivablesDso } from '../receivables/receivables.ts';
import { RECEIVABLE_STATES } from '../receivables/ar.repo.ts';
import { LEDGER_ROLES, chartFor, type LedgerRole } from './chart.ts';
import { atBillingRows, contractPositions, recognisedBetween } from '../revenue/report.ts';
import { periodEnd } from '../revenue/rules.ts';
import { functionalReconciliation } from './functional-report.ts';
import { waivedParts } from '../money/dunning.ts';

/**
 * Read side of the journal: entries with their lines, the ERP export (CSV and JSON), the trial
 * balance and its reconciliation with the receivables and revenue reports.
 */

const SOURCE_TYPES = ['invoice', 'credit_note', 'payment', 'payment_allocation', 'refund', 'revenue_recognition', 'revenue_close'] as const;

export const LedgerEntriesQuery = z
  .object({
    from: isoDate.optional().describe('first entry date'),
    to: isoDate.optional().describe('last entry date'),
    source: z.enum(SOURCE_TYPES).optional().describe('only entries of this source document type'),
    sourceId: z.string().min(1).max(100).optional().describe('only entries of this source document'),
    accountCode: z.string().min(1).max(32).optional().describe('only entries with a line on this account'),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    cursor: z.string().max(500).optional(),
  })
  .strict();

export const LedgerExportQuery = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    format: z.enum(['csv', 'json']).optional().describe('default: csv'),
  })
  .strict();

export const TrialBalanceQuery = z
  .object({
    asOf: isoDate.optional().describe("default: today in the first legal entity's time zone"),
    basis: z
      .enum(['functional', 'transaction'])
      .optional()
      .describe("functional (default): every line in its legal entity's functional currency, exchange differences included; transaction: per document currency"),
  })
  .strict();

export const ReconciliationQuery = z
  .object({
    asOf: isoDate.optional().describe("default: today in the first legal entity's time zone"),
    from: isoDate.optional().describe('start of the revenue period; default: 1 January of the year of asOf'),
    currency: currency.optional().describe('default: every currency with postings or invoices'),
  })
  .strict();
export type TrialBalanceBasis = 'functional' | 'transaction';

const line = z.object({
  lineNo: z.number().int(),
  accountCode: z.string(),
  accountRole: z.string(),
  debitMinor: z.number().int(),
  creditMinor: z.number().int(),
  partyAccountId: z.string().nullable(),
  documentRef: z.string(),
  memo: z.string().nullable(),
  functionalDebitMinor: z.number().int().nullable().describe('the line in the functional currency'),
  functionalCreditMinor: z.number().int().nullable(),
  functionalCurrency: z.string().nullable(),
  openItemId: z.string().nullable().describe('AR lines: the invoice or dunning charge the receivable belongs to'),
});
export const LedgerEntryDto = z.object({
  id: z.string(),
  legalEntityId: z.string(),
  entryDate: z.string(),
  sourceType: z.string(),
  sourceId: z.string(),
  event: z.string(),
  documentRef: z.string(),
  description: z.string(),
  currency: z.string(),
  accountId: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  functionalCurrency: z.string().nullable().optional(),
  fxRate: z.string().nullable().optional().describe('units of the functional currency per unit of `currency`; null when they are the same'),
  fxRateDate: z.string().nullable().optional(),
  lines: z.array(line),
});
export type LedgerEntryDto = z.infer<typeof LedgerEntryDto>;
export const LedgerEntriesPage = z.object({ items: z.array(LedgerEntryDto), nextCursor: z.string().nullable() });

export const TrialBalanceDto = z.object({
  asOf: z.string(),
  basis: z.enum(['functional', 'transaction']).optional(),
  currencies: z.array(
    z.object({
      currency: z.string(),
      rows: z.array(
        z.object({ accountCode: z.string(), accountRole: z.string(), accountName: z.string(), debitMinor: z.number().int(), creditMinor: z.number().int(), balanceMinor: z.number().int().describe('debit − credit') }),
      ),
      debitMinor: z.number().int(),
      creditMinor: z.number().int(),
    }),
  ),
});
export type TrialBalanceDto = z.infer<typeof TrialBalanceDto>;

const check = z.object({ key: z.string(), label: z.string(), ledgerMinor: z.number().int(), reportMinor: z.number().int(), differenceMinor: z.number().int() });
export const ReconciliationDto = z.object({
  asOf: z.string(),
  from: z.string(),
  currencies: z.array(z.object({ currency: z.string(), balanced: z.boolean().describe('total debits = total credits'), checks: z.array(check) })),
  functional: z
    .array(z.object({ currency: z.string(), balanced: z.boolean(), checks: z.array(check) }))
    .optional()
    .describe("per functional currency: debits = credits, and AR against the open items at their booked rates"),
  reconciled: z.boolean().describe('every difference is 0 and every trial balance balances'),
});
export type ReconciliationDto = z.infer<typeof ReconciliationDto>;

const num = (v: unknown) => Number(v ?? 0);

async function defaultDate(ctx: Ctx): Promise<string> {
  return today((await legalEntityFor(ctx.db, null)).timezone);
}

/** Names of account codes (and roles) from the charts, for reports and the export. */
async function accountNames(ctx: Ctx): Promise<{ byCode: Map<string, string>; byRole: Map<string, string> }> {
  const le = await legalEntityFor(ctx.db, null);
  const chart = await chartFor(ctx, le.id);
  const rows = await ctx.db.selectFrom('chartOfAccounts').selectAll().execute();
  const name = (r: { nameZh: string; nameEn: string }) => (r.nameZh === r.nameEn ? r.nameZh : `${r.nameZh} / ${r.nameEn}`);
  return {
    byCode: new Map([...Object.values(chart), ...rows].map((r) => [r.code, name(r)])),
    byRole: new Map(LEDGER_ROLES.map((r) => [r, name(chart[r])])),
  };
}

export async function listLedgerEntries(ctx: Ctx, input: unknown = {}) {
  const q = LedgerEntriesQuery.parse(input ?? {});
  assertCan(ctx.user, 'ledger', 'read');
  if (q.from && q.to && q.from > q.to) throw fieldError('from', 'the period starts after it ends', 'invalid_period');
  let qb = ctx.db.selectFrom('journalEntries').selectAll();
  if (q.from) qb = qb.where('entryDate', '>=', q.from);
  if (q.to) qb = qb.where('entryDate', '<=', q.to);
  if (q.source) qb = qb.where('sourceType', '=', q.source);
  if (q.sourceId) qb = qb.where('sourceId', '=', q.sourceId);
  if (q.accountCode) {
    const code = q.accountCode;
    qb = qb.where((eb) =>
      eb.exists(eb.selectFrom('journalLines').select('journalLines.id').whereRef('journalLines.entryId', '=', 'journalEntries.id').where('journalLines.accountCode', '=', code)),
    );
  }
  const page = await paginate(qb, 'journalEntries', { limit: q.limit, cursor: q.cursor, sort: '-entryDate' }, { entryDate: 'entryDate' }, '-entryDate');
  const ids = page.items.map((e) => e.id);
  const lines = ids.length ? await ctx.db.selectFrom('journalLines').selectAll().where('entryId', 'in', ids).orderBy('entryId').orderBy('lineNo').execute() : [];
  const byEntry = new Map<string, typeof lines>();
  for (const l of lines) byEntry.set(l.entryId, [...(byEntry.get(l.entryId) ?? []), l]);
  return {
    items: page.items.map((e) => ({
      ...e,
      lines: (byEntry.get(e.id) ?? []).map((l) => ({
        lineNo: l.lineNo,
        accountCode: l.accountCode,
        accountRole: l.accountRole,
        debitMinor: num(l.debitMinor),
        creditMinor: num(l.creditMinor),
        partyAccountId: l.partyAccountId,
        documentRef: l.documentRef,
        memo: l.memo,
        functionalDebitMinor: l.functionalDebitMinor === null || l.functionalDebitMinor === undefined ? null : num(l.functionalDebitMinor),
        functionalCreditMinor: l.functionalCreditMinor === null || l.functionalCreditMinor === undefined ? null : num(l.functionalCreditMinor),
        functionalCurrency: l.functionalCurrency ?? null,
        openItemId: l.openItemId ?? null,
      })),
    })),
    nextCursor: page.nextCursor,
  };
}

export interface ExportRow {
  date: string;
  entryId: string;
  lineNo: number;
  accountCode: string;
  accountName: string;
  /** Exact decimal strings in the major unit ("1130.00"); the other side is "0.00". */
  debit: string;
  credit: string;
  currency: string;
  partyId: string;
  partyName: string;
  documentRef: string;
  lineRef: string;
  sourceType: string;
  description: string;
  memo: string;
}

export const LEDGER_CSV_COLUMNS = [
  'date',
  'entry_id',
  'line_no',
  'account_code',
  'account_name',
  'debit',
  'credit',
  'currency',
  'party_id',
  'party_name',
  'document_ref',
  'line_ref',
  'source_type',
  'description',
  'memo',
] as const;

/** A CSV field (RFC 4180): quoted when needed; text starting with = + - @ defused against formula injection. */
function csvField(v: string, text: boolean): string {
  const safe = text && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Every journal line in a date range, entries in date order, as the ERP import reads them. */
export async function ledgerExportRows(ctx: Ctx, input: unknown = {}): Promise<{ format: 'csv' | 'json'; rows: ExportRow[] }> {
  const q = LedgerExportQuery.parse(input ?? {});
  assertCan(ctx.user, 'ledger', 'read');
  if (q.from && q.to && q.from > q.to) throw fieldError('from', 'the period starts after it ends', 'invalid_period');
  let qb = ctx.db
    .selectFrom('journalLines')
    .innerJoin('journalEntries', 'journalEntries.id', 'journalLines.entryId')
    .leftJoin('accounts', 'accounts.id', 'journalLines.partyAccountId')
    .select([
      'journalEntries.entryDate',
      'journalEntries.id as entryId',
      'journalEntries.documentRef as entryRef',
      'journalEntries.sourceType',
      'journalEntries.description',
      'journalLines.lineNo',
      'journalLines.accountCode',
      'journalLines.accountRole',
      'journalLines.debitMinor',
      'journalLines.creditMinor',
      'journalLines.currency',
      'journalLines.partyAccountId',
      'accounts.name as partyName',
      'journalLines.documentRef',
      'journalLines.memo',
    ]);
  if (q.from) qb = qb.where('journalEntries.entryDate', '>=', q.from);
  if (q.to) qb = qb.where('journalEntries.entryDate', '<=', q.to);
  const rows = await qb.orderBy('journalEntries.entryDate').orderBy('journalEntries.id').orderBy('journalLines.lineNo').execute();
  const names = await accountNames(ctx);
  const dec = (minor: unknown, cur: string) => formatMoney({ minor: BigInt(num(minor)), currency: cur });
  return {
    format: q.format ?? 'csv',
    rows: rows.map((r) => ({
      date: r.entryDate,
      entryId: r.entryId,
      lineNo: r.lineNo,
      accountCode: r.accountCode,
      accountName: names.byCode.get(r.accountCode) ?? names.byRole.get(r.accountRole) ?? '',
      debit: dec(r.debitMinor, r.currency),
      credit: dec(r.creditMinor, r.currency),
      currency: r.currency,
      partyId: r.partyAccountId ?? '',
      partyName: r.partyName ?? '',
      documentRef: r.entryRef,
      lineRef: r.documentRef,
      sourceType: r.sourceType,
      description: r.description,
      memo: r.memo ?? '',
    })),
  };
}

/** The CSV export: RFC 4180, CRLF line ends, a header row, one row per journal line. */
export function ledgerCsv(rows: readonly ExportRow[]): string {
  const out = rows.map((r) =>
    [
      r.date,
      csvField(r.entryId, true),
      String(r.lineNo),
      csvField(r.accountCode, true),
      csvField(r.accountName, true),
      r.debit,
      r.credit,
      r.currency,
      csvField(r.partyId, true),
      csvField(r.partyName, true),
      csvField(r.documentRef, true),
      csvField(r.lineRef, true),
      r.sourceType,
      csvField(r.description, true),
      csvField(r.memo, true),
    ].join(','),
  );
  return [LEDGER_CSV_COLUMNS.join(','), ...out].join('\r\n') + '\r\n';
}

/**
 * Per currency and account: debits, credits and the balance of every entry dated on or before asOf.
 * On the functional basis (default) lines count in their legal entity's functional currency, FX gain
 * and loss included; lines posted before multi-currency in another currency have no functional
 * amount and stay in their own currency. On the transaction basis every document currency is apart.
 */
export async function ledgerTrialBalance(ctx: Ctx, input: unknown = {}): Promise<TrialBalanceDto> {
  const q = TrialBalanceQuery.parse(input ?? {});
  assertCan(ctx.user, 'ledger', 'read');
  const asOf = q.asOf ?? (await defaultDate(ctx));
  const basis = q.basis ?? 'functional';
  const rows = (
    basis === 'transaction'
      ? await ctx.db
          .selectFrom('journalLines')
          .select((eb) => ['currency', 'accountCode', 'accountRole', eb.fn.sum<number>('debitMinor').as('debit'), eb.fn.sum<number>('creditMinor').as('credit')])
          .where('entryDate', '<=', asOf)
          .groupBy(['currency', 'accountCode', 'accountRole'])
          .execute()
      : await ctx.db
          .selectFrom('journalLines')
          .select((eb) => [
            eb.fn.coalesce('functionalCurrency', 'currency').as('currency'),
            'accountCode',
            'accountRole',
            eb.fn.sum<number>(eb.fn.coalesce('functionalDebitMinor', 'debitMinor')).as('debit'),
            eb.fn.sum<number>(eb.fn.coalesce('functionalCreditMinor', 'creditMinor')).as('credit'),
          ])
          .where('entryDate', '<=', asOf)
          .groupBy([(eb) => eb.fn.coalesce('functionalCurrency', 'currency'), 'accountCode', 'accountRole'])
          .execute()
  )
    .map((r) => ({ ...r, currency: String(r.currency) }))
    .sort((a, b) => a.currency.localeCompare(b.currency) || a.accountCode.localeCompare(b.accountCode) || a.accountRole.localeCompare(b.accountRole));
  const names = await accountNames(ctx);
  const byCurrency = new Map<string, TrialBalanceDto['currencies'][number]>();
  for (const r of rows) {
    const cur = byCurrency.get(r.currency) ?? { currency: r.currency, rows: [], debitMinor: 0, creditMinor: 0 };
    byCurrency.set(r.currency, cur);
    const debit = num(r.debit);
    const credit = num(r.credit);
    cur.rows.push({
      accountCode: r.accountCode,
      accountRole: r.accountRole,
      accountName: names.byCode.get(r.accountCode) ?? names.byRole.get(r.accountRole) ?? '',
      debitMinor: debit,
      creditMinor: credit,
      balanceMinor: debit - credit,
    });
    cur.debitMinor += debit;
    cur.creditMinor += credit;
  }
  const currencies = [...byCurrency.values()];
  for (const c of currencies)
    if (c.debitMinor !== c.creditMinor)
      throw new AppError(500, 'trial_balance_out_of_balance', 'Trial balance out of balance', `debits ${c.debitMinor} ≠ credits ${c.creditMinor} in ${c.currency} as of ${asOf}`);
  return { asOf, basis, currencies };
}

/** Balance (debit − credit) of a role in a currency, over entry dates in [from, to]. */
async function roleBalance(ctx: Ctx, role: LedgerRole, cur: string, to: string, from?: string): Promise<number> {
  let q = ctx.db
    .selectFrom('journalLines')
    .select((eb) => [eb.fn.sum<number>('debitMinor').as('d'), eb.fn.sum<number>('creditMinor').as('c')])
    .where('accountRole', '=', role)
    .where('currency', '=', cur)
    .where('entryDate', '<=', to);
  if (from) q = q.where('entryDate', '>=', from);
  const r = await q.executeTakeFirst();
  return num(r?.d) - num(r?.c);
}

/**
 * Revenue recognition against the revenue report (revenue/report.ts, built from schedules and
 * documents): the revenue account against what revenue closes recognised plus what orders without
 * obligations posted at billing; billings (revenue + deferred revenue + contract assets) against net
 * invoiced − credited and, with VAT, against the DSO report; the contract balance (deferred revenue −
 * contract assets) against Σ billed − recognised of orders with obligations. At the last day of a
 * month every legal entity has closed, deferred revenue and contract assets are also compared one by
 * one (the close books contract assets at the month end and reverses them the next day).
 */
async function revenueChecks(ctx: Ctx, cur: string, from: string, asOf: string, revenue: number, billedNet: number, vat: number, dsoRevenue: number) {
  const mk = (key: string, label: string, ledgerMinor: number, reportMinor: number) => ({ key, label, ledgerMinor, reportMinor, differenceMinor: ledgerMinor - reportMinor });
  const recognised = (await recognisedBetween(ctx.db, from, asOf)).get(cur) ?? 0;
  const atBilling = (await atBillingRows(ctx.db, from, asOf)).filter((r) => r.currency === cur).reduce((s, r) => s + r.net, 0);
  const deferredMove = -(await roleBalance(ctx, 'deferredRevenue', cur, asOf, from));
  const assetMove = -(await roleBalance(ctx, 'contractAsset', cur, asOf, from));
  const billings = revenue + deferredMove + assetMove;
  const deferred = -(await roleBalance(ctx, 'deferredRevenue', cur, asOf));
  const asset = await roleBalance(ctx, 'contractAsset', cur, asOf);
  const pos = (await contractPositions(ctx.db, asOf)).find((p) => p.currency === cur) ?? { deferredMinor: 0, unbilledMinor: 0 };
  const checks = [
    mk('revenue', 'revenue account in the period vs the revenue report: recognised by revenue closes + billed on orders without obligations', revenue, recognised + atBilling),
    mk('billings', 'revenue + deferred revenue + contract assets (credit − debit) in the period vs net invoiced − net credited', billings, billedNet),
    mk('revenueReport', 'billings + VAT output in the period vs the revenue of the DSO report (tax included)', billings + vat, dsoRevenue),
    mk('contractBalance', 'deferred revenue − contract assets vs the revenue report (billed − recognised) as of the date', deferred - asset, pos.deferredMinor - pos.unbilledMinor),
  ];
  const month = asOf.slice(0, 7);
  if (asOf === periodEnd(month)) {
    const [entities, closed] = await Promise.all([
      ctx.db.selectFrom('revenueObligations').select('legalEntityId').distinct().execute(),
      ctx.db.selectFrom('revenuePeriods').select('legalEntityId').where('period', '=', month).execute(),
    ]);
    if (entities.length && entities.every((e) => closed.some((c) => c.legalEntityId === e.legalEntityId)))
      checks.push(
        mk('deferredRevenue', 'deferred revenue (contract liabilities) at the end of a closed month vs the revenue report', deferred, pos.deferredMinor),
        mk('contractAsset', 'contract assets (unbilled revenue) at the end of a closed month vs the revenue report', asset, pos.unbilledMinor),
      );
  }
  return checks;
}

/** Net and tax of issued invoices less issued credit notes in a period, from the documents. */
async function invoicedLessCredited(ctx: Ctx, cur: string, from: string, to: string): Promise<{ net: number; tax: number }> {
  const [inv, cn] = await Promise.all([
    ctx.db
      .selectFrom('invoices')
      .select((eb) => [eb.fn.sum<number>('netMinor').as('net'), eb.fn.sum<number>('taxMinor').as('tax')])
      .where('status', 'in', [...RECEIVABLE_STATES])
      .where('currency', '=', cur)
      .where('issueDate', '>=', from)
      .where('issueDate', '<=', to)
      .executeTakeFirst(),
    ctx.db
      .selectFrom('creditNotes')
      .select((eb) => [eb.fn.sum<number>('netMinor').as('net'), eb.fn.sum<number>('taxMinor').as('tax')])
      .where('status', '=', 'issued')
      .where('currency', '=', cur)
      .where('issueDate', '>=', from)
      .where('issueDate', '<=', to)
      .executeTakeFirst(),
  ]);
  return { net: num(inv?.net) - num(cn?.net), tax: num(inv?.tax) - num(cn?.tax) };
}

/**
 * VAT on dunning charges in a period (when the legal entity charges it): issued less waived — of a
 * charge waived after a part payment, the VAT share of the unpaid rest (money/dunning.ts
 * waivedParts, the split its waiver posted).
 */
async function chargeVatBetween(ctx: Ctx, cur: string, from: string, to: string): Promise<number> {
  const issued = num(
    (
      await ctx.db
        .selectFrom('dunningCharges')
        .select((eb) => eb.fn.sum<number>('taxMinor').as('n'))
        .where('currency', '=', cur)
        .where('issueDate', '>=', from)
        .where('issueDate', '<=', to)
        .executeTakeFirst()
    )?.n,
  );
  const waived = await ctx.db
    .selectFrom('dunningCharges')
    .select(['feeMinor', 'interestMinor', 'taxMinor', 'totalMinor', 'waivedMinor'])
    .where('currency', '=', cur)
    .where('waivedOn', '>=', from)
    .where('waivedOn', '<=', to)
    .where('taxMinor', '<>', 0)
    .execute();
  return issued - waived.reduce((s, c) => s + waivedParts(c, num(c.waivedMinor ?? c.totalMinor)).tax, 0);
}

/** Cash from the documents as of a date: received, less reversed by the bank, less refunded. */
async function cashOfDocuments(ctx: Ctx, cur: string, asOf: string): Promise<number> {
  const [received, reversed, refunded] = await Promise.all([
    ctx.db.selectFrom('payments').select((eb) => eb.fn.sum<number>('amountMinor').as('n')).where('currency', '=', cur).where('receivedOn', '<=', asOf).executeTakeFirst(),
    ctx.db
      .selectFrom('payments')
      .select((eb) => eb.fn.sum<number>('amountMinor').as('n'))
      .where('currency', '=', cur)
      .where('status', '=', 'reversed')
      .where('reversedOn', '<=', asOf)
      .executeTakeFirst(),
    ctx.db.selectFrom('refunds').select((eb) => eb.fn.sum<number>('amountMinor').as('n')).where('currency', '=', cur).where('refundOn', '<=', asOf).executeTakeFirst(),
  ]);
  return num(received?.n) - num(reversed?.n) - num(refunded?.n);
}

/**
 * The journal against the reports, per currency: the AR account against the receivables aging total
 * as of the date; revenue (net) and VAT output movements of the period against what was invoiced
 * less credited in it; revenue + VAT against the revenue figure of the DSO report (tax included); cash
 * against payments received less reversed and refunded. Every difference is 0 when all is well.
 */
export async function ledgerReconciliation(ctx: Ctx, input: unknown = {}): Promise<ReconciliationDto> {
  const q = ReconciliationQuery.parse(input ?? {});
  assertCan(ctx.user, 'ledger', 'read');
  const asOf = q.asOf ?? (await defaultDate(ctx));
  const from = q.from ?? `${asOf.slice(0, 4)}-01-01`;
  if (from > asOf) throw fieldError('from', 'the period starts after asOf', 'invalid_period');
  let currencies: string[];
  if (q.currency) currencies = [q.currency];
  else {
    const [a, b] = await Promise.all([
      ctx.db.selectFrom('journalLines').select('currency').distinct().execute(),
      ctx.db.selectFrom('invoices').select('currency').distinct().where('status', 'in', [...RECEIVABLE_STATES]).execute(),
    ]);
    currencies = [...new Set([...a, ...b].map((r) => r.currency))].sort();
  }
  const tb = await ledgerTrialBalance(ctx, { asOf, basis: 'transaction' }).then(
    (t) => t,
    (err: unknown) => (err instanceof AppError && err.code === 'trial_balance_out_of_balance' ? null : Promise.reject(err)),
  );
  const sys = { ...ctx, user: SYSTEM };
  const out: ReconciliationDto['currencies'] = [];
  for (const cur of currencies) {
    const aging = await receivablesAging(sys, { asOf, currency: cur, groupBy: 'none' });
    const dso = await receivablesDso(sys, { from, to: asOf, currency: cur });
    const docs = await invoicedLessCredited(ctx, cur, from, asOf);
    const revenue = -(await roleBalance(ctx, 'revenue', cur, asOf, from));
    const vat = -(await roleBalance(ctx, 'vatOutput', cur, asOf, from));
    const chargeVat = await chargeVatBetween(ctx, cur, from, asOf);
    const mk = (key: string, label: string, ledgerMinor: number, reportMinor: number) => ({ key, label, ledgerMinor, reportMinor, differenceMinor: ledgerMinor - reportMinor });
    const t = tb?.currencies.find((c) => c.currency === cur);
    out.push({
      currency: cur,
      balanced: tb !== null && (t ? t.debitMinor === t.creditMinor : true),
      checks: [
        mk('ar', 'AR account balance vs receivables aging total as of the date', await roleBalance(ctx, 'ar', cur, asOf), aging.totals.totalMinor),
        ...(await revenueChecks(ctx, cur, from, asOf, revenue, docs.net, vat - chargeVat, dso.revenueMinor)),
        mk('vatOutput', 'VAT output account in the period vs tax invoiced − tax credited (+ VAT on dunning charges issued − waived)', vat, docs.tax + chargeVat),
        mk('cash', 'cash account vs payments received − reversed − refunded as of the date', await roleBalance(ctx, 'cash', cur, asOf), await cashOfDocuments(ctx, cur, asOf)),
      ],
    });
  }
  const functional = await functionalReconciliation(ctx, asOf);
  const fine = (c: { balanced: boolean; checks: Array<{ differenceMinor: number }> }) => c.balanced && c.checks.every((k) => k.differenceMinor === 0);
  return { asOf, from, currencies: out, functional, reconciled: tb !== null && out.every(fine) && functional.every(fine) };
}
