import type { LeadTable } from '@openltc/db';
import { z } from 'zod';
import { noInput, validated } from '../platform/validation.ts';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso } from '../platform/clock.ts';
import { conflict, fieldError } from '../platform/errors.ts';
import { allowedActions, transition } from '../platform/machine.ts';
import { assertCan } from '../platform/permissions.ts';
import { resolveOwner } from '../platform/ownership.ts';
import { insertRecord, listVisible, loadVisible, requireRef, updateRecord, type ListQuery } from '../platform/records.ts';
import { createAccount, createContact } from '../sales/accounts.ts';
import { createOpportunity } from '../sales/opportunities.ts';
import { accountDef } from '../sales/defs.ts';
import { LeadConvert, LeadCreate, LeadDisqualify, LeadUpdate, type LeadDto } from './lead.schema.ts';
import { leadMachine, type LeadAction, type LeadState } from './lead.machine.ts';
import { leadDef } from './defs.ts';
import { notifyLeadAssigned } from '../notifications/lead-assigned.ts';
import { activeScoringRules, scorableOf } from './scoring-rules.ts';
import { scoreLead } from './scoring.ts';

export function leadDto(l: LeadTable): LeadDto {
  return {
    ...l,
    status: l.status as LeadState,
    customFields: JSON.parse(l.customFields || '{}'),
    scoreReasons: JSON.parse(l.scoreReasons || '[]'),
    importBatchId: l.importBatchId ?? null,
    importRowNo: l.importRowNo ?? null,
    allowedActions: allowedActions(leadMachine, l.status as LeadState),
  };
}

export async function createLead(ctx: Ctx, input: z.input<typeof LeadCreate>): Promise<LeadDto> {
  const data = validated(LeadCreate, input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'lead', 'write');
    const own = await resolveOwner(tx, 'lead', data.ownerId);
    const now = nowIso();
    const row: LeadTable = {
      id: newId('lead'),
      name: data.name,
      company: data.company ?? null,
      title: data.title ?? null,
      email: data.email?.toLowerCase() ?? null,
      phone: data.phone ?? null,
      region: data.region ?? null,
      industry: data.industry ?? null,
      source: data.source ?? null,
      campaign: data.campaign ?? null,
      status: 'new',
      disqualifyReason: null,
      score: data.score ?? 0,
      scoreReasons: '[]',
      importBatchId: null,
      importRowNo: null,
      notes: data.notes ?? null,
      customFields: JSON.stringify(data.customFields ?? {}),
      convertedAccountId: null,
      convertedContactId: null,
      convertedOpportunityId: null,
      convertedAt: null,
      ...own,
      createdAt: now,
      updatedAt: now,
      createdBy: ctx.user.id,
      version: 1,
    };
    await applyScore(tx, row, data.score !== undefined);
    const lead = leadDto(await insertRecord(tx, leadDef, row));
    await notifyLeadAssigned(tx, lead, null);
    return lead;
  });
}

/**
 * Scores a lead row from the active rules (sets score and scoreReasons; true), or leaves the score
 * typed by hand when no rule is active (false). A typed score while rules are active is refused:
 * the rules own it, and a silently ignored value would mislead.
 */
async function applyScore(ctx: Ctx, row: LeadTable, scoreTyped: boolean): Promise<boolean> {
  const rules = await activeScoringRules(ctx);
  if (!rules.length) return false;
  if (scoreTyped) throw fieldError('score', 'the score is computed by the lead scoring rules; leave it out', 'score_computed');
  const s = scoreLead(rules, scorableOf(row as unknown as LeadTable & Record<string, unknown>));
  row.score = s.score;
  row.scoreReasons = JSON.stringify(s.reasons);
  return true;
}

export async function getLead(ctx: Ctx, id: string): Promise<LeadDto> {
  return leadDto(await loadVisible(ctx, leadDef, id));
}

export async function listLeads(ctx: Ctx, q: ListQuery) {
  const page = await listVisible(ctx, leadDef, q);
  return { ...page, items: page.items.map(leadDto) };
}

