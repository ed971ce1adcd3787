import { useQuery } from '@tanstack/react-query';
import { takePrefetched } from '../api/prefetch.ts';

/** The API's paths from its OpenAPI document: the menu shows only areas the server offers. */
export function useApiPaths() {
  return useQuery({
    queryKey: ['openapi-paths'],
    queryFn: async ({ signal }) => {
      // Started by the boot module on every signed-in page (api/prefetch.ts).
      const res = (await takePrefetched('/api/openapi.json')) ?? (await fetch('/api/openapi.json', { signal, credentials: 'same-origin' }));
      if (!res.ok) return new Set<string>();
      const doc = (await res.json()) as { paths?: Record<string, unknown> };
      return new Set(Object.keys(doc.paths ?? {}));
    },
    staleTime: Infinity,
  });
}
