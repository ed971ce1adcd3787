import type { ContractTable } from '@openltc/db';
import { z } from 'zod';
import { noInput, validated } from '../platform/validation.ts';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso, today } from '../platform/clock.ts';
import { conflict, fieldError } from '../platform/errors.ts';
import { allowedActions, transition } from '../platform/machine.ts';
import { nextNumber } from '../platform/numbering.ts';
import { assertCan } from '../platform/permissions.ts';
import { resolveOwner } from '../platform/ownership.ts';
import { insertRecord, listVisible, loadVisible, requireRef, updateRecord, type ListQuery } from '../platform/records.ts';
import { accountDef } from '../sales/defs.ts';
import { quoteDef } from '../quotes/defs.ts';
import { ContractCreate, ContractFromQuote, ContractReason, ContractSign, ContractUpdate, type ContractDto } from './contract.schema.ts';
import { CONTRACT_APPROVAL_ACTIONS, contractMachine, type ContractAction, type ContractState } from './contract.machine.ts';
import { contractDef } from './defs.ts';

export function contractDto(c: ContractTable): ContractDto {
  return { ...c, status: c.status as ContractState, allowedActions: allowedActions(contractMachine, c.status as ContractState) };
}

function assertDates(startDate: string | null | undefined, endDate: string | null | undefined): void {
  if (startDate && endDate && endDate < startDate) throw fieldError('endDate', 'the contract cannot end before it starts', 'before_start');
}

async function newContractNumber(ctx: Ctx): Promise<string> {
  return nextNumber(ctx, 'contract', 'global', today());
}

/** A contract typed in by hand (no quote behind it): a framework agreement, a renewal, a legacy deal. */
export async function createContract(ctx: Ctx, input: z.input<typeof ContractCreate>): Promise<ContractDto> {
  const data = ContractCreate.parse(input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'contract', 'write');
    const account = await requireRef(tx, accountDef, data.accountId, 'accountId');
    assertDates(data.startDate, data.endDate);
    const own = await resolveOwner(tx, 'contract', data.ownerId);
    const now = nowIso();
    const row: ContractTable = {
      id: newId('ctr'),
      number: await newContractNumber(tx),
      title: data.title,
      quoteId: null,
      opportunityId: null,
      accountId: account.id,
      status: contractMachine.initial,
      currency: data.currency ?? account.currency,
      totalMinor: data.totalMinor,
      startDate: data.startDate ?? null,
      endDate: data.endDate ?? null,
      signedAt: null,
      signedBy: null,
      returnReason: null,
      terminationReason: null,
      ...own,
      createdAt: now,
      updatedAt: now,
      createdBy: ctx.user.id,
      version: 1,
    };
    return contractDto(await insertRecord(tx, contractDef, row));
  });
}

/**
 * Accepted quote → contract. Amount and currency are the quote's and stay so (not editable);
 * owner and team follow the quote. One live contract per quote: a second is refused unless the
 * first was terminated.
 */
export async function contractFromQuote(ctx: Ctx, quoteId: string, input: unknown = {}): Promise<ContractDto> {
  const data = validated(ContractFromQuote, input ?? {});
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'contract', 'write');
    const quote = await loadVisible(tx, quoteDef, quoteId);
    if (quote.status !== 'accepted')
      throw conflict('quote_not_accepted', `quote ${quote.number} v${quote.versionNo} is ${quote.status}; only an accepted quote becomes a contract`, {
        currentState: quote.status,
      });
    // Lock the quote row (PostgreSQL; SQLite has one writer) so two concurrent requests cannot both
    // pass the one-live-contract check below.
    if (tx.dialect === 'postgres') await tx.db.selectFrom('quotes').select('id').where('id', '=', quote.id).forUpdate().execute();
    const existing = await tx.db
      .selectFrom('contracts')
      .select(['id', 'number'])
      .where('quoteId', '=', quote.id)
      .where('status', '!=', 'terminated')
      .executeTakeFirst();
    if (existing)
      throw conflict('contract_exists', `quote ${quote.number} already has contract ${existing.number}`, { contractId: existing.id });
    assertDates(data.startDate, data.endDate);
    // The account name only labels the title; the quote being visible is what grants access here.
    const account = await tx.db.selectFrom('accounts').select('name').where('id', '=', quote.accountId).executeTakeFirstOrThrow();
    const now = nowIso();
    const row: ContractTable = {
      id: newId('ctr'),
      number: await newContractNumber(tx),
      title: data.title ?? `${account.name} ${quote.number}`,
      quoteId: quote.id,
      opportunityId: quote.opportunityId,
      accountId: quote.accountId,
      status: contractMachine.initial,
      currency: quote.currency,
      totalMinor: quote.totalMinor,
      startDate: data.startDate ?? null,
      endDate: data.endDate ?? null,
      signedAt: null,
      signedBy: null,
      returnReason: null,
      terminationReason: null,
      ownerId: quote.ownerId,
      teamId: quote.teamId,
      createdAt: now,
      updatedAt: now,
      createdBy: ctx.user.id,
      version: 1,
    };
    return contractDto(await insertRecord(tx, contractDef, row));
  });
}

