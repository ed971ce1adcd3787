import type { Db, PipelineStageTable } from '@openltc/db';
import { z } from 'zod';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso } from '../platform/clock.ts';
import { AppError, conflict, fieldError, notFound, validationError, versionConflict, type FieldError } from '../platform/errors.ts';
import { recordEvent } from '../platform/events.ts';
import { assertCan } from '../platform/permissions.ts';
import { id as idOf, text } from '../platform/schema.ts';
import { DEFAULT_STAGES } from './sales.machine.ts';

/**
 * Pipelines and their stages, configured by administrators: several pipelines (one default for new
 * opportunities), stages with an order, a default win probability, a kind (open / won / lost) and the
 * opportunity fields a deal needs before it may enter the stage (a stage gate).
 *
 * Invariants every change keeps: a pipeline has at least one active open stage, exactly one won and
 * exactly one lost stage (the win and lose actions move deals there); the default pipeline is active;
 * a stage that any opportunity is in is never deleted (deactivate it, or move its deals first).
 */

/** Opportunity fields a stage may require, with the test for "empty". */
export const STAGE_GATE_FIELDS = ['contactId', 'expectedCloseDate', 'amountMinor'] as const;
export type StageGateField = (typeof STAGE_GATE_FIELDS)[number];
export const STAGE_KINDS = ['open', 'won', 'lost'] as const;

/** The required fields of `stage` that `opp` leaves empty (a zero amount counts as empty). */
export function missingStageFields(requiredFields: readonly string[], opp: Record<string, unknown>): string[] {
  return requiredFields.filter((f) => {
    const v = opp[f];
    if (f === 'amountMinor') return !(typeof v === 'number' && v > 0);
    return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
  });
}

export interface StageDto {
  id: string;
  name: string;
  sortOrder: number;
  probability: number;
  kind: string;
  active: boolean;
  requiredFields: StageGateField[];
}
export interface PipelineDto {
  id: string;
  name: string;
  isDefault: boolean;
  active: boolean;
  version: number;
  stages: StageDto[];
}

export function parseRequiredFields(json: string | null | undefined): StageGateField[] {
  try {
    const v = JSON.parse(json ?? '[]');
    return Array.isArray(v) ? v.filter((f): f is StageGateField => (STAGE_GATE_FIELDS as readonly string[]).includes(f)) : [];
  } catch {
    return [];
  }
}

function stageDto(s: PipelineStageTable): StageDto {
  return {
    id: s.id,
    name: s.name,
    sortOrder: s.sortOrder,
    probability: s.probability,
    kind: s.kind,
    active: s.active !== 0,
    requiredFields: parseRequiredFields(s.requiredFields),
  };
}

// ---- schemas

const stageName = text(100).min(1, 'a name is required');
const probability = z.number().int().min(0).max(100);
const requiredFields = z.array(z.enum(STAGE_GATE_FIELDS)).max(STAGE_GATE_FIELDS.length);
export const StageCreate = z
  .object({
    name: stageName,
    probability,
    kind: z.enum(STAGE_KINDS).optional().describe('open (default), won or lost; a pipeline has exactly one won and one lost stage'),
    requiredFields: requiredFields.optional(),
    position: z.number().int().min(1).optional().describe('1-based place among the stages; default: after the last open stage'),
  })
  .strict();
export const StageUpdate = z
  .object({ name: stageName.optional(), probability: probability.optional(), requiredFields: requiredFields.optional(), active: z.boolean().optional() })
  .strict();
export const PipelineCreate = z
  .object({
    name: text(100).min(1, 'a name is required'),
    isDefault: z.boolean().optional(),
    stages: z
      .array(StageCreate.omit({ position: true }))
      .min(3)
      .max(30)
      .optional()
      .describe('default: the standard B2B stages'),
  })
  .strict();
export const PipelineUpdate = z
  .object({
    name: text(100).min(1, 'a name is required').optional(),
    isDefault: z.literal(true).optional().describe('make this the default pipeline (the previous default stops being one)'),
    active: z.boolean().optional(),
  })
  .strict();
