import type { RecordDef } from '../platform/records.ts';

export const leadDef: RecordDef<'leads'> = {
  entity: 'lead',
  table: 'leads',
  sortable: { createdAt: 'createdAt', name: 'name', score: 'score', updatedAt: 'updatedAt', company: 'company', lastActivityAt: 'lastActivityAt' },
  filters: {
    status: { column: 'status', op: '=' },
    ownerId: { column: 'ownerId', op: '=' },
    source: { column: 'source', op: '=' },
    region: { column: 'region', op: '=' },
    createdFrom: { column: 'createdAt', op: '>=' },
    createdTo: { column: 'createdAt', op: '<=' },
  },
  search: ['name', 'company', 'email', 'phone'],
  scoped: true,
  nullableSort: ['company', 'lastActivityAt'],
};
