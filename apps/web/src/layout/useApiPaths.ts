import { useQuery } from '@tanstack/react-query';

/** The API's paths from its OpenAPI document: the menu shows only areas the server offers. */
export function useApiPaths() {
  return useQuery({
    queryKey: ['openapi-paths'],
    queryFn: async ({ signal }) => {
      const res = await fetch('/api/openapi.json', { signal, credentials: 'same-origin' });
      if (!res.ok) return new Set<string>();
      const doc = (await res.json()) as { paths?: Record<string, unknown> };
      return new Set(Object.keys(doc.paths ?? {}));
    },
    staleTime: Infinity,
  });
}
