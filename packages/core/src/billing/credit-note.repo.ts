import type { Db } from '@openltc/db';
import type { CreditedSoFar } from './credit-amounts.ts';

/**
 * The SQL over credit notes that invoices, payments and receivables need, grouped so a page of
 * invoices costs one query. "Credited" (what the customer no longer owes) counts issued credit
 * notes only; "reserved" (what can no longer be credited) counts drafts too.
 */
export async function creditedByInvoice(db: Db, invoiceIds: readonly string[]): Promise<Map<string, number>> {
  if (!invoiceIds.length) return new Map();
  const rows = await db
    .selectFrom('creditNotes')
    .select((eb) => ['invoiceId', eb.fn.sum<number>('totalMinor').as('credited')])
    .where('invoiceId', 'in', [...new Set(invoiceIds)])
    .where('status', '=', 'issued')
    .groupBy('invoiceId')
    .execute();
  return new Map(rows.map((r) => [r.invoiceId, Number(r.credited)]));
}

/** Per invoice line: what credit notes that are not cancelled (drafts included) credit of it. */
export async function reservedByInvoiceLine(db: Db, invoiceLineIds: readonly string[], exceptCreditNoteId?: string): Promise<Map<string, CreditedSoFar>> {
  if (!invoiceLineIds.length) return new Map();
  let q = db
    .selectFrom('creditNoteLines')
    .innerJoin('creditNotes', 'creditNotes.id', 'creditNoteLines.creditNoteId')
    .select((eb) => [
      'creditNoteLines.invoiceLineId',
      eb.fn.sum<number>('creditNoteLines.qtyMilli').as('qtyMilli'),
      eb.fn.sum<number>('creditNoteLines.netMinor').as('netMinor'),
      eb.fn.sum<number>('creditNoteLines.taxMinor').as('taxMinor'),
    ])
    .where('creditNoteLines.invoiceLineId', 'in', [...new Set(invoiceLineIds)])
    .where('creditNotes.status', '<>', 'cancelled');
  if (exceptCreditNoteId) q = q.where('creditNotes.id', '<>', exceptCreditNoteId);
  const rows = await q.groupBy('creditNoteLines.invoiceLineId').execute();
  return new Map(rows.map((r) => [r.invoiceLineId, { qtyMilli: Number(r.qtyMilli), netMinor: Number(r.netMinor), taxMinor: Number(r.taxMinor) }]));
}

export async function creditNoteLinesOf(db: Db, creditNoteIds: readonly string[]) {
  if (!creditNoteIds.length) return [];
  return db.selectFrom('creditNoteLines').selectAll().where('creditNoteId', 'in', creditNoteIds).orderBy('creditNoteId').orderBy('lineNo').execute();
}

export async function creditNotesOfInvoice(db: Db, invoiceId: string) {
  return db.selectFrom('creditNotes').selectAll().where('invoiceId', '=', invoiceId).orderBy('createdAt').orderBy('id').execute();
}
