import type { Ctx } from '../platform/context.ts';
import { can, type Entity } from '../platform/permissions.ts';
import { listVisible, type RecordDef } from '../platform/records.ts';
import { quoteDef } from '../quotes/defs.ts';
import { contractDef } from '../contracts/defs.ts';
import { invoiceDef } from '../billing/defs.ts';
import { orderDef } from '../orders/defs.ts';
import { invoiceRequestDef } from '../billing/invoice-request.defs.ts';

/**
 * The approvals inbox: documents waiting at a gate the caller may open, oldest first, within their
 * scope. One place lists the gates, so a new one (e.g. discount approval) is one line here.
 */
interface Gate {
  type: string;
  entity: Entity;
  def: RecordDef<any>;
  status: string;
  actions: string[];
  title: (r: any) => string;
  amount: (r: any) => number | null;
}

const GATES: Gate[] = [
  { type: 'quotes', entity: 'quote', def: quoteDef, status: 'submitted', actions: ['approve', 'decline'], title: (r) => `${r.number} v${r.versionNo}`, amount: (r) => r.totalMinor },
  { type: 'contracts', entity: 'contract', def: contractDef, status: 'in_review', actions: ['approve', 'return'], title: (r) => `${r.number} ${r.title}`, amount: (r) => r.totalMinor },
  { type: 'invoices', entity: 'invoice', def: invoiceDef, status: 'draft', actions: ['issue', 'cancel'], title: (r) => r.number ?? r.id, amount: (r) => r.totalMinor },
  { type: 'orders', entity: 'order', def: orderDef, status: 'on_hold', actions: ['release', 'cancel'], title: (r) => r.number, amount: (r) => r.totalMinor },
  { type: 'invoice-requests', entity: 'invoice_request', def: invoiceRequestDef, status: 'pending', actions: ['approve', 'reject'], title: (r) => `${r.buyerName} (${r.invoiceType === 'special' ? '专票' : '普票'})`, amount: (r) => r.amountMinor },
];

export interface InboxItem {
  type: string;
  id: string;
  title: string;
  status: string;
  amountMinor: number | null;
  currency: string | null;
  ownerId: string | null;
  waitingSince: string;
  actions: string[];
}

export async function approvalsInbox(ctx: Ctx, limitPerGate = 100): Promise<{ items: InboxItem[] }> {
  const items: InboxItem[] = [];
  for (const g of GATES) {
    if (!can(ctx.user, g.entity, 'approve')) continue;
    const page = await listVisible(ctx, g.def, { status: g.status, sort: 'updatedAt' in g.def.sortable ? 'updatedAt' : 'createdAt', limit: limitPerGate });
    for (const r of page.items as any[])
      items.push({
        type: g.type,
        id: r.id,
        title: g.title(r),
        status: r.status,
        amountMinor: g.amount(r),
        currency: r.currency ?? null,
        ownerId: r.ownerId ?? null,
        waitingSince: r.updatedAt ?? r.createdAt,
        actions: g.actions,
      });
  }
  items.sort((a, b) => a.waitingSince.localeCompare(b.waitingSince));
  return { items };
}
