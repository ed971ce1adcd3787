import { CompiledQuery } from 'kysely';
import type { BillingScheduleItemTable, EventTable, InvoiceLineTable, InvoiceTable, LegalEntityTable, OrderLineTable, OrderTable } from '@openltc/db';
import type { Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { addDays, nowIso, today } from '../platform/clock.ts';
import { nextNumbers } from '../platform/numbering.ts';
import { transition } from '../platform/machine.ts';
import { postInvoiceJournals, postingLookups } from '../ledger/batch-posting.ts';
import { bulkInsertRows } from '../platform/bulk-insert.ts';
import { taxCodesOf } from '../pricing/tax-codes.ts';
import { codeForRate } from '../pricing/document-pricing.ts';
import { scheduleItemMachine, type ScheduleItemState } from './schedule.machine.ts';
import { DEFAULT_PAYMENT_TERMS_DAYS } from './invoices.ts';

/** The stored share of each order line an item bills (JSON in billing_schedule_items.line_split). */
export interface StoredPart {
  l: string;
  q: number;
  n: number;
  t: number;
}
export const partsOf = (item: Pick<BillingScheduleItemTable, 'lineSplit'>): StoredPart[] => JSON.parse(item.lineSplit) as StoredPart[];

export interface InvoicedItem {
  itemId: string;
  invoiceId: string;
  number: string;
  totalMinor: number;
}

/** Event rows for a batch insert, at the chunk's instant; bookkeeping fields are left out like platform/events does. */
function eventRow(tx: Ctx, now: string, entityType: string, entityId: string, action: string, before: Record<string, unknown> | null, after: Record<string, unknown> | null): EventTable {
  const strip = (o: Record<string, unknown> | null) => {
    if (!o) return null;
    const { updatedAt: _u, version: _v, ...rest } = o;
    return JSON.stringify(rest);
  };
  return { id: newId('evt'), occurredAt: now, actorId: tx.user.id, requestId: tx.requestId, entityType, entityId, action, before: strip(before), after: strip(after) };
}

/**
 * The claim of a chunk in one statement: each item (id → its new invoice id) moves to invoiced only if
 * it is still planned or due, has no invoice and is held by no request other than `requestId`;
 * returns the ids that moved. PostgreSQL joins the pairs as two arrays (one parameter each); SQLite
 * takes them as a CASE over the ids it finds by primary key (its UPDATE … FROM a VALUES list scans).
 */
async function claimItems(tx: Ctx, pairs: ReadonlyArray<readonly [string, string]>, now: string, requestId: string | null): Promise<Set<string>> {
  const pg = tx.dialect === 'postgres';
  const params: unknown[] = [];
  const p = (v: unknown) => (params.push(v), pg ? `$${params.length}` : '?');
  // A function, so that its parameter is taken where it stands in the text (SQLite binds `?` in order).
  const open = () => `billing_schedule_items.status in ('planned', 'due') and billing_schedule_items.invoice_id is null
      and ${requestId ? `billing_schedule_items.request_id = ${p(requestId)}` : 'billing_schedule_items.request_id is null'}`;
  const text = pg
    ? `update billing_schedule_items
      set status = 'invoiced', version = version + 1, updated_at = ${p(now)}, invoice_id = claim.invoice_id
      from unnest(${p(pairs.map(([id]) => id))}::text[], ${p(pairs.map(([, inv]) => inv))}::text[]) as claim(id, invoice_id)
      where billing_schedule_items.id = claim.id and ${open()}
      returning billing_schedule_items.id`
    : `update billing_schedule_items
      set status = 'invoiced', version = version + 1, updated_at = ${p(now)},
        invoice_id = case id ${pairs.map(([id, inv]) => `when ${p(id)} then ${p(inv)}`).join(' ')} end
      where id in (${pairs.map(([id]) => p(id)).join(', ')}) and ${open()}
      returning id`;
  const res = await tx.db.executeQuery<{ id: string }>(CompiledQuery.raw(text, params));
  return new Set(res.rows.map((r) => r.id));
}

/**
 * Invoices schedule items in the caller's transaction: one issued invoice per item, priced from the
 * item's stored share of each order line (so quantity, net and tax are the order lines' own, at
 * their tax rates), numbered from the legal entity's gap-free series, journalled, with events on the
 * invoice (created, issue) and on the item (invoice).
 *
 * Each item is first claimed by a guarded UPDATE (still planned or due, no invoice yet, held by no
 * request other than `requestId`): an item some other transaction billed meanwhile is skipped, never
 * billed twice (and `invoice_id` is unique besides). Numbers are taken only for the items claimed.
 */
export async function invoiceItemsInTx(
  tx: Ctx,
  items: readonly BillingScheduleItemTable[],
  opts: { requestId?: string; faultBeforeCommit?: boolean } = {},
): Promise<InvoicedItem[]> {
  if (!items.length) return [];
  const now = nowIso();
  // 1. Orders, lines and legal entities of the items, one query each; each line's tax code (the
  //    order line's, or for lines from before tax codes the entity's code for the rate, as invoices do).
  const orderIds = [...new Set(items.map((i) => i.orderId))];
  const [orders, lines, les] = await Promise.all([
    tx.db.selectFrom('orders').selectAll().where('id', 'in', orderIds).execute(),
    tx.db.selectFrom('orderLines').selectAll().where('orderId', 'in', orderIds).execute(),
    tx.db.selectFrom('legalEntities').selectAll().execute(),
  ]);
  const orderById = new Map<string, OrderTable>(orders.map((o) => [o.id, o]));
  const lineById = new Map<string, OrderLineTable>(lines.map((l) => [l.id, l]));
  const leById = new Map<string, LegalEntityTable>(les.map((l) => [l.id, l]));
  const codeOf = new Map<string, { taxCodeId: string | null; taxCode: string | null }>();
  const codesByLe = new Map<string, Awaited<ReturnType<typeof taxCodesOf>>['codes']>();
  const partsById = new Map(items.map((item) => [item.id, partsOf(item)]));
  for (const item of items) {
    for (const p of partsById.get(item.id)!) {
      const ol = lineById.get(p.l)!;
      if (codeOf.has(ol.id)) continue;
      if (ol.taxCodeId) {
        codeOf.set(ol.id, { taxCodeId: ol.taxCodeId, taxCode: ol.taxCode ?? null });
        continue;
      }
      if (!codesByLe.has(item.legalEntityId)) codesByLe.set(item.legalEntityId, (await taxCodesOf(tx, item.legalEntityId)).codes);
      const c = codeForRate(codesByLe.get(item.legalEntityId)!, ol.taxRate);
      codeOf.set(ol.id, { taxCodeId: c?.id ?? null, taxCode: c?.code ?? null });
    }
  }
  // An item with a line no tax code covers cannot be issued (invoices are issued with a code per
  // line): it is left open and counted as skipped by the caller.
  const issuable = items.filter((item) => partsById.get(item.id)!.every((p) => codeOf.get(p.l)?.taxCodeId));

  // 2. Claim, in one statement for the chunk: each item moves to invoiced with its invoice id only if
  //    it is still open, without an invoice and held by no other request; RETURNING says which did.
  const claimed: Array<{ item: BillingScheduleItemTable; invoiceId: string; to: ScheduleItemState }> = [];
  if (issuable.length) {
    const next = new Map(issuable.map((item) => [item.id, { invoiceId: newId('inv'), to: transition(scheduleItemMachine, item.status as ScheduleItemState, 'invoice') }]));
    const won = await claimItems(tx, [...next].map(([id, n]) => [id, n.invoiceId] as const), now, opts.requestId ?? null);
    for (const item of issuable) if (won.has(item.id)) claimed.push({ item, ...next.get(item.id)! });
  }
  if (!claimed.length) return [];

  // 3. Numbers: one reservation per legal entity (its series and period for the issue date), in claim order.
  const issueDates = new Map<string, string>();
  for (const le of les) issueDates.set(le.id, today(le.timezone));
  const groups = new Map<string, number[]>();
  claimed.forEach((c, i) => {
    const le = c.item.legalEntityId;
    const k = `${le}|${issueDates.get(le)!}`;
    const group = groups.get(k);
    if (group) group.push(i);
    else groups.set(k, [i]);
  });
  const numbers: string[] = new Array(claimed.length);
  for (const [k, idx] of groups) {
    const [le, on] = k.split('|') as [string, string];
    const got = await nextNumbers(tx, 'invoice', le, on, idx.length);
    idx.forEach((i, j) => (numbers[i] = got[j]!));
  }

  // 4. Rows.
  const invoices: InvoiceTable[] = [];
  const invoiceLines: InvoiceLineTable[] = [];
  const events: EventTable[] = [];
  const out: InvoicedItem[] = [];
  claimed.forEach((c, i) => {
    const order = orderById.get(c.item.orderId)!;
    const le = leById.get(c.item.legalEntityId)!;
    const issueDate = issueDates.get(le.id)!;
    let net = 0;
    let tax = 0;
    const mine: InvoiceLineTable[] = [];
    for (const p of partsById.get(c.item.id)!) {
      if (p.q === 0 && p.n === 0 && p.t === 0) continue;
      const ol = lineById.get(p.l)!;
      net += p.n;
      tax += p.t;
      mine.push({
        id: newId('iln'),
        invoiceId: c.invoiceId,
        lineNo: mine.length + 1,
        orderLineId: ol.id,
        deliveryLineId: null,
        productId: ol.productId,
        description: ol.description,
        qtyMilli: p.q,
        unitPriceMinor: ol.unitPriceMinor,
        discountRate: ol.discountRate,
        taxRate: ol.taxRate,
        ...codeOf.get(ol.id)!,
        netMinor: p.n,
        taxMinor: p.t,
        totalMinor: p.n + p.t,
      });
    }
    const inv: InvoiceTable = {
      id: c.invoiceId,
      number: numbers[i]!,
      legalEntityId: le.id,
      orderId: order.id,
      deliveryId: null,
      accountId: order.accountId,
      status: 'issued',
      currency: order.currency,
      netMinor: net,
      taxMinor: tax,
      totalMinor: net + tax,
      issueDate,
      dueDate: addDays(issueDate, DEFAULT_PAYMENT_TERMS_DAYS),
      paymentTermsDays: DEFAULT_PAYMENT_TERMS_DAYS,
      issuedAt: now,
      ownerId: order.ownerId,
      teamId: order.teamId,
      createdAt: now,
      updatedAt: now,
      createdBy: tx.user.id,
      version: 2,
    };
    invoices.push(inv);
    invoiceLines.push(...mine);
    const source = { scheduleItemId: c.item.id, kind: c.item.kind, description: c.item.description, ...(opts.requestId ? { invoiceRequestId: opts.requestId } : {}) };
    events.push(
      eventRow(tx, now, 'invoice', inv.id, 'created', null, { ...inv, status: 'draft', number: null, issueDate: null, dueDate: null, issuedAt: null, source, lines: mine.map((l) => ({ lineNo: l.lineNo, orderLineId: l.orderLineId, qtyMilli: l.qtyMilli, netMinor: l.netMinor, taxMinor: l.taxMinor })) }),
      eventRow(tx, now, 'invoice', inv.id, 'issue', { status: 'draft', number: null }, { status: 'issued', number: inv.number, issueDate, dueDate: inv.dueDate, issuedAt: now }),
      eventRow(tx, now, 'billing_schedule_item', c.item.id, 'invoice', { status: c.item.status, invoiceId: null }, { status: c.to, invoiceId: inv.id, invoiceNumber: inv.number }),
    );
    out.push({ itemId: c.item.id, invoiceId: inv.id, number: inv.number!, totalMinor: inv.totalMinor });
  });
  await bulkInsertRows(tx, 'invoices', invoices);
  await bulkInsertRows(tx, 'invoiceLines', invoiceLines);
  await bulkInsertRows(tx, 'events', events);
  // 5. The journal: Dr AR / Cr revenue and VAT output per rate, idempotent per invoice — postInvoiceJournal's
  //    rule for each, from the rows in hand, with the chart, entities and rates read once for the chunk.
  const lookups = postingLookups();
  for (const le of les) lookups.entities.set(le.id, le);
  await postInvoiceJournals(tx, invoices, invoiceLines, lookups);
  if (opts.faultBeforeCommit) throw new Error('injected fault: the chunk fails before it commits');
  return out;
}
