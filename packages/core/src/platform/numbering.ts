import type { Ctx } from './context.ts';
import { today } from './clock.ts';
import { reuseIn } from './hot-reads.ts';

/**
 * Human document numbers from number series (`INV-2026-000123`). The counter row is updated in the
 * caller's transaction: on PostgreSQL the UPDATE locks the row until commit, on SQLite there is one
 * writer, so two concurrent issues never get the same number and a rollback leaves no gap.
 *
 * A series is a document type (`key`) in a scope: a legal entity for invoices and credit notes (each
 * entity has its own gap-free series), one company-wide scope for the others. Its format — prefix,
 * date part and padding — is the default below until an administrator changes it
 * (`number_series_formats`, see numbering-settings.ts); the counter restarts with each period of the
 * date part (a year for `YYYY`, a month for `YYYYMM`, never for `none`).
 */
export const DATE_PARTS = ['YYYY', 'YYYYMM', 'none'] as const;
export type DatePart = (typeof DATE_PARTS)[number];

export interface SeriesDef {
  prefix: string;
  padding: number;
  /** 'entity': one series per legal entity; otherwise the fixed scope the use cases pass. */
  scope: 'entity' | 'global' | 'all';
  /** Numbers a tax authority or auditor expects without gaps (no counter jumps allowed). */
  gapFree: boolean;
}

export const SERIES: Record<string, SeriesDef> = {
  quote: { prefix: 'QT', padding: 6, scope: 'global', gapFree: false },
  contract: { prefix: 'CT', padding: 6, scope: 'global', gapFree: false },
  order: { prefix: 'SO', padding: 6, scope: 'all', gapFree: false },
  delivery: { prefix: 'DN', padding: 6, scope: 'all', gapFree: false },
  invoice: { prefix: 'INV', padding: 6, scope: 'entity', gapFree: true },
  credit_note: { prefix: 'CN', padding: 6, scope: 'entity', gapFree: true },
  payment: { prefix: 'RC', padding: 6, scope: 'all', gapFree: false },
  refund: { prefix: 'RF', padding: 6, scope: 'all', gapFree: false },
  dunning_charge: { prefix: 'DC', padding: 6, scope: 'entity', gapFree: true },
};

export interface SeriesFormat {
  prefix: string;
  datePart: DatePart;
  padding: number;
}

/** The period a date falls in for a date part: `2026`, `202611`, or `*` (no period). */
export function periodOf(datePart: DatePart, on: string, today: () => string): string {
  if (datePart === 'none') return '*';
  const d = on.length >= 7 ? on : on.slice(0, 4) === today().slice(0, 4) ? today() : `${on.slice(0, 4)}-12`;
  return datePart === 'YYYY' ? d.slice(0, 4) : d.slice(0, 4) + d.slice(5, 7);
}

/** `INV-2026-000123`, `INV-202611-000123` or `INV-000123`. */
export function formatNumber(f: SeriesFormat, period: string, value: number): string {
  const n = String(value).padStart(f.padding, '0');
  return f.datePart === 'none' ? `${f.prefix}-${n}` : `${f.prefix}-${period}-${n}`;
}

export async function seriesFormat(ctx: Ctx, key: string, scope: string): Promise<SeriesFormat> {
  const def = SERIES[key];
  if (!def) throw new Error(`no number series ${key}`);
  const [f] = await reuseIn(ctx.db, 'numberSeriesFormats.get', [key, scope], [], ([k, s]) =>
    ctx.db.selectFrom('numberSeriesFormats').select(['prefix', 'datePart', 'padding']).where('key', '=', k as string).where('scope', '=', s as string),
  );
  return f ? { prefix: f.prefix, datePart: f.datePart as DatePart, padding: f.padding } : { prefix: def.prefix, datePart: 'YYYY', padding: def.padding };
}

/**
 * The next number of series `key` in `scope` for a document dated `on` (`YYYY-MM-DD`; a bare year
 * is accepted and means the current month when that year is this year).
 */
export async function nextNumber(ctx: Ctx, key: string, scope: string, on: string): Promise<string> {
  const format = await seriesFormat(ctx, key, scope);
  const period = periodOf(format.datePart, on, () => today());
  const seriesScope = `${scope}:${period}`;
  // One statement for both the first number and the next: an upsert that returns the new counter.
  const [row] = await reuseIn(ctx.db, 'numberSeries.next', [key, seriesScope, format.prefix, 2, format.padding, 1], [], ([k, s, prefix, first, padding, step]) =>
    ctx.db
      .insertInto('numberSeries')
      .values({ key: k as string, scope: s as string, prefix: prefix as string, nextValue: first as number, padding: padding as number })
      .onConflict((oc) => oc.columns(['key', 'scope']).doUpdateSet((eb) => ({ nextValue: eb('numberSeries.nextValue', '+', step as number) })))
      .returning(['nextValue']),
  );
  if (!row) throw new Error(`number series ${key} returned no counter`);
  return formatNumber(format, period, Number(row.nextValue) - 1);
}

/**
 * `count` consecutive numbers of series `key` in one statement (a batch of documents issued in one
 * transaction, e.g. a billing run's chunk). Same rules as nextNumber: the counter moves by `count`
 * in the caller's transaction, so a rollback returns every number; the caller must use all of them
 * in that transaction to keep a gap-free series gap-free.
 */
export async function nextNumbers(ctx: Ctx, key: string, scope: string, on: string, count: number): Promise<string[]> {
  if (count <= 0) return [];
  const format = await seriesFormat(ctx, key, scope);
  const period = periodOf(format.datePart, on, () => today());
  const row = await ctx.db
    .insertInto('numberSeries')
    .values({ key, scope: `${scope}:${period}`, prefix: format.prefix, nextValue: count + 1, padding: format.padding })
    .onConflict((oc) => oc.columns(['key', 'scope']).doUpdateSet((eb) => ({ nextValue: eb('numberSeries.nextValue', '+', count) })))
    .returning(['nextValue'])
    .executeTakeFirstOrThrow();
  const first = Number(row.nextValue) - count;
  return Array.from({ length: count }, (_, i) => formatNumber(format, period, first + i));
}
