import { z } from 'zod';
import type { DunningLevelTable, LegalEntityTable } from '@openltc/db';
import type { Ctx } from '../platform/context.ts';
import { inTx } from '../platform/context.ts';
import { assertCan } from '../platform/permissions.ts';
import { newId } from '../platform/ids.ts';
import { nowIso } from '../platform/clock.ts';
import { recordEvent } from '../platform/events.ts';
import { legalEntityFor } from '../billing/legal-entities.ts';
import { fieldError } from '../platform/errors.ts';
import { taxCodesOf } from '../pricing/tax-codes.ts';
import { dunningLevelSchema, parseDunningConfig, type DunningConfig, type DunningLevel } from '../money/dunning.ts';

/**
 * Dunning levels per legal entity: one row per level. A legal entity without levels gets the
 * default ladder the first time anyone reads or runs them (inserted once, whoever comes first).
 */
export const DEFAULT_DUNNING_LEVELS: readonly DunningLevel[] = [
  { level: 1, minDaysPastDue: 1, template: 'reminder_friendly' },
  { level: 2, minDaysPastDue: 15, template: 'reminder_firm', fees: { CNY: '5000', USD: '1000', EUR: '1000' } },
  // 0.05 % a day (万分之五/日), a common contractual late-payment rate in China: 18.25 % a year.
  { level: 3, minDaysPastDue: 30, template: 'final_notice', interestAnnualRate: '0.1825', holdOrders: true },
  { level: 4, minDaysPastDue: 60, template: 'escalation', interestAnnualRate: '0.1825', escalate: true, holdOrders: true },
];

/**
 * How a run escalates an invoice that is further overdue than its next level:
 * - `step` (default): one level per run, so the customer always gets the earlier notices first —
 *   the way Microsoft Dynamics 365 Business Central reminders work (each issued reminder moves the
 *   entry to the next reminder level) and SAP dunning by default (an item is dunned one level above
 *   the last notice it had);
 * - `jump`: straight to the level the days overdue reach — the way Odoo follow-ups work (the
 *   follow-up action is the one matching the number of overdue days). Use it when going live with
 *   old overdue invoices: a 241-days-overdue invoice gets the final level on the first run, with
 *   that level's fee and interest only.
 */
export const DUNNING_ESCALATIONS = ['step', 'jump'] as const;
export type DunningEscalation = (typeof DUNNING_ESCALATIONS)[number];
export const DEFAULT_DUNNING_ESCALATION: DunningEscalation = 'step';

export const DunningLevelsQuery = z.object({ legalEntityId: z.string().min(1).max(100).optional() }).strict();

export const DunningLevelsUpdate = z
  .object({
    legalEntityId: z.string().min(1).max(100).optional(),
    levels: z.array(dunningLevelSchema).min(1).max(20),
    escalation: z.enum(DUNNING_ESCALATIONS).optional().describe("step (default): one level per run; jump: the level the days overdue reach; omitted: unchanged"),
    chargeTaxCode: z
      .string()
      .min(1)
      .max(40)
      .nullable()
      .optional()
      .describe("the legal entity's active tax code dunning charges (fee + interest) carry as VAT; null: none (the default, see MONEY.md); omitted: unchanged"),
  })
  .strict();

export const DunningLevelsDto = z.object({
  legalEntityId: z.string(),
  levels: z.array(dunningLevelSchema),
  escalation: z.enum(DUNNING_ESCALATIONS),
  chargeTaxCode: z.string().nullable().describe('the tax code charges carry; null: no VAT on charges (default)'),
});
export type DunningLevelsDto = z.infer<typeof DunningLevelsDto>;

function toLevel(r: DunningLevelTable): DunningLevel {
  const fees = JSON.parse(r.fees) as Record<string, string>;
  return {
    level: r.level,
    minDaysPastDue: r.minDaysPastDue,
    template: r.template,
    ...(Object.keys(fees).length ? { fees } : {}),
    ...(r.interestAnnualRate ? { interestAnnualRate: r.interestAnnualRate } : {}),
    ...(r.escalate ? { escalate: true } : {}),
    ...(r.holdOrders ? { holdOrders: true } : {}),
  };
}

function toRow(legalEntityId: string, l: DunningLevel, by: string | null): DunningLevelTable {
  return {
    id: newId('dlv'),
    legalEntityId,
    level: l.level,
    minDaysPastDue: l.minDaysPastDue,
    template: l.template,
    fees: JSON.stringify(l.fees ?? {}),
    interestAnnualRate: l.interestAnnualRate ?? null,
    escalate: l.escalate ? 1 : 0,
    holdOrders: l.holdOrders ? 1 : 0,
    updatedAt: nowIso(),
    updatedBy: by,
  };
}

