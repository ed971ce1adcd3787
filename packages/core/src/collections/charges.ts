import type { DunningChargeAllocationTable, DunningChargeTable, LegalEntityTable, PaymentTable } from '@openltc/db';
import { z } from 'zod';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { addDays, nowIso, today } from '../platform/clock.ts';
import { AppError, conflict, notFound, validationError, versionConflict, type FieldError } from '../platform/errors.ts';
import { parseDecimal, roundDiv, toSafeNumber } from '../platform/money.ts';
import { reason as reasonSchema } from '../platform/schema.ts';
import { roundingModeOf } from '../billing/legal-entities.ts';
import { taxCodesOf } from '../pricing/tax-codes.ts';
import { chargeTaxCodeOf } from './levels.ts';
import { recordEvent } from '../platform/events.ts';
import { nextNumber } from '../platform/numbering.ts';
import { assertCan, scopeOf } from '../platform/permissions.ts';
import { lockKey, lockRows } from '../platform/locks.ts';
import { id as idSchema } from '../platform/schema.ts';
import { loadVisible } from '../platform/records.ts';
import { paymentDef } from '../payments/defs.ts';
import { receivablesLockKey, allocationsOf, refundedByPayment } from '../payments/payment.repo.ts';
import { chartFor } from '../ledger/chart.ts';
import { writeEntry } from '../ledger/posting.ts';
import { waivedParts, type DunningAction } from '../money/dunning.ts';
import { chargeAllocatedByPayment, chargesAsOf } from './charges.repo.ts';

/**
 * Dunning charges: the fee and the late interest a dunning notice charges become a receivable of
 * their own — a charge document with a gap-free number per legal entity and year (DC-2026-000001),
 * due {@link CHARGE_TERMS_DAYS} days after the notice, in AR aging, and paid by allocating money of
 * a payment to it like to an invoice. Why not an invoice: an invoice is the billing of order lines
 * (every invoice line points to an order line, and order progress sums them); a late fee bills no
 * order, and mixing it in would make "billed" and revenue figures wrong.
 *
 * Posting (in the dunning run's transaction): Dr AR (the charge, its own open item) / Cr late-fee
 * income (the fee) / Cr interest income (the interest); in the legal entity's functional currency at
 * the rate of the notice date like any document. No VAT by default: late-payment interest and
 * liquidated damages (违约金) of a customer who received the goods are generally not invoiced with VAT
 * in China, whereas a fee that is part of the price of a taxable sale (价外费用) is; the legal entity
 * says which through its dunning policy's `chargeTaxCode` (then Cr VAT output too, the total includes
 * it). A charge is created at most once per notice (unique), so a second run on the same day, which
 * creates no notice, charges nothing.
 *
 * Waiver (finance): what is still owed on a charge is waived with a reason — it leaves receivables
 * from the waiver date and that part of its posting is reversed (Dr fee and interest income, Dr VAT
 * output / Cr AR) at its booked rate. Of a partly paid charge only the unpaid rest is waived: the
 * reversal splits it over fee, interest and VAT in proportion to the charge's own amounts (largest
 * remainder, so the parts add up to the rest exactly; an unpaid charge's parts are its amounts). A
 * charge paid in full has nothing left to waive (409 `charge_paid`): credit the customer instead.
 */
export const CHARGE_TERMS_DAYS = 14;
export const CHARGE_STATES = ['open', 'paid', 'waived'] as const;
export const ChargeWaive = z.object({ reason: reasonSchema }).strict();

export const DunningChargeDto = z.object({
  id: z.string(),
  number: z.string(),
  legalEntityId: z.string(),
  accountId: z.string(),
  invoiceId: z.string(),
  invoiceNumber: z.string().nullable(),
  noticeId: z.string(),
  level: z.number().int(),
  currency: z.string(),
  feeMinor: z.number().int(),
  interestMinor: z.number().int(),
  totalMinor: z.number().int(),
  paidMinor: z.number().int(),
  waivedMinor: z.number().int().describe('waived: the unpaid rest at the waiver (the whole charge when nothing was paid)'),
  outstandingMinor: z.number().int(),
  interestAnnualRate: z.string().nullable(),
  interestFrom: z.string().nullable(),
  interestThrough: z.string().nullable(),
  interestDays: z.number().int(),
  interestBaseMinor: z.number().int().describe('the overdue amount the interest was charged on'),
  issueDate: z.string(),
  dueDate: z.string(),
  status: z.enum(CHARGE_STATES),
  taxCode: z.string().nullable().describe("VAT on the charge (the legal entity's dunning policy); null: none"),
  taxRate: z.string().nullable(),
  taxMinor: z.number().int().describe('included in totalMinor'),
  waivedOn: z.string().nullable(),
  waiveReason: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
});
export type DunningChargeDto = z.infer<typeof DunningChargeDto>;
export const DunningChargesPage = z.object({ items: z.array(DunningChargeDto), nextCursor: z.string().nullable() });

