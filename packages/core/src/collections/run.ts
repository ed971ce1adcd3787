import { z } from 'zod';
import type { LegalEntityTable } from '@openltc/db';
import type { Ctx } from '../platform/context.ts';
import { inTx } from '../platform/context.ts';
import { SYSTEM, assertCan } from '../platform/permissions.ts';
import { addDays, nowIso, today } from '../platform/clock.ts';
import { newId } from '../platform/ids.ts';
import { lockKey } from '../platform/locks.ts';
import { recordEvent } from '../platform/events.ts';
import { isoDate } from '../platform/schema.ts';
import { enqueue } from '../jobs/outbox.ts';
import { legalEntityFor, listLegalEntities, roundingModeOf } from '../billing/legal-entities.ts';
import { receivableInvoices } from '../receivables/ar.repo.ts';
import { evaluateDunning, type DunningInvoice } from '../money/dunning.ts';
import { dunningConfigFor } from './levels.ts';
import { dunningEscalationEmail, dunningNoticeEmail, type NoticeFacts } from './emails.ts';
import { OPEN_INVOICE_STATES, PROMISE_GRACE_DAYS, collectionState } from './state.ts';
import { chargeForNotice } from './charges.ts';
import { fxRateOn } from '../fx/rates.ts';
import { AppError } from '../platform/errors.ts';

/**
 * The dunning run: for each legal entity, every issued or partly paid invoice that is past due and
 * still owes something (payments and credit notes counted as of the run date) is evaluated by the
 * pure rules of money/dunning.ts against the notices it already had, its open promise to pay and
 * its open dispute. Each new notice is a row unique per (invoice, level) and per (invoice, run
 * date), its emails are outbox jobs and its event is on the invoice timeline, all in the run's
 * transaction; runs of one legal entity are serialised, and a notice that exists already is never
 * inserted, emailed or recorded again.
 */
export const DunningRunInput = z
  .object({
    runDate: isoDate.optional().describe('The business date of the run (default: today in each legal entity’s time zone)'),
    legalEntityId: z.string().min(1).max(100).optional(),
  })
  .strict();

const NoticeOut = z.object({
  id: z.string(),
  invoiceId: z.string(),
  invoiceNumber: z.string().nullable(),
  accountId: z.string(),
  level: z.number().int(),
  template: z.string(),
  daysPastDue: z.number().int(),
  outstandingMinor: z.number().int(),
  feeMinor: z.number().int(),
  interestMinor: z.number().int(),
  chargeId: z.string().nullable().describe('the dunning charge (fee + interest receivable) this notice raised; null when it charged nothing'),
  chargeNumber: z.string().nullable(),
  escalate: z.boolean(),
  holdOrders: z.boolean(),
  status: z.enum(['queued', 'no_recipient']),
  recipients: z.array(z.string()),
});

export const DunningRunDto = z.object({
  runs: z.array(
    z.object({
      legalEntityId: z.string(),
      runDate: z.string(),
      notices: z.array(NoticeOut),
      skipped: z.array(
        z.object({
          invoiceId: z.string(),
          reason: z.enum(['promise_to_pay', 'disputed', 'too_soon', 'fx_rate_missing']).describe('fx_rate_missing: the notice would charge a fee or interest in a foreign currency with no rate in force; it is sent on the first run after the rate is entered'),
        }),
      ),
      promisesBroken: z.array(z.string()).describe('Invoices whose promise to pay was broken: dunning resumes'),
      promisesKept: z.array(z.string()),
      holdAccounts: z.array(z.string()).describe('Accounts a notice of this run puts on order hold'),
    }),
  ),
  noticeCount: z.number().int(),
});
export type DunningRunDto = z.infer<typeof DunningRunDto>;
type EntityRun = DunningRunDto['runs'][number];

