import type { AccountTable, ContactTable } from '@openltc/db';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso } from '../platform/clock.ts';
import { resolveOwner } from '../platform/ownership.ts';
import { insertRecord, listVisible, loadVisible, requireRef, updateRecord, type ListQuery } from '../platform/records.ts';
import { AccountCreate, AccountUpdate, ContactCreate, ContactUpdate } from './sales.schema.ts';
import { accountDef, contactDef } from './defs.ts';
import { z } from 'zod';
import { assertCan } from '../platform/permissions.ts';

export function accountDto(a: AccountTable) {
  return { ...a, customFields: JSON.parse(a.customFields || '{}') as Record<string, unknown> };
}
export const contactDto = (c: ContactTable) => ({ ...c });

export async function createAccount(ctx: Ctx, input: z.input<typeof AccountCreate>, leadId: string | null = null) {
  const data = AccountCreate.parse(input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'account', 'write');
    const own = await resolveOwner(tx, 'account', data.ownerId);
    const now = nowIso();
    const row: AccountTable = {
      id: newId('acc'),
      name: data.name,
      industry: data.industry ?? null,
      region: data.region ?? null,
      taxId: data.taxId ?? null,
      address: data.address ?? null,
      website: data.website ?? null,
      currency: data.currency ?? 'CNY',
      creditLimitMinor: data.creditLimitMinor ?? null,
      leadId,
      customFields: JSON.stringify(data.customFields ?? {}),
      ...own,
      createdAt: now,
      updatedAt: now,
      createdBy: ctx.user.id,
      version: 1,
    };
    return accountDto(await insertRecord(tx, accountDef, row));
  });
}

export async function getAccount(ctx: Ctx, id: string) {
  return accountDto(await loadVisible(ctx, accountDef, id));
}

export async function listAccounts(ctx: Ctx, q: ListQuery) {
  const page = await listVisible(ctx, accountDef, q);
  return { ...page, items: page.items.map(accountDto) };
}

export async function updateAccount(ctx: Ctx, id: string, input: unknown, expectedVersion?: number) {
  const data = AccountUpdate.parse(input);
  return inTx(ctx, async (tx) => {
    const before = await loadVisible(tx, accountDef, id, 'write');
    const patch: Partial<AccountTable> = {};
    for (const [k, v] of Object.entries(data)) {
      if (k === 'ownerId') Object.assign(patch, await resolveOwner(tx, 'account', v as string | null));
      else if (k === 'customFields') patch.customFields = JSON.stringify(v ?? {});
      else (patch as any)[k] = v;
    }
    return accountDto(await updateRecord(tx, accountDef, before, patch, { expectedVersion }));
  });
}

export async function createContact(ctx: Ctx, input: z.input<typeof ContactCreate>, leadId: string | null = null) {
  const data = ContactCreate.parse(input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'contact', 'write');
    const account = await requireRef(tx, accountDef, data.accountId, 'accountId');
    const own = data.ownerId
      ? await resolveOwner(tx, 'contact', data.ownerId)
      : { ownerId: account.ownerId, teamId: account.teamId };
    const now = nowIso();
    const row: ContactTable = {
      id: newId('con'),
      accountId: account.id,
      name: data.name,
      title: data.title ?? null,
      email: data.email ?? null,
      phone: data.phone ?? null,
      leadId,
      ...own,
      createdAt: now,
      updatedAt: now,
      createdBy: ctx.user.id,
      version: 1,
    };
    return contactDto(await insertRecord(tx, contactDef, row));
  });
}

export async function getContact(ctx: Ctx, id: string) {
  return contactDto(await loadVisible(ctx, contactDef, id));
}

export async function listContacts(ctx: Ctx, q: ListQuery) {
  const page = await listVisible(ctx, contactDef, q);
  return { ...page, items: page.items.map(contactDto) };
}

export async function updateContact(ctx: Ctx, id: string, input: unknown, expectedVersion?: number) {
  const data = ContactUpdate.parse(input);
  return inTx(ctx, async (tx) => {
    const before = await loadVisible(tx, contactDef, id, 'write');
    const patch: Partial<ContactTable> = {};
    for (const [k, v] of Object.entries(data)) {
      if (k === 'ownerId') Object.assign(patch, await resolveOwner(tx, 'contact', v as string | null));
      else (patch as any)[k] = v;
    }
    return contactDto(await updateRecord(tx, contactDef, before, patch, { expectedVersion }));
  });
}