export const StageOrder = z.object({ stageIds: z.array(idOf('stg')).min(1).max(30) }).strict();
export const StageDeleteQuery = z
  .object({ moveTo: idOf('stg').optional().describe('move the stage’s opportunities to this stage of the same pipeline first') })
  .strict();

// ---- reads

/** Creates the default pipeline if none exists (first start). */
export async function ensureDefaultPipeline(db: Db): Promise<string> {
  const existing = await db.selectFrom('pipelines').select('id').where('isDefault', '=', 1).executeTakeFirst();
  if (existing) return existing.id;
  const id = newId('pipe');
  await db.transaction().execute(async (trx) => {
    const now = nowIso();
    await trx.insertInto('pipelines').values({ id, name: 'Standard B2B 标准销售流程', isDefault: 1, createdAt: now, active: 1, version: 1, updatedAt: now }).execute();
    await trx
      .insertInto('pipelineStages')
      .values(DEFAULT_STAGES.map((s, i) => ({ id: newId('stg'), pipelineId: id, name: s.name, sortOrder: i + 1, probability: s.probability, kind: s.kind, active: 1, requiredFields: '[]' })))
      .execute();
  });
  return id;
}

/** Every pipeline with its stages in order (inactive ones included, flagged), the default first. */
export async function listPipelines(db: Db): Promise<PipelineDto[]> {
  const pipes = await db.selectFrom('pipelines').selectAll().orderBy('isDefault', 'desc').orderBy('createdAt').orderBy('id').execute();
  const stages = await db.selectFrom('pipelineStages').selectAll().orderBy('sortOrder').orderBy('id').execute();
  return pipes.map((p) => ({
    id: p.id,
    name: p.name,
    isDefault: !!p.isDefault,
    active: p.active !== 0,
    version: p.version,
    stages: stages.filter((s) => s.pipelineId === p.id).map(stageDto),
  }));
}

async function loadPipeline(db: Db, id: string): Promise<PipelineDto> {
  const p = (await listPipelines(db)).find((x) => x.id === id);
  if (!p) throw notFound('pipeline', id);
  return p;
}

/** A pipeline with, per stage, how many opportunities (any status) are in it — for the settings page. */
export async function getPipeline(ctx: Ctx, id: string) {
  assertCan(ctx.user, 'settings', 'read');
  const p = await loadPipeline(ctx.db, id);
  const counts = await ctx.db
    .selectFrom('opportunities')
    .select(['stageId', (eb) => eb.fn.countAll().as('n')])
    .where('pipelineId', '=', id)
    .groupBy('stageId')
    .execute();
  const byStage = new Map(counts.map((c) => [c.stageId, Number(c.n)]));
  return { ...p, stages: p.stages.map((s) => ({ ...s, opportunityCount: byStage.get(s.id) ?? 0 })) };
}

// ---- writes

function checkShape(stages: Array<{ kind: string; active: boolean }>, path = 'stages'): void {
  const errors: FieldError[] = [];
  if (!stages.some((s) => s.kind === 'open' && s.active)) errors.push({ path, message: 'a pipeline needs at least one active open stage', code: 'no_open_stage' });
  for (const kind of ['won', 'lost'] as const) {
    const n = stages.filter((s) => s.kind === kind).length;
    if (n !== 1) errors.push({ path, message: `a pipeline needs exactly one ${kind} stage (has ${n})`, code: `one_${kind}_stage` });
  }
  if (errors.length) throw validationError(errors, errors.map((e) => e.message).join('; '));
}