export const DunningChargesQuery = z
  .object({
    accountId: z.string().min(1).max(100).optional(),
    invoiceId: z.string().min(1).max(100).optional(),
    status: z.enum(CHARGE_STATES).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .strict();

export const ChargeAllocate = z
  .object({
    allocations: z
      .array(z.object({ chargeId: idSchema('dch'), amountMinor: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }).strict())
      .min(1)
      .max(200),
  })
  .strict();

/** Scope: finance and admins see every charge; sales the charges of their teams' accounts. */
async function visibleAccountFilter(ctx: Ctx): Promise<string[] | null> {
  assertCan(ctx.user, 'invoice', 'read');
  const scope = scopeOf(ctx.user, 'invoice');
  if (scope === 'all') return null;
  return ctx.user.teamIds.length ? ctx.user.teamIds : ['-'];
}

async function toDtos(ctx: Ctx, rows: readonly DunningChargeTable[]): Promise<DunningChargeDto[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const open = new Map((await chargesAsOf(ctx, { ids })).map((c) => [c.id, c]));
  const numbers = new Map(
    (await ctx.db.selectFrom('invoices').select(['id', 'number']).where('id', 'in', [...new Set(rows.map((r) => r.invoiceId))]).execute()).map((i) => [i.id, i.number]),
  );
  return rows.map((r) => {
    const o = open.get(r.id);
    return {
      id: r.id,
      number: r.number,
      legalEntityId: r.legalEntityId,
      accountId: r.accountId,
      invoiceId: r.invoiceId,
      invoiceNumber: numbers.get(r.invoiceId) ?? null,
      noticeId: r.noticeId,
      level: Number(r.level),
      currency: r.currency,
      feeMinor: Number(r.feeMinor),
      interestMinor: Number(r.interestMinor),
      totalMinor: Number(r.totalMinor),
      paidMinor: o?.paidMinor ?? 0,
      waivedMinor: Number(r.waivedMinor ?? 0),
      outstandingMinor: o?.outstanding ?? Number(r.totalMinor),
      interestAnnualRate: r.interestAnnualRate,
      interestFrom: r.interestFrom,
      interestThrough: r.interestThrough,
      interestDays: Number(r.interestDays),
      interestBaseMinor: Number(r.interestBaseMinor),
      issueDate: r.issueDate,
      dueDate: r.dueDate,
      status: r.status as DunningChargeDto['status'],
      taxCode: r.taxCode ?? null,
      taxRate: r.taxRate ?? null,
      taxMinor: Number(r.taxMinor ?? 0),
      waivedOn: r.waivedOn ?? null,
      waiveReason: r.waiveReason ?? null,
      version: Number(r.version),
      createdAt: r.createdAt,
    };
  });
}

/** GET /dunning-charges: by account, invoice or status, newest first. */
export async function listDunningCharges(ctx: Ctx, input: unknown = {}) {
  const q = DunningChargesQuery.parse(input ?? {});
  const teams = await visibleAccountFilter(ctx);
  let qb = ctx.db.selectFrom('dunningCharges').selectAll();
  if (teams) qb = qb.where('teamId', 'in', teams);
  if (q.accountId) qb = qb.where('accountId', '=', q.accountId);
  if (q.invoiceId) qb = qb.where('invoiceId', '=', q.invoiceId);
  if (q.status) qb = qb.where('status', '=', q.status);
  const rows = await qb.orderBy('issueDate', 'desc').orderBy('id', 'desc').limit(q.limit ?? 100).execute();
  return { items: await toDtos(ctx, rows), nextCursor: null };
}

/** Dr AR / Cr late-fee income / Cr interest income, once per charge. */
export async function postDunningChargeJournal(tx: Ctx, chargeId: string): Promise<boolean> {
  const c = await tx.db.selectFrom('dunningCharges').selectAll().where('id', '=', chargeId).executeTakeFirstOrThrow();
  const inv = await tx.db.selectFrom('invoices').select('number').where('id', '=', c.invoiceId).executeTakeFirst();
  const chart = await chartFor(tx, c.legalEntityId);
  return writeEntry(tx, chart, {
    legalEntityId: c.legalEntityId,
    date: c.issueDate,
    sourceType: 'dunning_charge',
    sourceId: c.id,
    event: 'issue',
    documentRef: c.number,
    description: `Dunning charge ${c.number} on invoice ${inv?.number ?? c.invoiceId} (level ${c.level})`,
    currency: c.currency,
    accountId: c.accountId,
    fx: { rateDate: c.issueDate, balance: 'spread', booksOpenItem: c.id },
    legs: [
      { role: 'ar', amount: Number(c.totalMinor), partyAccountId: c.accountId, openItemId: c.id },
      { role: 'feesIncome', amount: -Number(c.feeMinor), memo: 'late fee' },
      { role: 'interestIncome', amount: -Number(c.interestMinor), memo: c.interestAnnualRate ? `late interest ${c.interestDays} days at ${c.interestAnnualRate} a year` : 'late interest' },
      { role: 'vatOutput', amount: -Number(c.taxMinor ?? 0), memo: `VAT ${c.taxCode ?? ''}`.trim() },
    ],
  });
}

/** The waiver of a charge: the waived part of its issue posting reversed at the rate it was booked, on the waiver date. */
async function postChargeWaiver(tx: Ctx, c: DunningChargeTable): Promise<boolean> {
  const chart = await chartFor(tx, c.legalEntityId);
  const on = c.waivedOn!;
  const waived = Number(c.waivedMinor ?? c.totalMinor);
  const part = waivedParts(c, waived);
  return writeEntry(tx, chart, {
    legalEntityId: c.legalEntityId,
    date: on,
    sourceType: 'dunning_charge',
    sourceId: c.id,
    event: 'waive',
    documentRef: c.number,
    description: `Dunning charge ${c.number} waived: ${c.waiveReason ?? ''}`.slice(0, 500),
    currency: c.currency,
    accountId: c.accountId,
    fx: { rateOf: { sourceType: 'dunning_charge', sourceId: c.id, event: 'issue' }, balance: 'spread' },
    legs: [
      { role: 'feesIncome', amount: part.fee, memo: 'late fee waived' },
      { role: 'interestIncome', amount: part.interest, memo: 'late interest waived' },
      { role: 'vatOutput', amount: part.tax, memo: `VAT ${c.taxCode ?? ''} waived`.trim() },
      { role: 'ar', amount: -waived, partyAccountId: c.accountId, openItemId: c.id },
    ],
  });
}

/**
 * POST /dunning-charges/{id}/waive (finance, admin): what is still owed on an open charge — all of
 * it, or the unpaid rest of a partly paid one — is no longer owed from today (the legal entity's
 * date): status `waived`, `waivedMinor` that rest, the reason kept, that part of the posting
 * reversed, a `waived` event. Paid in full (nothing left): 409 `charge_paid` (credit or refund the
 * customer instead); already waived: 409 `invalid_transition`. If-Match: the charge's version.
 */
export async function waiveDunningCharge(ctx: Ctx, id: string, input: unknown, expectedVersion?: number): Promise<DunningChargeDto> {
  const { reason } = ChargeWaive.parse(input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'invoice', 'approve');
    const head = await tx.db.selectFrom('dunningCharges').select('accountId').where('id', '=', id).executeTakeFirst();
    if (!head) throw notFound('dunning charge', id);
    await lockKey(tx, receivablesLockKey(head.accountId));
    await lockRows(tx, 'dunningCharges', [id]);
    const c = await tx.db.selectFrom('dunningCharges').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    if (expectedVersion !== undefined && expectedVersion !== Number(c.version)) throw versionConflict('dunning charge', c.id, Number(c.version));
    if (c.status === 'waived')
      throw new AppError(409, 'invalid_transition', 'Invalid transition', `dunning charge ${c.number} is already waived`, { currentState: c.status, allowedActions: [] });
    const [open] = await chargesAsOf(tx, { ids: [c.id] });
    const paidMinor = open?.paidMinor ?? 0;
    const rest = open?.outstanding ?? Number(c.totalMinor);
    if (rest <= 0 || c.status === 'paid')
      throw conflict('charge_paid', `dunning charge ${c.number} is paid in full (${paidMinor}); nothing is left to waive — give the customer a credit or a refund instead`, {
        currentState: c.status,
        paidMinor,
        outstandingMinor: Math.max(rest, 0),
      });
    const le = await tx.db.selectFrom('legalEntities').select('timezone').where('id', '=', c.legalEntityId).executeTakeFirstOrThrow();
    const on = today(le.timezone);
    const waivedOn = on < c.issueDate ? c.issueDate : on;
    const patch = { status: 'waived', waivedOn, waivedBy: tx.user.id, waiveReason: reason, waivedMinor: rest, updatedAt: nowIso(), version: Number(c.version) + 1 };
    const done = await tx.db.updateTable('dunningCharges').set(patch).where('id', '=', c.id).where('version', '=', c.version).executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw versionConflict('dunning charge', c.id, Number(c.version));
    const after = { ...c, ...patch };
    await recordEvent(tx, {
      entityType: 'dunning_charge',
      entityId: c.id,
      action: 'waived',
      before: { status: c.status },
      after: { status: 'waived', waivedOn, reason, waivedMinor: patch.waivedMinor, paidMinor, chargeNumber: c.number },
    });
    // On the invoice's timeline too, where collectors look.
    await recordEvent(tx, { entityType: 'invoice', entityId: c.invoiceId, action: 'dunning_charge_waived', after: { chargeId: c.id, chargeNumber: c.number, amountMinor: patch.waivedMinor, reason } });
    await postChargeWaiver(tx, after);
    return (await toDtos(tx, [after]))[0]!;
  });
}

