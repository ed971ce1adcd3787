import { z } from 'zod';
import { inTx, type Ctx } from './context.ts';
import { nowIso, today } from './clock.ts';
import { AppError, conflict, notFound, versionConflict } from './errors.ts';
import { recordEvent } from './events.ts';
import { assertCan } from './permissions.ts';
import { DATE_PARTS, SERIES, formatNumber, periodOf, seriesFormat, type DatePart, type SeriesFormat } from './numbering.ts';

/**
 * Number series as administrators see and change them: each series per scope (every legal entity for
 * invoices and credit notes), its format and the next number of the current period.
 *
 * What a change may do: the format (prefix, date part, padding) applies to numbers issued afterwards —
 * numbers already given never change. The counter may be moved forward only, never below a number
 * already issued (so no number is given twice); a gap-free series (invoices, credit notes) may only be
 * given a starting number for a period in which it has issued nothing yet, so it stays without gaps.
 */
export const NumberSeriesUpdate = z
  .object({
    prefix: z.string().regex(/^[A-Z0-9]{1,12}$/, '1 to 12 capital letters or digits, like INV').optional(),
    datePart: z.enum(DATE_PARTS).optional().describe('YYYY: counter per year; YYYYMM: per month; none: one counter'),
    padding: z.number().int().min(3).max(12).optional().describe('digits of the counter, zero-padded'),
    nextValue: z.number().int().min(1).max(999_999_999_999).optional().describe('next counter value for the current period; never below what is issued'),
  })
  .strict();

export interface NumberSeriesDto {
  key: string;
  scope: string;
  /** The legal entity of a per-entity series. */
  legalEntityId: string | null;
  legalEntityName: string | null;
  gapFree: boolean;
  prefix: string;
  datePart: DatePart;
  padding: number;
  /** Stored format version (0 while the default format is used). */
  version: number;
  period: string;
  /** Numbers issued in the current period (the counter's last value). */
  issued: number;
  nextValue: number;
  nextNumber: string;
  example: string;
}

async function scopesOf(ctx: Ctx, key: string): Promise<Array<{ scope: string; le: { id: string; name: string } | null }>> {
  const def = SERIES[key]!;
  if (def.scope !== 'entity') return [{ scope: def.scope, le: null }];
  const les = await ctx.db.selectFrom('legalEntities').select(['id', 'name']).orderBy('createdAt').orderBy('id').execute();
  return les.map((le) => ({ scope: le.id, le }));
}

async function describe(ctx: Ctx, key: string, scope: string, le: { id: string; name: string } | null, on: string): Promise<NumberSeriesDto> {
  const format = await seriesFormat(ctx, key, scope);
  const stored = await ctx.db.selectFrom('numberSeriesFormats').select('version').where('key', '=', key).where('scope', '=', scope).executeTakeFirst();
  const period = periodOf(format.datePart, on, () => on);
  const counter = await ctx.db.selectFrom('numberSeries').select('nextValue').where('key', '=', key).where('scope', '=', `${scope}:${period}`).executeTakeFirst();
  const nextValue = counter ? Number(counter.nextValue) : 1;
  return {
    key,
    scope,
    legalEntityId: le?.id ?? null,
    legalEntityName: le?.name ?? null,
    gapFree: SERIES[key]!.gapFree,
    ...format,
    version: stored?.version ?? 0,
    period,
    issued: nextValue - 1,
    nextValue,
    nextNumber: formatNumber(format, period, nextValue),
    example: formatNumber(format, period, 1),
  };
}

/** Every series in every scope, for today's period. */
export async function listNumberSeries(ctx: Ctx): Promise<NumberSeriesDto[]> {
  assertCan(ctx.user, 'settings', 'read');
  const on = today();
  const out: NumberSeriesDto[] = [];
  for (const key of Object.keys(SERIES)) for (const s of await scopesOf(ctx, key)) out.push(await describe(ctx, key, s.scope, s.le, on));
  return out;
}

