import type { RecordDef } from '../platform/records.ts';

export const paymentDef: RecordDef<'payments'> = {
  entity: 'payment',
  table: 'payments',
  sortable: { createdAt: 'createdAt', number: 'number', receivedOn: 'receivedOn', amount: 'amountMinor' },
  filters: {
    status: { column: 'status', op: '=' },
    accountId: { column: 'accountId', op: '=' },
    legalEntityId: { column: 'legalEntityId', op: '=' },
    method: { column: 'method', op: '=' },
    currency: { column: 'currency', op: '=' },
    receivedFrom: { column: 'receivedOn', op: '>=' },
    receivedTo: { column: 'receivedOn', op: '<=' },
  },
  search: ['number', 'reference'],
  scoped: true,
};
