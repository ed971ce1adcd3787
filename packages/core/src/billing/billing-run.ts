import type { BillingRunTable } from '@openltc/db';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso, today } from '../platform/clock.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { assertCan } from '../platform/permissions.ts';
import { paginate, type ListParams } from '../platform/list.ts';
import { legalEntityFor } from './legal-entities.ts';
import { BILLABLE_ITEM_COLUMNS, idsParam, inIds, invoiceItemsInTx, readRows, type BillableItem } from './schedule-invoicing.ts';
import { BillingRunInput, type BillingRunDto } from './schedule.schema.ts';

/**
 * The billing run: invoices every schedule item billable up to `asOf` (see isBillable), in chunks of
 * `chunkSize` items, each chunk one transaction that claims its items, issues their invoices with
 * consecutive numbers, posts their journal entries and adds its counts to the run's row.
 *
 * Idempotent and restart-safe: a chunk commits whole or not at all (a crash rolls back its invoices,
 * its numbers and its claims together), an invoiced item is never billable again (status, and the
 * unique invoice id), so a run killed at any point and started again bills each remaining item once
 * and skips none, and the numbers stay gap-free. Two runs at once (two workers on PostgreSQL) lock
 * the chunk's rows and skip what the other claimed. A run whose process died stays `running` until
 * the next run marks it `abandoned` (no heartbeat for ABANDON_AFTER_MS).
 */
export const DEFAULT_CHUNK_SIZE = 500;
const ABANDON_AFTER_MS = 10 * 60_000;

export interface RunOptions {
  chunkSize?: number;
  /** Tests and the benchmark: fail after this many chunks have committed (the process "dies"). */
  failAfterChunks?: number;
  /** Tests: fail inside this chunk (1-based) after its invoices are written, before it commits. */
  failInsideChunk?: number;
  /** Called after each committed chunk (progress for the CLI and the benchmark). */
  onChunk?: (run: BillingRunDto) => void;
}

export function billingRunDto(r: BillingRunTable): BillingRunDto {
  return {
    id: r.id,
    asOf: r.asOf,
    legalEntityId: r.legalEntityId,
    status: r.status as BillingRunDto['status'],
    chunkSize: Number(r.chunkSize),
    chunks: Number(r.chunks),
    itemsInvoiced: Number(r.itemsInvoiced),
    invoicesCreated: Number(r.invoicesCreated),
    totalMinor: Number(r.totalMinor),
    firstNumber: r.firstNumber,
    lastNumber: r.lastNumber,
    skipped: Number(r.skipped),
    error: r.error,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    createdBy: r.createdBy,
  };
}

/**
 * The next billable items, oldest bill date first (so numbers follow bill dates), at most `limit`.
 * One query per open status, each read in the order of the index (status, bill_date, id) and
 * stopped after `limit` rows, then merged: a single query over both statuses has to sort every
 * open item of the table for each chunk, which grows with the table, not with the chunk.
 * Only the columns billing uses are read (BillableItem), without the camelCase mapping.
 */
export async function billableItems(ctx: Ctx, asOf: string, legalEntityId: string | null, limit: number, except: ReadonlySet<string> = new Set()): Promise<BillableItem[]> {
  const open = (status: 'planned' | 'due') => {
    const params: unknown[] = [];
    const p = (v: unknown) => (params.push(v), ctx.dialect === 'postgres' ? `$${params.length}` : '?');
    let where = `status = ${p(status)} and bill_date <= ${p(asOf)} and request_id is null`;
    // A planned item bills on its date; a milestone or event item only once it is due.
    if (status === 'planned') where += ` and "trigger" = 'date'`;
    if (legalEntityId) where += ` and legal_entity_id = ${p(legalEntityId)}`;
    if (except.size) {
      params.push(idsParam(ctx, [...except]));
      where += ` and not ${inIds(ctx, 'id', params.length)}`;
    }
    return readRows<BillableItem>(ctx, `select ${BILLABLE_ITEM_COLUMNS} from billing_schedule_items where ${where} order by bill_date, id limit ${p(limit)}`, params);
  };
  const [planned, due] = [await open('planned'), await open('due')];
  const out: BillableItem[] = [];
  let i = 0;
  let j = 0;
  while (out.length < limit && (i < planned.length || j < due.length)) {
    const a = planned[i];
    const b = due[j];
    if (!b || (a && (a.billDate! < b.billDate! || (a.billDate === b.billDate && a.id < b.id)))) out.push(planned[i++]!);
    else out.push(due[j++]!);
  }
  return out;
}

