import type { InvoiceTable, PaymentAllocationTable, PaymentTable } from '@openltc/db';
import { z } from 'zod';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso } from '../platform/clock.ts';
import { AppError, validationError, type FieldError } from '../platform/errors.ts';
import { recordEvent } from '../platform/events.ts';
import { nextNumber } from '../platform/numbering.ts';
import { assertCan } from '../platform/permissions.ts';
import { lockRows } from '../platform/locks.ts';
import { listVisible, loadVisible, requireRef, updateRecord, type ListQuery } from '../platform/records.ts';
import { accountDef } from '../sales/defs.ts';
import { groupBy } from '../orders/order.repo.ts';
import { invoiceNumbersOf, invoicesForAllocation, settleInvoices } from '../billing/invoices.ts';
import { OPEN_INVOICE_STATES, type InvoiceState } from '../billing/invoice.machine.ts';
import { PaymentAllocate, PaymentCreate, type Allocation, type PaymentDto } from './payment.schema.ts';
import { allocationsOf } from './payment.repo.ts';
import { paymentDef } from './defs.ts';

// Currencies without minor units; every other one is shown with two decimals in messages.
const ZERO_DECIMAL = new Set(['JPY', 'KRW', 'VND', 'CLP', 'ISK', 'UGX']);

/** An amount for people to read in an error message, from integer minor units without floats. */
export function formatMinor(minor: number, currency: string): string {
  if (ZERO_DECIMAL.has(currency)) return `${minor} ${currency}`;
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')} ${currency}`;
}

async function paymentDtos(ctx: Ctx, rows: readonly PaymentTable[]): Promise<PaymentDto[]> {
  const allocations = await allocationsOf(ctx.db, rows.map((r) => r.id));
  const numbers = await invoiceNumbersOf(ctx, allocations.map((a) => a.invoiceId));
  const byPayment = groupBy(allocations, (a) => a.paymentId);
  return rows.map((p) => {
    const mine = byPayment.get(p.id) ?? [];
    const allocatedMinor = mine.reduce((s, a) => s + a.amountMinor, 0);
    return {
      ...p,
      status: p.status as PaymentDto['status'],
      method: p.method as PaymentDto['method'],
      allocations: mine.map((a) => ({
        id: a.id,
        invoiceId: a.invoiceId,
        invoiceNumber: numbers.get(a.invoiceId) ?? null,
        amountMinor: a.amountMinor,
        createdAt: a.createdAt,
        createdBy: a.createdBy,
      })),
      allocatedMinor,
      unallocatedMinor: p.amountMinor - allocatedMinor,
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
 * (422 `account_mismatch`), another currency (422 `currency_mismatch`), an invoice that is not open
 * (409 `invoice_not_payable`), then amounts beyond what the payment has left or the invoice still
 * owes (409 `over_allocation`). Invoices move to partially_paid / paid in the same transaction.
 */
async function allocate(tx: Ctx, payment: PaymentTable, allocations: readonly Allocation[]): Promise<PaymentAllocationTable[]> {
  if (!allocations.length) return [];
  const invoices = await invoicesForAllocation(tx, allocations.map((a) => a.invoiceId));
  const path = (i: number, f: string) => `allocations.${i}.${f}`;
  const label = (inv: InvoiceTable) => (inv.number ? `invoice ${inv.number}` : `draft invoice ${inv.id}`);

  const unknown: FieldError[] = [];
  const account: FieldError[] = [];
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
  if (currency.length) refuse(422, 'currency_mismatch', 'Currency mismatch', currency);
  if (notOpen.length) refuse(409, 'invoice_not_payable', 'Invoice not payable', notOpen);

  const already = (await allocationsOf(tx.db, [payment.id])).reduce((s, a) => s + a.amountMinor, 0);
  let unallocated = payment.amountMinor - already;
  const owed = new Map([...invoices].map(([id, { invoice, paidMinor }]) => [id, invoice.totalMinor - paidMinor]));
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

/** Records money received from a customer, optionally allocating it to their invoices at once. */
export async function createPayment(ctx: Ctx, input: z.input<typeof PaymentCreate>): Promise<PaymentDto> {
  const data = PaymentCreate.parse(input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'payment', 'write');
    const account = await requireRef(tx, accountDef, data.accountId, 'accountId');
    const now = nowIso();
    const row: PaymentTable = {
      id: newId('pay'),
      number: await nextNumber(tx, 'payment', 'all', data.receivedOn.slice(0, 4)),
      accountId: account.id,
      status: 'received',
      amountMinor: data.amountMinor,
      currency: data.currency,
      receivedOn: data.receivedOn,
      method: data.method,
      reference: data.reference ?? null,
      // Scoped like the customer, so the account's team sees the cash it brought in.
      ownerId: account.ownerId,
      teamId: account.teamId,
      createdAt: now,
      updatedAt: now,
      createdBy: tx.user.id,
      version: 1,
    };
    await tx.db.insertInto('payments').values(row).execute();
    const allocations = await allocate(tx, row, data.allocations ?? []);
    await recordEvent(tx, {
      entityType: 'payment',
      entityId: row.id,
      action: 'created',
      after: { ...row, allocations: allocations.map((a) => ({ invoiceId: a.invoiceId, amountMinor: a.amountMinor })) },
    });
    return paymentDto(tx, row);
  });
}

/** Allocates (more of) a payment to invoices. */
export async function allocatePayment(ctx: Ctx, id: string, input: unknown, expectedVersion?: number): Promise<PaymentDto> {
  const data = PaymentAllocate.parse(input);
  return inTx(ctx, async (tx) => {
    // Locked so two allocations of the same payment cannot both spend its last unallocated amount.
    await lockRows(tx, 'payments', [id]);
    const before = await loadVisible(tx, paymentDef, id, 'write');
    const rows = await allocate(tx, before, data.allocations);
    // The row itself does not change, but its DTO does: a new version keeps ETags honest.
    const after = await updateRecord(tx, paymentDef, before, {}, { expectedVersion });
    await recordEvent(tx, {
      entityType: 'payment',
      entityId: before.id,
      action: 'allocate',
      after: { allocations: rows.map((a) => ({ invoiceId: a.invoiceId, amountMinor: a.amountMinor })) },
    });
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
