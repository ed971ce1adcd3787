import type { RecordDef } from '../platform/records.ts';

export const contractDef: RecordDef<'contracts'> = {
  entity: 'contract',
  table: 'contracts',
  sortable: {
    createdAt: 'createdAt',
    updatedAt: 'updatedAt',
    number: 'number',
    title: 'title',
    total: 'totalMinor',
    endDate: 'endDate',
  },
  filters: {
    status: { column: 'status', op: '=' },
    accountId: { column: 'accountId', op: '=' },
    quoteId: { column: 'quoteId', op: '=' },
    opportunityId: { column: 'opportunityId', op: '=' },
    ownerId: { column: 'ownerId', op: '=' },
    endFrom: { column: 'endDate', op: '>=' },
    endTo: { column: 'endDate', op: '<=' },
  },
  search: ['number', 'title'],
  scoped: true,
  nullableSort: ['endDate'],
};
