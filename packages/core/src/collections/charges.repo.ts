import type { Ctx } from '../platform/context.ts';

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
  return rows.map((r) => {
    const totalMinor = Number(r.totalMinor);
    const paidMinor = Number(r.paidMinor ?? 0);
    return { ...r, totalMinor, paidMinor, outstanding: totalMinor - paidMinor };
  });
}

/** Open charges as of a date, for the functional reconciliation. */
export async function openChargesAsOf(ctx: Ctx, asOf: string): Promise<Array<{ id: string; currency: string; outstanding: number }>> {
  return (await chargesAsOf(ctx, { asOf })).filter((c) => c.outstanding !== 0).map((c) => ({ id: c.id, currency: c.currency, outstanding: c.outstanding }));
}
