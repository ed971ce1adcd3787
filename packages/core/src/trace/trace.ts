import type { Db } from '@openltc/db';
import type { Ctx } from '../platform/context.ts';
import { notFound } from '../platform/errors.ts';
import { can, inScope, type Entity } from '../platform/permissions.ts';
import { documentDef } from './registry.ts';
import { orderLinesOf } from '../orders/order.repo.ts';
import { orderProgress } from '../orders/progress.ts';
import { deliveredByOrderLine } from '../fulfilment/delivery.repo.ts';
import { invoiceTotalsByOrder } from '../billing/invoice.repo.ts';
import { allocationsOf, paidByInvoice, paidByOrder } from '../payments/payment.repo.ts';
import { creditedByInvoice } from '../billing/credit-note.repo.ts';

/**
 * The lead-to-cash thread around any document. This is the one read model that follows links across
 * domains (by ids only): it climbs from the starting document to the root of its chain (the lead, or
 * the first document that has no parent) and then walks down to the payments, so siblings (other
 * deliveries and invoices of the same order) appear too. Documents the caller may not see are
 * returned as `restricted` stubs without any of their data.
 */
export type DocType =
  | 'lead'
  | 'account'
  | 'contact'
  | 'opportunity'
  | 'quote'
  | 'contract'
  | 'order'
  | 'delivery'
  | 'invoice'
  | 'invoice_request'
  | 'credit_note'
  | 'payment';

const TABLE: Record<DocType, string> = {
  lead: 'leads',
  account: 'accounts',
  contact: 'contacts',
  opportunity: 'opportunities',
  quote: 'quotes',
  contract: 'contracts',
  order: 'orders',
  delivery: 'deliveries',
  invoice: 'invoices',
  invoice_request: 'invoiceRequests',
  credit_note: 'creditNotes',
  payment: 'payments',
};

export interface TraceNode {
  type: DocType;
  id: string;
  restricted: boolean;
  number?: string | null;
  title?: string | null;
  status?: string | null;
  amountMinor?: number | null;
  currency?: string | null;
  createdAt?: string;
  /** Extra figures per type: delivered/billed/paid for orders, paid/outstanding for invoices. */
  figures?: Record<string, number | string | null>;
}

export interface TraceEdge {
  from: string;
  to: string;
  /** How the link was made: converted, quoted, contracted, ordered, delivered, invoiced, paid, … */
  kind: string;
  amountMinor?: number;
}

export interface Trace {
  start: { type: DocType; id: string };
  root: { type: DocType; id: string };
  nodes: TraceNode[];
  edges: TraceEdge[];
}

const MAX_NODES = 500;

type Row = Record<string, any>;
type Key = `${DocType}:${string}`;
const key = (t: DocType, id: string): Key => `${t}:${id}`;

async function load(db: Db, type: DocType, id: string): Promise<Row | undefined> {
  return (db as any).selectFrom(TABLE[type]).selectAll().where('id', '=', id).executeTakeFirst();
}

async function where(db: Db, type: DocType, column: string, value: string): Promise<Row[]> {
  return (db as any).selectFrom(TABLE[type]).selectAll().where(column, '=', value).orderBy('createdAt').execute();
}

/** Parents of a document, nearest first. */
async function parents(db: Db, type: DocType, r: Row): Promise<Array<[DocType, string, string]>> {
  const out: Array<[DocType, string, string]> = [];
  const push = (t: DocType, id: string | null | undefined, kind: string) => {
    if (id) out.push([t, id, kind]);
  };
  switch (type) {
    case 'account':
    case 'contact':
      push('lead', r.leadId, 'converted');
      break;
    case 'opportunity':
      if (r.leadId) push('lead', r.leadId, 'converted');
      else push('account', r.accountId, 'opportunity');
      break;
    case 'quote':
      push('opportunity', r.opportunityId, 'quoted');
      break;
    case 'contract':
      if (r.quoteId) push('quote', r.quoteId, 'contracted');
      else push('account', r.accountId, 'contract');
      break;
    case 'order':
      if (r.contractId) push('contract', r.contractId, 'ordered');
      else if (r.quoteId) push('quote', r.quoteId, 'ordered');
      else push('account', r.accountId, 'order');
      break;
    case 'delivery':
      push('order', r.orderId, 'delivered');
      break;
    case 'invoice': {
      // An invoice made on an invoice request (开票申请) hangs under the request, which hangs under the order.
      const req = await db.selectFrom('invoiceRequests').select('id').where('invoiceId', '=', r.id).executeTakeFirst();
      if (req) push('invoice_request', req.id, 'invoiced');
      else if (r.deliveryId) push('delivery', r.deliveryId, 'invoiced');
      else push('order', r.orderId, 'invoiced');
      break;
    }
    case 'invoice_request':
      push('order', r.orderId, 'requested');
      break;
    case 'credit_note':
      push('invoice', r.invoiceId, 'credited');
      break;
    case 'payment': {
      const allocs = await db.selectFrom('paymentAllocations').select('invoiceId').where('paymentId', '=', r.id).orderBy('createdAt').execute();
      if (allocs[0]) push('invoice', allocs[0].invoiceId, 'paid');
      break;
    }
  }
  return out;
}

