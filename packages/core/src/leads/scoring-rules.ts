import type { LeadScoringRuleTable, LeadTable } from '@openltc/db';
import { z } from 'zod';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso } from '../platform/clock.ts';
import { fieldError, notFound, versionConflict } from '../platform/errors.ts';
import { assertCan } from '../platform/permissions.ts';
import { diff, recordEvent } from '../platform/events.ts';
import { text } from '../platform/schema.ts';
import {
  checkRuleValue,
  scoreLead,
  scoringField,
  SCORING_OPERATORS,
  type ScoreResult,
  type ScoringRule,
  type ScorableLead,
} from './scoring.ts';

/**
 * The scoring rules an administrator keeps (Settings → Lead scoring) and what applies them: every
 * lead written (create, edit, import) gets its score and reasons from the active rules. Anyone who
 * may read leads may read the rules (the reasons on a lead must be explainable); only an
 * administrator (settings: write) changes them. Each change is an event of `lead_scoring_rule`.
 */
const ruleValue = z.union([z.string().max(200), z.number(), z.array(z.string().max(200)).max(100), z.null()]);

const ruleFields = {
  name: text(100).min(1, 'a name is required'),
  field: scoringField,
  operator: z.enum(SCORING_OPERATORS),
  value: ruleValue.default(null),
  points: z.number().int().min(-100).max(100),
  active: z.boolean().default(true),
  position: z.number().int().min(0).max(10_000).optional(),
};
export const ScoringRuleCreate = z.object(ruleFields).strict();
export const ScoringRuleUpdate = z
  .object({
    name: ruleFields.name.optional(),
    field: ruleFields.field.optional(),
    operator: ruleFields.operator.optional(),
    value: ruleValue.optional(),
    points: ruleFields.points.optional(),
    active: z.boolean().optional(),
    position: ruleFields.position,
  })
  .strict();
export const ScoringPreview = z.object({ lead: z.record(z.string(), z.unknown()) }).strict();

export const ScoringRuleDto = z.object({
  id: z.string(),
  name: z.string(),
  field: z.string(),
  operator: z.enum(SCORING_OPERATORS),
  value: ruleValue,
  points: z.number().int(),
  active: z.boolean(),
  position: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type ScoringRuleDto = z.infer<typeof ScoringRuleDto>;

export const ScoreReasonDto = z.object({ ruleId: z.string(), name: z.string(), points: z.number().int() });

const ENTITY = 'lead_scoring_rule';

function ruleDto(r: LeadScoringRuleTable): ScoringRuleDto {
  return {
    id: r.id,
    name: r.name,
    field: r.field,
    operator: r.operator as ScoringRuleDto['operator'],
    value: JSON.parse(r.value),
    points: r.points,
    active: !!r.active,
    position: r.position,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    version: r.version,
  };
}

function check(operator: ScoringRuleDto['operator'], value: ScoringRuleDto['value']) {
  const problem = checkRuleValue(operator, value);
  if (problem) throw fieldError('value', `operator ${operator} needs ${problem}`);
}

async function rows(ctx: Ctx): Promise<LeadScoringRuleTable[]> {
  return ctx.db.selectFrom('leadScoringRules').selectAll().orderBy('position').orderBy('id').execute();
}

export async function listScoringRules(ctx: Ctx): Promise<{ items: ScoringRuleDto[] }> {
  assertCan(ctx.user, 'lead', 'read');
  return { items: (await rows(ctx)).map(ruleDto) };
}

/** The active rules in evaluation order, for the evaluator (one query per transaction or import). */
export async function activeScoringRules(ctx: Ctx): Promise<ScoringRule[]> {
  return (await rows(ctx)).filter((r) => r.active).map((r) => ({ ...ruleDto(r), active: true }));
}

export async function createScoringRule(
  ctx: Ctx,
  input: z.input<typeof ScoringRuleCreate>,
): Promise<ScoringRuleDto> {
  const data = ScoringRuleCreate.parse(input);
  check(data.operator, data.value);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'settings', 'write');
    const now = nowIso();
    const last = await tx.db
      .selectFrom('leadScoringRules')
      .select((eb) => eb.fn.max('position').as('p'))
      .executeTakeFirst();
    const row: LeadScoringRuleTable = {
      id: newId('lsr'),
      name: data.name,
      field: data.field,
      operator: data.operator,
      value: JSON.stringify(data.value),
      points: data.points,
      active: data.active ? 1 : 0,
      position: data.position ?? Number(last?.p ?? -1) + 1,
      createdAt: now,
      updatedAt: now,
      createdBy: tx.user.id,
      version: 1,
    };
    await tx.db.insertInto('leadScoringRules').values(row).execute();
    const dto = ruleDto(row);
    await recordEvent(tx, { entityType: ENTITY, entityId: row.id, action: 'created', after: dto });
    return dto;
  });
}