export async function updateNumberSeries(ctx: Ctx, key: string, scope: string, input: z.input<typeof NumberSeriesUpdate>, expectedVersion?: number): Promise<NumberSeriesDto> {
  const data = NumberSeriesUpdate.parse(input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'settings', 'write');
    const def = SERIES[key];
    if (!def) throw notFound('number series', key);
    const scoped = (await scopesOf(tx, key)).find((s) => s.scope === scope);
    if (!scoped) throw notFound('number series', `${key}/${scope}`);
    const on = today();
    const before = await describe(tx, key, scope, scoped.le, on);
    if (expectedVersion !== undefined && expectedVersion !== before.version) throw versionConflict('number series', `${key}/${scope}`, before.version);
    const format: SeriesFormat = { prefix: data.prefix ?? before.prefix, datePart: data.datePart ?? before.datePart, padding: data.padding ?? before.padding };
    const formatChanged = format.prefix !== before.prefix || format.datePart !== before.datePart || format.padding !== before.padding;
    const now = nowIso();
    if (formatChanged) {
      const r = await tx.db
        .updateTable('numberSeriesFormats')
        .set({ ...format, version: before.version + 1, updatedAt: now, updatedBy: tx.user.id })
        .where('key', '=', key)
        .where('scope', '=', scope)
        .where('version', '=', before.version)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) {
        if (before.version !== 0) throw versionConflict('number series', `${key}/${scope}`, before.version + 1);
        await tx.db.insertInto('numberSeriesFormats').values({ key, scope, ...format, version: 1, updatedAt: now, updatedBy: tx.user.id }).execute();
      }
    }
    // The counter of the period the (new) format puts today in.
    const period = periodOf(format.datePart, on, () => on);
    const counter = await tx.db.selectFrom('numberSeries').select('nextValue').where('key', '=', key).where('scope', '=', `${scope}:${period}`).executeTakeFirst();
    const current = counter ? Number(counter.nextValue) : 1;
    let counterChange: { from: number; to: number } | null = null;
    if (data.nextValue !== undefined && data.nextValue !== current) {
      if (data.nextValue < current)
        throw new AppError(422, 'counter_below_issued', 'Validation failed', `${current - 1} numbers are already issued in ${period}; the next one cannot be below ${current}`, {
          fields: [{ path: 'nextValue', message: `at least ${current} (numbers up to ${current - 1} are issued)`, code: 'counter_below_issued' }],
        });
      if (def.gapFree && current > 1)
        throw conflict('gap_free_series', `${key} numbers must have no gaps: the counter can only be set before the first number of a period (${current - 1} issued in ${period})`);
      if (counter) await tx.db.updateTable('numberSeries').set({ nextValue: data.nextValue }).where('key', '=', key).where('scope', '=', `${scope}:${period}`).where('nextValue', '=', current).execute();
      else await tx.db.insertInto('numberSeries').values({ key, scope: `${scope}:${period}`, prefix: format.prefix, nextValue: data.nextValue, padding: format.padding }).execute();
      counterChange = { from: current, to: data.nextValue };
      if (!formatChanged) {
        // A counter change alone still bumps the version, so a stale editor is told.
        const r = await tx.db
          .updateTable('numberSeriesFormats')
          .set({ version: before.version + 1, updatedAt: now, updatedBy: tx.user.id })
          .where('key', '=', key)
          .where('scope', '=', scope)
          .where('version', '=', before.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) {
          if (before.version !== 0) throw versionConflict('number series', `${key}/${scope}`, before.version + 1);
          await tx.db.insertInto('numberSeriesFormats').values({ key, scope, ...format, version: 1, updatedAt: now, updatedBy: tx.user.id }).execute();
        }
      }
    }
    if (!formatChanged && !counterChange) return before;
    await recordEvent(tx, {
      entityType: 'number_series',
      entityId: `${key}:${scope}`,
      action: 'updated',
      before: { prefix: before.prefix, datePart: before.datePart, padding: before.padding, ...(counterChange ? { nextValue: counterChange.from } : {}) },
      after: { ...format, ...(counterChange ? { nextValue: counterChange.to, period } : {}) },
    });
    return describe(tx, key, scope, scoped.le, on);
  });
}
