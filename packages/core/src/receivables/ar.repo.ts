import { sql, type Db } from '@openltc/db';
import type { Ctx } from '../platform/context.ts';
import { applyScope } from '../platform/records.ts';
import { invoiceDef } from '../billing/defs.ts';

/**
 * The SQL of receivables: what each issued invoice still owes, optionally as of a business date.
 * "As of" counts an invoice issued on or before the date, payments from their effective date (the
 * day the money was received; a reversal or a release from the day it happened) and credit notes
 * from their issue date, so later documents do not change an earlier picture.
 */
export const RECEIVABLE_STATES = ['issued', 'partially_paid', 'paid'] as const;

export interface ReceivableRow {
  id: string;
  number: string | null;
  accountId: string;
  issueDate: string;
  dueDate: string;
  totalMinor: number;
  paidMinor: number;
  creditedMinor: number;
  outstandingMinor: number;
}

export interface ReceivableFilter {
  currency: string;
  asOf?: string | undefined;
  accountId?: string | undefined;
  /** Issue date range (for revenue in a period). */
  issuedFrom?: string | undefined;
  issuedTo?: string | undefined;
}

/**
 * Issued invoices in one currency with what was paid and credited on them (as of a date if given),
 * limited to the invoices the caller may see (team scope for sales, all for finance).
 */
export async function receivableInvoices(ctx: Ctx, f: ReceivableFilter): Promise<ReceivableRow[]> {
  const db = ctx.db;
  let paid = db
    .selectFrom('paymentAllocations')
    .select((eb) => ['paymentAllocations.invoiceId as paidInvoiceId', eb.fn.sum<number>('paymentAllocations.amountMinor').as('paidMinor')]);
  if (f.asOf) paid = paid.where('paymentAllocations.effectiveOn', '<=', f.asOf);
  let credited = db
    .selectFrom('creditNotes')
    .select((eb) => ['creditNotes.invoiceId as creditedInvoiceId', eb.fn.sum<number>('creditNotes.totalMinor').as('creditedMinor')])
    .where('creditNotes.status', '=', 'issued');
  if (f.asOf) credited = credited.where('creditNotes.issueDate', '<=', f.asOf);
  let q = db
    .selectFrom('invoices')
    .leftJoin(paid.groupBy('paymentAllocations.invoiceId').as('pd'), 'pd.paidInvoiceId', 'invoices.id')
    .leftJoin(credited.groupBy('creditNotes.invoiceId').as('cd'), 'cd.creditedInvoiceId', 'invoices.id')
    .select([
      'invoices.id',
      'invoices.number',
      'invoices.accountId',
      'invoices.issueDate',
      'invoices.dueDate',
      'invoices.totalMinor',
      'pd.paidMinor',
      'cd.creditedMinor',
    ])
    .where('invoices.status', 'in', [...RECEIVABLE_STATES])
    .where('invoices.currency', '=', f.currency);
  if (f.asOf) q = q.where('invoices.issueDate', '<=', f.asOf);
  if (f.accountId) q = q.where('invoices.accountId', '=', f.accountId);
  if (f.issuedFrom) q = q.where('invoices.issueDate', '>=', f.issuedFrom);
  if (f.issuedTo) q = q.where('invoices.issueDate', '<=', f.issuedTo);
  const rows = await applyScope(ctx, invoiceDef, q, 'invoices').orderBy('invoices.dueDate').orderBy('invoices.id').execute();
  return rows.map((r) => {
    const paidMinor = Number(r.paidMinor ?? 0);
    const creditedMinor = Number(r.creditedMinor ?? 0);
    return {
      id: r.id,
      number: r.number,
      accountId: r.accountId,
      issueDate: r.issueDate!,
      dueDate: r.dueDate!,
      totalMinor: Number(r.totalMinor),
      paidMinor,
      creditedMinor,
      outstandingMinor: Math.max(Number(r.totalMinor) - paidMinor - creditedMinor, 0),
    };
  });
}

/**
 * The month (YYYY-MM) of a date column, with literal positions: PostgreSQL matches the select and the
 * group-by expression only when they are the same text, which bound parameters ($1, $3) are not.
 */
const monthOf = (column: string) => sql<string>`substr(${sql.ref(column)}, 1, 7)`;

/** Credit notes issued in a date range on invoices the caller may see, per month (YYYY-MM) of issue. */
export async function creditedByMonth(ctx: Ctx, currency: string, from: string, to: string): Promise<Map<string, number>> {
  const q = ctx.db
    .selectFrom('creditNotes')
    .innerJoin('invoices', 'invoices.id', 'creditNotes.invoiceId')
    .select((eb) => [monthOf('creditNotes.issueDate').as('month'), eb.fn.sum<number>('creditNotes.totalMinor').as('minor')])
    .where('creditNotes.status', '=', 'issued')
    .where('creditNotes.currency', '=', currency)
    .where('creditNotes.issueDate', '>=', from)
    .where('creditNotes.issueDate', '<=', to);
  const rows = await applyScope(ctx, invoiceDef, q, 'invoices').groupBy(monthOf('creditNotes.issueDate')).execute();
  return new Map(rows.map((r) => [String(r.month), Number(r.minor)]));
}

/** Invoices issued in a date range that the caller may see, totals per month (YYYY-MM) of issue. */
export async function invoicedByMonth(ctx: Ctx, currency: string, from: string, to: string): Promise<Map<string, number>> {
  const q = ctx.db
    .selectFrom('invoices')
    .select((eb) => [monthOf('invoices.issueDate').as('month'), eb.fn.sum<number>('invoices.totalMinor').as('minor')])
    .where('invoices.status', 'in', [...RECEIVABLE_STATES])
    .where('invoices.currency', '=', currency)
    .where('invoices.issueDate', '>=', from)
    .where('invoices.issueDate', '<=', to);
  const rows = await applyScope(ctx, invoiceDef, q, 'invoices').groupBy(monthOf('invoices.issueDate')).execute();
  return new Map(rows.map((r) => [String(r.month), Number(r.minor)]));
}

/** Per account and currency, over received payments: amount, net allocations and refunds. */
export async function unallocatedPayments(db: Db, accountId: string, currency: string): Promise<{ unallocatedMinor: number; refundedMinor: number; receivedMinor: number }> {
  const payments = await db
    .selectFrom('payments')
    .select(['id', 'amountMinor'])
    .where('accountId', '=', accountId)
    .where('currency', '=', currency)
    .where('status', '=', 'received')
    .execute();
  if (!payments.length) return { unallocatedMinor: 0, refundedMinor: 0, receivedMinor: 0 };
  const ids = payments.map((p) => p.id);
  const [alloc, refunds, charges] = await Promise.all([
    db.selectFrom('paymentAllocations').select((eb) => eb.fn.sum<number>('amountMinor').as('n')).where('paymentId', 'in', ids).executeTakeFirst(),
    db.selectFrom('refunds').select((eb) => eb.fn.sum<number>('amountMinor').as('n')).where('paymentId', 'in', ids).executeTakeFirst(),
    db.selectFrom('dunningChargeAllocations').select((eb) => eb.fn.sum<number>('amountMinor').as('n')).where('paymentId', 'in', ids).executeTakeFirst(),
  ]);
  const receivedMinor = payments.reduce((s, p) => s + Number(p.amountMinor), 0);
  const refundedMinor = Number(refunds?.n ?? 0);
  return { unallocatedMinor: receivedMinor - Number(alloc?.n ?? 0) - Number(charges?.n ?? 0) - refundedMinor, refundedMinor, receivedMinor };
}