export async function runBilling(ctx: Ctx, input: unknown = {}, opts: RunOptions = {}): Promise<BillingRunDto> {
  const data = BillingRunInput.parse(input ?? {});
  assertCan(ctx.user, 'invoice', 'approve');
  const le = data.legalEntityId ? await legalEntityFor(ctx.db, data.legalEntityId) : await legalEntityFor(ctx.db, null);
  const asOf = data.asOf ?? today(le.timezone);
  const chunkSize = Math.max(1, Math.min(opts.chunkSize ?? DEFAULT_CHUNK_SIZE, 2000));
  const started = nowIso();
  await ctx.db
    .updateTable('billingRuns')
    .set({ status: 'abandoned', finishedAt: started, error: 'the process running it stopped (no heartbeat)' })
    .where('status', '=', 'running')
    .where('heartbeatAt', '<', new Date(Date.parse(started) - ABANDON_AFTER_MS).toISOString())
    .execute();
  const run: BillingRunTable = {
    id: newId('brun'),
    asOf,
    legalEntityId: data.legalEntityId ?? null,
    status: 'running',
    chunkSize,
    chunks: 0,
    itemsInvoiced: 0,
    invoicesCreated: 0,
    totalMinor: 0,
    firstNumber: null,
    lastNumber: null,
    skipped: 0,
    error: null,
    startedAt: started,
    heartbeatAt: started,
    finishedAt: null,
    createdBy: ctx.user.id,
  };
  await ctx.db.insertInto('billingRuns').values(run).execute();
  let chunkNo = 0;
  // Items this run could not bill (taken by another run meanwhile, a line without a tax code, a
  // business error such as a missing exchange rate): not retried in this run.
  const skipped = new Set<string>();
  const failures: string[] = [];

  /** One chunk in one transaction: the given items, or the next billable ones. Null when none are left. */
  const billChunk = (items: BillableItem[] | null, fault: boolean) =>
    inTx(ctx, async (tx) => {
      const candidates = items ?? (await billableItems(tx, asOf, run.legalEntityId, chunkSize, skipped));
      if (!candidates.length) return null;
      // PostgreSQL: lock the chunk's rows (in id order, as platform/locks does, so that two runs never
      // wait on each other crosswise) and read them again in the same statement, as another run may
      // have billed some meanwhile; then back in bill date order. SQLite has one writer.
      const fresh =
        tx.dialect === 'postgres'
          ? (await readRows<BillableItem>(tx, `select ${BILLABLE_ITEM_COLUMNS} from billing_schedule_items where ${inIds(tx, 'id', 1)} order by id for update`, [[...new Set(candidates.map((c) => c.id))]])).sort((a, b) =>
              a.billDate === b.billDate ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.billDate! < b.billDate! ? -1 : 1,
            )
          : candidates;
      const invoiced = await invoiceItemsInTx(tx, fresh, { faultBeforeCommit: fault });
      const next = {
        chunks: run.chunks + 1,
        itemsInvoiced: run.itemsInvoiced + invoiced.length,
        invoicesCreated: run.invoicesCreated + invoiced.length,
        skipped: run.skipped + candidates.length - invoiced.length,
        totalMinor: run.totalMinor + invoiced.reduce((s, i) => s + i.totalMinor, 0),
        firstNumber: run.firstNumber ?? invoiced[0]?.number ?? null,
        lastNumber: invoiced.at(-1)?.number ?? run.lastNumber,
        heartbeatAt: nowIso(),
      };
      await tx.db.updateTable('billingRuns').set(next).where('id', '=', run.id).execute();
      return { next, candidates, invoiced };
    });
  /** After a chunk committed: its counters, and the items it could not claim are not tried again. */
  const committed = (r: NonNullable<Awaited<ReturnType<typeof billChunk>>>) => {
    Object.assign(run, r.next);
    const done = new Set(r.invoiced.map((i) => i.itemId));
    for (const c of r.candidates) if (!done.has(c.id)) skipped.add(c.id);
  };

  try {
    for (;;) {
      chunkNo++;
      let r: Awaited<ReturnType<typeof billChunk>>;
      try {
        r = await billChunk(null, opts.failInsideChunk === chunkNo);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        // A business error on one item (e.g. no exchange rate for its currency) must not hold up every
        // other item: the chunk's items are billed one per transaction, and those that fail are
        // skipped and named in the run's error.
        for (const c of await billableItems(ctx, asOf, run.legalEntityId, chunkSize, skipped)) {
          try {
            const one = await billChunk([c], false);
            if (one) committed(one);
          } catch (e2) {
            if (!(e2 instanceof AppError)) throw e2;
            skipped.add(c.id);
            run.skipped += 1;
            failures.push(`item ${c.id} (order ${c.orderId}): ${e2.message}`);
          }
        }
        continue;
      }
      if (!r) break;
      committed(r);
      opts.onChunk?.(billingRunDto(run));
      if (opts.failAfterChunks !== undefined && run.chunks >= opts.failAfterChunks) throw new Error(`injected fault after ${run.chunks} chunk(s)`);
    }
    run.status = 'completed';
    if (failures.length) run.error = `${failures.length} item(s) not billed: ${failures.slice(0, 5).join('; ')}${failures.length > 5 ? '; …' : ''}`;
  } catch (e) {
    run.status = 'failed';
    run.error = e instanceof Error ? e.message : String(e);
  }
  run.finishedAt = nowIso();
  // The counters in memory are those of committed chunks only (plus items skipped for an error).
  await ctx.db.updateTable('billingRuns').set({ status: run.status, error: run.error, finishedAt: run.finishedAt, skipped: run.skipped }).where('id', '=', run.id).execute();
  return billingRunDto(run);
}

export async function getBillingRun(ctx: Ctx, id: string): Promise<BillingRunDto> {
  assertCan(ctx.user, 'invoice', 'approve');
  const r = await ctx.db.selectFrom('billingRuns').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('billing_run', id);
  return billingRunDto(r);
}

export async function listBillingRuns(ctx: Ctx, q: ListParams & { status?: string | undefined }) {
  assertCan(ctx.user, 'invoice', 'approve');
  let qb = ctx.db.selectFrom('billingRuns').selectAll();
  if (q.status) qb = qb.where('status', '=', q.status);
  const page = await (paginate as any)(qb, 'billingRuns', q, { startedAt: 'startedAt' }, '-startedAt', []);
  return { ...page, items: (page.items as BillingRunTable[]).map(billingRunDto) };
}