/**
 * In the dunning run, for a notice just inserted: its fee and interest as a charge (none when both
 * are 0), numbered from the legal entity's charge series, posted, with its `created` event.
 */
export async function chargeForNotice(
  tx: Ctx,
  le: LegalEntityTable,
  notice: { id: string; runDate: string; outstandingMinor: number; interestAnnualRate: string | null },
  a: DunningAction,
  invoice: { id: string; accountId: string; currency: string },
): Promise<DunningChargeTable | null> {
  const fee = Number(a.fee.minor);
  const interest = Number(a.interest.minor);
  if (fee + interest <= 0) return null;
  const vat = await chargeVat(tx, le, fee + interest);
  const account = await tx.db.selectFrom('accounts').select(['ownerId', 'teamId']).where('id', '=', invoice.accountId).executeTakeFirst();
  const now = nowIso();
  const row: DunningChargeTable = {
    id: newId('dch'),
    number: await nextNumber(tx, 'dunning_charge', le.id, notice.runDate),
    legalEntityId: le.id,
    accountId: invoice.accountId,
    invoiceId: invoice.id,
    noticeId: notice.id,
    level: a.level,
    currency: invoice.currency,
    feeMinor: fee,
    interestMinor: interest,
    taxCode: vat?.code ?? null,
    taxRate: vat?.rate ?? null,
    taxMinor: vat?.taxMinor ?? 0,
    totalMinor: fee + interest + (vat?.taxMinor ?? 0),
    interestAnnualRate: interest > 0 || a.interestThrough ? notice.interestAnnualRate : null,
    interestFrom: a.interestFrom,
    interestThrough: a.interestThrough,
    interestDays: a.interestDays,
    interestBaseMinor: a.interestThrough ? notice.outstandingMinor : 0,
    issueDate: notice.runDate,
    dueDate: addDays(notice.runDate, CHARGE_TERMS_DAYS),
    status: 'open',
    ownerId: account?.ownerId ?? null,
    teamId: account?.teamId ?? null,
    createdAt: now,
    updatedAt: now,
    createdBy: tx.user.id,
    version: 1,
  };
  await tx.db.insertInto('dunningCharges').values(row).execute();
  // Its own event; the invoice's notice event names it.
  await recordEvent(tx, { entityType: 'dunning_charge', entityId: row.id, action: 'created', after: { ...row } });
  await postDunningChargeJournal(tx, row.id);
  return row;
}