/** Children of a document: [type, row, link kind, amount]. */
async function children(db: Db, type: DocType, r: Row, isRoot: boolean): Promise<Array<[DocType, Row, string, number?]>> {
  const out: Array<[DocType, Row, string, number?]> = [];
  const add = (t: DocType, rows: Row[], kind: string) => rows.forEach((c) => out.push([t, c, kind]));
  switch (type) {
    case 'lead':
      add('account', await where(db, 'account', 'leadId', r.id), 'converted');
      add('contact', await where(db, 'contact', 'leadId', r.id), 'converted');
      add('opportunity', await where(db, 'opportunity', 'leadId', r.id), 'converted');
      break;
    case 'account':
      // Only a root account fans out: a converted lead's account belongs to many threads.
      if (isRoot) {
        add('opportunity', (await where(db, 'opportunity', 'accountId', r.id)).filter((o) => !o.leadId), 'opportunity');
        add('contract', (await where(db, 'contract', 'accountId', r.id)).filter((c) => !c.quoteId), 'contract');
        add('order', (await where(db, 'order', 'accountId', r.id)).filter((o) => !o.quoteId && !o.contractId), 'order');
      }
      break;
    case 'opportunity':
      add('quote', await where(db, 'quote', 'opportunityId', r.id), 'quoted');
      break;
    case 'quote':
      add('contract', await where(db, 'contract', 'quoteId', r.id), 'contracted');
      add('order', (await where(db, 'order', 'quoteId', r.id)).filter((o) => !o.contractId), 'ordered');
      break;
    case 'contract':
      add('order', await where(db, 'order', 'contractId', r.id), 'ordered');
      break;
    case 'order': {
      add('delivery', await where(db, 'delivery', 'orderId', r.id), 'delivered');
      const requests = await where(db, 'invoice_request', 'orderId', r.id);
      const requested = new Set(requests.map((q) => q.invoiceId).filter(Boolean));
      add('invoice_request', requests, 'requested');
      add('invoice', (await where(db, 'invoice', 'orderId', r.id)).filter((i) => !i.deliveryId && !requested.has(i.id)), 'invoiced');
      break;
    }
    case 'delivery':
      add('invoice', await where(db, 'invoice', 'deliveryId', r.id), 'invoiced');
      break;
    case 'invoice_request':
      if (r.invoiceId) add('invoice', await where(db, 'invoice', 'id', r.invoiceId), 'invoiced');
      break;
    case 'invoice': {
      const allocs = await db
        .selectFrom('paymentAllocations')
        .innerJoin('payments', 'payments.id', 'paymentAllocations.paymentId')
        .selectAll('payments')
        .select('paymentAllocations.amountMinor as allocatedMinor')
        .where('paymentAllocations.invoiceId', '=', r.id)
        .orderBy('paymentAllocations.createdAt')
        .execute();
      // One edge per payment with what it still pays, net of reversal and credit-release counter-rows.
      const net = new Map<string, [Row, number]>();
      for (const a of allocs) net.set(a.id, [net.get(a.id)?.[0] ?? a, (net.get(a.id)?.[1] ?? 0) + Number(a.allocatedMinor)]);
      for (const [p, amount] of net.values()) out.push(['payment', p, p.status === 'reversed' ? 'reversed' : 'paid', amount]);
      add('credit_note', (await where(db, 'credit_note', 'invoiceId', r.id)).filter((c) => c.status !== 'cancelled'), 'credited');
      break;
    }
  }
  return out;
}

const ENTITY: Record<DocType, Entity> = {
  lead: 'lead',
  account: 'account',
  contact: 'contact',
  opportunity: 'opportunity',
  quote: 'quote',
  contract: 'contract',
  order: 'order',
  delivery: 'delivery',
  invoice: 'invoice',
  invoice_request: 'invoice_request',
  credit_note: 'credit_note',
  payment: 'payment',
};

function visible(ctx: Ctx, type: DocType, r: Row): boolean {
  const e = ENTITY[type];
  return can(ctx.user, e, 'read') && inScope(ctx.user, e, { ownerId: r.ownerId ?? null, teamId: r.teamId ?? null });
}

function describe(type: DocType, r: Row): Omit<TraceNode, 'type' | 'id' | 'restricted'> {
  const base = { status: r.status ?? null, createdAt: r.createdAt, currency: r.currency ?? null };
  switch (type) {
    case 'lead':
      return { ...base, title: r.company ? `${r.name} · ${r.company}` : r.name, number: null, amountMinor: null };
    case 'account':
    case 'contact':
      return { ...base, title: r.name, number: null, amountMinor: null };
    case 'opportunity':
      return { ...base, title: r.name, number: null, amountMinor: r.amountMinor, figures: { probability: r.probability } };
    case 'quote':
      return { ...base, title: `${r.number} v${r.versionNo}`, number: r.number, amountMinor: r.totalMinor, figures: { versionNo: r.versionNo } };
    case 'contract':
      return { ...base, title: r.title, number: r.number, amountMinor: r.totalMinor };
    case 'order':
    case 'invoice':
    case 'credit_note':
      return { ...base, title: r.number, number: r.number, amountMinor: r.totalMinor };
    case 'invoice_request':
      return { ...base, title: r.buyerName, number: null, amountMinor: Number(r.amountMinor), figures: { invoiceType: r.invoiceType } };
    case 'delivery':
      return { ...base, title: r.number, number: r.number, amountMinor: null, figures: { carrier: r.carrier ?? null, trackingNo: r.trackingNo ?? null } };
    case 'payment':
      return { ...base, title: r.number, number: r.number, amountMinor: r.amountMinor };
  }
}

