import type { RecordDef } from '../platform/records.ts';
import { loadVisible } from '../platform/records.ts';
import { AppError } from '../platform/errors.ts';
import { timelineOf } from '../platform/events.ts';
import type { Ctx } from '../platform/context.ts';
import { leadDef } from '../leads/defs.ts';
import { accountDef, contactDef, opportunityDef } from '../sales/defs.ts';
import { productDef } from '../catalog/defs.ts';
import { quoteDef } from '../quotes/defs.ts';
import { contractDef } from '../contracts/defs.ts';
import { orderDef } from '../orders/defs.ts';
import { deliveryDef } from '../fulfilment/defs.ts';
import { invoiceDef } from '../billing/defs.ts';
import { paymentDef } from '../payments/defs.ts';
import { creditNoteDef } from '../billing/credit-note.defs.ts';
import { invoiceRequestDef } from '../billing/invoice-request.defs.ts';
import { getActivity } from '../activities/activities.ts';

/** Every document type by its URL segment, so generic endpoints (timeline, trace) share one map. */
export const DOCUMENTS: Record<string, RecordDef<any>> = {
  leads: leadDef,
  accounts: accountDef,
  contacts: contactDef,
  opportunities: opportunityDef,
  products: productDef,
  quotes: quoteDef,
  contracts: contractDef,
  orders: orderDef,
  deliveries: deliveryDef,
  invoices: invoiceDef,
  'credit-notes': creditNoteDef,
  'invoice-requests': invoiceRequestDef,
  payments: paymentDef,
};

export function registerDocument(segment: string, def: RecordDef<any>): void {
  DOCUMENTS[segment] = def;
}

export function documentDef(segment: string): RecordDef<any> {
  const def = DOCUMENTS[segment] ?? Object.values(DOCUMENTS).find((d) => d.entity === segment);
  if (!def)
    throw new AppError(404, 'unknown_type', 'Unknown document type', `no document type ${segment}; known: ${Object.keys(DOCUMENTS).join(', ')}`);
  return def;
}

/** The event timeline of one record, after checking the caller may see that record. */
export async function recordTimeline(ctx: Ctx, segment: string, id: string) {
  // An activity is seen through its parent (activities domain), not through the records kernel.
  if (segment === 'activities') {
    await getActivity(ctx, id);
    return { items: await timelineOf(ctx, 'activity', id) };
  }
  const def = documentDef(segment);
  await loadVisible(ctx, def, id);
  return { items: await timelineOf(ctx, def.entity, id) };
}
