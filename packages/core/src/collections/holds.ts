import { z } from 'zod';
import type { Ctx } from '../platform/context.ts';
import { inTx } from '../platform/context.ts';
import { conflict, fieldError, forbidden } from '../platform/errors.ts';
import { SYSTEM, assertCan, can } from '../platform/permissions.ts';
import { addDays, nowIso, today } from '../platform/clock.ts';
import { newId } from '../platform/ids.ts';
import { lockRows } from '../platform/locks.ts';
import { recordEvent } from '../platform/events.ts';
import { loadVisible } from '../platform/records.ts';
import { isoDate, money, reason } from '../platform/schema.ts';
import { invoiceDef } from '../billing/defs.ts';
import { legalEntityFor } from '../billing/legal-entities.ts';
import { receivableInvoices } from '../receivables/ar.repo.ts';
import { OPEN_INVOICE_STATES, PROMISE_GRACE_DAYS } from './state.ts';

/**
 * What pauses dunning on an invoice: a promise to pay (until the promised date and a grace day)
 * and an open dispute (until it is resolved). Sales (on invoices in their scope) and finance record
 * them; only finance and admins resolve a dispute. Each change is an event on the invoice.
 */
export const PromiseToPayInput = z
  .object({
    promisedDate: isoDate,
    amountMinor: money.refine((n) => n > 0, 'a promised amount above zero').optional(),
    note: z.string().trim().min(1, 'a note is required').max(1000),
  })
  .strict();
export const DisputeInput = z.object({ reason }).strict();
export const DisputeResolveInput = z.object({ resolution: reason }).strict();

export const PromiseDto = z.object({
  id: z.string(),
  invoiceId: z.string(),
  promisedDate: z.string(),
  pausedUntil: z.string(),
  amountMinor: z.number().int().nullable(),
  note: z.string(),
  status: z.enum(['open', 'kept', 'broken', 'replaced']),
  closedOn: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});
export type PromiseDto = z.infer<typeof PromiseDto>;

export const DisputeDto = z.object({
  id: z.string(),
  invoiceId: z.string(),
  reason: z.string(),
  status: z.enum(['open', 'resolved']),
  resolution: z.string().nullable(),
  openedAt: z.string(),
  openedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
});
export type DisputeDto = z.infer<typeof DisputeDto>;

/** Sales (who write accounts) and finance (who write invoices) may record promises and disputes. */
function assertMayRecord(ctx: Ctx, what: string): void {
  if (!can(ctx.user, 'invoice', 'write') && !can(ctx.user, 'account', 'write')) throw forbidden(what);
}

async function openInvoice(tx: Ctx, invoiceId: string) {
  const inv = await loadVisible(tx, invoiceDef, invoiceId, 'read');
  await lockRows(tx, 'invoices', [inv.id]);
  if (!(OPEN_INVOICE_STATES as readonly string[]).includes(inv.status))
    throw conflict('invoice_not_open', `invoice ${inv.number ?? inv.id} is ${inv.status}: only issued, unpaid invoices are dunned`);
  const row = (await receivableInvoices({ ...tx, user: SYSTEM }, { currency: inv.currency, accountId: inv.accountId })).find((r) => r.id === inv.id);
  const outstandingMinor = row?.outstandingMinor ?? 0;
  if (outstandingMinor <= 0) throw conflict('invoice_not_open', `invoice ${inv.number ?? inv.id} owes nothing`);
  return { inv, outstandingMinor };
}

const promiseDto = (r: { id: string; invoiceId: string; promisedDate: string; amountMinor: number | null; note: string; status: string; closedOn: string | null; createdAt: string; createdBy: string | null }): PromiseDto => ({
  ...r,
  amountMinor: r.amountMinor === null ? null : Number(r.amountMinor),
  status: r.status as PromiseDto['status'],
  pausedUntil: addDays(r.promisedDate, PROMISE_GRACE_DAYS),
});

/**
 * Records a promise to pay: dunning pauses through the promised date plus a grace day. A new
 * promise replaces an open one. The date may not be in the past; the amount, if given, may not
 * exceed what the invoice owes.
 */
export async function promiseToPay(ctx: Ctx, invoiceId: string, input: unknown): Promise<PromiseDto> {
  assertMayRecord(ctx, 'record promises to pay');
  const body = PromiseToPayInput.parse(input);
  return inTx(ctx, async (tx) => {
    const { inv, outstandingMinor } = await openInvoice(tx, invoiceId);
    const le = await legalEntityFor(tx.db, inv.legalEntityId);
    const now = today(le.timezone);
    if (body.promisedDate < now) throw fieldError('promisedDate', `the promised date ${body.promisedDate} is in the past (today is ${now})`, 'invalid_date');
    if (body.amountMinor !== undefined && body.amountMinor > outstandingMinor)
      throw fieldError('amountMinor', `the invoice owes only ${outstandingMinor} (minor units)`, 'over_outstanding');
    const previous = await tx.db.selectFrom('paymentPromises').select(['id']).where('invoiceId', '=', inv.id).where('status', '=', 'open').execute();
    if (previous.length)
      await tx.db.updateTable('paymentPromises').set({ status: 'replaced', closedOn: now }).where('id', 'in', previous.map((p) => p.id)).execute();
    const row = {
      id: newId('ptp'),
      invoiceId: inv.id,
      accountId: inv.accountId,
      promisedDate: body.promisedDate,
      amountMinor: body.amountMinor ?? null,
      note: body.note,
      status: 'open',
      closedOn: null,
      createdAt: nowIso(),
      createdBy: tx.user.id,
    };
    await tx.db.insertInto('paymentPromises').values(row).execute();
    const dto = promiseDto(row);
    await recordEvent(tx, {
      entityType: 'invoice',
      entityId: inv.id,
      action: 'promise_to_pay',
      after: { promiseId: row.id, promisedDate: row.promisedDate, pausedUntil: dto.pausedUntil, amountMinor: row.amountMinor, note: row.note, replaces: previous.map((p) => p.id) },
    });
    return dto;
  });
}