/** VAT on a charge when the legal entity's dunning policy names a code: the base × the code's rate, rounded once. */
async function chargeVat(tx: Ctx, le: LegalEntityTable, baseMinor: number): Promise<{ code: string; rate: string; taxMinor: number } | null> {
  const codeName = await chargeTaxCodeOf(tx, le.id);
  if (!codeName) return null;
  const code = (await taxCodesOf(tx, le.id)).codes.find((c) => c.code === codeName);
  if (!code) return null;
  const r = parseDecimal(code.rate, 'taxRate');
  return { code: code.code, rate: code.rate, taxMinor: toSafeNumber(roundDiv(BigInt(baseMinor) * r.num, r.den, roundingModeOf(le))) };
}

async function settleCharges(tx: Ctx, chargeIds: readonly string[]): Promise<void> {
  for (const c of await chargesAsOf(tx, { ids: [...new Set(chargeIds)] })) {
    const status = c.outstanding <= 0 ? 'paid' : 'open';
    await tx.db.updateTable('dunningCharges').set({ status, updatedAt: nowIso() }).where('id', '=', c.id).where('status', '<>', status).where('status', '<>', 'waived').execute();
  }
}

/** Dr customer advances / Cr AR (the charge) for an allocation; the reverse for a counter-row. */
async function postChargeAllocation(tx: Ctx, p: PaymentTable, a: DunningChargeAllocationTable, charge: { number: string; issueDate: string; legalEntityId: string }) {
  const chart = await chartFor(tx, charge.legalEntityId);
  const amount = Number(a.amountMinor);
  const date = charge.issueDate > a.effectiveOn ? charge.issueDate : a.effectiveOn;
  await writeEntry(tx, chart, {
    legalEntityId: charge.legalEntityId,
    date,
    sourceType: 'charge_allocation',
    sourceId: a.id,
    event: a.kind === 'reversal' ? 'reverse' : 'allocate',
    documentRef: p.number,
    description: a.kind === 'reversal' ? `Payment ${p.number} reversed: taken back from charge ${charge.number}` : `Payment ${p.number} allocated to charge ${charge.number}`,
    currency: p.currency,
    accountId: p.accountId,
    fx: { rateDate: p.receivedOn },
    legs: [
      { role: 'customerAdvances', amount, partyAccountId: p.accountId },
      { role: 'ar', amount: -amount, partyAccountId: p.accountId, documentRef: charge.number, openItemId: a.chargeId },
    ],
  });
}

