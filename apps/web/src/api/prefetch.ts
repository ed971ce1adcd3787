/**
 * Requests the app is known to make first, started by the boot module before the app's own code has
 * loaded and run (which takes most of a start-up), then handed to the app's request of the same URL:
 * the answer is there, or on its way, when the page asks. Each is used once and only while fresh; a
 * 401 answer is not handed over (a session may have begun since), nor a failed request — the app
 * then asks the server itself, as it would have without the head start.
 */
interface Started {
  at: number;
  res: Promise<Response>;
}

const started = new Map<string, Started>();
/** A head start older than this is not used (the page asked for something else meanwhile). */
export const PREFETCH_FRESH_MS = 10_000;

/** A URL as a key: the path and its parameters in name order (the order they were written in does not matter). */
export function urlKey(url: string): string {
  const u = new URL(url, 'http://localhost');
  u.searchParams.sort();
  return u.pathname + u.search;
}

/** Starts GET `url` now (same-origin, with the session cookie) for the app to take later. */
export function prefetch(url: string, fetcher: typeof fetch = fetch): void {
  const res = fetcher(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  res.catch(() => undefined);
  started.set(urlKey(url), { at: performance.now(), res });
}

/** The answer of a head start of GET `url`, once; undefined when there is none to use. */
export async function takePrefetched(url: string): Promise<Response | undefined> {
  const key = urlKey(url);
  const s = started.get(key);
  if (!s) return undefined;
  started.delete(key);
  if (performance.now() - s.at > PREFETCH_FRESH_MS) return undefined;
  try {
    const res = await s.res;
    return res.status === 401 ? undefined : res;
  } catch {
    return undefined;
  }
}

/** Drops every head start not taken yet (a sign-in or sign-out changes what the answers would be). */
export function dropPrefetched(): void {
  started.clear();
}