export async function getContract(ctx: Ctx, id: string): Promise<ContractDto> {
  return contractDto(await loadVisible(ctx, contractDef, id));
}

export async function listContracts(ctx: Ctx, q: ListQuery) {
  const page = await listVisible(ctx, contractDef, q);
  return { ...page, items: page.items.map(contractDto) };
}

/** Edits a draft. A contract made from a quote keeps the quote's amount and currency. */
export async function updateContract(ctx: Ctx, id: string, input: unknown, expectedVersion?: number): Promise<ContractDto> {
  const data = ContractUpdate.parse(input);
  return inTx(ctx, async (tx) => {
    const before = await loadVisible(tx, contractDef, id, 'write');
    if (before.status !== 'draft')
      throw conflict('contract_not_draft', `contract ${before.number} is ${before.status}; only a draft can be edited`, {
        currentState: before.status,
        allowedActions: allowedActions(contractMachine, before.status as ContractState),
      });
    if (before.quoteId)
      for (const f of ['totalMinor', 'currency'] as const)
        if (data[f] !== undefined && data[f] !== before[f])
          throw fieldError(f, `the ${f === 'totalMinor' ? 'amount' : 'currency'} comes from the quote; revise the quote instead`, 'from_quote');
    assertDates(
      data.startDate === undefined ? before.startDate : data.startDate,
      data.endDate === undefined ? before.endDate : data.endDate,
    );
    return contractDto(await updateRecord(tx, contractDef, before, data as Partial<ContractTable>, { expectedVersion }));
  });
}

/** Contract actions with their body: a reason for return/terminate, the signatory for sign. */
export const CONTRACT_ACTIONS: readonly ContractAction[] = ['submit', 'approve', 'return', 'sign', 'activate', 'expire', 'terminate'];

/**
 * submit / approve / return (reason) / sign (signedBy) / activate / expire / terminate (reason).
 * approve and return are legal's review decisions and need the `approve` permission.
 */
export async function transitionContract(ctx: Ctx, id: string, action: ContractAction, input: unknown = {}): Promise<ContractDto> {
  return inTx(ctx, async (tx) => {
    const before = await loadVisible(tx, contractDef, id, CONTRACT_APPROVAL_ACTIONS.includes(action) ? 'approve' : 'write');
    const to = transition(contractMachine, before.status as ContractState, action);
    const patch: Partial<ContractTable> = { status: to };
    if (action === 'return') patch.returnReason = ContractReason.parse(input ?? {}).reason;
    else if (action === 'terminate') patch.terminationReason = ContractReason.parse(input ?? {}).reason;
    else if (action === 'sign') {
      patch.signedBy = validated(ContractSign, input ?? {}).signedBy;
      patch.signedAt = nowIso();
    } else {
      noInput(input);
      // A contract without a start date starts the day it is activated.
      if (action === 'activate' && !before.startDate) patch.startDate = today();
    }
    return contractDto(await updateRecord(tx, contractDef, before, patch, { action }));
  });
}

/**
 * Expires every active contract whose end date is before today, each with its own `expire` event,
 * for a scheduled job to call (typically as the system user). Returns their ids.
 */
export async function expireEndedContracts(ctx: Ctx, limit = 500): Promise<string[]> {
  const ended = await ctx.db
    .selectFrom('contracts')
    .select('id')
    .where('status', '=', 'active')
    .where('endDate', '<', today())
    .orderBy('endDate')
    .limit(limit)
    .execute();
  const done: string[] = [];
  for (const { id } of ended) {
    await transitionContract(ctx, id, 'expire');
    done.push(id);
  }
  return done;
}
