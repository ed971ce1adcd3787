import { App, Button, Select, Space, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useAuth } from '../../auth/auth.tsx';
import { problemMessage } from '../../components/errors.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFormat } from '../../lib/format.ts';

interface Job {
  id: string;
  type: string;
  status: 'pending' | 'running' | 'done' | 'dead';
  attempts: number;
  maxAttempts?: number;
  lastError?: string | null;
  runAt: string;
  updatedAt: string;
}

const COLORS: Record<string, string> = { pending: 'blue', running: 'processing', done: 'green', dead: 'red' };

/** The outbox: recent background jobs; a dead one can be retried. */
export function JobsTab() {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [status, setStatus] = useState<string | undefined>();
  const q = useQuery({
    queryKey: ['jobs', status],
    queryFn: ({ signal }) => api.get<{ items: Job[] }>('/jobs', { status, limit: 100 }, signal),
  });
  const retry = async (id: string) => {
    try {
      await api.post(`/jobs/${id}/retry`);
      void message.success(t('settings.jobRetried'));
      await q.refetch();
    } catch (e) {
      void message.error(problemMessage(t, e));
    }
  };
  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Select
          allowClear
          placeholder={t('field.status')}
          value={status}
          onChange={setStatus}
          style={{ width: 160 }}
          options={['pending', 'running', 'done', 'dead'].map((s) => ({ value: s, label: t(`status.job.${s}`) }))}
        />
        <Button onClick={() => void q.refetch()}>{t('common.refresh')}</Button>
      </Space>
      {q.isError && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
      <Table<Job>
        rowKey="id"
        size="small"
        loading={q.isPending}
        dataSource={q.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('settings.noJobs') }}
        columns={[
          { key: 'type', title: t('settings.jobType'), render: (_, r) => <code>{r.type}</code> },
          { key: 'status', title: t('field.status'), render: (_, r) => <Tag color={COLORS[r.status]}>{t(`status.job.${r.status}`)}</Tag> },
          { key: 'attempts', title: t('settings.attempts'), render: (_, r) => r.attempts },
          { key: 'error', title: t('settings.lastError'), render: (_, r) => <Typography.Text type="danger" ellipsis style={{ maxWidth: 320 }}>{r.lastError ?? ''}</Typography.Text> },
          { key: 'updatedAt', title: t('field.updatedAt'), render: (_, r) => f.dateTime(r.updatedAt) },
          {
            key: 'actions',
            title: '',
            render: (_, r) =>
              r.status === 'dead' && can('settings', 'write') ? (
                <Button size="small" onClick={() => void retry(r.id)}>
                  {t('settings.retryJob')}
                </Button>
              ) : null,
          },
        ]}
      />
    </>
  );
}
