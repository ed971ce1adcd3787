import { Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { User } from '../api/types.ts';
import { useAuth } from '../auth/auth.tsx';

function useName(type: string, id: string | null | undefined) {
  return useQuery({
    queryKey: [type, 'record', id],
    queryFn: ({ signal }) => api.get<{ id: string; name?: string; number?: string | null; title?: string; versionNo?: number }>(`/${type}/${id}`, undefined, signal),
    enabled: !!id,
    staleTime: 60_000,
    retry: false,
  });
}

/** A link to another record showing its name (loaded, cached and shared by every use). */
export function RecordLink({ type, id }: { type: string; id: string | null | undefined }) {
  const { t } = useTranslation();
  const q = useName(type, id);
  if (!id) return <Typography.Text type="secondary">—</Typography.Text>;
  const d = q.data;
  const docLabel = d?.number ? `${d.number}${d.versionNo ? ` v${d.versionNo}` : ''}` : d?.number === null ? t('documents.draftNoNumber') : undefined;
  const label = d?.name ?? d?.title ?? docLabel ?? (q.isError ? t('common.notVisible') : '…');
  return <Link to={`/${type}/${id}`}>{label}</Link>;
}

/** The owner's name: the user themself, or from the user list when the role may read users. */
export function OwnerName({ id }: { id: string | null | undefined }) {
  const { t } = useTranslation();
  const { me, can } = useAuth();
  const users = useQuery({
    queryKey: ['users', 'all'],
    queryFn: ({ signal }) => api.get<{ items: User[] }>('/users', undefined, signal),
    enabled: can('user'),
    staleTime: 5 * 60_000,
  });
  if (!id) return <Typography.Text type="secondary">{t('common.unassigned')}</Typography.Text>;
  if (id === me?.user.id) return <span>{me.user.name}</span>;
  const u = users.data?.items.find((x) => x.id === id);
  return <span>{u?.name ?? t('common.colleague')}</span>;
}
