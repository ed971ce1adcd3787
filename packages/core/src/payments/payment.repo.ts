import type { Db } from '@openltc/db';

/** The SQL over payment allocations that invoices and orders need, grouped so lists stay one query each. */
export async function paidByInvoice(db: Db, invoiceIds: readonly string[]): Promise<Map<string, number>> {
  if (!invoiceIds.length) return new Map();
  const rows = await db
    .selectFrom('paymentAllocations')
    .select((eb) => ['invoiceId', eb.fn.sum<number>('amountMinor').as('paid')])
    .where('invoiceId', 'in', invoiceIds)
    .groupBy('invoiceId')
    .execute();
  return new Map(rows.map((r) => [r.invoiceId, Number(r.paid)]));
}

export async function paidByOrder(db: Db, orderIds: readonly string[]): Promise<Map<string, number>> {
  if (!orderIds.length) return new Map();
  const rows = await db
    .selectFrom('paymentAllocations')
    .innerJoin('invoices', 'invoices.id', 'paymentAllocations.invoiceId')
    .select((eb) => ['invoices.orderId', eb.fn.sum<number>('paymentAllocations.amountMinor').as('paid')])
    .where('invoices.orderId', 'in', orderIds)
    .groupBy('invoices.orderId')
    .execute();
  return new Map(rows.map((r) => [r.orderId, Number(r.paid)]));
}

export async function allocationsOf(db: Db, paymentIds: readonly string[]) {
  if (!paymentIds.length) return [];
  return db
    .selectFrom('paymentAllocations')
    .selectAll()
    .where('paymentId', 'in', paymentIds)
    .orderBy('paymentId')
    .orderBy('id')
    .execute();
}

/**
 * All writes that change what an account owes or has to its credit (allocations, reversals, credit
 * notes) take this key first, so they run one at a time per account and their row locks (payments,
 * invoices) can never be taken crosswise.
 */
export const receivablesLockKey = (accountId: string) => `receivables:${accountId}`;

/** Per payment: what refunds paid back out of it. */
export async function refundedByPayment(db: Db, paymentIds: readonly string[]): Promise<Map<string, number>> {
  if (!paymentIds.length) return new Map();
  const rows = await db
    .selectFrom('refunds')
    .select((eb) => ['paymentId', eb.fn.sum<number>('amountMinor').as('refunded')])
    .where('paymentId', 'in', [...new Set(paymentIds)])
    .groupBy('paymentId')
    .execute();
  return new Map(rows.map((r) => [r.paymentId, Number(r.refunded)]));
}

export async function refundsOfCreditNotes(db: Db, creditNoteIds: readonly string[]) {
  if (!creditNoteIds.length) return [];
  return db.selectFrom('refunds').selectAll().where('creditNoteId', 'in', creditNoteIds).orderBy('id').execute();
}
