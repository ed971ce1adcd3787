import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A list's filters and sort live in the URL (?status=new&sort=-createdAt), so a reload, the back
 * button or a shared link shows the same list.
 */
export function useListParams(keys: string[], defaults: Record<string, string> = {}) {
  const [sp, setSp] = useSearchParams();
  const keyList = keys.join(',');
  const params = useMemo(() => {
    const out: Record<string, string | undefined> = {};
    for (const k of keyList.split(',')) out[k] = sp.get(k) ?? defaults[k] ?? undefined;
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sp, keyList]);
  const set = useCallback(
    (patch: Record<string, string | undefined | null>) => {
      setSp(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch)) {
            if (v === undefined || v === null || v === '') next.delete(k);
            else next.set(k, v);
          }
          return next;
        },
        { replace: true },
      );
    },
    [setSp],
  );
  return [params, set] as const;
}
