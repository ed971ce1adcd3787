import type { RecordDef } from '../platform/records.ts';

export const quoteDef: RecordDef<'quotes'> = {
  entity: 'quote',
  table: 'quotes',
  sortable: {
    createdAt: 'createdAt',
    updatedAt: 'updatedAt',
    number: 'number',
    total: 'totalMinor',
    validUntil: 'validUntil',
  },
  filters: {
    status: { column: 'status', op: '=' },
    opportunityId: { column: 'opportunityId', op: '=' },
    accountId: { column: 'accountId', op: '=' },
    ownerId: { column: 'ownerId', op: '=' },
    number: { column: 'number', op: '=' },
  },
  search: ['number', 'notes'],
  scoped: true,
  nullableSort: ['validUntil'],
};
