import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { isApiError, onUnauthorized, request } from '../api/client.ts';
import { dropPrefetched } from '../api/prefetch.ts';
import type { Me, PermissionAction } from '../api/types.ts';

/** Set when a call answered 401 while signed in; the login page then says the session expired. */
let sessionExpired = false;
export const wasSessionExpired = () => sessionExpired;
export const clearSessionExpired = () => {
  sessionExpired = false;
};

export interface Auth {
  me: Me | null;
  loading: boolean;
  error: unknown;
  /** Whether the signed-in user may do `action` on `entity` (lead, opportunity, …). */
  can: (entity: string, action?: PermissionAction) => boolean;
  signedIn: (me: Me) => void;
  logout: () => Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

export const meQueryKey = ['me'];

async function fetchMe(): Promise<Me | null> {
  try {
    return await request<Me>('GET', '/auth/me', { quiet401: true });
  } catch (e) {
    if (isApiError(e) && e.status === 401) return null;
    throw e;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const q = useQuery({ queryKey: meQueryKey, queryFn: fetchMe, staleTime: Infinity, retry: false });

  useEffect(() => {
    onUnauthorized(() => {
      if (qc.getQueryData(meQueryKey)) sessionExpired = true;
      qc.setQueryData(meQueryKey, null);
    });
    return () => onUnauthorized(null);
  }, [qc]);

  const me = q.data ?? null;
  const can = useCallback(
    (entity: string, action: PermissionAction = 'read') => !!me?.permissions[entity]?.actions.includes(action),
    [me],
  );
  const signedIn = useCallback(
    (next: Me) => {
      clearSessionExpired();
      dropPrefetched();
      // Whatever was cached belonged to the previous session.
      qc.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' && query.queryKey[0] !== 'setup' });
      qc.setQueryData(meQueryKey, next);
    },
    [qc],
  );
  const logout = useCallback(async () => {
    try {
      await request('POST', '/auth/logout', { body: {}, quiet401: true });
    } finally {
      clearSessionExpired();
      dropPrefetched();
      qc.setQueryData(meQueryKey, null);
      qc.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
    }
  }, [qc]);

  const value = useMemo<Auth>(
    () => ({ me, loading: q.isPending, error: q.error, can, signedIn, logout }),
    [me, q.isPending, q.error, can, signedIn, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth outside AuthProvider');
  return a;
}

export function useSetupStatus() {
  return useQuery({
    queryKey: ['setup'],
    queryFn: () => request<{ needsSetup: boolean }>('GET', '/setup', { quiet401: true }),
    staleTime: Infinity,
    retry: 1,
  });
}