/** The tax code dunning charges of the legal entity carry, or null (none: the default). */
export async function chargeTaxCodeOf(ctx: Pick<Ctx, 'db'>, legalEntityId: string): Promise<string | null> {
  const row = await ctx.db.selectFrom('dunningPolicies').select('chargeTaxCode').where('legalEntityId', '=', legalEntityId).executeTakeFirst();
  return row?.chargeTaxCode ?? null;
}

async function escalationOf(ctx: Ctx, legalEntityId: string): Promise<DunningEscalation> {
  const row = await ctx.db.selectFrom('dunningPolicies').select('escalation').where('legalEntityId', '=', legalEntityId).executeTakeFirst();
  return (DUNNING_ESCALATIONS as readonly string[]).includes(row?.escalation ?? '') ? (row!.escalation as DunningEscalation) : DEFAULT_DUNNING_ESCALATION;
}

/** The levels of a legal entity, seeding the defaults when it has none yet; `jump` escalation skips levels. */
export async function dunningConfigFor(ctx: Ctx, le: LegalEntityTable): Promise<DunningConfig> {
  const read = () => ctx.db.selectFrom('dunningLevels').selectAll().where('legalEntityId', '=', le.id).orderBy('level').execute();
  let rows = await read();
  if (!rows.length) {
    for (const l of DEFAULT_DUNNING_LEVELS)
      await ctx.db
        .insertInto('dunningLevels')
        .values(toRow(le.id, l, null))
        .onConflict((oc) => oc.columns(['legalEntityId', 'level']).doNothing())
        .execute();
    rows = await read();
  }
  const escalation = await escalationOf(ctx, le.id);
  return parseDunningConfig({ levels: rows.map(toLevel), ...(escalation === 'jump' ? { skipLevels: true } : {}) });
}

export async function getDunningLevels(ctx: Ctx, input: unknown = {}): Promise<DunningLevelsDto> {
  const q = DunningLevelsQuery.parse(input ?? {});
  assertCan(ctx.user, 'invoice', 'read');
  const le = await legalEntityFor(ctx.db, q.legalEntityId);
  const config = await dunningConfigFor(ctx, le);
  return { legalEntityId: le.id, levels: config.levels, escalation: config.skipLevels ? 'jump' : 'step', chargeTaxCode: await chargeTaxCodeOf(ctx, le.id) };
}

/**
 * Replaces a legal entity's levels (admin and finance: approve on invoices). Levels must increase
 * in number and in days past due; fees are whole minor units per currency; interest is an annual
 * decimal rate. The change is an event of the legal entity, before and after.
 */
export async function updateDunningLevels(ctx: Ctx, input: unknown): Promise<DunningLevelsDto> {
  assertCan(ctx.user, 'invoice', 'approve');
  const body = DunningLevelsUpdate.parse(input);
  const config = parseDunningConfig({ levels: body.levels });
  return inTx(ctx, async (tx) => {
    const le = await legalEntityFor(tx.db, body.legalEntityId);
    const before = await dunningConfigFor(tx, le);
    const escalationBefore = await escalationOf(tx, le.id);
    const escalation = body.escalation ?? escalationBefore;
    const taxBefore = await chargeTaxCodeOf(tx, le.id);
    const chargeTaxCode = body.chargeTaxCode !== undefined ? body.chargeTaxCode : taxBefore;
    if (chargeTaxCode && chargeTaxCode !== taxBefore) {
      const code = (await taxCodesOf(tx, le.id)).codes.find((c) => c.code === chargeTaxCode);
      if (!code) throw fieldError('chargeTaxCode', `tax code ${chargeTaxCode} does not exist in legal entity ${le.name}`, 'unknown_reference');
      if (!code.active) throw fieldError('chargeTaxCode', `tax code ${chargeTaxCode} is inactive; choose another`, 'inactive');
    }
    if (escalation !== escalationBefore || chargeTaxCode !== taxBefore)
      await tx.db
        .insertInto('dunningPolicies')
        .values({ legalEntityId: le.id, escalation, chargeTaxCode, updatedAt: nowIso(), updatedBy: tx.user.id })
        .onConflict((oc) => oc.column('legalEntityId').doUpdateSet({ escalation, chargeTaxCode, updatedAt: nowIso(), updatedBy: tx.user.id }))
        .execute();
    await tx.db.deleteFrom('dunningLevels').where('legalEntityId', '=', le.id).execute();
    await tx.db
      .insertInto('dunningLevels')
      .values(config.levels.map((l) => toRow(le.id, l, tx.user.id)))
      .execute();
    await recordEvent(tx, {
      entityType: 'legal_entity',
      entityId: le.id,
      action: 'dunning_levels_updated',
      before: { levels: before.levels, escalation: escalationBefore, chargeTaxCode: taxBefore },
      after: { levels: config.levels, escalation, chargeTaxCode },
    });
    return { legalEntityId: le.id, levels: config.levels, escalation, chargeTaxCode };
  });
}