/** Locks the pipeline row (version check + bump) and records an event on it. */
async function touch(tx: Ctx, before: PipelineDto, expectedVersion: number | undefined, action: string, detail: { before?: Record<string, unknown> | null; after?: Record<string, unknown> | null }, patch: Record<string, unknown> = {}) {
  if (expectedVersion !== undefined && expectedVersion !== before.version) throw versionConflict('pipeline', before.id, before.version);
  const r = await tx.db
    .updateTable('pipelines')
    .set({ ...patch, version: before.version + 1, updatedAt: nowIso() })
    .where('id', '=', before.id)
    .where('version', '=', before.version)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) {
    const now = await tx.db.selectFrom('pipelines').select('version').where('id', '=', before.id).executeTakeFirstOrThrow();
    throw versionConflict('pipeline', before.id, now.version);
  }
  await recordEvent(tx, { entityType: 'pipeline', entityId: before.id, action, before: detail.before ?? null, after: detail.after ?? null });
}

async function renumber(tx: Ctx, ids: string[]): Promise<void> {
  for (const [i, id] of ids.entries()) await tx.db.updateTable('pipelineStages').set({ sortOrder: i + 1 }).where('id', '=', id).execute();
}

export async function createPipeline(ctx: Ctx, input: z.input<typeof PipelineCreate>): Promise<PipelineDto> {
  const data = PipelineCreate.parse(input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'settings', 'write');
    const stages = (data.stages ?? DEFAULT_STAGES.map((s) => ({ ...s, requiredFields: [] as StageGateField[] }))).map((s) => ({
      ...s,
      kind: s.kind ?? 'open',
      requiredFields: s.requiredFields ?? [],
      active: true,
    }));
    checkShape(stages);
    const id = newId('pipe');
    const now = nowIso();
    if (data.isDefault) await tx.db.updateTable('pipelines').set({ isDefault: 0 }).where('isDefault', '=', 1).execute();
    await tx.db.insertInto('pipelines').values({ id, name: data.name, isDefault: data.isDefault ? 1 : 0, createdAt: now, active: 1, version: 1, updatedAt: now }).execute();
    await tx.db
      .insertInto('pipelineStages')
      .values(
        stages.map((s, i) => ({
          id: newId('stg'),
          pipelineId: id,
          name: s.name,
          sortOrder: i + 1,
          probability: s.probability,
          kind: s.kind,
          active: 1,
          requiredFields: JSON.stringify([...new Set(s.requiredFields)]),
        })),
      )
      .execute();
    const dto = await loadPipeline(tx.db, id);
    await recordEvent(tx, { entityType: 'pipeline', entityId: id, action: 'created', after: { name: dto.name, isDefault: dto.isDefault, stages: dto.stages.map((s) => s.name) } });
    return dto;
  });
}

export async function updatePipeline(ctx: Ctx, id: string, input: z.input<typeof PipelineUpdate>, expectedVersion?: number): Promise<PipelineDto> {
  const data = PipelineUpdate.parse(input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'settings', 'write');
    const before = await loadPipeline(tx.db, id);
    const patch: Record<string, unknown> = {};
    const b: Record<string, unknown> = {};
    const a: Record<string, unknown> = {};
    if (data.name !== undefined && data.name !== before.name) {
      patch.name = data.name;
      b.name = before.name;
      a.name = data.name;
    }
    const active = data.active ?? before.active;
    if (data.isDefault && !before.isDefault) {
      if (!active) throw conflict('pipeline_inactive', 'an inactive pipeline cannot be the default; activate it too');
      await tx.db.updateTable('pipelines').set({ isDefault: 0 }).where('isDefault', '=', 1).execute();
      patch.isDefault = 1;
      b.isDefault = false;
      a.isDefault = true;
    }
    if (data.active !== undefined && data.active !== before.active) {
      if (!data.active && before.isDefault && !data.isDefault)
        throw conflict('pipeline_is_default', 'the default pipeline cannot be deactivated; make another pipeline the default first');
      patch.active = data.active ? 1 : 0;
      b.active = before.active;
      a.active = data.active;
    }
    if (!Object.keys(patch).length) {
      if (expectedVersion !== undefined && expectedVersion !== before.version) throw versionConflict('pipeline', id, before.version);
      return before;
    }
    await touch(tx, before, expectedVersion, 'updated', { before: b, after: a }, patch);
    return loadPipeline(tx.db, id);
  });
}

