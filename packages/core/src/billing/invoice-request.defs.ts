import type { RecordDef } from '../platform/records.ts';

export const invoiceRequestDef: RecordDef<'invoiceRequests'> = {
  entity: 'invoice_request',
  table: 'invoiceRequests',
  sortable: { createdAt: 'createdAt', updatedAt: 'updatedAt', amount: 'amountMinor' },
  filters: {
    status: { column: 'status', op: '=' },
    orderId: { column: 'orderId', op: '=' },
    accountId: { column: 'accountId', op: '=' },
  },
  search: ['buyerName', 'buyerTaxId'],
  scoped: true,
};