/**
 * POST /payments/{id}/charge-allocations: pays dunning charges with what a payment has left (same
 * account and currency, at most what each charge still owes), all or nothing.
 */
export async function allocatePaymentToCharges(ctx: Ctx, paymentId: string, input: unknown): Promise<{ paymentId: string; allocations: Array<{ id: string; chargeId: string; amountMinor: number }>; charges: DunningChargeDto[] }> {
  const body = ChargeAllocate.parse(input);
  return inTx(ctx, async (tx) => {
    const head = await tx.db.selectFrom('payments').select('accountId').where('id', '=', paymentId).executeTakeFirst();
    if (head) await lockKey(tx, receivablesLockKey(head.accountId));
    await lockRows(tx, 'payments', [paymentId]);
    const p = await loadVisible(tx, paymentDef, paymentId, 'write');
    if (p.status !== 'received') throw conflict('payment_reversed', `payment ${p.number} is ${p.status}; a reversed payment cannot be allocated`, { currentState: p.status });
    const charges = new Map((await chargesAsOf(tx, { ids: body.allocations.map((a) => a.chargeId) })).map((c) => [c.id, c]));
    const errors: FieldError[] = [];
    const allocated = (await allocationsOf(tx.db, [p.id])).reduce((s, a) => s + Number(a.amountMinor), 0);
    const refunded = (await refundedByPayment(tx.db, [p.id])).get(p.id) ?? 0;
    const onCharges = (await chargeAllocatedByPayment(tx, [p.id])).get(p.id) ?? 0;
    let left = Number(p.amountMinor) - allocated - refunded - onCharges;
    const owed = new Map([...charges].map(([k, c]) => [k, c.outstanding]));
    body.allocations.forEach((a, i) => {
      const c = charges.get(a.chargeId);
      const path = `allocations.${i}`;
      if (!c || c.accountId !== p.accountId) return errors.push({ path: `${path}.chargeId`, message: `charge ${a.chargeId} does not exist or belongs to another account than payment ${p.number}`, code: c ? 'account_mismatch' : 'unknown_reference' });
      if (c.legalEntityId !== p.legalEntityId)
        return errors.push({ path: `${path}.chargeId`, message: `charge ${c.number} was issued by legal entity ${c.legalEntityId}, payment ${p.number} was received by ${p.legalEntityId}`, code: 'legal_entity_mismatch' });
      if (c.currency !== p.currency) return errors.push({ path: `${path}.chargeId`, message: `charge ${c.number} is in ${c.currency}, payment ${p.number} in ${p.currency}`, code: 'currency_mismatch' });
      if (a.amountMinor > owed.get(c.id)!) return errors.push({ path: `${path}.amountMinor`, message: `charge ${c.number} has only ${owed.get(c.id)} outstanding`, code: 'over_allocation' });
      if (a.amountMinor > left) return errors.push({ path: `${path}.amountMinor`, message: `payment ${p.number} has only ${Math.max(left, 0)} left to allocate`, code: 'over_allocation' });
      owed.set(c.id, owed.get(c.id)! - a.amountMinor);
      left -= a.amountMinor;
      return undefined;
    });
    if (errors.length) {
      const code = errors[0]!.code;
      if (code === 'legal_entity_mismatch') throw new AppError(422, 'legal_entity_mismatch', 'Legal entity mismatch', errors.map((e) => e.message).join('; '), { fields: errors });
      if (code === 'currency_mismatch') throw new AppError(422, 'currency_mismatch', 'Currency mismatch', errors.map((e) => e.message).join('; '), { fields: errors });
      if (code === 'over_allocation') throw new AppError(409, 'over_allocation', 'Over-allocation', errors.map((e) => e.message).join('; '), { fields: errors });
      throw validationError(errors);
    }
    const now = nowIso();
    const rows: DunningChargeAllocationTable[] = body.allocations.map((a) => ({
      id: newId('dca'),
      paymentId: p.id,
      chargeId: a.chargeId,
      amountMinor: a.amountMinor,
      kind: 'allocation',
      effectiveOn: p.receivedOn,
      createdAt: now,
      createdBy: tx.user.id,
    }));
    await tx.db.insertInto('dunningChargeAllocations').values(rows).execute();
    for (const r of rows) {
      const c = charges.get(r.chargeId)!;
      await recordEvent(tx, { entityType: 'payment', entityId: p.id, action: 'charge_allocated', after: { allocationId: r.id, chargeId: c.id, chargeNumber: c.number, amountMinor: r.amountMinor } });
      await postChargeAllocation(tx, p, r, c);
    }
    await settleCharges(tx, rows.map((r) => r.chargeId));
    const dtos = await toDtos(tx, await tx.db.selectFrom('dunningCharges').selectAll().where('id', 'in', rows.map((r) => r.chargeId)).execute());
    return { paymentId: p.id, allocations: rows.map((r) => ({ id: r.id, chargeId: r.chargeId, amountMinor: Number(r.amountMinor) })), charges: dtos };
  });
}

