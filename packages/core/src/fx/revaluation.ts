import type { FxRevaluationLineTable, FxRevaluationTable, JournalLineTable, LegalEntityTable } from '@openltc/db';
import { z } from 'zod';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso, today } from '../platform/clock.ts';
import { AppError, conflict, notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/events.ts';
import { assertCan } from '../platform/permissions.ts';
import { lockKey } from '../platform/locks.ts';
import { paginate } from '../platform/list.ts';
import type { Fraction } from '../platform/money.ts';
import { id as idSchema } from '../platform/schema.ts';
import { formatMoney } from '../money/money.ts';
import { legalEntityFor, roundingModeOf } from '../billing/legal-entities.ts';
import { chartFor } from '../ledger/chart.ts';
import { nextPeriod, periodEnd, periodStart } from '../revenue/rules.ts';
import { fractionText, fxRateOn } from './rates.ts';
import { revalueItem, revaluationLegs, reversalLegs, type RevaluationLeg, type RevaluedItem, type RevaluedKind } from './revaluation.calc.ts';

/**
 * Period-end FX revaluation of a legal entity's foreign-currency monetary items (IAS 21.23/28):
 * open receivables (invoices and dunning charges) and customers' unapplied money (customer
 * advances), each at its balance at the period end, translated at the closing rate.
 *
 * The pattern is the one of SAP FAGL_FCV with reversal and Odoo's reversed adjustment entries: the
 * difference to the booked carrying amount is posted on the last day of the period on adjustment
 * accounts (AR revaluation, advances revaluation) against unrealised FX gain / loss, and the same
 * entry is reversed on the first day of the next period. The open items themselves stay carried at
 * their booked rates (ledger/functional.ts), so a payment's realised exchange difference is still
 * measured from the booked rate, and revaluation + reversal + payment give the same total exchange
 * result as the payment alone. (Business Central's "Adjust Exchange Rates" instead rewrites the
 * carrying amount of each entry and measures realised differences from the adjusted one; that would
 * break the journal's invariant that AR in the functional currency is the open items at their booked
 * rates, which the reconciliation checks.)
 *
 * A run is idempotent per (legal entity, month): the second run returns the first. A rerun
 * (`rerun: true`, for items booked later with a date inside the month) voids the run's entries by
 * counter-entries on their own dates, marks it superseded, and revalues the month again. It refuses a
 * month that has not ended, and a month without a closing rate — a rate of the pair whose effective
 * date falls in the month, the latest on or before its last day — for a currency with open items
 * (422 `fx_closing_rate_missing` naming the pairs and the date). Both entries are written at once;
 * the reversal is dated ahead. Items booked later with a date inside a revalued month are not in it
 * (the run reflects the journal when it ran; the reconciliation shows them) until a rerun.
 *
 * An entity with no open foreign-currency item at the period end still gets its run, with no rates,
 * no lines and no journal entries, and `outcome: nothing_to_revalue`. An auditor testing the
 * period-end control asks for evidence that every entity was looked at each month, not only those
 * that had something to post (SAP FAGL_FCV keeps its log of an empty run too); recording nothing
 * would leave "not checked" and "nothing to revalue" looking alike, and a later rerun of the month
 * could not say what the first run found. So the run is kept as the record of the check, and the
 * API, the CLI and the web app present it as "checked — nothing to revalue", never as a posting.
 */

const revaluationPeriod = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month like 2026-10');

export const FxRevaluationInput = z
  .object({
    period: revaluationPeriod.describe('the month to revalue at its last day, YYYY-MM'),
    legalEntityId: idSchema('le').optional().describe('default: the first legal entity'),
    rerun: z
      .boolean()
      .optional()
      .describe('replace the month\'s run: its entries are voided on their own dates and the month is revalued again from the journal as it is now (items booked later with a date in the month)'),
  })
  .strict();

export const FxRevaluationsQuery = z
  .object({
    legalEntityId: z.string().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    cursor: z.string().max(500).optional(),
  })
  .strict();

const RateUsed = z.object({ currency: z.string(), rate: z.string().describe('units of the functional currency per unit of `currency`'), effectiveDate: z.string() });

export const FxRevaluationDto = z.object({
  id: z.string(),
  legalEntityId: z.string(),
  legalEntityName: z.string(),
  period: z.string(),
  outcome: z
    .enum(['revalued', 'nothing_to_revalue'])
    .describe(
      'nothing_to_revalue: the entity had no open foreign-currency item at the period end — the run is the record that the month was checked, with no rates, no lines and no journal entries',
    ),
  periodEnd: z.string().describe('the date the revaluation is posted on'),
  reversalDate: z.string().describe('the first day of the next month: the date of its reversal'),
  functionalCurrency: z.string(),
  rates: z.array(RateUsed).describe('the closing rates used'),
  items: z.number().int(),
  gainMinor: z.number().int().describe('unrealised gains, functional currency minor units'),
  lossMinor: z.number().int().describe('unrealised losses, functional currency minor units'),
  netMinor: z.number().int().describe('gain − loss'),
  entries: z.number().int().describe('journal entries written (one revaluation and one reversal per currency that changed)'),
  trigger: z.string().describe('api, cli or revenue_close'),
  status: z.enum(['posted', 'superseded']).describe('superseded: replaced by a rerun of the month, its entries voided'),
  supersededAt: z.string().nullable(),
  supersededBy: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});
export type FxRevaluationDto = z.infer<typeof FxRevaluationDto>;

export const FxRevaluationLineDto = z.object({
  lineNo: z.number().int(),
  kind: z.enum(['receivable', 'advance']),
  itemId: z.string().describe('the invoice or dunning charge (receivable), or the customer account (advance)'),
  documentRef: z.string(),
  partyAccountId: z.string().nullable(),
  currency: z.string(),
  balanceMinor: z.number().int().describe('owed (receivable) or held (advance) at the period end, in `currency`'),
  carryingMinor: z.number().int().describe('its carrying amount at the booked rates, functional currency'),
  rate: z.string().describe('the closing rate'),
  revaluedMinor: z.number().int().describe('balance × closing rate, rounded once'),
  differenceMinor: z.number().int().describe('revalued − carrying'),
});
export const FxRevaluationDetailDto = FxRevaluationDto.extend({ lines: z.array(FxRevaluationLineDto) });
export type FxRevaluationDetailDto = z.infer<typeof FxRevaluationDetailDto>;
export const FxRevaluationRunDto = z.object({ alreadyRun: z.boolean().describe('true: the month was revalued before; nothing was posted again'), revaluation: FxRevaluationDetailDto });
export type FxRevaluationRunDto = z.infer<typeof FxRevaluationRunDto>;
export const FxRevaluationsPage = z.object({ items: z.array(FxRevaluationDto), nextCursor: z.string().nullable() });

const num = (v: unknown) => Number(v ?? 0);

const toDto = (r: FxRevaluationTable, legalEntityName: string): FxRevaluationDto => ({
  ...r,
  legalEntityName,
  outcome: num(r.items) > 0 ? 'revalued' : 'nothing_to_revalue',
  status: r.status as FxRevaluationDto['status'],
  rates: JSON.parse(r.rates) as FxRevaluationDto['rates'],
  items: num(r.items),
  gainMinor: num(r.gainMinor),
  lossMinor: num(r.lossMinor),
  netMinor: num(r.gainMinor) - num(r.lossMinor),
  entries: num(r.entries),
});

const lineDto = (l: FxRevaluationLineTable) => ({
  lineNo: num(l.lineNo),
  kind: l.kind as RevaluedKind,
  itemId: l.itemId,
  documentRef: l.documentRef,
  partyAccountId: l.partyAccountId,
  currency: l.currency,
  balanceMinor: num(l.balanceMinor),
  carryingMinor: num(l.carryingMinor),
  rate: l.rate,
  revaluedMinor: num(l.revaluedMinor),
  differenceMinor: num(l.differenceMinor),
});

const entityName = async (tx: Ctx, id: string) => (await tx.db.selectFrom('legalEntities').select('name').where('id', '=', id).executeTakeFirst())?.name ?? id;

async function detail(tx: Ctx, row: FxRevaluationTable): Promise<FxRevaluationDetailDto> {
  const lines = await tx.db.selectFrom('fxRevaluationLines').selectAll().where('revaluationId', '=', row.id).orderBy('lineNo').execute();
  return { ...toDto(row, await entityName(tx, row.legalEntityId)), lines: lines.map(lineDto) };
}

interface OpenBalance {
  kind: RevaluedKind;
  itemId: string;
  documentRef: string;
  partyAccountId: string | null;
  currency: string;
  balance: bigint;
  carrying: bigint;
}

/** Foreign-currency receivables and customer advances of a legal entity with a balance at `asOf`, from the journal. */
async function openBalances(tx: Ctx, le: LegalEntityTable, asOf: string): Promise<OpenBalance[]> {
  const base = tx.db
    .selectFrom('journalLines')
    .innerJoin('journalEntries', 'journalEntries.id', 'journalLines.entryId')
    .where('journalEntries.legalEntityId', '=', le.id)
    .where('journalLines.entryDate', '<=', asOf)
    .where('journalLines.currency', '<>', le.currency)
    .where('journalLines.functionalCurrency', '=', le.currency);
  const sums = (eb: any) => [
    eb.fn.sum('journalLines.debitMinor').as('d'),
    eb.fn.sum('journalLines.creditMinor').as('c'),
    eb.fn.sum('journalLines.functionalDebitMinor').as('fd'),
    eb.fn.sum('journalLines.functionalCreditMinor').as('fc'),
  ];
  const ar = await base
    .select((eb) => ['journalLines.openItemId as itemId', 'journalLines.currency as currency', eb.fn.max('journalLines.partyAccountId').as('party'), ...sums(eb)])
    .where('journalLines.accountRole', '=', 'ar')
    .where('journalLines.openItemId', 'is not', null)
    .groupBy(['journalLines.openItemId', 'journalLines.currency'])
    .execute();
  const adv = await base
    .select((eb) => ['journalLines.partyAccountId as itemId', 'journalLines.currency as currency', ...sums(eb)])
    .where('journalLines.accountRole', '=', 'customerAdvances')
    .where('journalLines.partyAccountId', 'is not', null)
    .groupBy(['journalLines.partyAccountId', 'journalLines.currency'])
    .execute();
  const out: OpenBalance[] = [];
  for (const r of ar as any[]) {
    const balance = BigInt(num(r.d) - num(r.c));
    if (balance !== 0n) out.push({ kind: 'receivable', itemId: r.itemId, documentRef: r.itemId, partyAccountId: r.party ?? null, currency: r.currency, balance, carrying: BigInt(num(r.fd) - num(r.fc)) });
  }
  for (const r of adv as any[]) {
    const balance = BigInt(num(r.c) - num(r.d));
    if (balance !== 0n) out.push({ kind: 'advance', itemId: r.itemId, documentRef: r.itemId, partyAccountId: r.itemId, currency: r.currency, balance, carrying: BigInt(num(r.fc) - num(r.fd)) });
  }
  // Names: the number of the invoice or charge, the name of the customer.
  const items = out.filter((o) => o.kind === 'receivable').map((o) => o.itemId);
  const parties = out.filter((o) => o.kind === 'advance').map((o) => o.itemId);
  const refs = new Map<string, string>();
  for (let i = 0; i < items.length; i += 500)
    for (const e of await tx.db
      .selectFrom('journalEntries')
      .select(['sourceId', 'documentRef'])
      .where('sourceId', 'in', items.slice(i, i + 500))
      .where('event', '=', 'issue')
      .where('sourceType', 'in', ['invoice', 'dunning_charge'])
      .execute())
      refs.set(e.sourceId, e.documentRef);
  for (let i = 0; i < parties.length; i += 500)
    for (const a of await tx.db.selectFrom('accounts').select(['id', 'name']).where('id', 'in', parties.slice(i, i + 500)).execute()) refs.set(a.id, a.name);
  for (const o of out) o.documentRef = refs.get(o.itemId) ?? o.itemId;
  return out.sort((a, b) => a.currency.localeCompare(b.currency) || a.kind.localeCompare(b.kind) || a.documentRef.localeCompare(b.documentRef) || a.itemId.localeCompare(b.itemId));
}

/** The closing rate of each currency into the functional currency: in force on the period end, effective within the period. */
async function closingRates(tx: Ctx, le: LegalEntityTable, currencies: readonly string[], period: string): Promise<Map<string, { rate: Fraction; effectiveDate: string }>> {
  const end = periodEnd(period);
  const start = periodStart(period);
  const found = new Map<string, { rate: Fraction; effectiveDate: string }>();
  const missing: Array<{ pair: string; latest: string | null }> = [];
  for (const cur of currencies) {
    try {
      const r = await fxRateOn(tx, cur, le.currency, end);
      if (r.effectiveDate && r.effectiveDate >= start) found.set(cur, { rate: r.rate, effectiveDate: r.effectiveDate });
      else missing.push({ pair: `${cur}/${le.currency}`, latest: r.effectiveDate });
    } catch (err) {
      if (err instanceof AppError && err.code === 'fx_rate_missing') missing.push({ pair: `${cur}/${le.currency}`, latest: null });
      else throw err;
    }
  }
  if (missing.length)
    throw new AppError(
      422,
      'fx_closing_rate_missing',
      'Closing rate missing',
      `no closing rate for ${missing.map((m) => m.pair).join(', ')} on ${end}: a revaluation needs a rate of each pair effective within ${period} (the latest on or before ${end}); add it under Settings → FX rates${missing.some((m) => m.latest) ? ` (latest: ${missing.map((m) => `${m.pair} ${m.latest ?? 'none'}`).join(', ')})` : ''}`,
      { pairs: missing.map((m) => m.pair), date: end, period },
    );
  return found;
}

export type RevaluationTrigger = 'api' | 'cli' | 'revenue_close';

/**
 * Revalues one legal entity's month inside the caller's transaction (no permission check: the API
 * and the revenue close check theirs). Returns the existing run when the month was revalued before.
 */
export async function revalueInTx(tx: Ctx, le: LegalEntityTable, period: string, trigger: RevaluationTrigger): Promise<FxRevaluationRunDto> {
  await lockKey(tx, `fx-revaluation:${le.id}`);
  const existing = await postedRun(tx, le.id, period);
  if (existing) return { alreadyRun: true, revaluation: await detail(tx, existing) };
  const end = periodEnd(period);
  const reversalDate = periodStart(nextPeriod(period));
  const fc = le.currency;
  const mode = roundingModeOf(le);
  const balances = await openBalances(tx, le, end);
  const currencies = [...new Set(balances.map((b) => b.currency))].sort();
  const rates = await closingRates(tx, le, currencies, period);
  const chart = await chartFor(tx, le.id);
  const row: FxRevaluationTable = {
    id: newId('fxv'),
    legalEntityId: le.id,
    period,
    periodEnd: end,
    reversalDate,
    functionalCurrency: fc,
    rates: JSON.stringify(currencies.map((c) => ({ currency: c, rate: fractionText(rates.get(c)!.rate), effectiveDate: rates.get(c)!.effectiveDate }))),
    items: balances.length,
    gainMinor: 0,
    lossMinor: 0,
    entries: 0,
    trigger,
    status: 'posted',
    supersededAt: null,
    supersededBy: null,
    createdAt: nowIso(),
    createdBy: tx.user.id,
  };
  await tx.db.insertInto('fxRevaluations').values(row).execute();

  const lineRows: FxRevaluationLineTable[] = [];
  let gain = 0n;
  let loss = 0n;
  for (const cur of currencies) {
    const own = balances.filter((b) => b.currency === cur);
    const { rate, effectiveDate } = rates.get(cur)!;
    const rateText = fractionText(rate);
    const revalued: RevaluedItem[] = own.map((b) =>
      revalueItem({ kind: b.kind, balance: { minor: b.balance, currency: cur }, carrying: { minor: b.carrying, currency: fc } }, rate, mode),
    );
    revalued.forEach((r, i) => {
      const b = own[i]!;
      lineRows.push({
        id: newId('fvl'),
        revaluationId: row.id,
        lineNo: lineRows.length + 1,
        kind: b.kind,
        itemId: b.itemId,
        documentRef: b.documentRef,
        partyAccountId: b.partyAccountId,
        currency: cur,
        balanceMinor: Number(b.balance),
        carryingMinor: Number(b.carrying),
        rate: rateText,
        revaluedMinor: Number(r.revalued.minor),
        differenceMinor: Number(r.difference.minor),
      });
      if (r.gainLoss.minor > 0n) gain += r.gainLoss.minor;
      else loss -= r.gainLoss.minor;
    });
    const legs = revaluationLegs(revalued, fc, end);
    if (!legs.length) continue;
    const docRef = `FXR-${period}`;
    const write = async (event: string, date: string, description: string, ls: RevaluationLeg[]) => {
      const entryId = newId('jen');
      await tx.db
        .insertInto('journalEntries')
        .values({
          id: entryId,
          legalEntityId: le.id,
          entryDate: date,
          sourceType: 'fx_revaluation',
          sourceId: row.id,
          event,
          documentRef: docRef,
          description,
          currency: cur,
          accountId: null,
          createdAt: nowIso(),
          createdBy: tx.user.id,
          functionalCurrency: fc,
          fxRate: rateText,
          fxRateDate: effectiveDate,
        })
        .execute();
      const lines: JournalLineTable[] = ls.map((l, i) => {
        const b = l.item === undefined ? null : own[l.item]!;
        const f = Number(l.functional);
        return {
          id: newId('jln'),
          entryId,
          lineNo: i + 1,
          accountCode: chart[l.role].code,
          accountRole: l.role,
          // A revaluation changes the functional amount only: nothing in the transaction currency.
          debitMinor: 0,
          creditMinor: 0,
          currency: cur,
          entryDate: date,
          partyAccountId: b?.partyAccountId ?? null,
          documentRef: b?.documentRef ?? docRef,
          allocationId: null,
          memo: b
            ? `${formatMoney({ minor: b.balance, currency: cur })} ${cur} at ${rateText}: carried ${formatMoney({ minor: b.carrying, currency: fc })}, revalued ${formatMoney(revalued[l.item!]!.revalued)} ${fc}`
            : l.role === 'unrealisedFxGain'
              ? 'unrealised exchange gain'
              : 'unrealised exchange loss',
          functionalDebitMinor: f > 0 ? f : 0,
          functionalCreditMinor: f < 0 ? -f : 0,
          functionalCurrency: fc,
          openItemId: null,
        };
      });
      // In parts: one line per item, and a database takes a limited number of bound values per statement.
      for (let i = 0; i < lines.length; i += 500) await tx.db.insertInto('journalLines').values(lines.slice(i, i + 500)).execute();
      row.entries++;
    };
    await write(`revalue:${cur}`, end, `FX revaluation ${period}: ${cur} at ${rateText} ${fc}`, legs);
    await write(`reverse:${cur}`, reversalDate, `Reversal of FX revaluation ${period}: ${cur}`, reversalLegs(legs));
  }
  for (let i = 0; i < lineRows.length; i += 200) await tx.db.insertInto('fxRevaluationLines').values(lineRows.slice(i, i + 200)).execute();
  row.gainMinor = Number(gain);
  row.lossMinor = Number(loss);
  await tx.db.updateTable('fxRevaluations').set({ gainMinor: row.gainMinor, lossMinor: row.lossMinor, entries: row.entries }).where('id', '=', row.id).execute();
  await recordEvent(tx, {
    entityType: 'fx_revaluation',
    entityId: row.id,
    action: 'created',
    after: { legalEntityId: le.id, period, outcome: row.items > 0 ? 'revalued' : 'nothing_to_revalue', items: row.items, gainMinor: row.gainMinor, lossMinor: row.lossMinor, entries: row.entries, rates: JSON.parse(row.rates), trigger },
  });
  return { alreadyRun: false, revaluation: { ...toDto(row, le.name), lines: lineRows.map(lineDto) } };
}

/** POST: revalue a month of a legal entity (finance, admin); the month must have ended. */
export async function runFxRevaluation(ctx: Ctx, input: unknown, trigger: RevaluationTrigger = 'api'): Promise<FxRevaluationRunDto> {
  const data = FxRevaluationInput.parse(input);
  assertCan(ctx.user, 'ledger', 'approve');
  return inTx(ctx, async (tx) => {
    const le = await legalEntityFor(tx.db, data.legalEntityId);
    await lockKey(tx, `fx-revaluation:${le.id}`);
    const done = await postedRun(tx, le.id, data.period);
    if (done && !data.rerun) return { alreadyRun: true, revaluation: await detail(tx, done) };
    const day = today(le.timezone);
    if (periodEnd(data.period) >= day)
      throw conflict('period_not_ended', `${data.period} has not ended yet (today is ${day} in ${le.timezone}); a month is revalued at its closing rate after its last day`, { period: data.period, today: day });
    if (done) await supersede(tx, done);
    return revalueInTx(tx, le, data.period, trigger);
  });
}

const postedRun = (tx: Ctx, legalEntityId: string, period: string) =>
  tx.db.selectFrom('fxRevaluations').selectAll().where('legalEntityId', '=', legalEntityId).where('period', '=', period).where('status', '=', 'posted').executeTakeFirst();

/**
 * Voids a run before a rerun: every entry it posted gets a counter-entry (event `void:<event>`) on
 * the entry's own date with every line the other way round, so the journal keeps both and nets to
 * nothing on every date; the run is kept as superseded.
 */
async function supersede(tx: Ctx, run: FxRevaluationTable): Promise<void> {
  const entries = await tx.db.selectFrom('journalEntries').selectAll().where('sourceType', '=', 'fx_revaluation').where('sourceId', '=', run.id).orderBy('entryDate').orderBy('event').execute();
  for (const e of entries) {
    if (e.event.startsWith('void:')) continue;
    const event = `void:${e.event}`;
    if (entries.some((x) => x.event === event)) continue;
    const id = newId('jen');
    await tx.db
      .insertInto('journalEntries')
      .values({ ...e, id, event, description: `Void (rerun) of: ${e.description}`, createdAt: nowIso(), createdBy: tx.user.id })
      .execute();
    const lines = await tx.db.selectFrom('journalLines').selectAll().where('entryId', '=', e.id).orderBy('lineNo').execute();
    const counter = lines.map((l) => ({
      ...l,
      id: newId('jln'),
      entryId: id,
      debitMinor: l.creditMinor,
      creditMinor: l.debitMinor,
      functionalDebitMinor: l.functionalCreditMinor,
      functionalCreditMinor: l.functionalDebitMinor,
    }));
    for (let i = 0; i < counter.length; i += 500) await tx.db.insertInto('journalLines').values(counter.slice(i, i + 500)).execute();
  }
  const at = nowIso();
  await tx.db.updateTable('fxRevaluations').set({ status: 'superseded', supersededAt: at, supersededBy: tx.user.id }).where('id', '=', run.id).execute();
  await recordEvent(tx, { entityType: 'fx_revaluation', entityId: run.id, action: 'superseded', before: { status: 'posted' }, after: { status: 'superseded' } });
}

export async function listFxRevaluations(ctx: Ctx, input: unknown = {}) {
  const q = FxRevaluationsQuery.parse(input ?? {});
  assertCan(ctx.user, 'ledger', 'read');
  let qb = ctx.db.selectFrom('fxRevaluations').selectAll();
  if (q.legalEntityId) qb = qb.where('legalEntityId', '=', q.legalEntityId);
  const page = await paginate(qb, 'fxRevaluations', { limit: q.limit, cursor: q.cursor, sort: '-periodEnd' }, { periodEnd: 'periodEnd' }, '-periodEnd');
  const ids = [...new Set(page.items.map((r) => r.legalEntityId))];
  const names = new Map(ids.length ? (await ctx.db.selectFrom('legalEntities').select(['id', 'name']).where('id', 'in', ids).execute()).map((e) => [e.id, e.name]) : []);
  return { items: page.items.map((r) => toDto(r, names.get(r.legalEntityId) ?? r.legalEntityId)), nextCursor: page.nextCursor };
}

export async function getFxRevaluation(ctx: Ctx, id: string): Promise<FxRevaluationDetailDto> {
  assertCan(ctx.user, 'ledger', 'read');
  const row = await ctx.db.selectFrom('fxRevaluations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('fx_revaluation', id);
  return detail(ctx, row);
}
