import type { InvoiceTable, PaymentAllocationTable, PaymentTable, RefundTable } from '@openltc/db';
import { z } from 'zod';
import { validated } from '../platform/validation.ts';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso, today } from '../platform/clock.ts';
import { AppError, conflict, fieldError, validationError, type FieldError } from '../platform/errors.ts';
import { recordEvent } from '../platform/events.ts';
import { transition } from '../platform/machine.ts';
import { nextNumber } from '../platform/numbering.ts';
import { assertCan } from '../platform/permissions.ts';
import { lockKey, lockRows } from '../platform/locks.ts';
import { applyScope, isVisible, listVisible, loadVisible, requireRef, updateRecord, type ListQuery } from '../platform/records.ts';
import { accountDef } from '../sales/defs.ts';
import { groupBy } from '../orders/order.repo.ts';
import { invoiceNumbersOf, invoicesForAllocation, settleInvoices } from '../billing/invoices.ts';
import { invoiceDef } from '../billing/defs.ts';
import { OPEN_INVOICE_STATES, type InvoiceState } from '../billing/invoice.machine.ts';
import { PaymentAllocate, PaymentCreate, PaymentReverse, type Allocation, type PaymentDto } from './payment.schema.ts';
import { allocationsOf, receivablesLockKey, refundedByPayment } from './payment.repo.ts';
import { paymentActions, paymentMachine, type PaymentState } from './payment.machine.ts';
import { planAutoAllocation } from './auto-allocate.ts';
import { paymentDef } from './defs.ts';
import { postPaymentJournal } from '../ledger/posting.ts';
import { chargeAllocatedByPayment } from '../collections/charges.repo.ts';
import { reverseChargeAllocations } from '../collections/charges.ts';
import { realisedFxByPayment } from '../ledger/functional-report.ts';
import { legalEntityFor } from '../billing/legal-entities.ts';

// Currencies without minor units; every other one is shown with two decimals in messages.
const ZERO_DECIMAL = new Set(['JPY', 'KRW', 'VND', 'CLP', 'ISK', 'UGX']);

/** An amount for people to read in an error message, from integer minor units without floats. */
export function formatMinor(minor: number, currency: string): string {
  if (ZERO_DECIMAL.has(currency)) return `${minor} ${currency}`;
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')} ${currency}`;
}

/**
 * What a payment still has for the customer: its amount less what is allocated (net of counter-rows)
 * and refunded; nothing once reversed (the bank took it back).
 */
export function unallocatedOf(p: Pick<PaymentTable, 'amountMinor' | 'status'>, allocatedMinor: number, refundedMinor: number): number {
  return p.status === 'reversed' ? 0 : p.amountMinor - allocatedMinor - refundedMinor;
}

async function paymentDtos(ctx: Ctx, rows: readonly PaymentTable[]): Promise<PaymentDto[]> {
  const ids = rows.map((r) => r.id);
  const [allocations, refunded, onCharges, fx] = await Promise.all([
    allocationsOf(ctx.db, ids),
    refundedByPayment(ctx.db, ids),
    chargeAllocatedByPayment(ctx, ids),
    realisedFxByPayment(ctx, rows),
  ]);
  const numbers = await invoiceNumbersOf(ctx, allocations.map((a) => a.invoiceId));
  const byPayment = groupBy(allocations, (a) => a.paymentId);
  return rows.map((p) => {
    const mine = byPayment.get(p.id) ?? [];
    const allocatedMinor = mine.reduce((s, a) => s + a.amountMinor, 0);
    const refundedMinor = refunded.get(p.id) ?? 0;
    const chargeAllocatedMinor = onCharges.get(p.id) ?? 0;
    return {
      ...p,
      status: p.status as PaymentDto['status'],
      method: p.method as PaymentDto['method'],
      allocations: mine.map((a) => ({
        id: a.id,
        kind: a.kind as PaymentDto['allocations'][number]['kind'],
        invoiceId: a.invoiceId,
        invoiceNumber: numbers.get(a.invoiceId) ?? null,
        amountMinor: a.amountMinor,
        creditNoteId: a.creditNoteId,
        effectiveOn: a.effectiveOn,
        createdAt: a.createdAt,
        createdBy: a.createdBy,
      })),
      allocatedMinor,
      refundedMinor,
      chargeAllocatedMinor,
      unallocatedMinor: unallocatedOf(p, allocatedMinor + chargeAllocatedMinor, refundedMinor),
      fx: fx.get(p.number) ?? null,
      allowedActions: paymentActions(p.status as PaymentState),
    };
  });
}

