import { CompiledQuery } from 'kysely';
import type { BillingScheduleItemTable } from '@openltc/db';
import type { Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { addDays, nowIso, today } from '../platform/clock.ts';
import { nextNumbers } from '../platform/numbering.ts';
import { transition } from '../platform/machine.ts';
import { postInvoiceJournals, postingLookups, type InvoiceForPosting, type LineForPosting } from '../ledger/batch-posting.ts';
import { bulkInsertValues } from '../platform/bulk-insert.ts';
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

/** What billing reads of a schedule item (a whole row has it too). */
export type BillableItem = Pick<BillingScheduleItemTable, 'id' | 'orderId' | 'legalEntityId' | 'status' | 'kind' | 'description' | 'lineSplit' | 'billDate'>;

/** The select list of a BillableItem, each column under the row's own (camelCase) name. */
export const BILLABLE_ITEM_COLUMNS = `id, order_id as "orderId", legal_entity_id as "legalEntityId", status, kind, description, line_split as "lineSplit", bill_date as "billDate"`;

/**
 * The rows of a statement written here, as the driver returns them. The statement names its columns
 * as the row type does, so the camelCase plugin is left out: it would copy every row to rename keys
 * that are already right (a billing chunk reads thousands of rows).
 */
export async function readRows<T>(tx: Ctx, text: string, params: unknown[]): Promise<T[]> {
  return (await tx.db.withoutPlugins().executeQuery<T>(CompiledQuery.raw(text, params))).rows;
}

/** `column in (the ids)` with one parameter whatever the count: a text array on PostgreSQL, a JSON array on SQLite. */
export const inIds = (tx: Ctx, column: string, n: number) =>
  tx.dialect === 'postgres' ? `${column} = any($${n}::text[])` : `${column} in (select value from json_each(?))`;
export const idsParam = (tx: Ctx, ids: readonly string[]): unknown => (tx.dialect === 'postgres' ? ids : JSON.stringify(ids));

/** The order and order-line fields an invoice copies. */
interface OrderForInvoice {
  id: string;
  accountId: string;
  currency: string;
  ownerId: string | null;
  teamId: string | null;
}
interface LineForInvoice {
  id: string;
  productId: string | null;
  description: string;
  unitPriceMinor: number;
  discountRate: string;
  taxRate: string;
  taxCodeId: string | null;
  taxCode: string | null;
}

export interface InvoicedItem {
  itemId: string;
  invoiceId: string;
  number: string;
  totalMinor: number;
}

/**
 * The chunk's events as one flat list of values in EVENT_COLUMNS order (no object per event), at the
 * chunk's instant, `before` and `after` already JSON: the callers build the objects without the
 * bookkeeping fields (updatedAt, version) that platform/events leaves out, so nothing is copied to
 * take them out again.
 */
/** The invoice and invoice-line columns the run writes, in the order their values are pushed below. */
const INVOICE_COLUMNS = ['id', 'number', 'legal_entity_id', 'order_id', 'delivery_id', 'account_id', 'status', 'currency', 'net_minor', 'tax_minor', 'total_minor', 'issue_date', 'due_date', 'payment_terms_days', 'issued_at', 'owner_id', 'team_id', 'created_at', 'updated_at', 'created_by', 'version'] as const;
const INVOICE_LINE_COLUMNS = ['id', 'invoice_id', 'line_no', 'order_line_id', 'delivery_line_id', 'product_id', 'description', 'qty_milli', 'unit_price_minor', 'discount_rate', 'tax_rate', 'tax_code_id', 'tax_code', 'net_minor', 'tax_minor', 'total_minor'] as const;
const EVENT_COLUMNS = ['id', 'occurred_at', 'actor_id', 'request_id', 'entity_type', 'entity_id', 'action', 'before', 'after'] as const;
function pushEvent(out: unknown[], tx: Ctx, now: string, entityType: string, entityId: string, action: string, before: string | null, after: string | null): void {
  out.push(newId('evt'), now, tx.user.id, tx.requestId, entityType, entityId, action, before, after);
}
const ISSUE_BEFORE = JSON.stringify({ status: 'draft', number: null });

/**
 * The claim of a chunk in one statement: each item (id → its new invoice id) moves to invoiced only if
 * it is still planned or due, has no invoice and is held by no request other than `requestId`;
 * returns the ids that moved. PostgreSQL joins the pairs as two arrays (one parameter each); SQLite
 * joins a VALUES list of the pairs, each found by primary key. On SQLite the guards are written `+col`
 * so that they cannot drive the plan: left to itself the planner walks the index on `invoice_id` (every
 * open item of the table has it null) and tests each row against the list — a cost that grew with the
 * table, not the chunk (a CASE over the ids instead costs the length of the list for every row).
 */
async function claimItems(tx: Ctx, pairs: ReadonlyArray<readonly [string, string]>, now: string, requestId: string | null): Promise<Set<string>> {
  const pg = tx.dialect === 'postgres';
  const params: unknown[] = [];
  const p = (v: unknown) => (params.push(v), pg ? `$${params.length}` : '?');
  // A function, so that its parameter is taken where it stands in the text (SQLite binds `?` in order).
  const g = pg ? '' : '+';
  const open = () => `${g}billing_schedule_items.status in ('planned', 'due') and ${g}billing_schedule_items.invoice_id is null
      and ${requestId ? `${g}billing_schedule_items.request_id = ${p(requestId)}` : `${g}billing_schedule_items.request_id is null`}`;
  const text = pg
    ? `update billing_schedule_items
      set status = 'invoiced', version = version + 1, updated_at = ${p(now)}, invoice_id = claim.invoice_id
      from unnest(${p(pairs.map(([id]) => id))}::text[], ${p(pairs.map(([, inv]) => inv))}::text[]) as claim(id, invoice_id)
      where billing_schedule_items.id = claim.id and ${open()}
      returning billing_schedule_items.id`
    : `update billing_schedule_items
      set status = 'invoiced', version = version + 1, updated_at = ${p(now)}, invoice_id = claim.column2
      from (values ${pairs.map(([id, inv]) => `(${p(id)}, ${p(inv)})`).join(', ')}) as claim
      where billing_schedule_items.id = claim.column1 and ${open()}
      returning billing_schedule_items.id`;
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
  items: readonly BillableItem[],
  opts: { requestId?: string; faultBeforeCommit?: boolean } = {},
): Promise<InvoicedItem[]> {
  if (!items.length) return [];
  const now = nowIso();
  // 1. Orders, lines and legal entities of the items, one query each; each line's tax code (the
  //    order line's, or for lines from before tax codes the entity's code for the rate, as invoices do).
  const orderIds = [...new Set(items.map((i) => i.orderId))];
  //    Only the fields the invoice copies, read without the camelCase mapping.
  const [orders, lines, les] = await Promise.all([
    readRows<OrderForInvoice>(tx, `select id, account_id as "accountId", currency, owner_id as "ownerId", team_id as "teamId" from orders where ${inIds(tx, 'id', 1)}`, [idsParam(tx, orderIds)]),
    readRows<LineForInvoice>(
      tx,
      `select id, product_id as "productId", description, unit_price_minor as "unitPriceMinor", discount_rate as "discountRate", tax_rate as "taxRate",
        tax_code_id as "taxCodeId", tax_code as "taxCode" from order_lines where ${inIds(tx, 'order_id', 1)}`,
      [idsParam(tx, orderIds)],
    ),
    tx.db.selectFrom('legalEntities').selectAll().execute(),
  ]);
  const orderById = new Map<string, OrderForInvoice>();
  for (const o of orders) orderById.set(o.id, o);
  const lineById = new Map<string, LineForInvoice>();
  for (const l of lines) lineById.set(l.id, l);
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
  const claimed: Array<{ item: BillableItem; invoiceId: string; to: ScheduleItemState }> = [];
  if (issuable.length) {
    const next = new Map(issuable.map((item) => [item.id, { invoiceId: newId('inv'), to: transition(scheduleItemMachine, item.status as ScheduleItemState, 'invoice') }]));
    const won = await claimItems(tx, [...next].map(([id, n]) => [id, n.invoiceId] as const), now, opts.requestId ?? null);
    for (const item of issuable) if (won.has(item.id)) claimed.push({ item, ...next.get(item.id)! });
  }
  if (!claimed.length) return [];

  // 3. Numbers: one reservation per legal entity (its series and period for the issue date), in claim order.
  const issueDates = new Map<string, string>();
  const dueDates = new Map<string, string>();
  for (const le of les) {
    const on = today(le.timezone);
    issueDates.set(le.id, on);
    dueDates.set(le.id, addDays(on, DEFAULT_PAYMENT_TERMS_DAYS));
  }
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

  // 4. Rows: each table's values in one flat list (no row object to copy into the statement), and
  //    the few fields the journal needs of each invoice and line.
  const invoiceValues: unknown[] = [];
  const lineValues: unknown[] = [];
  const events: unknown[] = [];
  const invoices: InvoiceForPosting[] = [];
  const invoiceLines: LineForPosting[] = [];
  const out: InvoicedItem[] = [];
  const actor = tx.user.id;
  for (let i = 0; i < claimed.length; i++) {
    const c = claimed[i]!;
    const order = orderById.get(c.item.orderId)!;
    const leId = c.item.legalEntityId;
    const issueDate = issueDates.get(leId)!;
    const dueDate = dueDates.get(leId)!;
    const number = numbers[i]!;
    let net = 0;
    let tax = 0;
    let lineNo = 0;
    // The lines as the `created` event lists them, built with the rows (JSON text, no second pass).
    let linesJson = '';
    for (const p of partsById.get(c.item.id)!) {
      if (p.q === 0 && p.n === 0 && p.t === 0) continue;
      const ol = lineById.get(p.l)!;
      const code = codeOf.get(ol.id)!;
      lineNo++;
      net += p.n;
      tax += p.t;
      // INVOICE_LINE_COLUMNS order.
      lineValues.push(newId('iln'), c.invoiceId, lineNo, ol.id, null, ol.productId, ol.description, p.q, ol.unitPriceMinor, ol.discountRate, ol.taxRate, code.taxCodeId, code.taxCode, p.n, p.t, p.n + p.t);
      invoiceLines.push({ invoiceId: c.invoiceId, taxRate: ol.taxRate, taxCode: code.taxCode, netMinor: p.n, taxMinor: p.t });
      linesJson += `${linesJson ? ',' : ''}{"lineNo":${lineNo},"orderLineId":${JSON.stringify(ol.id)},"qtyMilli":${p.q},"netMinor":${p.n},"taxMinor":${p.t}}`;
    }
    // INVOICE_COLUMNS order: issued at once (version 2: created, then issued).
    invoiceValues.push(c.invoiceId, number, leId, order.id, null, order.accountId, 'issued', order.currency, net, tax, net + tax, issueDate, dueDate, DEFAULT_PAYMENT_TERMS_DAYS, now, order.ownerId, order.teamId, now, now, actor, 2);
    const inv: InvoiceForPosting = { id: c.invoiceId, legalEntityId: leId, orderId: order.id, number, issueDate, status: 'issued', currency: order.currency, accountId: order.accountId, totalMinor: net + tax };
    invoices.push(inv);
    // The events as platform/events writes them (bookkeeping fields left out): `created` holds the
    // invoice as a draft, in the row's key order, with where it came from and its lines.
    const source = opts.requestId
      ? { scheduleItemId: c.item.id, kind: c.item.kind, description: c.item.description, invoiceRequestId: opts.requestId }
      : { scheduleItemId: c.item.id, kind: c.item.kind, description: c.item.description };
    const draft = JSON.stringify({
      id: inv.id,
      number: null,
      legalEntityId: leId,
      orderId: order.id,
      deliveryId: null,
      accountId: order.accountId,
      status: 'draft',
      currency: order.currency,
      netMinor: net,
      taxMinor: tax,
      totalMinor: net + tax,
      issueDate: null,
      dueDate: null,
      paymentTermsDays: DEFAULT_PAYMENT_TERMS_DAYS,
      issuedAt: null,
      ownerId: order.ownerId,
      teamId: order.teamId,
      createdAt: now,
      createdBy: actor,
      source,
    });
    pushEvent(events, tx, now, 'invoice', inv.id, 'created', null, `${draft.slice(0, -1)},"lines":[${linesJson}]}`);
    pushEvent(events, tx, now, 'invoice', inv.id, 'issue', ISSUE_BEFORE, JSON.stringify({ status: 'issued', number, issueDate, dueDate, issuedAt: now }));
    pushEvent(
      events,
      tx,
      now,
      'billing_schedule_item',
      c.item.id,
      'invoice',
      JSON.stringify({ status: c.item.status, invoiceId: null }),
      JSON.stringify({ status: c.to, invoiceId: inv.id, invoiceNumber: number }),
    );
    out.push({ itemId: c.item.id, invoiceId: inv.id, number, totalMinor: inv.totalMinor });
  }
  await bulkInsertValues(tx, 'invoices', INVOICE_COLUMNS, invoiceValues);
  await bulkInsertValues(tx, 'invoice_lines', INVOICE_LINE_COLUMNS, lineValues);
  await bulkInsertValues(tx, 'events', EVENT_COLUMNS, events);
  // 5. The journal: Dr AR / Cr revenue and VAT output per rate, idempotent per invoice — postInvoiceJournal's
  //    rule for each, from the rows in hand, with the chart, entities and rates read once for the chunk.
  const lookups = postingLookups();
  for (const le of les) lookups.entities.set(le.id, le);
  await postInvoiceJournals(tx, invoices, invoiceLines, lookups);
  if (opts.faultBeforeCommit) throw new Error('injected fault: the chunk fails before it commits');
  return out;
}
