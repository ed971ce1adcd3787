import type { CreditNoteLineTable, CreditNoteTable, InvoiceLineTable, InvoiceTable } from '@openltc/db';
import { z } from 'zod';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso, today } from '../platform/clock.ts';
import { AppError, conflict, fieldError, validationError, type FieldError } from '../platform/errors.ts';
import { recordEvent } from '../platform/events.ts';
import { transition } from '../platform/machine.ts';
import { formatQty, parseQty, sumAmounts } from '../platform/money.ts';
import { nextNumber } from '../platform/numbering.ts';
import { assertCan } from '../platform/permissions.ts';
import { lockKey, lockRows } from '../platform/locks.ts';
import { listVisible, loadVisible, updateRecord, type ListQuery } from '../platform/records.ts';
import { groupBy } from '../orders/order.repo.ts';
import { paidByInvoice, receivablesLockKey, refundsOfCreditNotes } from '../payments/payment.repo.ts';
import { formatMinor, releaseForCredit } from '../payments/payments.ts';
import { invoiceNumbersOf, settleInvoices } from './invoices.ts';
import { invoiceLinesOf } from './invoice.repo.ts';
import { legalEntityFor, roundingModeOf } from './legal-entities.ts';
import { postCreditNoteJournal } from '../ledger/posting.ts';
import { invoiceDef } from './defs.ts';
import { creditNoteDef } from './credit-note.defs.ts';
import { creditNoteActions, creditNoteMachine, type CreditNoteState } from './credit-note.machine.ts';
import { CreditNoteCreate, type CreditNoteDto, type CreditSettlement } from './credit-note.schema.ts';
import { creditedByInvoice, creditNoteLinesOf, reservedByInvoiceLine } from './credit-note.repo.ts';
import { creditableLeft, creditQuantity, creditRest, spreadCreditAmount, NOTHING_CREDITED, type CreditPart, type CreditedSoFar } from './credit-amounts.ts';
import { syncOrderRevenue } from '../revenue/obligations.ts';

/**
 * Credit notes: the only way to correct an issued invoice. A credit note credits lines of one
 * invoice (a quantity of a line, an amount spread over the lines, or by default everything not yet
 * credited), is numbered from its legal entity's own gap-free series at issue (CN-2026-000001) and
 * never changes after. Issuing it lowers what the invoice still owes; credit beyond that (the invoice
 * was already paid) is released from the invoice's payments to the customer's credit, or refunded.
 */

/** Invoices that can be credited: issued ones, paid or not. */
const CREDITABLE_INVOICE_STATES = ['issued', 'partially_paid', 'paid'];

type LineValues = Omit<CreditNoteLineTable, 'id' | 'creditNoteId'>;

const lineForEvent = (l: LineValues) => ({
  lineNo: l.lineNo,
  invoiceLineId: l.invoiceLineId,
  quantity: formatQty(l.qtyMilli),
  netMinor: l.netMinor,
  taxMinor: l.taxMinor,
});

async function creditNoteDtos(ctx: Ctx, rows: readonly CreditNoteTable[]): Promise<CreditNoteDto[]> {
  const ids = rows.map((r) => r.id);
  const [lines, refunds, numbers] = await Promise.all([
    creditNoteLinesOf(ctx.db, ids),
    refundsOfCreditNotes(ctx.db, ids),
    invoiceNumbersOf(ctx, rows.map((r) => r.invoiceId)),
  ]);
  const linesOf = groupBy(lines, (l) => l.creditNoteId);
  const refundsOf = groupBy(refunds, (r) => r.creditNoteId);
  return rows.map((cn) => ({
    ...cn,
    status: cn.status as CreditNoteState,
    settlement: cn.settlement as CreditSettlement,
    invoiceNumber: numbers.get(cn.invoiceId) ?? null,
    refunds: (refundsOf.get(cn.id) ?? []).map((r) => ({ id: r.id, number: r.number, paymentId: r.paymentId, amountMinor: r.amountMinor, status: r.status })),
    lines: (linesOf.get(cn.id) ?? []).map((l) => ({
      id: l.id,
      lineNo: l.lineNo,
      invoiceLineId: l.invoiceLineId,
      description: l.description,
      quantity: formatQty(l.qtyMilli),
      unitPriceMinor: l.unitPriceMinor,
      discountRate: l.discountRate,
      taxRate: l.taxRate,
      taxCodeId: l.taxCodeId ?? null,
      taxCode: l.taxCode ?? null,
      netMinor: l.netMinor,
      taxMinor: l.taxMinor,
      totalMinor: l.totalMinor,
    })),
    allowedActions: creditNoteActions(cn.status as CreditNoteState),
  }));
}

