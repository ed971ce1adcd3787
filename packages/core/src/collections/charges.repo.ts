import type { Ctx } from '../platform/context.ts';
import { scopeOf } from '../platform/permissions.ts';

/**
 * The SQL of dunning charges as receivables: what each charge still owes, as of a business date
 * (a charge counts from its issue date, payments allocated to it from their effective date).
 */
export interface OpenCharge {
  id: string;
  number: string;
  accountId: string;
  legalEntityId: string;
  invoiceId: string;
  currency: string;
  issueDate: string;
  dueDate: string;
  totalMinor: number;
  paidMinor: number;
  /** Waived as of the date asked (0 before the waiver). */
  waivedMinor: number;
  outstanding: number;
}

export async function chargesAsOf(ctx: Ctx, f: { asOf?: string | undefined; currency?: string | undefined; accountId?: string | undefined; ids?: readonly string[] } = {}): Promise<OpenCharge[]> {
  let paid = ctx.db.selectFrom('dunningChargeAllocations').select((eb) => ['chargeId', eb.fn.sum<number>('amountMinor').as('paidMinor')]);
  if (f.asOf) paid = paid.where('effectiveOn', '<=', f.asOf);
  let q = ctx.db
    .selectFrom('dunningCharges')
    .leftJoin(paid.groupBy('chargeId').as('pd'), 'pd.chargeId', 'dunningCharges.id')
    .select([
      'dunningCharges.id',
      'dunningCharges.number',
      'dunningCharges.accountId',
      'dunningCharges.legalEntityId',
      'dunningCharges.invoiceId',
      'dunningCharges.currency',
      'dunningCharges.issueDate',
      'dunningCharges.dueDate',
      'dunningCharges.totalMinor',
      'dunningCharges.waivedOn',
      'dunningCharges.waivedMinor',
      'pd.paidMinor',
    ]);
  if (f.asOf) q = q.where('dunningCharges.issueDate', '<=', f.asOf);
  if (f.currency) q = q.where('dunningCharges.currency', '=', f.currency);
  if (f.accountId) q = q.where('dunningCharges.accountId', '=', f.accountId);
  if (f.ids) {
    if (!f.ids.length) return [];
    q = q.where('dunningCharges.id', 'in', [...f.ids]);
  }
  const rows = await q.orderBy('dunningCharges.dueDate').orderBy('dunningCharges.id').execute();
  return rows.map(({ waivedOn, waivedMinor, ...r }) => {
    const totalMinor = Number(r.totalMinor);
    const paidMinor = Number(r.paidMinor ?? 0);
    // A waiver takes the charge out of receivables from its date.
    const waived = waivedOn && (!f.asOf || waivedOn <= f.asOf) ? Number(waivedMinor ?? 0) : 0;
    return { ...r, totalMinor, paidMinor, waivedMinor: waived, outstanding: totalMinor - paidMinor - waived };
  });
}

/** Open charges as of a date, for the functional reconciliation. */
export async function openChargesAsOf(ctx: Ctx, asOf: string): Promise<Array<{ id: string; currency: string; outstanding: number }>> {
  return (await chargesAsOf(ctx, { asOf })).filter((c) => c.outstanding !== 0).map((c) => ({ id: c.id, currency: c.currency, outstanding: c.outstanding }));
}

/** Per payment: what it paid on dunning charges (net of reversal counter-rows). */
export async function chargeAllocatedByPayment(ctx: Pick<Ctx, 'db'>, paymentIds: readonly string[]): Promise<Map<string, number>> {
  if (!paymentIds.length) return new Map();
  const rows = await ctx.db
    .selectFrom('dunningChargeAllocations')
    .select((eb) => ['paymentId', eb.fn.sum<number>('amountMinor').as('n')])
    .where('paymentId', 'in', [...new Set(paymentIds)])
    .groupBy('paymentId')
    .execute();
  return new Map(rows.map((r) => [r.paymentId, Number(r.n)]));
}

/** Open dunning charges as aging rows, limited like invoices: all for finance, the teams' accounts for sales. */
export async function chargesForAging(ctx: Ctx, f: { currency: string; asOf: string }): Promise<Array<{ id: string; accountId: string; dueDate: string; outstandingMinor: number }>> {
  const scope = scopeOf(ctx.user, 'invoice');
  if (!scope) return [];
  let rows = await chargesAsOf(ctx, f);
  if (scope !== 'all') {
    const teams = new Set(ctx.user.teamIds);
    const visible = new Set(
      rows.length ? (await ctx.db.selectFrom('dunningCharges').select(['id', 'teamId']).where('id', 'in', rows.map((r) => r.id)).execute()).filter((r) => r.teamId && teams.has(r.teamId)).map((r) => r.id) : [],
    );
    rows = rows.filter((r) => visible.has(r.id));
  }
  return rows.map((r) => ({ id: r.id, accountId: r.accountId, dueDate: r.dueDate, outstandingMinor: Math.max(r.outstanding, 0) }));
}
