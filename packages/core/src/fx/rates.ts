import type { FxRateTable } from '@openltc/db';
import { z } from 'zod';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso } from '../platform/clock.ts';
import { AppError, validationError, type FieldError } from '../platform/errors.ts';
import { recordEvent } from '../platform/events.ts';
import { assertCan } from '../platform/permissions.ts';
import { paginate } from '../platform/list.ts';
import { parseDecimal, type Fraction } from '../platform/money.ts';
import { currency, isoDate } from '../platform/schema.ts';
import { findFxRate, validateFxRate, type FoundRate } from '../money/fx.ts';
import { reduceFraction } from '../money/rounding.ts';

/**
 * The dated exchange-rate table: one rate per currency pair and effective date, in force from that
 * date until a later rate of the pair (stored either way round: the inverse is used exactly).
 * Rates are exact decimal strings ("7.1234", up to 8 decimals), never floats. Finance and admins
 * write them (one at a time or a pasted block); posted journal entries keep the rate they used, so
 * a corrected rate changes new postings only.
 */

const RATE_RE = /^\d{1,9}(?:\.\d{1,8})?$/;
const rateText = z.string().trim().regex(RATE_RE, 'a decimal rate such as 7.1234 (up to 8 decimals, a dot, no thousands separators)');
const source = z.string().trim().min(1).max(100);

export const FxRateInput = z
  .object({
    base: currency.describe('the currency one unit of which the rate prices, e.g. USD'),
    quote: currency.describe('the currency the rate is expressed in, e.g. CNY'),
    rate: rateText.describe('units of quote per unit of base, exact decimal string'),
    effectiveDate: isoDate.describe('in force from this business date until a later rate of the pair'),
    source: source.optional().describe('where the rate comes from, e.g. "PBOC central parity" (default: manual)'),
  })
  .strict();

export const FxRatesBulkInput = z
  .object({
    text: z
      .string()
      .max(200_000)
      .optional()
      .describe('one rate a line: base,quote,rate,effectiveDate[,source] (comma, semicolon or tab); a header line and blank lines are skipped'),
    rates: z.array(FxRateInput).max(5000).optional(),
    source: source.optional().describe('the source of lines that name none'),
  })
  .strict();

export const FxRatesQuery = z
  .object({
    base: currency.optional(),
    quote: currency.optional(),
    pair: z
      .string()
      .regex(/^[A-Z]{3}\/[A-Z]{3}$/, 'a pair like USD/CNY')
      .optional()
      .describe('both directions of a pair, e.g. USD/CNY'),
    from: isoDate.optional().describe('first effective date'),
    to: isoDate.optional().describe('last effective date'),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    cursor: z.string().max(500).optional(),
  })
  .strict();

export const FxRateQuery = z
  .object({
    from: currency,
    to: currency,
    date: isoDate.describe('the business date the rate must be in force on'),
  })
  .strict();

export const FxRateDto = z.object({
  id: z.string(),
  base: z.string(),
  quote: z.string(),
  rate: z.string(),
  effectiveDate: z.string(),
  source: z.string(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
  version: z.number().int(),
});
export type FxRateDto = z.infer<typeof FxRateDto>;
export const FxRatesPage = z.object({ items: z.array(FxRateDto), nextCursor: z.string().nullable() });
export const FxRatesBulkResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rates: z.array(FxRateDto),
});
export const FxRateLookupDto = z.object({
  from: z.string(),
  to: z.string(),
  date: z.string(),
  rate: z.string().describe('units of `to` per unit of `from`: a decimal, or num/den when the stored rate was inverted and has no finite decimal'),
  effectiveDate: z.string().nullable(),
  inverted: z.boolean(),
});

const toDto = (r: FxRateTable): FxRateDto => ({ ...r, version: Number(r.version) });

/** A rate as exact text: a decimal when the fraction has one, else "num/den". */
export function fractionText(f: Fraction): string {
  const r = reduceFraction(f);
  let den = r.den;
  let twos = 0;
  let fives = 0;
  while (den % 2n === 0n) {
    den /= 2n;
    twos++;
  }
  while (den % 5n === 0n) {
    den /= 5n;
    fives++;
  }
  if (den !== 1n) return `${r.num}/${r.den}`;
  const scale = Math.max(twos, fives);
  const scaled = (r.num * 10n ** BigInt(scale)) / r.den;
  if (scale === 0) return scaled.toString();
  const s = scaled.toString().padStart(scale + 1, '0');
  return `${s.slice(0, -scale)}.${s.slice(-scale)}`;
}

