import type { RecordDef } from '../platform/records.ts';

export const invoiceDef: RecordDef<'invoices'> = {
  entity: 'invoice',
  table: 'invoices',
  sortable: {
    createdAt: 'createdAt',
    updatedAt: 'updatedAt',
    number: 'number',
    issueDate: 'issueDate',
    dueDate: 'dueDate',
    total: 'totalMinor',
  },
  filters: {
    status: { column: 'status', op: '=' },
    orderId: { column: 'orderId', op: '=' },
    deliveryId: { column: 'deliveryId', op: '=' },
    accountId: { column: 'accountId', op: '=' },
    legalEntityId: { column: 'legalEntityId', op: '=' },
    dueFrom: { column: 'dueDate', op: '>=' },
    dueTo: { column: 'dueDate', op: '<=' },
    issuedFrom: { column: 'issueDate', op: '>=' },
    issuedTo: { column: 'issueDate', op: '<=' },
  },
  search: ['number'],
  scoped: true,
  nullableSort: ['number', 'issueDate', 'dueDate'],
};