async function paymentDto(ctx: Ctx, row: PaymentTable): Promise<PaymentDto> {
  return (await paymentDtos(ctx, [row]))[0]!;
}

function refuse(status: number, code: string, title: string, errors: FieldError[]): never {
  throw new AppError(status, code, title, errors.map((e) => `${e.path}: ${e.message}`).join('; '), { fields: errors });
}

/**
 * Applies allocations of a payment to invoices, all or nothing. Checked in this order, each kind
 * reported for every allocation it concerns: unknown invoices (422), another account's invoice
 * (422 `account_mismatch`), another legal entity than the payment's (422 `legal_entity_mismatch`),
 * another currency (422 `currency_mismatch`), an invoice that is not open
 * (409 `invoice_not_payable`), then amounts beyond what the payment has left or the invoice still
 * owes (409 `over_allocation`). Invoices move to partially_paid / paid in the same transaction.
 */
async function allocate(tx: Ctx, payment: PaymentTable, allocations: readonly Allocation[]): Promise<PaymentAllocationTable[]> {
  if (!allocations.length) return [];
  if (payment.status !== 'received')
    throw conflict('payment_reversed', `payment ${payment.number} is ${payment.status}; a reversed payment cannot be allocated`, { currentState: payment.status });
  const invoices = await invoicesForAllocation(tx, allocations.map((a) => a.invoiceId));
  const path = (i: number, f: string) => `allocations.${i}.${f}`;
  const label = (inv: InvoiceTable) => (inv.number ? `invoice ${inv.number}` : `draft invoice ${inv.id}`);

  const unknown: FieldError[] = [];
  const account: FieldError[] = [];
  const entity: FieldError[] = [];
  const currency: FieldError[] = [];
  const notOpen: FieldError[] = [];
  allocations.forEach((a, i) => {
    const found = invoices.get(a.invoiceId);
    if (!found) {
      unknown.push({ path: path(i, 'invoiceId'), message: `invoice ${a.invoiceId} does not exist or is not visible to you`, code: 'unknown_reference' });
      return;
    }
    const inv = found.invoice;
    if (inv.accountId !== payment.accountId)
      account.push({ path: path(i, 'invoiceId'), message: `${label(inv)} belongs to another account than payment ${payment.number}`, code: 'account_mismatch' });
    if (inv.legalEntityId !== payment.legalEntityId)
      entity.push({
        path: path(i, 'invoiceId'),
        message: `${label(inv)} was issued by legal entity ${inv.legalEntityId}, payment ${payment.number} was received by ${payment.legalEntityId}`,
        code: 'legal_entity_mismatch',
      });
    if (inv.currency !== payment.currency)
      currency.push({ path: path(i, 'invoiceId'), message: `${label(inv)} is in ${inv.currency}, payment ${payment.number} in ${payment.currency}`, code: 'currency_mismatch' });
    if (!OPEN_INVOICE_STATES.includes(inv.status as InvoiceState))
      notOpen.push({
        path: path(i, 'invoiceId'),
        message: `${label(inv)} is ${inv.status}; payments go to issued invoices that are not yet paid in full`,
        code: 'invoice_not_payable',
      });
  });
  if (unknown.length) throw validationError(unknown, unknown.map((e) => e.message).join('; '));
  if (account.length) refuse(422, 'account_mismatch', 'Account mismatch', account);
  if (entity.length) refuse(422, 'legal_entity_mismatch', 'Legal entity mismatch', entity);
  if (currency.length) refuse(422, 'currency_mismatch', 'Currency mismatch', currency);
  if (notOpen.length) refuse(409, 'invoice_not_payable', 'Invoice not payable', notOpen);

  let unallocated = await unallocatedNow(tx, payment);
  const owed = new Map([...invoices].map(([id, { invoice, paidMinor, creditedMinor }]) => [id, invoice.totalMinor - paidMinor - creditedMinor]));
  const over: FieldError[] = [];
  allocations.forEach((a, i) => {
    const inv = invoices.get(a.invoiceId)!.invoice;
    const outstanding = owed.get(inv.id)!;
    if (a.amountMinor > outstanding)
      over.push({
        path: path(i, 'amountMinor'),
        message: `${label(inv)} has only ${formatMinor(Math.max(outstanding, 0), inv.currency)} outstanding`,
        code: 'over_allocation',
      });
    else if (a.amountMinor > unallocated)
      over.push({
        path: path(i, 'amountMinor'),
        message: `payment ${payment.number} has only ${formatMinor(Math.max(unallocated, 0), payment.currency)} left to allocate`,
        code: 'over_allocation',
      });
    owed.set(inv.id, outstanding - a.amountMinor);
    unallocated -= a.amountMinor;
  });
  if (over.length) refuse(409, 'over_allocation', 'Over-allocation', over);

  const now = nowIso();
  const rows: PaymentAllocationTable[] = allocations.map((a) => ({
    id: newId('pal'),
    paymentId: payment.id,
    invoiceId: a.invoiceId,
    amountMinor: a.amountMinor,
    createdAt: now,
    createdBy: tx.user.id,
    kind: 'allocation',
    reversesId: null,
    creditNoteId: null,
    // Cash counts against an invoice from the day it was received (receivables as of a date).
    effectiveOn: payment.receivedOn,
  }));
  await tx.db.insertInto('paymentAllocations').values(rows).execute();
  for (const r of rows) {
    const inv = invoices.get(r.invoiceId)!.invoice;
    await recordEvent(tx, {
      entityType: 'invoice',
      entityId: inv.id,
      action: 'payment_allocated',
      after: { paymentId: payment.id, paymentNumber: payment.number, allocationId: r.id, amountMinor: r.amountMinor },
    });
  }
  await settleInvoices(tx, rows.map((r) => r.invoiceId));
  return rows;
}

