import type { RecordDef } from '../platform/records.ts';

/** Products are global (not team-scoped): every role that may read products sees the whole catalog. */
export const productDef: RecordDef<'products'> = {
  entity: 'product',
  table: 'products',
  sortable: { createdAt: 'createdAt', updatedAt: 'updatedAt', sku: 'sku', name: 'name', listPrice: 'listPriceMinor' },
  filters: {
    active: { column: 'active', op: '=' },
    kind: { column: 'kind', op: '=' },
    currency: { column: 'currency', op: '=' },
  },
  search: ['sku', 'name'],
  scoped: false,
};
