/**
 * A KPI's `drill` link is an API list URL (/api/v1/leads?createdFrom=…&status=converted); the web
 * app shows the same records on its own list page with the same filters in its URL.
 */
const LIST_ROUTES: Record<string, string> = {
  leads: '/leads',
  opportunities: '/opportunities/list',
  accounts: '/accounts',
  contacts: '/contacts',
  quotes: '/quotes',
  contracts: '/contracts',
  orders: '/orders',
  deliveries: '/deliveries',
  invoices: '/invoices',
  payments: '/payments',
};

export function drillRoute(drill: string | undefined): string | null {
  if (!drill) return null;
  const m = /^\/api\/v1\/([a-z-]+)(\?.*)?$/.exec(drill);
  const route = m && LIST_ROUTES[m[1]!];
  if (!route) return null;
  return `${route}${m[2] ?? ''}`;
}

/** Date-range filters the list pages take from a drill link, by API collection. */
export const RANGE_FILTERS: Record<string, string[]> = {
  leads: ['createdFrom', 'createdTo'],
  opportunities: ['createdFrom', 'closedFrom', 'closedTo'],
  invoices: ['issuedFrom', 'issuedTo', 'dueFrom', 'dueTo'],
  payments: ['receivedFrom', 'receivedTo'],
};