export async function updateLead(ctx: Ctx, id: string, input: unknown, expectedVersion?: number): Promise<LeadDto> {
  const data = LeadUpdate.parse(input);
  return inTx(ctx, async (tx) => {
    const before = await loadVisible(tx, leadDef, id, 'write');
    if (before.status === 'converted')
      throw conflict('record_closed', 'a converted lead cannot be edited; edit the account, contact or opportunity');
    const patch: Partial<LeadTable> = {};
    for (const [k, v] of Object.entries(data)) {
      if (k === 'ownerId') Object.assign(patch, await resolveOwner(tx, 'lead', v as string | null));
      else if (k === 'customFields') patch.customFields = JSON.stringify(v ?? {});
      else if (k === 'email') patch.email = (v as string | null)?.toLowerCase() ?? null;
      else (patch as any)[k] = v;
    }
    const next = { ...before, ...patch };
    if (await applyScore(tx, next, data.score !== undefined)) {
      patch.score = next.score;
      patch.scoreReasons = next.scoreReasons;
    }
    const lead = leadDto(await updateRecord(tx, leadDef, before, patch, { expectedVersion }));
    await notifyLeadAssigned(tx, lead, before.ownerId);
    return lead;
  });
}

/** work / nurture / qualify / disqualify (reason) / reopen. Conversion has its own use case. */
export async function transitionLead(ctx: Ctx, id: string, action: Exclude<LeadAction, 'convert'>, input: unknown = {}) {
  return inTx(ctx, async (tx) => {
    const before = await loadVisible(tx, leadDef, id, 'write');
    const to = transition(leadMachine, before.status as LeadState, action);
    const patch: Partial<LeadTable> = { status: to };
    if (action === 'disqualify') patch.disqualifyReason = LeadDisqualify.parse(input).reason;
    else {
      noInput(input);
      if (action === 'reopen') patch.disqualifyReason = null;
    }
    return leadDto(await updateRecord(tx, leadDef, before, patch, { action }));
  });
}

/**
 * Converts a qualified lead into an account (new or existing), a contact and, by default, an
 * opportunity. Each new record keeps `leadId`, so the thread runs back to the lead and its timeline.
 */
export async function convertLead(ctx: Ctx, id: string, input: unknown = {}) {
  const data = validated(LeadConvert, input ?? {});
  return inTx(ctx, async (tx) => {
    const before = await loadVisible(tx, leadDef, id, 'write');
    transition(leadMachine, before.status as LeadState, 'convert');
    const ownerId = before.ownerId ?? undefined;
    let accountId = data.accountId;
    if (accountId) await requireRef(tx, accountDef, accountId, 'accountId');
    else {
      const name = data.accountName ?? before.company ?? before.name;
      if (!name) throw fieldError('accountName', 'the lead has no company; give an account name');
      const acc = await createAccount(
        tx,
        { name, industry: before.industry, region: before.region, ownerId: ownerId ?? null },
        before.id,
      );
      accountId = acc.id;
    }
    const contact = await createContact(
      tx,
      { accountId, name: before.name, title: before.title, email: before.email, phone: before.phone, ownerId: ownerId ?? null },
      before.id,
    );
    let opportunityId: string | null = null;
    if (data.createOpportunity) {
      const opp = await createOpportunity(
        tx,
        {
          name: data.opportunityName ?? `${before.company ?? before.name}`,
          accountId,
          contactId: contact.id,
          amountMinor: data.amountMinor ?? 0,
          currency: data.currency,
          expectedCloseDate: data.expectedCloseDate ?? null,
          pipelineId: data.pipelineId,
          ownerId: ownerId ?? null,
        },
        before.id,
      );
      opportunityId = opp.id;
    }
    const lead = await updateRecord(
      tx,
      leadDef,
      before,
      {
        status: 'converted',
        convertedAccountId: accountId,
        convertedContactId: contact.id,
        convertedOpportunityId: opportunityId,
        convertedAt: nowIso(),
      },
      { action: 'convert' },
    );
    return { lead: leadDto(lead), accountId, contactId: contact.id, opportunityId };
  });
}
