import { z } from 'zod';
import type { Ctx } from '../platform/context.ts';
import { assertCan } from '../platform/permissions.ts';
import { today } from '../platform/clock.ts';
import { currency, isoDate } from '../platform/schema.ts';
import { daysPastDue } from '../money/aging.ts';
import { legalEntityFor } from '../billing/legal-entities.ts';
import { receivableInvoices } from '../receivables/ar.repo.ts';
import { collectionState, inChunks, OPEN_INVOICE_STATES } from './state.ts';

/**
 * The collector's worklist: one row per account and currency with overdue invoices the caller may
 * see (finance all, sales their team's), most urgent first. The priority score is the sum over the
 * account's overdue invoices of outstanding (minor units) × days overdue, so a large amount a little
 * late and a small amount very late both rise; ties go by account id.
 */
export const PRIORITY_RULE = 'priority = Σ over overdue invoices of outstanding (minor units) × days overdue; highest first, then account id';

export const WorklistQuery = z
  .object({
    asOf: isoDate.optional(),
    currency: currency.optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();

const WorklistItem = z.object({
  accountId: z.string(),
  accountName: z.string().nullable(),
  currency: z.string(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  overdueMinor: z.number().int(),
  overdueInvoices: z.number().int(),
  oldestDaysOverdue: z.number().int(),
  priorityScore: z.number().int(),
  dunningLevel: z.number().int().describe('Highest level noticed on the overdue invoices (0: none yet)'),
  lastNoticeDate: z.string().nullable(),
  holdOrders: z.boolean().describe('A notice at a level that holds orders is on an overdue invoice'),
  openPromises: z.array(z.object({ invoiceId: z.string(), promisedDate: z.string(), amountMinor: z.number().int().nullable() })),
  brokenPromises: z.number().int(),
  openDisputes: z.array(z.object({ invoiceId: z.string(), reason: z.string() })),
  invoices: z.array(z.object({ id: z.string(), number: z.string().nullable(), dueDate: z.string(), daysOverdue: z.number().int(), outstandingMinor: z.number().int(), level: z.number().int() })),
});

export const WorklistDto = z.object({ asOf: z.string(), rule: z.string(), items: z.array(WorklistItem) });
export type WorklistDto = z.infer<typeof WorklistDto>;
type Item = z.infer<typeof WorklistItem>;

export async function collectionsWorklist(ctx: Ctx, input: unknown = {}): Promise<WorklistDto> {
  const q = WorklistQuery.parse(input ?? {});
  assertCan(ctx.user, 'invoice', 'read');
  const le = await legalEntityFor(ctx.db, null);
  const asOf = q.asOf ?? today(le.timezone);
  const currencies = q.currency
    ? [q.currency]
    : (await ctx.db.selectFrom('invoices').select('currency').distinct().where('status', 'in', [...OPEN_INVOICE_STATES]).execute()).map((r) => r.currency).sort();
  const overdue = (
    await Promise.all(
      currencies.map(async (c) => (await receivableInvoices(ctx, { currency: c, asOf })).filter((r) => r.outstandingMinor > 0 && r.dueDate < asOf).map((r) => ({ ...r, currency: c }))),
    )
  ).flat();
  const state = await collectionState(ctx, overdue.map((r) => r.id));
  const accountIds = [...new Set(overdue.map((r) => r.accountId))];
  const accounts = new Map(
    (
      await inChunks(accountIds, (part) =>
        ctx.db.selectFrom('accounts').leftJoin('users', 'users.id', 'accounts.ownerId').select(['accounts.id', 'accounts.name', 'accounts.ownerId', 'users.name as ownerName']).where('accounts.id', 'in', part).execute(),
      )
    ).map((a) => [a.id, a]),
  );

  const items = new Map<string, Item & { score: bigint }>();
  for (const r of overdue) {
    const key = `${r.accountId}\u0000${r.currency}`;
    const a = accounts.get(r.accountId);
    let it = items.get(key);
    if (!it) {
      it = {
        accountId: r.accountId,
        accountName: a?.name ?? null,
        currency: r.currency,
        ownerId: a?.ownerId ?? null,
        ownerName: a?.ownerName ?? null,
        overdueMinor: 0,
        overdueInvoices: 0,
        oldestDaysOverdue: 0,
        priorityScore: 0,
        score: 0n,
        dunningLevel: 0,
        lastNoticeDate: null,
        holdOrders: false,
        openPromises: [],
        brokenPromises: 0,
        openDisputes: [],
        invoices: [],
      };
      items.set(key, it);
    }
    const days = daysPastDue(r.dueDate, asOf);
    const s = state.get(r.id);
    it.overdueMinor += r.outstandingMinor;
    it.overdueInvoices++;
    it.oldestDaysOverdue = Math.max(it.oldestDaysOverdue, days);
    it.score += BigInt(r.outstandingMinor) * BigInt(days);
    it.dunningLevel = Math.max(it.dunningLevel, s?.level ?? 0);
    if (s?.lastNoticeDate && (!it.lastNoticeDate || s.lastNoticeDate > it.lastNoticeDate)) it.lastNoticeDate = s.lastNoticeDate;
    if (s?.holdOrders) it.holdOrders = true;
    if (s?.openPromise) it.openPromises.push({ invoiceId: r.id, promisedDate: s.openPromise.promisedDate, amountMinor: s.openPromise.amountMinor });
    it.brokenPromises += s?.brokenPromises ?? 0;
    if (s?.openDispute) it.openDisputes.push({ invoiceId: r.id, reason: s.openDispute.reason });
    it.invoices.push({ id: r.id, number: r.number, dueDate: r.dueDate, daysOverdue: days, outstandingMinor: r.outstandingMinor, level: s?.level ?? 0 });
  }
  const sorted = [...items.values()]
    .sort((x, y) => (x.score === y.score ? x.accountId.localeCompare(y.accountId) || x.currency.localeCompare(y.currency) : x.score > y.score ? -1 : 1))
    .slice(0, q.limit ?? 100);
  return {
    asOf,
    rule: PRIORITY_RULE,
    items: sorted.map(({ score, ...it }) => ({ ...it, priorityScore: Number(score) })),
  };
}