export async function addStage(ctx: Ctx, pipelineId: string, input: z.input<typeof StageCreate>, expectedVersion?: number): Promise<PipelineDto> {
  const data = StageCreate.parse(input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'settings', 'write');
    const before = await loadPipeline(tx.db, pipelineId);
    const kind = data.kind ?? 'open';
    if (kind !== 'open' && before.stages.some((s) => s.kind === kind))
      throw conflict('stage_kind_taken', `the pipeline already has its ${kind} stage; a pipeline has exactly one`);
    const order = before.stages.map((s) => s.id);
    const lastOpen = before.stages.map((s) => s.kind).lastIndexOf('open');
    const at = data.position !== undefined ? Math.min(data.position - 1, order.length) : kind === 'open' ? lastOpen + 1 : order.length;
    const stageId = newId('stg');
    await tx.db
      .insertInto('pipelineStages')
      .values({ id: stageId, pipelineId, name: data.name, sortOrder: at + 1, probability: data.probability, kind, active: 1, requiredFields: JSON.stringify([...new Set(data.requiredFields ?? [])]) })
      .execute();
    order.splice(at, 0, stageId);
    await renumber(tx, order);
    await touch(tx, before, expectedVersion, 'stage_added', { after: { stageId, name: data.name, kind, probability: data.probability, requiredFields: data.requiredFields ?? [], position: at + 1 } });
    return loadPipeline(tx.db, pipelineId);
  });
}

function stageIn(p: PipelineDto, stageId: string): StageDto {
  const s = p.stages.find((x) => x.id === stageId);
  if (!s) throw notFound('stage', stageId);
  return s;
}

export async function updateStage(ctx: Ctx, pipelineId: string, stageId: string, input: z.input<typeof StageUpdate>, expectedVersion?: number): Promise<PipelineDto> {
  const data = StageUpdate.parse(input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'settings', 'write');
    const before = await loadPipeline(tx.db, pipelineId);
    const stage = stageIn(before, stageId);
    const patch: Partial<PipelineStageTable> = {};
    const b: Record<string, unknown> = {};
    const a: Record<string, unknown> = {};
    if (data.name !== undefined && data.name !== stage.name) {
      patch.name = data.name;
      b.name = stage.name;
      a.name = data.name;
    }
    if (data.probability !== undefined && data.probability !== stage.probability) {
      patch.probability = data.probability;
      b.probability = stage.probability;
      a.probability = data.probability;
    }
    if (data.requiredFields !== undefined) {
      const next = [...new Set(data.requiredFields)];
      if (next.join() !== stage.requiredFields.join()) {
        patch.requiredFields = JSON.stringify(next);
        b.requiredFields = stage.requiredFields;
        a.requiredFields = next;
      }
    }
    if (data.active !== undefined && data.active !== stage.active) {
      if (!data.active && stage.kind !== 'open')
        throw conflict('stage_required', `the ${stage.kind} stage cannot be deactivated: the ${stage.kind === 'won' ? 'win' : 'lose'} action moves deals there`);
      if (!data.active) checkShape(before.stages.map((s) => ({ kind: s.kind, active: s.id === stageId ? false : s.active })), 'active');
      patch.active = data.active ? 1 : 0;
      b.active = stage.active;
      a.active = data.active;
    }
    if (!Object.keys(patch).length) {
      if (expectedVersion !== undefined && expectedVersion !== before.version) throw versionConflict('pipeline', pipelineId, before.version);
      return before;
    }
    await tx.db.updateTable('pipelineStages').set(patch).where('id', '=', stageId).execute();
    await touch(tx, before, expectedVersion, 'stage_updated', { before: { stageId, ...b }, after: { stageId, ...a } });
    return loadPipeline(tx.db, pipelineId);
  });
}

