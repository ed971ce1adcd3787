/**
 * The app's first module: it starts the requests the first screen needs — the setup state, who is
 * signed in, the API's paths (the menu) and, on the leads list, its first page — and then loads the
 * app. The app's code takes most of a start-up to load and run; meanwhile these answers arrive, and
 * the app's own requests of the same URLs take them (api/prefetch.ts).
 */
import { queryString } from './api/client.ts';
import { prefetch } from './api/prefetch.ts';
import { leadListParams } from './pages/leads/leadList.ts';

const path = location.pathname.replace(/\/+$/, '') || '/';
const signInPages = path === '/login' || path === '/setup';
prefetch('/api/v1/setup');
prefetch('/api/v1/auth/me');
if (!signInPages) prefetch('/api/openapi.json');
if (path === '/leads') {
  const sp = new URLSearchParams(location.search);
  prefetch(`/api/v1/leads${queryString(leadListParams((k) => sp.get(k)))}`);
}

// The home page draws charts: their library (a chunk of its own) loads alongside the app.
if (path === '/') void import('./components/echartsCore.ts');

void import('./main.tsx');
