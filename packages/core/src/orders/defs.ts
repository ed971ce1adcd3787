import type { RecordDef } from '../platform/records.ts';

export const orderDef: RecordDef<'orders'> = {
  entity: 'order',
  table: 'orders',
  sortable: { createdAt: 'createdAt', updatedAt: 'updatedAt', number: 'number', orderDate: 'orderDate', total: 'totalMinor' },
  filters: {
    status: { column: 'status', op: '=' },
    accountId: { column: 'accountId', op: '=' },
    ownerId: { column: 'ownerId', op: '=' },
    quoteId: { column: 'quoteId', op: '=' },
    contractId: { column: 'contractId', op: '=' },
    dateFrom: { column: 'orderDate', op: '>=' },
    dateTo: { column: 'orderDate', op: '<=' },
  },
  search: ['number'],
  scoped: true,
};