/** The inverse of fractionText. */
export function parseFractionText(s: string): Fraction {
  const m = /^(\d+)\/(\d+)$/.exec(s);
  return m ? reduceFraction({ num: BigInt(m[1]!), den: BigInt(m[2]!) }) : reduceFraction(parseDecimal(s));
}

/**
 * The rate from `from` to `to` in force on `date`, from the table. 422 `fx_rate_missing` naming the
 * pair and the date when there is none (a journal posting that needs it is refused with its
 * business event).
 */
export async function fxRateOn(ctx: Ctx, from: string, to: string, date: string): Promise<FoundRate> {
  if (from === to) return findFxRate([], from, to, date);
  const rows = await ctx.db
    .selectFrom('fxRates')
    .select(['base', 'quote', 'rate', 'effectiveDate'])
    .where((eb) => eb.or([eb.and([eb('base', '=', from), eb('quote', '=', to)]), eb.and([eb('base', '=', to), eb('quote', '=', from)])]))
    .where('effectiveDate', '<=', date)
    .orderBy('effectiveDate', 'desc')
    .limit(2)
    .execute();
  return findFxRate(rows, from, to, date);
}

export async function lookupFxRate(ctx: Ctx, input: unknown) {
  const q = FxRateQuery.parse(input);
  assertCan(ctx.user, 'ledger', 'read');
  const found = await fxRateOn(ctx, q.from, q.to, q.date);
  return { from: q.from, to: q.to, date: q.date, rate: fractionText(found.rate), effectiveDate: found.effectiveDate, inverted: found.inverted };
}

export async function listFxRates(ctx: Ctx, input: unknown = {}) {
  const q = FxRatesQuery.parse(input ?? {});
  assertCan(ctx.user, 'ledger', 'read');
  if (q.from && q.to && q.from > q.to) throw validationError([{ path: 'from', message: 'the period starts after it ends', code: 'invalid_period' }]);
  let qb = ctx.db.selectFrom('fxRates').selectAll();
  if (q.base) qb = qb.where('base', '=', q.base);
  if (q.quote) qb = qb.where('quote', '=', q.quote);
  if (q.pair) {
    const [a, b] = q.pair.split('/') as [string, string];
    qb = qb.where((eb) => eb.or([eb.and([eb('base', '=', a), eb('quote', '=', b)]), eb.and([eb('base', '=', b), eb('quote', '=', a)])]));
  }
  if (q.from) qb = qb.where('effectiveDate', '>=', q.from);
  if (q.to) qb = qb.where('effectiveDate', '<=', q.to);
  const page = await paginate(qb, 'fxRates', { limit: q.limit, cursor: q.cursor, sort: '-effectiveDate' }, { effectiveDate: 'effectiveDate' }, '-effectiveDate');
  return { items: page.items.map(toDto), nextCursor: page.nextCursor };
}

type Parsed = { base: string; quote: string; rate: string; effectiveDate: string; source: string };

/** Checks one rate (schema, real date, two currencies, above zero), as field errors under `path`. */
function check(input: unknown, path: string, errors: FieldError[], defaultSource: string): Parsed | null {
  const parsed = FxRateInput.safeParse(input);
  if (!parsed.success) {
    for (const i of parsed.error.issues) errors.push({ path: [path, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message, code: 'invalid' });
    return null;
  }
  try {
    const r = validateFxRate({ base: parsed.data.base, quote: parsed.data.quote, rate: parsed.data.rate, effectiveDate: parsed.data.effectiveDate });
    return { ...r, rate: fractionText(parseDecimal(r.rate)), source: parsed.data.source ?? defaultSource };
  } catch (err) {
    if (err instanceof AppError) {
      const fields = err.extra.fields ?? [];
      if (fields.length) for (const f of fields) errors.push({ ...f, path: [path, f.path].filter(Boolean).join('.') });
      else errors.push({ path: path || 'rate', message: err.message, code: err.code });
      return null;
    }
    throw err;
  }
}

/** One rate a line: base,quote,rate,date[,source]; comma, semicolon or tab; a header line is skipped. */
function parseText(text: string, errors: FieldError[], defaultSource: string): Parsed[] {
  const out: Parsed[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const cells = line.split(/[,;\t]/).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    if (i === 0 && /^base$/i.test(cells[0] ?? '')) return;
    const [base, quote, rate, effectiveDate, src] = cells;
    const p = check(
      { base: base?.toUpperCase(), quote: quote?.toUpperCase(), rate, effectiveDate, ...(src ? { source: src } : {}) },
      `text.line${i + 1}`,
      errors,
      defaultSource,
    );
    if (p) out.push(p);
  });
  return out;
}

