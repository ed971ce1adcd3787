import type { Ctx } from '../platform/context.ts';
import { SYSTEM } from '../platform/permissions.ts';
import type { Fraction, RoundingMode } from '../platform/money.ts';
import { convertMoney } from '../money/fx.ts';
import { receivableInvoices } from '../receivables/ar.repo.ts';
import { parseFractionText } from '../fx/rates.ts';
import { openChargesAsOf } from '../collections/charges.repo.ts';

/**
 * The functional-currency side of the reconciliation: per functional currency, total debits against
 * total credits, and the AR account against the open items (invoices and dunning charges, as of the
 * date) each converted at the rate it was booked at, rounded once — the carrying amount the journal
 * keeps for every open item.
 */
export interface FunctionalCheck {
  currency: string;
  balanced: boolean;
  checks: Array<{ key: string; label: string; ledgerMinor: number; reportMinor: number; differenceMinor: number }>;
}

const num = (v: unknown) => Number(v ?? 0);

export async function functionalReconciliation(ctx: Ctx, asOf: string): Promise<FunctionalCheck[]> {
  const totals = await ctx.db
    .selectFrom('journalLines')
    .select((eb) => [
      'functionalCurrency',
      eb.fn.sum<number>('functionalDebitMinor').as('d'),
      eb.fn.sum<number>('functionalCreditMinor').as('c'),
    ])
    .where('entryDate', '<=', asOf)
    .where('functionalCurrency', 'is not', null)
    .groupBy('functionalCurrency')
    .execute();
  const ar = await ctx.db
    .selectFrom('journalLines')
    .select((eb) => ['functionalCurrency', eb.fn.sum<number>('functionalDebitMinor').as('d'), eb.fn.sum<number>('functionalCreditMinor').as('c')])
    .where('entryDate', '<=', asOf)
    .where('accountRole', '=', 'ar')
    .where('functionalCurrency', 'is not', null)
    .groupBy('functionalCurrency')
    .execute();

  // Open items as of the date, in their own currencies.
  const sys: Ctx = { ...ctx, user: SYSTEM };
  const currencies = (await ctx.db.selectFrom('journalEntries').select('currency').distinct().where('sourceType', 'in', ['invoice', 'dunning_charge']).execute()).map((r) => r.currency);
  const open: Array<{ id: string; currency: string; outstanding: number }> = [];
  for (const cur of currencies.sort()) {
    for (const r of await receivableInvoices(sys, { currency: cur, asOf })) if (r.outstandingMinor !== 0) open.push({ id: r.id, currency: cur, outstanding: r.outstandingMinor });
  }
  for (const c of await openChargesAsOf(ctx, asOf)) open.push(c);
  const booked = new Map<string, { fc: string; rate: Fraction; mode: RoundingMode }>();
  const modes = new Map((await ctx.db.selectFrom('legalEntities').select(['id', 'roundingMode']).execute()).map((l) => [l.id, l.roundingMode as RoundingMode]));
  for (let i = 0; i < open.length; i += 500) {
    const part = open.slice(i, i + 500).map((o) => o.id);
    const rows = await ctx.db
      .selectFrom('journalEntries')
      .select(['sourceId', 'functionalCurrency', 'fxRate', 'legalEntityId'])
      .where('sourceId', 'in', part)
      .where('event', '=', 'issue')
      .where('sourceType', 'in', ['invoice', 'dunning_charge'])
      .execute();
    for (const r of rows)
      if (r.functionalCurrency)
        booked.set(r.sourceId, { fc: r.functionalCurrency, rate: r.fxRate ? parseFractionText(r.fxRate) : { num: 1n, den: 1n }, mode: modes.get(r.legalEntityId) ?? 'half_up' });
  }
  const report = new Map<string, number>();
  for (const o of open) {
    const b = booked.get(o.id);
    if (!b) continue; // posted before multi-currency in another currency: no functional amount
    const f = convertMoney({ minor: BigInt(o.outstanding), currency: o.currency }, b.fc, b.rate, b.mode).minor;
    report.set(b.fc, (report.get(b.fc) ?? 0) + Number(f));
  }
  const all = new Set([...totals.map((t) => t.functionalCurrency!), ...report.keys()]);
  return [...all].sort().map((fc) => {
    const t = totals.find((x) => x.functionalCurrency === fc);
    const a = ar.find((x) => x.functionalCurrency === fc);
    const ledgerMinor = num(a?.d) - num(a?.c);
    const reportMinor = report.get(fc) ?? 0;
    return {
      currency: fc,
      balanced: num(t?.d) === num(t?.c),
      checks: [
        { key: 'arFunctional', label: 'AR account in the functional currency vs open items at their booked rates', ledgerMinor, reportMinor, differenceMinor: ledgerMinor - reportMinor },
      ],
    };
  });
}