/** POST /collections/runs and the daily job: finance and admins (write on invoices). */
export async function runDunning(ctx: Ctx, input: unknown = {}): Promise<DunningRunDto> {
  assertCan(ctx.user, 'invoice', 'write');
  const body = DunningRunInput.parse(input ?? {});
  const entities = body.legalEntityId ? [await legalEntityFor(ctx.db, body.legalEntityId)] : await listLegalEntities(ctx.db);
  const runs: EntityRun[] = [];
  for (const le of entities) runs.push(await runForEntity(ctx, le, body.runDate ?? today(le.timezone)));
  return { runs, noticeCount: runs.reduce((s, r) => s + r.notices.length, 0) };
}

async function runForEntity(ctx: Ctx, le: LegalEntityTable, runDate: string): Promise<EntityRun> {
  return inTx(ctx, async (tx) => {
    // A second run of the same legal entity waits here and then sees the first one's notices.
    await lockKey(tx, `dunning:${le.id}`);
    const sys: Ctx = { ...tx, user: SYSTEM };
    const config = await dunningConfigFor(tx, le);
    const mode = roundingModeOf(le);

    const open = await tx.db
      .selectFrom('invoices')
      .select(['id', 'number', 'accountId', 'currency', 'dueDate'])
      .where('legalEntityId', '=', le.id)
      .where('status', 'in', [...OPEN_INVOICE_STATES])
      .orderBy('id')
      .execute();
    const outstanding = new Map<string, number>();
    for (const currency of [...new Set(open.map((i) => i.currency))].sort())
      for (const r of await receivableInvoices(sys, { currency, asOf: runDate })) outstanding.set(r.id, r.outstandingMinor);
    const byId = new Map(open.map((i) => [i.id, i]));

    // Promises: kept once nothing is owed; broken when the promised date and the grace day have
    // passed with money still owed (flagged, and dunning resumes in this very run).
    const promises = await tx.db
      .selectFrom('paymentPromises')
      .innerJoin('invoices', 'invoices.id', 'paymentPromises.invoiceId')
      .select(['paymentPromises.id', 'paymentPromises.invoiceId', 'paymentPromises.promisedDate'])
      .where('invoices.legalEntityId', '=', le.id)
      .where('paymentPromises.status', '=', 'open')
      .orderBy('paymentPromises.id')
      .execute();
    const promisesBroken: string[] = [];
    const promisesKept: string[] = [];
    for (const p of promises) {
      const owed = outstanding.get(p.invoiceId) ?? 0;
      const pausedUntil = addDays(p.promisedDate, PROMISE_GRACE_DAYS);
      const status = owed <= 0 ? 'kept' : runDate > pausedUntil ? 'broken' : null;
      if (!status) continue;
      const r = await tx.db
        .updateTable('paymentPromises')
        .set({ status, closedOn: runDate })
        .where('id', '=', p.id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) continue;
      (status === 'kept' ? promisesKept : promisesBroken).push(p.invoiceId);
      await recordEvent(tx, {
        entityType: 'invoice',
        entityId: p.invoiceId,
        action: status === 'kept' ? 'promise_kept' : 'promise_broken',
        before: { promiseId: p.id, status: 'open' },
        after: { promiseId: p.id, status, promisedDate: p.promisedDate, runDate, ...(status === 'broken' ? { outstandingMinor: owed } : {}) },
      });
    }

    const due = open.filter((i) => (outstanding.get(i.id) ?? 0) > 0 && i.dueDate !== null && i.dueDate < runDate);
    const state = await collectionState(tx, due.map((i) => i.id));
    const candidates: DunningInvoice[] = due.map((i) => {
      const s = state.get(i.id);
      return {
        invoiceId: i.id,
        customerId: i.accountId,
        dueDate: i.dueDate!,
        outstanding: { minor: BigInt(outstanding.get(i.id)!), currency: i.currency },
        level: s?.level ?? 0,
        lastNoticeDate: s?.lastNoticeDate ?? null,
        interestThrough: s?.interestThrough ?? null,
        promiseToPayUntil: s?.openPromise ? addDays(s.openPromise.promisedDate, PROMISE_GRACE_DAYS) : null,
        disputed: !!s?.openDispute,
      };
    });
    const evaluated = evaluateDunning(config, candidates, runDate, mode);
    const rateOf = new Map(config.levels.map((l) => [l.level, l.interestAnnualRate ?? null]));
    const people = recipientsCache(tx);
    const notices: EntityRun['notices'] = [];
    const holdAccounts = new Set<string>();
    const customerLocale = le.country === 'CN' ? 'zh' : 'en';
    const skipped: EntityRun['skipped'] = [...evaluated.skipped];

    for (const a of [...evaluated.actions].sort((x, y) => x.invoiceId.localeCompare(y.invoiceId))) {
      const inv = byId.get(a.invoiceId)!;
      // A charge in a foreign currency needs the day's rate: without one the notice waits (the run goes on).
      if (a.fee.minor + a.interest.minor > 0n && inv.currency !== le.currency) {
        const rated = await fxRateOn(tx, inv.currency, le.currency, runDate).then(
          () => true,
          (err: unknown) => (err instanceof AppError && err.code === 'fx_rate_missing' ? false : Promise.reject(err)),
        );
        if (!rated) {
          skipped.push({ invoiceId: a.invoiceId, reason: 'fx_rate_missing' });
          continue;
        }
      }
      const account = await people.account(inv.accountId);
      const contacts = await people.contacts(inv.accountId);
      const managers = a.escalate ? await people.managers(account?.ownerId ?? null) : [];
      const id = newId('dun');
      const feeMinor = Number(a.fee.minor);
      const interestMinor = Number(a.interest.minor);
      const outstandingMinor = outstanding.get(a.invoiceId)!;
      const recipients = [...contacts.map((c) => c.email), ...managers.map((m) => m.email)];
      const status = contacts.length ? 'queued' : 'no_recipient';
      const inserted = await tx.db
        .insertInto('dunningNotices')
        .values({
          id,
          invoiceId: a.invoiceId,
          accountId: inv.accountId,
          legalEntityId: le.id,
          level: a.level,
          runDate,
          daysPastDue: a.daysPastDue,
          currency: inv.currency,
          outstandingMinor,
          feeMinor,
          interestMinor,
          interestFrom: a.interestFrom,
          interestThrough: a.interestThrough,
          interestDays: a.interestDays,
          template: a.template,
          escalate: a.escalate ? 1 : 0,
          holdOrders: a.holdOrders ? 1 : 0,
          status,
          recipients: JSON.stringify(recipients),
          createdAt: nowIso(),
          createdBy: tx.user.id,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      // Already there (a run that committed first): nothing to send, charge or record.
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) continue;
      // The fee and interest become a receivable of their own, posted Dr AR / Cr fee and interest income.
      const charge = await chargeForNotice(tx, le, { id, runDate, outstandingMinor, interestAnnualRate: rateOf.get(a.level) ?? null }, a, inv);

      const facts: NoticeFacts = {
        invoiceNumber: inv.number ?? inv.id,
        accountName: account?.name ?? inv.accountId,
        currency: inv.currency,
        outstandingMinor,
        daysPastDue: a.daysPastDue,
        dueDate: inv.dueDate!,
        feeMinor,
        interestMinor,
        interestFrom: a.interestFrom,
        interestThrough: a.interestThrough,
        annualRate: rateOf.get(a.level) ?? null,
        level: a.level,
        template: a.template,
        from: le.name,
      };
      for (const c of contacts) await enqueue(tx, 'email.send', dunningNoticeEmail(facts, { email: c.email, name: c.name }, customerLocale));
      for (const m of managers) await enqueue(tx, 'email.send', dunningEscalationEmail(facts, m, account?.ownerName ?? null));
      if (a.holdOrders) holdAccounts.add(inv.accountId);
      await recordEvent(tx, {
        entityType: 'invoice',
        entityId: a.invoiceId,
        action: 'dunning_notice',
        after: {
          noticeId: id,
          level: a.level,
          template: a.template,
          runDate,
          daysPastDue: a.daysPastDue,
          outstandingMinor,
          feeMinor,
          interestMinor,
          ...(charge ? { chargeId: charge.id, chargeNumber: charge.number } : {}),
          escalate: a.escalate,
          holdOrders: a.holdOrders,
          status,
          recipients,
        },
      });
      notices.push({
        id,
        invoiceId: a.invoiceId,
        invoiceNumber: inv.number,
        accountId: inv.accountId,
        level: a.level,
        template: a.template,
        daysPastDue: a.daysPastDue,
        outstandingMinor,
        feeMinor,
        interestMinor,
        chargeId: charge?.id ?? null,
        chargeNumber: charge?.number ?? null,
        escalate: a.escalate,
        holdOrders: a.holdOrders,
        status,
        recipients,
      });
    }
    return {
      legalEntityId: le.id,
      runDate,
      notices,
      skipped,
      promisesBroken,
      promisesKept,
      holdAccounts: [...holdAccounts].sort(),
    };
  });
}

interface Person {
  email: string;
  name: string;
  locale: string;
}

/**
 * Who hears about a notice, looked up once per account and owner within a run: the account's
 * contacts that have an email; for an escalation, the sales managers of the owner's team (or of
 * the nearest parent team that has one), else the owner.
 */
function recipientsCache(tx: Ctx) {
  const accounts = new Map<string, Promise<{ name: string; ownerId: string | null; ownerName: string | null } | null>>();
  const contacts = new Map<string, Promise<Array<{ email: string; name: string }>>>();
  const managers = new Map<string, Promise<Person[]>>();
  return {
    account: (id: string) => {
      if (!accounts.has(id))
        accounts.set(
          id,
          tx.db
            .selectFrom('accounts')
            .leftJoin('users', 'users.id', 'accounts.ownerId')
            .select(['accounts.name', 'accounts.ownerId', 'users.name as ownerName'])
            .where('accounts.id', '=', id)
            .executeTakeFirst()
            .then((r) => r ?? null),
        );
      return accounts.get(id)!;
    },
    contacts: (accountId: string) => {
      if (!contacts.has(accountId))
        contacts.set(
          accountId,
          tx.db
            .selectFrom('contacts')
            .select(['email', 'name'])
            .where('accountId', '=', accountId)
            .where('email', 'is not', null)
            .where('email', '<>', '')
            .orderBy('id')
            .execute()
            .then((rows) => rows.map((r) => ({ email: r.email!, name: r.name }))),
        );
      return contacts.get(accountId)!;
    },
    managers: (ownerId: string | null) => {
      const key = ownerId ?? '';
      if (!managers.has(key)) managers.set(key, managersOf(tx, ownerId));
      return managers.get(key)!;
    },
  };
}

async function managersOf(tx: Ctx, ownerId: string | null): Promise<Person[]> {
  if (!ownerId) return [];
  const owner = await tx.db.selectFrom('users').select(['id', 'email', 'name', 'locale', 'teamId', 'active']).where('id', '=', ownerId).executeTakeFirst();
  if (!owner) return [];
  const teams = new Map((await tx.db.selectFrom('teams').select(['id', 'parentId']).execute()).map((t) => [t.id, t.parentId]));
  const seen = new Set<string>();
  for (let team = owner.teamId; team && !seen.has(team); team = teams.get(team) ?? null) {
    seen.add(team);
    const found = await tx.db
      .selectFrom('users')
      .select(['email', 'name', 'locale'])
      .where('teamId', '=', team)
      .where('role', '=', 'sales_manager')
      .where('active', '=', 1)
      .where('id', '<>', owner.id)
      .orderBy('id')
      .execute();
    if (found.length) return found;
  }
  return owner.active ? [{ email: owner.email, name: owner.name, locale: owner.locale }] : [];
}

