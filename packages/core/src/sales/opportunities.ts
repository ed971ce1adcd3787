import type { OpportunityTable } from '@openltc/db';
import { z } from 'zod';
import { noInput } from '../platform/validation.ts';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso } from '../platform/clock.ts';
import { conflict, fieldError } from '../platform/errors.ts';
import { allowedActions, transition } from '../platform/machine.ts';
import { assertCan } from '../platform/permissions.ts';
import { resolveOwner } from '../platform/ownership.ts';
import { insertRecord, listVisible, loadVisible, requireRef, updateRecord, type ListQuery } from '../platform/records.ts';
import { OpportunityCreate, OpportunityLose, OpportunityUpdate } from './sales.schema.ts';
import { opportunityMachine, type OpportunityAction, type OpportunityState } from './sales.machine.ts';
import { accountDef, contactDef, opportunityDef } from './defs.ts';
import { assertStageGate } from './pipelines.ts';

export function opportunityDto(o: OpportunityTable) {
  return {
    ...o,
    weightedAmountMinor: Math.round((o.amountMinor * o.probability) / 100),
    allowedActions: allowedActions(opportunityMachine, o.status as OpportunityState),
  };
}

async function stageOf(ctx: Ctx, pipelineId: string, stageId: string | undefined, field = 'stageId') {
  const stages = await ctx.db
    .selectFrom('pipelineStages')
    .selectAll()
    .where('pipelineId', '=', pipelineId)
    .orderBy('sortOrder')
    .execute();
  if (!stages.length) throw fieldError('pipelineId', `pipeline ${pipelineId} does not exist`, 'unknown_reference');
  if (!stageId) return stages.find((s) => s.kind === 'open' && s.active !== 0) ?? stages[0]!;
  const s = stages.find((x) => x.id === stageId);
  if (!s) throw fieldError(field, `stage ${stageId} is not a stage of pipeline ${pipelineId}`, 'unknown_reference');
  if (s.active === 0) throw fieldError(field, `stage “${s.name}” is no longer in use`, 'stage_inactive');
  return s;
}

async function defaultPipelineId(ctx: Ctx): Promise<string> {
  const p = await ctx.db.selectFrom('pipelines').select('id').where('active', '=', 1).orderBy('isDefault', 'desc').orderBy('createdAt').executeTakeFirst();
  if (!p) throw fieldError('pipelineId', 'no pipeline is configured');
  return p.id;
}

export async function createOpportunity(ctx: Ctx, input: z.input<typeof OpportunityCreate>, leadId: string | null = null) {
  const data = OpportunityCreate.parse(input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'opportunity', 'write');
    const account = await requireRef(tx, accountDef, data.accountId, 'accountId');
    if (data.contactId) {
      const c = await requireRef(tx, contactDef, data.contactId, 'contactId');
      if (c.accountId !== account.id) throw fieldError('contactId', 'the contact belongs to another account');
    }
    const pipelineId = data.pipelineId ?? (await defaultPipelineId(tx));
    if (data.pipelineId) {
      const p = await tx.db.selectFrom('pipelines').select('active').where('id', '=', data.pipelineId).executeTakeFirst();
      if (p && p.active === 0) throw fieldError('pipelineId', `pipeline ${data.pipelineId} is no longer in use`, 'pipeline_inactive');
    }
    const stage = await stageOf(tx, pipelineId, data.stageId);
    if (stage.kind !== 'open') throw fieldError('stageId', 'a new opportunity starts in an open stage; win or lose it afterwards');
    const own = data.ownerId
      ? await resolveOwner(tx, 'opportunity', data.ownerId)
      : tx.user.via === 'system'
        ? { ownerId: account.ownerId, teamId: account.teamId }
        : await resolveOwner(tx, 'opportunity', null);
    const now = nowIso();
    const row: OpportunityTable = {
      id: newId('opp'),
      name: data.name,
      accountId: account.id,
      contactId: data.contactId ?? null,
      leadId,
      pipelineId,
      stageId: stage.id,
      status: 'open',
      amountMinor: data.amountMinor,
      currency: data.currency ?? account.currency,
      probability: data.probability ?? stage.probability,
      expectedCloseDate: data.expectedCloseDate ?? null,
      lostReason: null,
      closedAt: null,
      ...own,
      createdAt: now,
      updatedAt: now,
      createdBy: ctx.user.id,
      version: 1,
    };
    assertStageGate(stage, row as unknown as Record<string, unknown>);
    return opportunityDto(await insertRecord(tx, opportunityDef, row));
  });
}