/** What a payment has left to allocate now: amount − net allocations − refunds (0 once reversed). */
async function unallocatedNow(tx: Ctx, payment: PaymentTable): Promise<number> {
  const allocated = (await allocationsOf(tx.db, [payment.id])).reduce((s, a) => s + a.amountMinor, 0);
  const refunded = (await refundedByPayment(tx.db, [payment.id])).get(payment.id) ?? 0;
  const onCharges = (await chargeAllocatedByPayment(tx, [payment.id])).get(payment.id) ?? 0;
  return unallocatedOf(payment, allocated + onCharges, refunded);
}

/**
 * The allocations that spread what a payment has left over the account's open invoices of its legal
 * entity in its currency that the caller may see, oldest due first (then issue date, then number).
 */
async function autoAllocations(tx: Ctx, payment: PaymentTable): Promise<Allocation[]> {
  const available = await unallocatedNow(tx, payment);
  if (available <= 0) return [];
  const candidates = await applyScope(
    tx,
    invoiceDef,
    tx.db
      .selectFrom('invoices')
      .select('id')
      .where('accountId', '=', payment.accountId)
      .where('legalEntityId', '=', payment.legalEntityId)
      .where('currency', '=', payment.currency)
      .where('status', 'in', [...OPEN_INVOICE_STATES]),
  ).execute();
  const open = await invoicesForAllocation(tx, candidates.map((c) => c.id));
  const plan = planAutoAllocation(
    available,
    [...open.values()].map(({ invoice, paidMinor, creditedMinor }) => ({
      id: invoice.id,
      number: invoice.number,
      issueDate: invoice.issueDate,
      dueDate: invoice.dueDate,
      outstandingMinor: invoice.totalMinor - paidMinor - creditedMinor,
    })),
  );
  return plan;
}

function allocationInput(data: { allocations?: Allocation[] | undefined; autoAllocate?: boolean | undefined }, required: boolean): 'auto' | Allocation[] {
  if (data.autoAllocate && data.allocations)
    throw fieldError('autoAllocate', 'give either allocations or autoAllocate, not both', 'conflicting_fields');
  if (data.autoAllocate) return 'auto';
  if (required && !data.allocations) throw fieldError('allocations', 'give allocations, or autoAllocate: true', 'required');
  return data.allocations ?? [];
}

/**
 * The legal entity a new payment belongs to: the one given (it must exist), else the one of the
 * invoices it is allocated to (they must share one: 422 `legal_entity_mismatch`), else the one of the
 * customer's open invoices in its currency, else of any invoice of the customer, else the first legal
 * entity (an advance from a customer never invoiced). A customer with invoices of several entities
 * must say which received the money (422 on `legalEntityId`).
 */