/**
 * Per-type figures, computed by the owning domains' own grouped queries (one per type, not per node):
 * delivered/billed/paid for orders, paid/outstanding for invoices, allocated/unallocated for payments.
 */
async function figuresOf(db: Db, type: DocType, rows: Row[]): Promise<Map<string, Record<string, number>>> {
  const ids = rows.map((r) => r.id as string);
  const out = new Map<string, Record<string, number>>();
  if (type === 'order') {
    const [lines, delivered, billed, paid] = await Promise.all([
      orderLinesOf(db, ids),
      deliveredByOrderLine(db, ids),
      invoiceTotalsByOrder(db, ids),
      paidByOrder(db, ids),
    ]);
    for (const r of rows) {
      const p = orderProgress(
        r.totalMinor,
        lines.filter((l) => l.orderId === r.id),
        delivered,
        billed.get(r.id)?.billedMinor ?? 0,
        paid.get(r.id) ?? 0,
      );
      out.set(r.id, { ...p });
    }
  } else if (type === 'invoice') {
    const [paid, credited] = await Promise.all([paidByInvoice(db, ids), creditedByInvoice(db, ids)]);
    for (const r of rows) {
      const p = paid.get(r.id) ?? 0;
      const c = credited.get(r.id) ?? 0;
      const owed = r.status === 'draft' || r.status === 'cancelled' ? 0 : r.totalMinor - p - c;
      out.set(r.id, { paidMinor: p, creditedMinor: c, outstandingMinor: owed });
    }
  } else if (type === 'payment') {
    const allocs = await allocationsOf(db, ids);
    for (const r of rows) {
      const allocated = allocs.filter((a) => a.paymentId === r.id).reduce((sum, a) => sum + Number(a.amountMinor), 0);
      out.set(r.id, { allocatedMinor: allocated, unallocatedMinor: r.amountMinor - allocated });
    }
  }
  return out;
}

export async function traceDocument(ctx: Ctx, segment: string, id: string): Promise<Trace> {
  const def = documentDef(segment);
  const type = (Object.keys(ENTITY) as DocType[]).find((t) => ENTITY[t] === def.entity);
  if (!type) throw notFound(segment, id);
  const startRow = await load(ctx.db, type, id);
  if (!startRow || !visible(ctx, type, startRow)) throw notFound(def.entity, id);

  // Climb to the root.
  let rootType: DocType = type;
  let rootRow: Row = startRow;
  for (let guard = 0; guard < 20; guard++) {
    const [p] = await parents(ctx.db, rootType, rootRow);
    if (!p) break;
    const pr = await load(ctx.db, p[0], p[1]);
    if (!pr) break;
    rootType = p[0];
    rootRow = pr;
  }

  // Walk down breadth-first.
  const rows = new Map<Key, [DocType, Row]>();
  const edges: TraceEdge[] = [];
  const queue: Array<[DocType, Row]> = [[rootType, rootRow]];
  rows.set(key(rootType, rootRow.id), [rootType, rootRow]);
  while (queue.length && rows.size < MAX_NODES) {
    const [t, r] = queue.shift()!;
    const isRoot = t === rootType && r.id === rootRow.id;
    for (const [ct, cr, kind, amount] of await children(ctx.db, t, r, isRoot)) {
      const k = key(ct, cr.id);
      edges.push({ from: key(t, r.id), to: k, kind, ...(amount !== undefined ? { amountMinor: amount } : {}) });
      if (!rows.has(k)) {
        rows.set(k, [ct, cr]);
        queue.push([ct, cr]);
      }
    }
  }
  // The starting document is always part of its thread (e.g. a payment allocated to several invoices).
  if (!rows.has(key(type, startRow.id))) rows.set(key(type, startRow.id), [type, startRow]);

  const nodes: TraceNode[] = [];
  const byType = new Map<DocType, Row[]>();
  for (const [t, r] of rows.values()) {
    if (visible(ctx, t, r)) {
      nodes.push({ type: t, id: r.id, restricted: false, ...describe(t, r) });
      byType.set(t, [...(byType.get(t) ?? []), r]);
    } else nodes.push({ type: t, id: r.id, restricted: true });
  }
  for (const [t, visibleRows] of byType) {
    const figs = await figuresOf(ctx.db, t, visibleRows);
    for (const n of nodes) if (n.type === t && figs.has(n.id)) n.figures = { ...(n.figures ?? {}), ...figs.get(n.id) };
  }
  return { start: { type, id: startRow.id }, root: { type: rootType, id: rootRow.id }, nodes, edges };
}
