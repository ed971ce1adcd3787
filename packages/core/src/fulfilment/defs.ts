import type { RecordDef } from '../platform/records.ts';

export const deliveryDef: RecordDef<'deliveries'> = {
  entity: 'delivery',
  table: 'deliveries',
  sortable: { createdAt: 'createdAt', updatedAt: 'updatedAt', number: 'number', shippedAt: 'shippedAt' },
  filters: {
    status: { column: 'status', op: '=' },
    orderId: { column: 'orderId', op: '=' },
    accountId: { column: 'accountId', op: '=' },
  },
  search: ['number', 'trackingNo', 'carrier'],
  scoped: true,
  nullableSort: ['shippedAt'],
};