async function paymentLegalEntity(tx: Ctx, accountId: string, currency: string, given: string | undefined, how: 'auto' | Allocation[]): Promise<string> {
  if (given) return (await legalEntityFor(tx.db, given)).id;
  if (how !== 'auto' && how.length) {
    // Only invoices the caller may see (the others are reported as unknown by the allocation).
    const rows = (await tx.db.selectFrom('invoices').selectAll().where('id', 'in', [...new Set(how.map((a) => a.invoiceId))]).execute()).filter((r) => isVisible(tx, invoiceDef, r));
    const entities = [...new Set(rows.map((r) => r.legalEntityId))];
    if (entities.length > 1) {
      const first = rows[0]!.legalEntityId;
      const errors: FieldError[] = how.flatMap((a, i) => {
        const r = rows.find((x) => x.id === a.invoiceId);
        return r && r.legalEntityId !== first
          ? [{ path: `allocations.${i}.invoiceId`, message: `invoice ${r.number ?? r.id} was issued by legal entity ${r.legalEntityId}, the other invoices by ${first}; one payment is received by one legal entity`, code: 'legal_entity_mismatch' }]
          : [];
      });
      refuse(422, 'legal_entity_mismatch', 'Legal entity mismatch', errors);
    }
    // Unknown invoices are reported by the allocation itself.
    if (entities.length === 1) return entities[0]!;
  }
  const ofCustomer = async (open: boolean) => {
    let q = tx.db.selectFrom('invoices').select('legalEntityId').distinct().where('accountId', '=', accountId).where('currency', '=', currency);
    q = open ? q.where('status', 'in', [...OPEN_INVOICE_STATES]) : q.where('number', 'is not', null);
    return (await q.execute()).map((r) => r.legalEntityId);
  };
  let entities = await ofCustomer(true);
  if (!entities.length) entities = await ofCustomer(false);
  if (entities.length > 1)
    throw fieldError('legalEntityId', `the customer has ${currency} invoices of ${entities.length} legal entities (${entities.sort().join(', ')}); say which one received the payment`, 'required');
  return entities[0] ?? (await legalEntityFor(tx.db, null)).id;
}

/** Records money received from a customer, optionally allocating it to their invoices at once. */
export async function createPayment(ctx: Ctx, input: z.input<typeof PaymentCreate>): Promise<PaymentDto> {
  const data = validated(PaymentCreate, input);
  const how = allocationInput(data, false);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'payment', 'write');
    const account = await requireRef(tx, accountDef, data.accountId, 'accountId');
    await lockKey(tx, receivablesLockKey(account.id));
    const legalEntityId = await paymentLegalEntity(tx, account.id, data.currency, data.legalEntityId, how);
    const now = nowIso();
    const row: PaymentTable = {
      id: newId('pay'),
      number: await nextNumber(tx, 'payment', 'all', data.receivedOn),
      accountId: account.id,
      legalEntityId,
      status: 'received',
      amountMinor: data.amountMinor,
      currency: data.currency,
      receivedOn: data.receivedOn,
      method: data.method,
      reference: data.reference ?? null,
      reversedAt: null,
      reversedOn: null,
      reversalReason: null,
      // Scoped like the customer, so the account's team sees the cash it brought in.
      ownerId: account.ownerId,
      teamId: account.teamId,
      createdAt: now,
      updatedAt: now,
      createdBy: tx.user.id,
      version: 1,
    };
    await tx.db.insertInto('payments').values(row).execute();
    const allocations = await allocate(tx, row, how === 'auto' ? await autoAllocations(tx, row) : how);
    await recordEvent(tx, {
      entityType: 'payment',
      entityId: row.id,
      action: 'created',
      after: { ...row, allocations: allocations.map((a) => ({ invoiceId: a.invoiceId, amountMinor: a.amountMinor })) },
    });
    await postPaymentJournal(tx, row.id);
    return paymentDto(tx, row);
  });
}

/** Allocates (more of) a payment to invoices. */
/** The account of a payment, read before any lock to take the account's receivables lock first. */
async function lockAccountOfPayment(tx: Ctx, paymentId: string): Promise<void> {
  const p = await tx.db.selectFrom('payments').select('accountId').where('id', '=', paymentId).executeTakeFirst();
  if (p) await lockKey(tx, receivablesLockKey(p.accountId));
}

