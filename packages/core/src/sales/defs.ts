import type { RecordDef } from '../platform/records.ts';

export const accountDef: RecordDef<'accounts'> = {
  entity: 'account',
  table: 'accounts',
  sortable: { createdAt: 'createdAt', name: 'name', updatedAt: 'updatedAt' },
  filters: {
    ownerId: { column: 'ownerId', op: '=' },
    region: { column: 'region', op: '=' },
    industry: { column: 'industry', op: '=' },
  },
  search: ['name', 'taxId'],
  scoped: true,
};

export const contactDef: RecordDef<'contacts'> = {
  entity: 'contact',
  table: 'contacts',
  sortable: { createdAt: 'createdAt', name: 'name' },
  filters: { accountId: { column: 'accountId', op: '=' } },
  search: ['name', 'email', 'phone'],
  scoped: true,
};

export const opportunityDef: RecordDef<'opportunities'> = {
  entity: 'opportunity',
  table: 'opportunities',
  sortable: {
    createdAt: 'createdAt',
    name: 'name',
    amount: 'amountMinor',
    expectedCloseDate: 'expectedCloseDate',
    updatedAt: 'updatedAt',
  },
  filters: {
    status: { column: 'status', op: '=' },
    stageId: { column: 'stageId', op: '=' },
    pipelineId: { column: 'pipelineId', op: '=' },
    accountId: { column: 'accountId', op: '=' },
    ownerId: { column: 'ownerId', op: '=' },
    closeFrom: { column: 'expectedCloseDate', op: '>=' },
    closeTo: { column: 'expectedCloseDate', op: '<=' },
    closedFrom: { column: 'closedAt', op: '>=' },
    closedTo: { column: 'closedAt', op: '<=' },
  },
  search: ['name'],
  scoped: true,
  nullableSort: ['expectedCloseDate'],
};
