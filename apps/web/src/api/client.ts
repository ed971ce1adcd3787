/**
 * The one way the web app talks to the server: fetch with the session cookie, JSON in and out,
 * and RFC 9457 problem+json turned into an ApiError that carries the stable `code` and the
 * per-field `errors`. A 401 from any call (except the sign-in calls themselves) tells the
 * auth layer that the session is gone.
 */
import { takePrefetched } from './prefetch.ts';

export interface FieldProblem {
  path: string;
  message: string;
  code?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly fields: FieldProblem[];
  readonly problem: Record<string, unknown>;

  constructor(status: number, problem: Record<string, unknown>) {
    const detail = typeof problem.detail === 'string' ? problem.detail : '';
    const title = typeof problem.title === 'string' ? problem.title : `HTTP ${status}`;
    super(detail || title);
    this.name = 'ApiError';
    this.status = status;
    this.code = typeof problem.code === 'string' ? problem.code : status === 0 ? 'network_error' : `http_${status}`;
    this.title = title;
    this.detail = detail;
    this.fields = Array.isArray(problem.errors) ? (problem.errors as FieldProblem[]) : [];
    this.problem = problem;
  }
}

export function isApiError(e: unknown, code?: string): e is ApiError {
  return e instanceof ApiError && (code === undefined || e.code === code);
}

type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  body?: unknown;
  query?: Query;
  /** The record version this change is based on; sent as If-Match. */
  version?: number;
  signal?: AbortSignal;
  /** Do not treat a 401 as "session expired" (sign-in, setup and the initial "who am I"). */
  quiet401?: boolean;
}

let unauthorizedHandler: (() => void) | null = null;
/** The auth layer registers what happens when the session turns out to be gone. */
export function onUnauthorized(fn: (() => void) | null): void {
  unauthorizedHandler = fn;
}

export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.version !== undefined) headers['if-match'] = `W/"${opts.version}"`;
  let res: Response;
  const url = `/api/v1${path}${queryString(opts.query)}`;
  // A GET the boot module already started (api/prefetch.ts) takes its answer.
  const early = method === 'GET' && opts.body === undefined ? await takePrefetched(url) : undefined;
  try {
    res = early ?? await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'Network error', detail: (e as Error)?.message ?? '' });
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { detail: text.slice(0, 300) };
    }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, (data && typeof data === 'object' ? data : {}) as Record<string, unknown>);
    if (res.status === 401 && !opts.quiet401) unauthorizedHandler?.();
    throw err;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body: unknown = {}, opts: Omit<RequestOptions, 'body'> = {}) => request<T>('POST', path, { ...opts, body }),
  patch: <T>(path: string, body: unknown, version?: number) => request<T>('PATCH', path, { body, version }),
};