export async function allocatePayment(ctx: Ctx, id: string, input: unknown, expectedVersion?: number): Promise<PaymentDto> {
  const data = PaymentAllocate.parse(input);
  const how = allocationInput(data, true);
  return inTx(ctx, async (tx) => {
    await lockAccountOfPayment(tx, id);
    // Locked so two allocations of the same payment cannot both spend its last unallocated amount.
    await lockRows(tx, 'payments', [id]);
    const before = await loadVisible(tx, paymentDef, id, 'write');
    const wanted = how === 'auto' ? await autoAllocations(tx, before) : how;
    if (how === 'auto' && !wanted.length)
      throw conflict('nothing_to_allocate', `payment ${before.number} has nothing left to allocate, or its account has no open invoice in ${before.currency}`);
    const rows = await allocate(tx, before, wanted);
    // The row itself does not change, but its DTO does: a new version keeps ETags honest.
    const after = await updateRecord(tx, paymentDef, before, {}, { expectedVersion });
    await recordEvent(tx, {
      entityType: 'payment',
      entityId: before.id,
      action: 'allocate',
      after: { allocations: rows.map((a) => ({ invoiceId: a.invoiceId, amountMinor: a.amountMinor })) },
    });
    await postPaymentJournal(tx, before.id);
    return paymentDto(tx, after);
  });
}

export async function getPayment(ctx: Ctx, id: string): Promise<PaymentDto> {
  return paymentDto(ctx, await loadVisible(ctx, paymentDef, id));
}

export async function listPayments(ctx: Ctx, q: ListQuery) {
  const page = await listVisible(ctx, paymentDef, q);
  return { ...page, items: await paymentDtos(ctx, page.items) };
}

/**
 * Reverses a payment the bank returned: every invoice it paid gets a negative counter-row for what
 * the payment still had on it (allocations are never deleted), the invoices go back to partially paid
 * or issued with their events, and the payment becomes `reversed` (final). A payment that money was
 * already refunded from cannot be reversed (409 `payment_refunded`): the refund would be lost.
 */
export async function reversePayment(ctx: Ctx, id: string, input: unknown, expectedVersion?: number): Promise<PaymentDto> {
  const { reason } = PaymentReverse.parse(input);
  return inTx(ctx, async (tx) => {
    await lockAccountOfPayment(tx, id);
    await lockRows(tx, 'payments', [id]);
    const before = await loadVisible(tx, paymentDef, id, 'approve');
    const to = transition(paymentMachine, before.status as PaymentState, 'reverse');
    const refunded = (await refundedByPayment(tx.db, [before.id])).get(before.id) ?? 0;
    if (refunded)
      throw conflict('payment_refunded', `payment ${before.number} had ${formatMinor(refunded, before.currency)} refunded from it; it cannot be reversed`, {
        refundedMinor: refunded,
      });
    const rows = await allocationsOf(tx.db, [before.id]);
    const net = new Map<string, { amount: number; lastId: string | null }>();
    for (const r of rows) {
      const cur = net.get(r.invoiceId) ?? { amount: 0, lastId: null };
      net.set(r.invoiceId, { amount: cur.amount + r.amountMinor, lastId: r.kind === 'allocation' ? r.id : cur.lastId });
    }
    const invoiceIds = [...net.keys()].filter((k) => net.get(k)!.amount !== 0);
    await lockRows(tx, 'invoices', invoiceIds);
    const on = today();
    const now = nowIso();
    const counters: PaymentAllocationTable[] = invoiceIds.map((invoiceId) => ({
      id: newId('pal'),
      paymentId: before.id,
      invoiceId,
      amountMinor: -net.get(invoiceId)!.amount,
      createdAt: now,
      createdBy: tx.user.id,
      kind: 'reversal',
      reversesId: net.get(invoiceId)!.lastId,
      creditNoteId: null,
      effectiveOn: on,
    }));
    if (counters.length) await tx.db.insertInto('paymentAllocations').values(counters).execute();
    for (const c of counters)
      await recordEvent(tx, {
        entityType: 'invoice',
        entityId: c.invoiceId,
        action: 'payment_reversed',
        after: { paymentId: before.id, paymentNumber: before.number, allocationId: c.id, amountMinor: c.amountMinor, reason },
      });
    await settleInvoices(tx, invoiceIds);
    // Dunning charges it paid are owed again too.
    await reverseChargeAllocations(tx, before, on);
    const after = await updateRecord(
      tx,
      paymentDef,
      before,
      { status: to, reversedAt: now, reversedOn: on, reversalReason: reason },
      { action: 'reverse', expectedVersion },
    );
    await postPaymentJournal(tx, after.id);
    return paymentDto(tx, after);
  });
}