async function upsertMany(tx: Ctx, rates: readonly Parsed[]) {
  const result = { created: 0, updated: 0, unchanged: 0, rates: [] as FxRateDto[] };
  const now = nowIso();
  for (const r of rates) {
    const existing = await tx.db
      .selectFrom('fxRates')
      .selectAll()
      .where('base', '=', r.base)
      .where('quote', '=', r.quote)
      .where('effectiveDate', '=', r.effectiveDate)
      .executeTakeFirst();
    if (!existing) {
      const row: FxRateTable = { id: newId('fxr'), ...r, createdAt: now, createdBy: tx.user.id, updatedAt: now, updatedBy: tx.user.id, version: 1 };
      await tx.db.insertInto('fxRates').values(row).execute();
      await recordEvent(tx, { entityType: 'fx_rate', entityId: row.id, action: 'created', after: { ...r } });
      result.created++;
      result.rates.push(toDto(row));
    } else if (existing.rate === r.rate && existing.source === r.source) {
      result.unchanged++;
      result.rates.push(toDto(existing));
    } else {
      const version = Number(existing.version) + 1;
      await tx.db.updateTable('fxRates').set({ rate: r.rate, source: r.source, updatedAt: now, updatedBy: tx.user.id, version }).where('id', '=', existing.id).execute();
      await recordEvent(tx, {
        entityType: 'fx_rate',
        entityId: existing.id,
        action: 'updated',
        before: { rate: existing.rate, source: existing.source },
        after: { rate: r.rate, source: r.source },
      });
      result.updated++;
      result.rates.push(toDto({ ...existing, rate: r.rate, source: r.source, updatedAt: now, updatedBy: tx.user.id, version }));
    }
  }
  return result;
}

/** PUT one rate (finance, admin): creates it, or replaces the rate of that pair and date. */
export async function setFxRate(ctx: Ctx, input: unknown): Promise<{ created: boolean; rate: FxRateDto }> {
  assertCan(ctx.user, 'ledger', 'approve');
  const errors: FieldError[] = [];
  const p = check(input, '', errors, 'manual');
  if (!p) throw validationError(errors);
  return inTx(ctx, async (tx) => {
    const r = await upsertMany(tx, [p]);
    return { created: r.created === 1, rate: r.rates[0]! };
  });
}

/**
 * Bulk upsert (finance, admin): pasted lines and/or a list, all or nothing; every bad line is
 * reported at once (`text.line4.rate`, `rates.2.effectiveDate`), and a pair and date given twice
 * is refused.
 */
export async function bulkSetFxRates(ctx: Ctx, input: unknown) {
  assertCan(ctx.user, 'ledger', 'approve');
  const body = FxRatesBulkInput.parse(input);
  const defaultSource = body.source ?? 'manual';
  const errors: FieldError[] = [];
  const parsed = [...(body.text ? parseText(body.text, errors, defaultSource) : [])];
  (body.rates ?? []).forEach((r, i) => {
    const p = check({ ...r, source: r.source ?? defaultSource }, `rates.${i}`, errors, defaultSource);
    if (p) parsed.push(p);
  });
  const seen = new Set<string>();
  for (const p of parsed) {
    const k = `${p.base}/${p.quote}@${p.effectiveDate}`;
    if (seen.has(k)) errors.push({ path: 'text', message: `${p.base}/${p.quote} on ${p.effectiveDate} is given twice`, code: 'duplicate' });
    seen.add(k);
  }
  if (errors.length) throw validationError(errors);
  if (!parsed.length) throw validationError([{ path: 'text', message: 'no rates given', code: 'required' }]);
  return inTx(ctx, (tx) => upsertMany(tx, parsed));
}