const disputeDto = (r: DisputeDto | Record<string, unknown>): DisputeDto => r as DisputeDto;

/** Flags an invoice as disputed: no dunning until the dispute is resolved. One open dispute at a time. */
export async function openDispute(ctx: Ctx, invoiceId: string, input: unknown): Promise<DisputeDto> {
  assertMayRecord(ctx, 'dispute invoices');
  const body = DisputeInput.parse(input);
  return inTx(ctx, async (tx) => {
    const { inv } = await openInvoice(tx, invoiceId);
    const existing = await tx.db.selectFrom('invoiceDisputes').select('id').where('invoiceId', '=', inv.id).where('status', '=', 'open').executeTakeFirst();
    if (existing) throw conflict('dispute_open', `invoice ${inv.number ?? inv.id} is already disputed (${existing.id})`, { disputeId: existing.id });
    const row = {
      id: newId('dsp'),
      invoiceId: inv.id,
      accountId: inv.accountId,
      reason: body.reason,
      status: 'open',
      resolution: null,
      openedAt: nowIso(),
      openedBy: tx.user.id,
      resolvedAt: null,
      resolvedBy: null,
    };
    await tx.db.insertInto('invoiceDisputes').values(row).execute();
    await recordEvent(tx, { entityType: 'invoice', entityId: inv.id, action: 'dispute_opened', after: { disputeId: row.id, reason: row.reason } });
    return disputeDto(row);
  });
}

/** Resolves the open dispute (finance and admins): dunning resumes at the next run. */
export async function resolveDispute(ctx: Ctx, invoiceId: string, input: unknown): Promise<DisputeDto> {
  assertCan(ctx.user, 'invoice', 'write');
  const body = DisputeResolveInput.parse(input);
  return inTx(ctx, async (tx) => {
    const inv = await loadVisible(tx, invoiceDef, invoiceId, 'write');
    await lockRows(tx, 'invoices', [inv.id]);
    const d = await tx.db.selectFrom('invoiceDisputes').selectAll().where('invoiceId', '=', inv.id).where('status', '=', 'open').executeTakeFirst();
    if (!d) throw conflict('no_open_dispute', `invoice ${inv.number ?? inv.id} has no open dispute`);
    const patch = { status: 'resolved', resolution: body.resolution, resolvedAt: nowIso(), resolvedBy: tx.user.id };
    await tx.db.updateTable('invoiceDisputes').set(patch).where('id', '=', d.id).execute();
    await recordEvent(tx, {
      entityType: 'invoice',
      entityId: inv.id,
      action: 'dispute_resolved',
      before: { disputeId: d.id, status: 'open' },
      after: { disputeId: d.id, status: 'resolved', resolution: body.resolution },
    });
    return disputeDto({ ...d, ...patch });
  });
}

export const InvoiceCollectionsDto = z.object({
  invoiceId: z.string(),
  notices: z.array(
    z.object({
      id: z.string(),
      level: z.number().int(),
      runDate: z.string(),
      daysPastDue: z.number().int(),
      template: z.string(),
      outstandingMinor: z.number().int(),
      feeMinor: z.number().int(),
      interestMinor: z.number().int(),
      interestFrom: z.string().nullable(),
      interestThrough: z.string().nullable(),
      escalate: z.boolean(),
      holdOrders: z.boolean(),
      status: z.string(),
      recipients: z.array(z.string()),
    }),
  ),
  promises: z.array(PromiseDto),
  disputes: z.array(DisputeDto),
});
export type InvoiceCollectionsDto = z.infer<typeof InvoiceCollectionsDto>;

/** An invoice's notices, promises and disputes (same visibility as the invoice). */
export async function invoiceCollections(ctx: Ctx, invoiceId: string): Promise<InvoiceCollectionsDto> {
  const inv = await loadVisible(ctx, invoiceDef, invoiceId, 'read');
  const [notices, promises, disputes] = await Promise.all([
    ctx.db.selectFrom('dunningNotices').selectAll().where('invoiceId', '=', inv.id).orderBy('level').execute(),
    ctx.db.selectFrom('paymentPromises').selectAll().where('invoiceId', '=', inv.id).orderBy('id').execute(),
    ctx.db.selectFrom('invoiceDisputes').selectAll().where('invoiceId', '=', inv.id).orderBy('id').execute(),
  ]);
  return {
    invoiceId: inv.id,
    notices: notices.map((n) => ({
      id: n.id,
      level: n.level,
      runDate: n.runDate,
      daysPastDue: n.daysPastDue,
      template: n.template,
      outstandingMinor: Number(n.outstandingMinor),
      feeMinor: Number(n.feeMinor),
      interestMinor: Number(n.interestMinor),
      interestFrom: n.interestFrom,
      interestThrough: n.interestThrough,
      escalate: !!n.escalate,
      holdOrders: !!n.holdOrders,
      status: n.status,
      recipients: JSON.parse(n.recipients) as string[],
    })),
    promises: promises.map(promiseDto),
    disputes: disputes.map(disputeDto),
  };
}
