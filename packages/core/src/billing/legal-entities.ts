import type { Db, LegalEntityTable } from '@openltc/db';
import { z } from 'zod';
import type { Ctx } from '../platform/context.ts';
import { fieldError } from '../platform/errors.ts';
import { ROUNDING_MODES, type RoundingMode } from '../platform/money.ts';
import { newId } from '../platform/ids.ts';
import { nowIso } from '../platform/clock.ts';
import { reuseIn } from '../platform/hot-reads.ts';

/**
 * Legal entities issue invoices; each has its own gap-free invoice numbering, currency,
 * time zone and rounding mode. A first one is created on first start and renamed in settings.
 */
export async function ensureLegalEntity(db: Db): Promise<string> {
  const le = await db.selectFrom('legalEntities').select('id').orderBy('createdAt').executeTakeFirst();
  if (le) return le.id;
  const id = newId('le');
  await db
    .insertInto('legalEntities')
    .values({
      id,
      name: 'My Company 我的公司',
      country: 'CN',
      currency: 'CNY',
      timezone: 'Asia/Shanghai',
      roundingMode: 'half_up',
      taxId: null,
      createdAt: nowIso(),
    })
    .execute();
  return id;
}

export async function listLegalEntities(db: Db) {
  return db.selectFrom('legalEntities').selectAll().orderBy('createdAt').execute();
}

export const LegalEntityDto = z.object({
  id: z.string(),
  name: z.string(),
  country: z.string(),
  currency: z.string().describe('the functional currency'),
  timezone: z.string(),
});
export const LegalEntitiesPage = z.object({ items: z.array(LegalEntityDto) });

/**
 * GET /legal-entities: every legal entity, the first created first (the one used when none is named),
 * for pickers. Any signed-in user: the entities' names are on every document they issue.
 */
export async function listLegalEntitiesFor(ctx: Ctx): Promise<z.infer<typeof LegalEntitiesPage>> {
  const rows = await ctx.db.selectFrom('legalEntities').select(['id', 'name', 'country', 'currency', 'timezone']).orderBy('createdAt').orderBy('id').execute();
  return { items: rows };
}

/** A legal entity by id (reported as a field error when unknown), or the first one when no id is given. */
export async function legalEntityFor(db: Db, id: string | null | undefined, field = 'legalEntityId'): Promise<LegalEntityTable> {
  // By id: the hot read of every billing and revenue step, compiled once.
  const le = id
    ? (await reuseIn(db, 'legalEntities.byId', [id], [], ([v]) => db.selectFrom('legalEntities').selectAll().where('id', '=', v as string)))[0]
    : await db.selectFrom('legalEntities').selectAll().orderBy('createdAt').orderBy('id').executeTakeFirst();
  if (!le) throw fieldError(field, id ? `legal entity ${id} does not exist` : 'no legal entity is configured', 'unknown_reference');
  return le;
}

export function roundingModeOf(le: LegalEntityTable): RoundingMode {
  return (ROUNDING_MODES as readonly string[]).includes(le.roundingMode) ? (le.roundingMode as RoundingMode) : 'half_up';
}
