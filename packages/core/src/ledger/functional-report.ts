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
  const booked = new Map<string, { fc: string; rate: Fraction; mode: RoundingMode; le: string }>();
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
        booked.set(r.sourceId, { fc: r.functionalCurrency, rate: r.fxRate ? parseFractionText(r.fxRate) : { num: 1n, den: 1n }, mode: modes.get(r.legalEntityId) ?? 'half_up', le: r.legalEntityId });
  }
  // Period-end FX revaluations in force on the date (posted on a month's last day, reversed the next):
  // then AR plus the AR revaluation account must equal the open items at the closing rates.
  const inForce = await ctx.db.selectFrom('fxRevaluations').select(['legalEntityId', 'rates']).where('status', '=', 'posted').where('periodEnd', '<=', asOf).where('reversalDate', '>', asOf).execute();
  const closing = new Map<string, Fraction>();
  for (const r of inForce) for (const x of JSON.parse(r.rates) as Array<{ currency: string; rate: string }>) closing.set(`${r.legalEntityId}|${x.currency}`, parseFractionText(x.rate));
  const report = new Map<string, number>();
  const revalued = new Map<string, number>();
  for (const o of open) {
    const b = booked.get(o.id);
    if (!b) continue; // posted before multi-currency in another currency: no functional amount
    const f = convertMoney({ minor: BigInt(o.outstanding), currency: o.currency }, b.fc, b.rate, b.mode).minor;
    report.set(b.fc, (report.get(b.fc) ?? 0) + Number(f));
    const c = o.currency === b.fc ? undefined : closing.get(`${b.le}|${o.currency}`);
    revalued.set(b.fc, (revalued.get(b.fc) ?? 0) + Number(c ? convertMoney({ minor: BigInt(o.outstanding), currency: o.currency }, b.fc, c, b.mode).minor : f));
  }
  const adjustment = inForce.length
    ? await ctx.db
        .selectFrom('journalLines')
        .select((eb) => ['functionalCurrency', eb.fn.sum<number>('functionalDebitMinor').as('d'), eb.fn.sum<number>('functionalCreditMinor').as('c')])
        .where('entryDate', '<=', asOf)
        .where('accountRole', '=', 'arRevaluation')
        .where('functionalCurrency', 'is not', null)
        .groupBy('functionalCurrency')
        .execute()
    : [];
  const all = new Set([...totals.map((t) => t.functionalCurrency!), ...report.keys()]);
  return [...all].sort().map((fc) => {
    const t = totals.find((x) => x.functionalCurrency === fc);
    const a = ar.find((x) => x.functionalCurrency === fc);
    const ledgerMinor = num(a?.d) - num(a?.c);
    const reportMinor = report.get(fc) ?? 0;
    const adj = adjustment.find((x) => x.functionalCurrency === fc);
    const revaluedLedger = ledgerMinor + num(adj?.d) - num(adj?.c);
    const revaluedReport = revalued.get(fc) ?? 0;
    return {
      currency: fc,
      balanced: num(t?.d) === num(t?.c),
      checks: [
        { key: 'arFunctional', label: 'AR account in the functional currency vs open items at their booked rates', ledgerMinor, reportMinor, differenceMinor: ledgerMinor - reportMinor },
        ...(inForce.length
          ? [
              {
                key: 'arRevalued',
                label: 'AR plus its FX revaluation vs open items at the closing rates of the revaluation in force',
                ledgerMinor: revaluedLedger,
                reportMinor: revaluedReport,
                differenceMinor: revaluedLedger - revaluedReport,
              },
            ]
          : []),
      ],
    };
  });
}

export interface PaymentFx {
  functionalCurrency: string;
  rate: string | null;
  rateDate: string | null;
  functionalAmountMinor: number;
  realisedGainLossMinor: number;
}

/**
 * Per payment number (payments in a currency other than their legal entity's): the rate of the
 * receipt, the payment in the functional currency, and the net realised exchange difference of all
 * its events (receipt, later allocations, reversal) — read from the journal, one query per page.
 */
export async function realisedFxByPayment(ctx: Pick<Ctx, 'db'>, payments: ReadonlyArray<{ id: string; number: string }>): Promise<Map<string, PaymentFx>> {
  if (!payments.length) return new Map();
  const ids = payments.map((p) => p.id);
  // By source id (indexed): the payments' own entries, and those of their invoice and charge allocations.
  const entries = await ctx.db
    .selectFrom('journalEntries')
    .select(['id', 'documentRef', 'event', 'currency', 'functionalCurrency', 'fxRate', 'fxRateDate'])
    .where((eb) =>
      eb.or([
        eb.and([eb('sourceType', '=', 'payment'), eb('sourceId', 'in', ids)]),
        eb.and([eb('sourceType', '=', 'payment_allocation'), eb('sourceId', 'in', eb.selectFrom('paymentAllocations').select('id').where('paymentId', 'in', ids))]),
        eb.and([eb('sourceType', '=', 'charge_allocation'), eb('sourceId', 'in', eb.selectFrom('dunningChargeAllocations').select('id').where('paymentId', 'in', ids))]),
      ]),
    )
    .execute();
  const foreign = entries.filter((e) => e.functionalCurrency && e.functionalCurrency !== e.currency);
  if (!foreign.length) return new Map();
  const lines = await ctx.db
    .selectFrom('journalLines')
    .select(['entryId', 'accountRole', 'functionalDebitMinor', 'functionalCreditMinor'])
    .where('entryId', 'in', foreign.map((e) => e.id))
    .where('accountRole', 'in', ['fxGain', 'fxLoss', 'cash'])
    .execute();
  const byEntry = new Map<string, typeof lines>();
  for (const l of lines) byEntry.set(l.entryId, [...(byEntry.get(l.entryId) ?? []), l]);
  const out = new Map<string, PaymentFx>();
  for (const e of foreign) {
    const cur = out.get(e.documentRef) ?? { functionalCurrency: e.functionalCurrency!, rate: null, rateDate: null, functionalAmountMinor: 0, realisedGainLossMinor: 0 };
    for (const l of byEntry.get(e.id) ?? []) {
      const net = num(l.functionalCreditMinor) - num(l.functionalDebitMinor);
      if (l.accountRole === 'cash') {
        if (e.event === 'receive') cur.functionalAmountMinor -= net;
      } else cur.realisedGainLossMinor += net;
    }
    if (e.event === 'receive') {
      cur.rate = e.fxRate ?? null;
      cur.rateDate = e.fxRateDate ?? null;
    }
    out.set(e.documentRef, cur);
  }
  return out;
}