export async function getOpportunity(ctx: Ctx, id: string) {
  return opportunityDto(await loadVisible(ctx, opportunityDef, id));
}

export async function listOpportunities(ctx: Ctx, q: ListQuery) {
  const page = await listVisible(ctx, opportunityDef, q);
  return { ...page, items: page.items.map(opportunityDto) };
}

/** Edits fields; moving to another stage takes the stage's default probability unless one is given. */
export async function updateOpportunity(ctx: Ctx, id: string, input: unknown, expectedVersion?: number) {
  const data = OpportunityUpdate.parse(input);
  return inTx(ctx, async (tx) => {
    const before = await loadVisible(tx, opportunityDef, id, 'write');
    if (before.status !== 'open' && Object.keys(data).length)
      throw conflict('record_closed', `a ${before.status} opportunity cannot be edited; reopen it first`, {
        allowedActions: allowedActions(opportunityMachine, before.status as OpportunityState),
      });
    const patch: Partial<OpportunityTable> = {};
    let gate: Awaited<ReturnType<typeof stageOf>> | null = null;
    for (const [k, v] of Object.entries(data)) {
      if (k === 'ownerId') Object.assign(patch, await resolveOwner(tx, 'opportunity', v as string | null));
      else if (k === 'stageId') {
        const st = await stageOf(tx, before.pipelineId, v as string);
        if (st.kind !== 'open') throw fieldError('stageId', 'use the win or lose action to close an opportunity');
        if (st.id !== before.stageId) gate = st;
        patch.stageId = st.id;
        if (data.probability === undefined) patch.probability = st.probability;
      } else if (k === 'contactId' && v) {
        const c = await requireRef(tx, contactDef, v as string, 'contactId');
        if (c.accountId !== before.accountId) throw fieldError('contactId', 'the contact belongs to another account');
        patch.contactId = c.id;
      } else (patch as any)[k] = v;
    }
    // The stage gate: entering a stage needs its required fields, filled before or in this edit.
    if (gate) assertStageGate(gate, { ...before, ...patch });
    return opportunityDto(await updateRecord(tx, opportunityDef, before, patch, { expectedVersion }));
  });
}

/** win / lose (with reason) / reopen; closing moves the deal to the pipeline's won or lost stage. */
export async function transitionOpportunity(ctx: Ctx, id: string, action: OpportunityAction, input: unknown = {}) {
  return inTx(ctx, async (tx) => {
    const before = await loadVisible(tx, opportunityDef, id, 'write');
    const to = transition(opportunityMachine, before.status as OpportunityState, action);
    const patch: Partial<OpportunityTable> = { status: to };
    const stages = await tx.db.selectFrom('pipelineStages').selectAll().where('pipelineId', '=', before.pipelineId).orderBy('sortOrder').execute();
    if (action === 'lose') {
      patch.lostReason = OpportunityLose.parse(input).reason;
      const s = stages.find((x) => x.kind === 'lost');
      if (s) {
        patch.stageId = s.id;
        assertStageGate(s, { ...before, ...patch });
      }
      patch.probability = 0;
      patch.closedAt = nowIso();
    } else if (action === 'win') {
      noInput(input);
      const s = stages.find((x) => x.kind === 'won');
      if (s) {
        patch.stageId = s.id;
        assertStageGate(s, { ...before, ...patch });
      }
      patch.probability = 100;
      patch.closedAt = nowIso();
    } else {
      const s = stages.filter((x) => x.kind === 'open' && x.active !== 0).at(-1);
      if (s) {
        patch.stageId = s.id;
        patch.probability = s.probability;
      }
      patch.closedAt = null;
      patch.lostReason = null;
    }
    return opportunityDto(await updateRecord(tx, opportunityDef, before, patch, { action }));
  });
}
