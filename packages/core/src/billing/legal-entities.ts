import type { Db } from '@openltc/db';
import { newId } from '../platform/ids.ts';
import { nowIso } from '../platform/clock.ts';

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