async function creditNoteDto(ctx: Ctx, row: CreditNoteTable): Promise<CreditNoteDto> {
  return (await creditNoteDtos(ctx, [row]))[0]!;
}

function assertCreditable(inv: InvoiceTable): void {
  if (!CREDITABLE_INVOICE_STATES.includes(inv.status))
    throw conflict('invoice_not_creditable', `invoice ${inv.number ?? inv.id} is ${inv.status}; only an issued invoice is credited (a draft is edited or cancelled instead)`, {
      currentState: inv.status,
    });
}

const toLine = (il: InvoiceLineTable, lineNo: number, part: CreditPart): LineValues => ({
  lineNo,
  invoiceLineId: il.id,
  description: il.description,
  qtyMilli: part.qtyMilli,
  unitPriceMinor: il.unitPriceMinor,
  discountRate: il.discountRate,
  taxRate: il.taxRate,
  taxCodeId: il.taxCodeId ?? null,
  taxCode: il.taxCode ?? null,
  netMinor: part.netMinor,
  taxMinor: part.taxMinor,
  totalMinor: part.totalMinor,
});

/**
 * The lines of a new credit note, against what other credit notes (drafts included) already credit.
 * Anything beyond what is left is refused before anything is written: 409 `credit_exceeds_invoice`
 * with one error per line (or on `amountMinor`), naming what is left.
 */
function priceCredit(
  inv: InvoiceTable,
  lines: readonly InvoiceLineTable[],
  reserved: Map<string, CreditedSoFar>,
  data: z.output<typeof CreditNoteCreate>,
  mode: ReturnType<typeof roundingModeOf>,
): LineValues[] {
  const label = `invoice ${inv.number ?? inv.id}`;
  const exceeds = (errors: FieldError[]) =>
    new AppError(409, 'credit_exceeds_invoice', 'Credit exceeds invoice', `the credit note credits more than is left to credit on ${label}: ${errors.map((e) => e.message).join('; ')}`, {
      fields: errors,
    });
  if (data.lines) {
    const byId = new Map(lines.map((l) => [l.id, l]));
    const unknown: FieldError[] = [];
    const running = new Map(reserved);
    const errors: FieldError[] = [];
    const out: LineValues[] = [];
    data.lines.forEach((r, i) => {
      const il = byId.get(r.invoiceLineId);
      const qtyMilli = parseQty(r.quantity, `lines.${i}.quantity`);
      if (!il) unknown.push({ path: `lines.${i}.invoiceLineId`, message: `${label} has no line ${r.invoiceLineId}`, code: 'unknown_reference' });
      if (qtyMilli <= 0) unknown.push({ path: `lines.${i}.quantity`, message: 'the quantity must be more than 0', code: 'invalid' });
      if (!il || qtyMilli <= 0) return;
      const sofar = running.get(il.id) ?? NOTHING_CREDITED;
      const left = il.qtyMilli - sofar.qtyMilli;
      if (qtyMilli > left) {
        errors.push({
          path: `lines.${i}.quantity`,
          message: `only ${formatQty(Math.max(left, 0))} left to credit on line ${il.lineNo} (${il.description}): invoiced ${formatQty(il.qtyMilli)}, credited ${formatQty(sofar.qtyMilli)}`,
          code: 'credit_exceeds_invoice',
        });
        return;
      }
      const part = creditQuantity(il, sofar, qtyMilli, mode);
      running.set(il.id, { qtyMilli: sofar.qtyMilli + qtyMilli, netMinor: sofar.netMinor + part.netMinor, taxMinor: sofar.taxMinor + part.taxMinor });
      out.push(toLine(il, out.length + 1, part));
    });
    if (unknown.length) throw validationError(unknown);
    if (errors.length) throw exceeds(errors);
    return out;
  }
  const left = lines.map((l) => creditableLeft(l, reserved.get(l.id) ?? NOTHING_CREDITED));
  const available = left.reduce((s, l) => s + l.totalMinor, 0);
  if (data.amountMinor !== undefined) {
    if (data.amountMinor > available)
      throw exceeds([
        {
          path: 'amountMinor',
          message: `only ${formatMinor(available, inv.currency)} left to credit (total ${formatMinor(inv.totalMinor, inv.currency)})`,
          code: 'credit_exceeds_invoice',
        },
      ]);
    const parts = spreadCreditAmount(left, data.amountMinor);
    const out: LineValues[] = [];
    parts.forEach((p, i) => {
      if (p.totalMinor > 0) out.push(toLine(lines[i]!, out.length + 1, p));
    });
    return out;
  }
  // Full credit: everything not yet credited, each line exactly what is left of it.
  if (available <= 0) throw conflict('nothing_to_credit', `${label} is credited in full`);
  const out: LineValues[] = [];
  lines.forEach((l) => {
    const rest = creditRest(l, reserved.get(l.id) ?? NOTHING_CREDITED);
    if (rest.totalMinor > 0 || rest.qtyMilli > 0) out.push(toLine(l, out.length + 1, rest));
  });
  return out;
}