/** Puts the stages in the given order: every stage of the pipeline, each once. */
export async function reorderStages(ctx: Ctx, pipelineId: string, input: z.input<typeof StageOrder>, expectedVersion?: number): Promise<PipelineDto> {
  const data = StageOrder.parse(input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'settings', 'write');
    const before = await loadPipeline(tx.db, pipelineId);
    const have = before.stages.map((s) => s.id);
    if (data.stageIds.length !== have.length || new Set(data.stageIds).size !== have.length || !data.stageIds.every((s) => have.includes(s)))
      throw fieldError('stageIds', `list every stage of the pipeline exactly once (${have.length} stages)`, 'not_a_permutation');
    await renumber(tx, data.stageIds);
    await touch(tx, before, expectedVersion, 'stages_reordered', { before: { stages: before.stages.map((s) => s.name) }, after: { stages: data.stageIds.map((i) => stageIn(before, i).name) } });
    return loadPipeline(tx.db, pipelineId);
  });
}

/**
 * Deletes a stage nobody is in. With `moveTo`, the stage's opportunities first move to that stage
 * of the same pipeline (each with its own event); without it, a stage in use answers 409
 * `stage_in_use` — deactivate it instead, which keeps its deals where they are.
 */
export async function deleteStage(ctx: Ctx, pipelineId: string, stageId: string, opts: z.input<typeof StageDeleteQuery> = {}, expectedVersion?: number): Promise<PipelineDto> {
  const { moveTo } = StageDeleteQuery.parse(opts);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'settings', 'write');
    const before = await loadPipeline(tx.db, pipelineId);
    const stage = stageIn(before, stageId);
    if (stage.kind !== 'open') throw conflict('stage_required', `the ${stage.kind} stage cannot be deleted: a pipeline keeps exactly one`);
    checkShape(before.stages.filter((s) => s.id !== stageId));
    const inStage = await tx.db.selectFrom('opportunities').select(['id', 'version', 'stageId']).where('stageId', '=', stageId).orderBy('id').execute();
    let moved = 0;
    if (inStage.length) {
      if (!moveTo)
        throw conflict('stage_in_use', `${inStage.length} opportunities are in stage “${stage.name}”: deactivate the stage, or move them to another stage first (moveTo)`, {
          opportunityCount: inStage.length,
        });
      if (moveTo === stageId) throw fieldError('moveTo', 'move the opportunities to another stage');
      const target = before.stages.find((s) => s.id === moveTo);
      if (!target) throw fieldError('moveTo', `stage ${moveTo} is not a stage of this pipeline`, 'unknown_reference');
      if (target.kind !== 'open' || !target.active) throw fieldError('moveTo', 'move the opportunities to an active open stage');
      const now = nowIso();
      for (const o of inStage) {
        await tx.db.updateTable('opportunities').set({ stageId: target.id, version: o.version + 1, updatedAt: now }).where('id', '=', o.id).execute();
        await recordEvent(tx, { entityType: 'opportunity', entityId: o.id, action: 'stage_moved', before: { stageId }, after: { stageId: target.id, reason: `stage “${stage.name}” deleted` } });
      }
      moved = inStage.length;
    }
    await tx.db.deleteFrom('pipelineStages').where('id', '=', stageId).execute();
    await renumber(tx, before.stages.filter((s) => s.id !== stageId).map((s) => s.id));
    await touch(tx, before, expectedVersion, 'stage_deleted', { before: { stageId, name: stage.name }, after: { moved, moveTo: moveTo ?? null } });
    return loadPipeline(tx.db, pipelineId);
  });
}

/** For the opportunity use cases: the stage gate, as one 422 naming every missing field. */
export function assertStageGate(stage: Pick<PipelineStageTable, 'name' | 'requiredFields'>, opp: Record<string, unknown>): void {
  const missing = missingStageFields(parseRequiredFields(stage.requiredFields), opp);
  if (!missing.length) return;
  throw new AppError(422, 'stage_requirements', 'Stage requirements not met', `stage “${stage.name}” requires ${missing.join(', ')}`, {
    fields: missing.map((f) => ({ path: f, message: `required to enter stage “${stage.name}”`, code: 'required_by_stage' })),
    missingFields: missing,
  });
}
