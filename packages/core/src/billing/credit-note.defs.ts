import type { RecordDef } from '../platform/records.ts';

export const creditNoteDef: RecordDef<'creditNotes'> = {
  entity: 'credit_note',
  table: 'creditNotes',
  sortable: { createdAt: 'createdAt', updatedAt: 'updatedAt', number: 'number', issueDate: 'issueDate', total: 'totalMinor' },
  filters: {
    status: { column: 'status', op: '=' },
    invoiceId: { column: 'invoiceId', op: '=' },
    orderId: { column: 'orderId', op: '=' },
    accountId: { column: 'accountId', op: '=' },
    legalEntityId: { column: 'legalEntityId', op: '=' },
    issuedFrom: { column: 'issueDate', op: '>=' },
    issuedTo: { column: 'issueDate', op: '<=' },
  },
  search: ['number', 'reason'],
  scoped: true,
  nullableSort: ['number', 'issueDate'],
};