/** Locks the invoice (after its account's receivables key) and reads it again under the lock. */
async function lockInvoice(tx: Ctx, inv: InvoiceTable): Promise<InvoiceTable> {
  await lockKey(tx, receivablesLockKey(inv.accountId));
  await lockRows(tx, 'invoices', [inv.id]);
  return (await tx.db.selectFrom('invoices').selectAll().where('id', '=', inv.id).executeTakeFirstOrThrow()) as InvoiceTable;
}

/**
 * A credit note for an issued invoice: the lines given, an amount, or by default everything not yet
 * credited. A draft, unless `issue` is asked for (then issued in the same transaction).
 */
export async function createCreditNote(ctx: Ctx, invoiceId: string, input: unknown): Promise<CreditNoteDto> {
  const data = CreditNoteCreate.parse(input ?? {});
  if (data.lines && data.amountMinor !== undefined) throw fieldError('amountMinor', 'give either lines or amountMinor, not both', 'conflicting_fields');
  return inTx(ctx, async (tx) => {
    // Visible first (else 404, like any record out of scope), then may this role credit it (else 403).
    const found = await loadVisible(tx, invoiceDef, invoiceId);
    assertCan(tx.user, 'credit_note', 'write');
    if (data.issue) assertCan(tx.user, 'credit_note', 'approve');
    const inv = await lockInvoice(tx, found);
    assertCreditable(inv);
    const invLines = await invoiceLinesOf(tx.db, [inv.id]);
    const reserved = await reservedByInvoiceLine(tx.db, invLines.map((l) => l.id));
    const le = await legalEntityFor(tx.db, inv.legalEntityId);
    const lines = priceCredit(inv, invLines, reserved, data, roundingModeOf(le));
    if (!lines.length) throw conflict('nothing_to_credit', `nothing left to credit on invoice ${inv.number ?? inv.id}`);
    const totals = sumAmounts(lines);
    if (totals.totalMinor <= 0) throw conflict('nothing_to_credit', `the credit comes to 0 ${inv.currency}: what these lines were invoiced for is already credited`);
    const now = nowIso();
    const row: CreditNoteTable = {
      id: newId('cn'),
      number: null,
      legalEntityId: inv.legalEntityId,
      invoiceId: inv.id,
      orderId: inv.orderId,
      accountId: inv.accountId,
      status: creditNoteMachine.initial,
      currency: inv.currency,
      ...totals,
      reason: data.reason,
      settlement: data.settlement ?? 'balance',
      issueDate: null,
      issuedAt: null,
      appliedMinor: 0,
      toBalanceMinor: 0,
      refundedMinor: 0,
      // Scoped like the invoice it corrects.
      ownerId: inv.ownerId,
      teamId: inv.teamId,
      createdAt: now,
      updatedAt: now,
      createdBy: tx.user.id,
      version: 1,
    };
    await tx.db.insertInto('creditNotes').values(row).execute();
    await tx.db
      .insertInto('creditNoteLines')
      .values(lines.map((l) => ({ ...l, id: newId('cnl'), creditNoteId: row.id })))
      .execute();
    await recordEvent(tx, { entityType: 'credit_note', entityId: row.id, action: 'created', after: { ...row, lines: lines.map(lineForEvent) } });
    await recordEvent(tx, {
      entityType: 'invoice',
      entityId: inv.id,
      action: 'credit_note_drafted',
      after: { creditNoteId: row.id, totalMinor: row.totalMinor, reason: row.reason },
    });
    return creditNoteDto(tx, data.issue ? await issueLocked(tx, row, inv) : row);
  });
}