async function loadRule(ctx: Ctx, id: string): Promise<LeadScoringRuleTable> {
  const r = await ctx.db.selectFrom('leadScoringRules').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound(ENTITY, id);
  return r;
}

export async function updateScoringRule(
  ctx: Ctx,
  id: string,
  input: unknown,
  expectedVersion?: number,
): Promise<ScoringRuleDto> {
  const data = ScoringRuleUpdate.parse(input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'settings', 'write');
    const before = await loadRule(tx, id);
    if (expectedVersion !== undefined && expectedVersion !== before.version)
      throw versionConflict(ENTITY, id, before.version);
    const b = ruleDto(before);
    const next: ScoringRuleDto = {
      ...b,
      ...Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)),
    };
    check(next.operator, next.value);
    const now = nowIso();
    const res = await tx.db
      .updateTable('leadScoringRules')
      .set({
        name: next.name,
        field: next.field,
        operator: next.operator,
        value: JSON.stringify(next.value),
        points: next.points,
        active: next.active ? 1 : 0,
        position: next.position,
        updatedAt: now,
        version: before.version + 1,
      })
      .where('id', '=', id)
      .where('version', '=', before.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw versionConflict(ENTITY, id, before.version + 1);
    const after = { ...next, updatedAt: now, version: before.version + 1 };
    const d = diff(b, after);
    if (d)
      await recordEvent(tx, {
        entityType: ENTITY,
        entityId: id,
        action: 'updated',
        before: d.before,
        after: d.after,
      });
    return after;
  });
}

export async function deleteScoringRule(
  ctx: Ctx,
  id: string,
  expectedVersion?: number,
): Promise<{ id: string; deleted: true }> {
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'settings', 'write');
    const before = await loadRule(tx, id);
    if (expectedVersion !== undefined && expectedVersion !== before.version)
      throw versionConflict(ENTITY, id, before.version);
    await tx.db.deleteFrom('leadScoringRules').where('id', '=', id).execute();
    await recordEvent(tx, { entityType: ENTITY, entityId: id, action: 'deleted', before: ruleDto(before) });
    return { id, deleted: true };
  });
}

/** What a lead would score under the current rules (the rule editor's "try it"). */
export async function previewScore(ctx: Ctx, input: unknown): Promise<ScoreResult> {
  assertCan(ctx.user, 'lead', 'read');
  const { lead } = ScoringPreview.parse(input);
  return scoreLead(await activeScoringRules(ctx), lead as ScorableLead);
}

/** The lead fields a score is computed from, as stored (custom fields parsed). */
export function scorableOf(l: Pick<LeadTable, 'customFields'> & Record<string, unknown>): ScorableLead {
  return {
    ...l,
    customFields:
      typeof l.customFields === 'string' ? JSON.parse(l.customFields || '{}') : (l.customFields as any),
  };
}

/**
 * Recomputes the score of every lead not yet converted after the rules changed, a page at a time;
 * each changed lead gets a `rescored` event with the old and new score. Administrators only.
 */
export async function recomputeScores(ctx: Ctx): Promise<{ checked: number; changed: number }> {
  assertCan(ctx.user, 'settings', 'write');
  const rules = await activeScoringRules(ctx);
  let after = '';
  let checked = 0;
  let changed = 0;
  for (;;) {
    const page = await ctx.db
      .selectFrom('leads')
      .selectAll()
      .where('id', '>', after)
      .where('status', '!=', 'converted')
      .orderBy('id')
      .limit(1000)
      .execute();
    if (!page.length) break;
    after = page[page.length - 1]!.id;
    checked += page.length;
    await inTx(ctx, async (tx) => {
      for (const l of page) {
        const s = scoreLead(rules, scorableOf(l));
        const reasons = JSON.stringify(s.reasons);
        if (s.score === l.score && reasons === l.scoreReasons) continue;
        const r = await tx.db
          .updateTable('leads')
          .set({ score: s.score, scoreReasons: reasons, version: l.version + 1, updatedAt: nowIso() })
          .where('id', '=', l.id)
          .where('version', '=', l.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) continue; // edited meanwhile: that edit scored it already
        await recordEvent(tx, {
          entityType: 'lead',
          entityId: l.id,
          action: 'rescored',
          before: { score: l.score, scoreReasons: JSON.parse(l.scoreReasons) },
          after: { score: s.score, scoreReasons: s.reasons },
        });
        changed++;
      }
    });
  }
  return { checked, changed };
}