/** For a payment the bank returned: its money comes off the charges it paid (counter-rows), posted. */
export async function reverseChargeAllocations(tx: Ctx, p: PaymentTable, on: string): Promise<number> {
  const rows = await tx.db.selectFrom('dunningChargeAllocations').selectAll().where('paymentId', '=', p.id).execute();
  const net = new Map<string, number>();
  for (const r of rows) net.set(r.chargeId, (net.get(r.chargeId) ?? 0) + Number(r.amountMinor));
  const now = nowIso();
  const counters: DunningChargeAllocationTable[] = [...net]
    .filter(([, n]) => n !== 0)
    .map(([chargeId, n]) => ({ id: newId('dca'), paymentId: p.id, chargeId, amountMinor: -n, kind: 'reversal', effectiveOn: on, createdAt: now, createdBy: tx.user.id }));
  if (!counters.length) return 0;
  await tx.db.insertInto('dunningChargeAllocations').values(counters).execute();
  const charges = new Map((await chargesAsOf(tx, { ids: counters.map((c) => c.chargeId) })).map((c) => [c.id, c]));
  for (const c of counters) await postChargeAllocation(tx, p, c, charges.get(c.chargeId)!);
  await settleCharges(tx, counters.map((c) => c.chargeId));
  return counters.reduce((s, c) => s - Number(c.amountMinor), 0);
}
