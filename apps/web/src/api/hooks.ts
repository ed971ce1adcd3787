import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import type { Page, Pipeline, TimelineEvent, Versioned } from './types.ts';

export type ListParams = Record<string, string | number | undefined>;

/** A cursor-paged list: `fetchNextPage` follows `nextCursor` ("Load more"). */
export function useList<T>(type: string, params: ListParams, enabled = true) {
  return useInfiniteQuery({
    queryKey: [type, 'list', params],
    queryFn: ({ pageParam, signal }) => api.get<Page<T>>(`/${type}`, { ...params, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Every page of a list, following cursors up to `cap` rows (for boards and home figures). */
export async function fetchAll<T>(type: string, params: ListParams, cap = 2000, signal?: AbortSignal): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.get<Page<T>>(`/${type}`, { ...params, limit: 200, cursor }, signal);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < cap);
  return { items, truncated: !!cursor };
}

export function useAll<T>(type: string, params: ListParams, enabled = true, cap = 2000) {
  return useQuery({
    queryKey: [type, 'all', params, cap],
    queryFn: ({ signal }) => fetchAll<T>(type, params, cap, signal),
    enabled,
  });
}

export function useRecord<T>(type: string, id: string | undefined) {
  return useQuery({
    queryKey: [type, 'record', id],
    queryFn: ({ signal }) => api.get<T>(`/${type}/${id}`, undefined, signal),
    enabled: !!id,
  });
}

export function useTimeline(type: string, id: string | undefined) {
  return useQuery({
    queryKey: [type, 'timeline', id],
    queryFn: ({ signal }) => api.get<{ items: TimelineEvent[] }>(`/${type}/${id}/timeline`, undefined, signal),
    enabled: !!id,
  });
}

export function usePipelines() {
  return useQuery({
    queryKey: ['pipelines'],
    queryFn: ({ signal }) => api.get<Pipeline[]>('/pipelines', undefined, signal),
    staleTime: 5 * 60_000,
  });
}

/** The default pipeline (or the first one). */
export function useDefaultPipeline() {
  const q = usePipelines();
  const pipeline = q.data?.find((p) => p.isDefault) ?? q.data?.[0];
  return { ...q, pipeline };
}

/** After a write: refresh every cached list and record of these types. */
export function useInvalidate() {
  const qc = useQueryClient();
  return (...types: string[]) => Promise.all(types.map((t) => qc.invalidateQueries({ queryKey: [t] })));
}

/** POST /{type}/{id}/{action}; refreshes the record, its lists and its timeline. */
export function useRecordAction<T extends Versioned>(type: string, id: string | undefined, also: string[] = []) {
  const qc = useQueryClient();
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ action, body }: { action: string; body?: unknown }) => api.post<T>(`/${type}/${id}/${action}`, body ?? {}),
    onSuccess: async (data) => {
      if (data && typeof data === 'object' && 'id' in data && (data as Versioned).id === id) qc.setQueryData([type, 'record', id], data);
      await invalidate(type, ...also);
    },
  });
}

/** PATCH /{type}/{id} with If-Match. */
export function usePatch<T extends Versioned>(type: string) {
  const qc = useQueryClient();
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, body, version }: { id: string; body: Record<string, unknown>; version: number }) =>
      api.patch<T>(`/${type}/${id}`, body, version),
    onSuccess: async (data) => {
      qc.setQueryData([type, 'record', data.id], data);
      await invalidate(type);
    },
  });
}

/** POST /{type} (create). */
export function useCreate<T>(type: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<T>(`/${type}`, body),
    onSuccess: () => invalidate(type),
  });
}
