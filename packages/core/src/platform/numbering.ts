import type { Ctx } from './context.ts';

/**
 * Human document numbers from number series (`INV-2026-000123`). The counter row is updated in the
 * caller's transaction: on PostgreSQL the UPDATE locks the row until commit, on SQLite there is one
 * writer, so two concurrent issues never get the same number and a rollback leaves no gap.
 */
export const SERIES: Record<string, { prefix: string; padding: number }> = {
  quote: { prefix: 'QT', padding: 6 },
  contract: { prefix: 'CT', padding: 6 },
  order: { prefix: 'SO', padding: 6 },
  delivery: { prefix: 'DN', padding: 6 },
  invoice: { prefix: 'INV', padding: 6 },
  payment: { prefix: 'RC', padding: 6 },
  credit_note: { prefix: 'CN', padding: 6 },
  refund: { prefix: 'RF', padding: 6 },
};

export async function nextNumber(ctx: Ctx, key: string, scope: string, year: string): Promise<string> {
  const def = SERIES[key];
  if (!def) throw new Error(`no number series ${key}`);
  const seriesScope = `${scope}:${year}`;
  // One statement for both the first number and the next: an upsert that returns the new counter.
  const row = await ctx.db
    .insertInto('numberSeries')
    .values({ key, scope: seriesScope, prefix: def.prefix, nextValue: 2, padding: def.padding })
    .onConflict((oc) =>
      oc.columns(['key', 'scope']).doUpdateSet((eb) => ({ nextValue: eb('numberSeries.nextValue', '+', 1) })),
    )
    .returning(['nextValue', 'prefix', 'padding'])
    .executeTakeFirstOrThrow();
  const value = Number(row.nextValue) - 1;
  const { prefix, padding } = row;
  return `${prefix}-${year}-${String(value).padStart(padding, '0')}`;
}
