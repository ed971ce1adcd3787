/**
 * How a timeline shows a field of an event's before/after payload: its label (the `field.*`
 * labels the forms use, else `timelineField.*` for fields only a timeline shows) and the kind of
 * value, so amounts show as money, business dates as dates, rates as percentages and references
 * as the user or record they name — never a raw field name or id. A test walks the field names
 * the server writes into events (every column of the timeline's records and the payloads of a
 * demo company's events) and fails on one without a label in both languages.
 */

/** Label keys to try in order (i18next takes the first that exists). */
export function fieldLabelKeys(field: string): string[] {
  return [`field.${field}`, `timelineField.${field}`];
}

/** The label of a field in one language's resources, or undefined when it has none. */
export function fieldLabelIn(resources: Record<string, unknown>, field: string): string | undefined {
  for (const key of fieldLabelKeys(field)) {
    const [ns, name] = key.split('.') as [string, string];
    const v = (resources[ns] as Record<string, unknown> | undefined)?.[name];
    if (typeof v === 'string' && v.trim()) return v;
  }
  return undefined;
}

/** Fields naming a user. */
const USER_FIELDS = new Set(['ownerId', 'assigneeId', 'createdBy', 'completedBy', 'decidedBy']);

/** Fields naming another record, by the URL segment of its type. */
export const RECORD_FIELDS: Record<string, string> = {
  leadId: 'leads',
  accountId: 'accounts',
  contactId: 'contacts',
  opportunityId: 'opportunities',
  convertedAccountId: 'accounts',
  convertedContactId: 'contacts',
  convertedOpportunityId: 'opportunities',
  productId: 'products',
  quoteId: 'quotes',
  supersededById: 'quotes',
  contractId: 'contracts',
  orderId: 'orders',
  deliveryId: 'deliveries',
  invoiceId: 'invoices',
  paymentId: 'payments',
  creditNoteId: 'credit-notes',
};

export type ValueKind =
  | 'empty'
  | 'money'
  | 'date'
  | 'dateTime'
  | 'percent'
  | 'rate'
  | 'bool'
  | 'list'
  | 'object'
  | 'user'
  | 'record'
  | 'stage'
  | 'status'
  | 'text';

/** What kind of value a field holds, from its name (and the value, for the shapes). */
export function valueKind(field: string, value: unknown): ValueKind {
  if (value === null || value === undefined || value === '') return 'empty';
  if (field === 'status') return 'status';
  if (/Minor$/.test(field) && (typeof value === 'number' || typeof value === 'string')) return 'money';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'object';
  if (USER_FIELDS.has(field)) return 'user';
  if (field in RECORD_FIELDS) return 'record';
  if (field === 'stageId') return 'stage';
  if (field === 'probability') return 'percent';
  if (/Rate$/.test(field) && typeof value === 'string') return 'rate';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return 'date';
  if (/At$/.test(field) && typeof value === 'string') return 'dateTime';
  return 'text';
}

/** The currency each event's amounts are in: the record's own, as the newest event up to it names it. */
export function currenciesOf(
  events: Array<{ before: Record<string, unknown> | null; after: Record<string, unknown> | null }>,
  fallback = 'CNY',
): string[] {
  let current = fallback;
  return events.map((e) => {
    const c = e.after?.currency ?? e.before?.currency;
    if (typeof c === 'string' && /^[A-Z]{3}$/.test(c)) current = c;
    return current;
  });
}