/**
 * For credit notes: a credit note issued on an invoice that was already paid credits more than the
 * invoice still owes. The excess is taken off the invoice's payments, the most recent first, with
 * negative `credit_release` rows; the money released stays on those payments as the customer's credit
 * (allocatable later like any unallocated amount), or, when asked, is refunded: a refund row per
 * payment (money going back out, to be posted as cash by the journal).
 *
 * Why refunds are rows of their own and not payments of kind refund: every figure over payments
 * (paid per invoice and order, unallocated per payment, cash received) would have to learn to skip
 * them; a refund draws on a payment (`paymentId`) so the payment's credit goes down by it, and the
 * journal reads refunds as cash out.
 */
export async function releaseForCredit(
  tx: Ctx,
  invoice: InvoiceTable,
  credit: { id: string; number: string; amountMinor: number; refund: boolean; on: string },
): Promise<{ toBalanceMinor: number; refundedMinor: number; refunds: RefundTable[] }> {
  const rows = await tx.db.selectFrom('paymentAllocations').selectAll().where('invoiceId', '=', invoice.id).orderBy('id').execute();
  const perPayment = new Map<string, { net: number; lastId: string }>();
  for (const r of rows) {
    const cur = perPayment.get(r.paymentId);
    perPayment.set(r.paymentId, { net: (cur?.net ?? 0) + r.amountMinor, lastId: r.kind === 'allocation' ? r.id : (cur?.lastId ?? r.id) });
  }
  // Most recent allocation first: the last money in is the first given back.
  const order = [...perPayment.entries()].filter(([, v]) => v.net > 0).sort((a, b) => (a[1].lastId < b[1].lastId ? 1 : -1));
  await lockRows(tx, 'payments', order.map(([id]) => id));
  const payments = new Map(
    order.length ? (await tx.db.selectFrom('payments').selectAll().where('id', 'in', order.map(([id]) => id)).execute()).map((p) => [p.id, p]) : [],
  );
  let left = credit.amountMinor;
  const now = nowIso();
  const refunds: RefundTable[] = [];
  for (const [paymentId, { net, lastId }] of order) {
    if (left <= 0) break;
    const payment = payments.get(paymentId)!;
    const amount = Math.min(net, left);
    left -= amount;
    const row: PaymentAllocationTable = {
      id: newId('pal'),
      paymentId,
      invoiceId: invoice.id,
      amountMinor: -amount,
      createdAt: now,
      createdBy: tx.user.id,
      kind: 'credit_release',
      reversesId: lastId,
      creditNoteId: credit.id,
      effectiveOn: credit.on,
    };
    await tx.db.insertInto('paymentAllocations').values(row).execute();
    await recordEvent(tx, {
      entityType: 'invoice',
      entityId: invoice.id,
      action: 'payment_released',
      after: { paymentId, paymentNumber: payment.number, allocationId: row.id, amountMinor: row.amountMinor, creditNoteId: credit.id, creditNoteNumber: credit.number },
    });
    if (credit.refund) {
      const refund: RefundTable = {
        id: newId('rfd'),
        number: await nextNumber(tx, 'refund', 'all', credit.on),
        accountId: payment.accountId,
        paymentId,
        creditNoteId: credit.id,
        status: 'recorded',
        amountMinor: amount,
        currency: payment.currency,
        refundOn: credit.on,
        ownerId: payment.ownerId,
        teamId: payment.teamId,
        createdAt: now,
        updatedAt: now,
        createdBy: tx.user.id,
        version: 1,
      };
      await tx.db.insertInto('refunds').values(refund).execute();
      await recordEvent(tx, { entityType: 'refund', entityId: refund.id, action: 'created', after: { ...refund } });
      refunds.push(refund);
    }
    // The payment's figures changed (released, maybe refunded): a new version and the reason on its timeline.
    await updateRecord(tx, paymentDef, payment, {});
    await recordEvent(tx, {
      entityType: 'payment',
      entityId: paymentId,
      action: credit.refund ? 'credit_refunded' : 'credit_released',
      after: { invoiceId: invoice.id, creditNoteId: credit.id, creditNoteNumber: credit.number, amountMinor: amount },
    });
  }
  if (left > 0) throw new Error(`credit note ${credit.number}: ${left} more to release than the payments of invoice ${invoice.id} hold`);
  const released = credit.amountMinor;
  return credit.refund ? { toBalanceMinor: 0, refundedMinor: released, refunds } : { toBalanceMinor: released, refundedMinor: 0, refunds };
}