/**
 * Issues a draft under the invoice's lock: the number from the legal entity's gap-free series in this
 * transaction; what the invoice still owes goes down by the credit; any excess is released from the
 * invoice's payments (customer credit, or refunds when the credit note asks for them); the invoice
 * moves to paid when nothing is left to pay.
 */
async function issueLocked(tx: Ctx, before: CreditNoteTable, inv: InvoiceTable, expectedVersion?: number): Promise<CreditNoteTable> {
  const to = transition(creditNoteMachine, before.status as CreditNoteState, 'issue');
  assertCreditable(inv);
  const le = await legalEntityFor(tx.db, before.legalEntityId);
  const issueDate = today(le.timezone);
  const number = await nextNumber(tx, 'credit_note', le.id, issueDate);
  const paid = (await paidByInvoice(tx.db, [inv.id])).get(inv.id) ?? 0;
  const credited = (await creditedByInvoice(tx.db, [inv.id])).get(inv.id) ?? 0;
  const outstanding = Math.max(inv.totalMinor - paid - credited, 0);
  const appliedMinor = Math.min(before.totalMinor, outstanding);
  const excess = before.totalMinor - appliedMinor;
  const released =
    excess > 0
      ? await releaseForCredit(tx, inv, { id: before.id, number, amountMinor: excess, refund: before.settlement === 'refund', on: issueDate })
      : { toBalanceMinor: 0, refundedMinor: 0 };
  const after = await updateRecord(
    tx,
    creditNoteDef,
    before,
    { status: to, number, issueDate, issuedAt: nowIso(), appliedMinor, toBalanceMinor: released.toBalanceMinor, refundedMinor: released.refundedMinor },
    { action: 'issue', expectedVersion },
  );
  await recordEvent(tx, {
    entityType: 'invoice',
    entityId: inv.id,
    action: 'credited',
    after: { creditNoteId: after.id, creditNoteNumber: number, totalMinor: after.totalMinor, appliedMinor, toBalanceMinor: released.toBalanceMinor, refundedMinor: released.refundedMinor },
  });
  await settleInvoices(tx, [inv.id]);
  await postCreditNoteJournal(tx, after.id);
  // A credit lowers the price of the obligations of the lines it credits (IFRS 15.87–88).
  await syncOrderRevenue(tx, after.orderId);
  return after;
}

/** Issues a draft credit note (a gatekeeping step: 'approve', like issuing an invoice). */
export async function issueCreditNote(ctx: Ctx, id: string, input: unknown = {}, expectedVersion?: number): Promise<CreditNoteDto> {
  z.object({}).strict().parse(input ?? {});
  return inTx(ctx, async (tx) => {
    const found = await loadVisible(tx, creditNoteDef, id, 'approve');
    const invoice = await tx.db.selectFrom('invoices').selectAll().where('id', '=', found.invoiceId).executeTakeFirstOrThrow();
    const inv = await lockInvoice(tx, invoice as InvoiceTable);
    // Read again under the lock: a concurrent issue of the same draft shows up as a new version.
    const before = await loadVisible(tx, creditNoteDef, id, 'approve');
    return creditNoteDto(tx, await issueLocked(tx, before, inv, expectedVersion ?? found.version));
  });
}

/** Cancels a draft credit note; what it reserved becomes creditable again. */
export async function cancelCreditNote(ctx: Ctx, id: string, input: unknown = {}): Promise<CreditNoteDto> {
  z.object({}).strict().parse(input ?? {});
  return inTx(ctx, async (tx) => {
    const before = await loadVisible(tx, creditNoteDef, id, 'write');
    const to = transition(creditNoteMachine, before.status as CreditNoteState, 'cancel');
    return creditNoteDto(tx, await updateRecord(tx, creditNoteDef, before, { status: to }, { action: 'cancel' }));
  });
}

export async function getCreditNote(ctx: Ctx, id: string): Promise<CreditNoteDto> {
  return creditNoteDto(ctx, await loadVisible(ctx, creditNoteDef, id));
}

export async function listCreditNotes(ctx: Ctx, q: ListQuery) {
  const page = await listVisible(ctx, creditNoteDef, q);
  return { ...page, items: await creditNoteDtos(ctx, page.items) };
}
