/**
 * The leads list's request, kept apart from the page (no React, no antd) so the app's boot can
 * start the first page before the page's code has loaded: the same parameters, so the page finds
 * that request under the same URL.
 */
import type { Lead } from '../../api/types.ts';
import { pageSizeOf } from '../../components/listWindow.ts';
import { RANGE_FILTERS } from '../../lib/drill.ts';
import { listFields } from '../../lib/listFields.ts';

export const LEAD_RANGES = RANGE_FILTERS.leads!;
/** The URL parameters of the leads list. */
export const LEAD_LIST_KEYS = ['q', 'status', 'source', 'sort', 'limit', ...LEAD_RANGES];
export const LEAD_DEFAULT_SORT = '-createdAt';

/** The leads list's columns and the API fields each reads (the owner column shows the owner's name from ownerId). */
export const LEAD_COLUMNS = [
  { key: 'name', fields: ['name'] },
  { key: 'company', fields: ['company'] },
  { key: 'email', fields: ['email'] },
  { key: 'phone', fields: ['phone'] },
  { key: 'status', fields: ['status'] },
  { key: 'source', fields: ['source'] },
  { key: 'region', fields: ['region'] },
  { key: 'score', fields: ['score'] },
  { key: 'owner', fields: ['ownerId'] },
  { key: 'createdAt', fields: ['createdAt'] },
] as const satisfies ReadonlyArray<{ key: string; fields: ReadonlyArray<keyof Lead> }>;

/** A row of the leads list as the list asks for it: its columns' fields, the id (row link) and version. */
export type LeadRow = Pick<Lead, 'id' | 'version' | (typeof LEAD_COLUMNS)[number]['fields'][number]>;

export const LEAD_LIST_FIELDS = listFields(LEAD_COLUMNS);

/** The API query of the leads list from its URL parameters (`get` reads one). */
export function leadListParams(
  get: (key: string) => string | null | undefined,
): Record<string, string | number | undefined> {
  const v = (k: string) => get(k) ?? undefined;
  return {
    limit: pageSizeOf(v('limit')),
    q: v('q'),
    status: v('status'),
    source: v('source'),
    sort: v('sort') ?? LEAD_DEFAULT_SORT,
    ...Object.fromEntries(LEAD_RANGES.map((k) => [k, v(k)])),
    fields: LEAD_LIST_FIELDS,
  };
}
