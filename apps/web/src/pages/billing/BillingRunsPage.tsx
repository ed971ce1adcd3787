import { useState } from 'react';
import { App, Button, Card, DatePicker, Descriptions, Space, Table, Tag } from 'antd';
import { ThunderboltOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useAuth } from '../../auth/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { problemMessage } from '../../components/errors.ts';
import { useFormat } from '../../lib/format.ts';
import type { BillingRun } from './types.ts';

const COLOR: Record<BillingRun['status'], string> = { running: 'processing', completed: 'green', failed: 'red', abandoned: 'default' };

/** Finance runs billing up to a date and sees what each run did (counts, first and last invoice number). */
export function BillingRunsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [asOf, setAsOf] = useState<Dayjs>(dayjs());
  const [busy, setBusy] = useState(false);
  const [last, setLast] = useState<BillingRun | null>(null);
  const q = useQuery({ queryKey: ['billing-runs'], queryFn: ({ signal }) => api.get<{ items: BillingRun[] }>('/billing/runs', { limit: 20 }, signal), enabled: can('invoice', 'approve') });
  const run = async () => {
    setBusy(true);
    try {
      const r = await api.post<BillingRun>('/billing/runs', { asOf: asOf.format('YYYY-MM-DD') });
      setLast(r);
      await qc.invalidateQueries({ queryKey: ['billing-runs'] });
      await qc.invalidateQueries({ queryKey: ['invoices'] });
      await qc.invalidateQueries({ queryKey: ['orders'] });
      void message.success(t('billing.run.done', { count: r.invoicesCreated }));
    } catch (e) {
      void message.error(problemMessage(t, e));
    } finally {
      setBusy(false);
    }
  };
  const status = (s: BillingRun['status']) => <Tag color={COLOR[s]}>{t(`billing.run.status.${s}`)}</Tag>;
  return (
    <>
      <PageHeader title={t('billing.run.title')} crumbs={[{ label: t('nav.invoice-requests'), to: '/invoice-requests' }]} />
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card size="small">
          <Space wrap>
            <span>{t('billing.run.asOf')}</span>
            <DatePicker aria-label={t('billing.run.asOf')} value={asOf} allowClear={false} onChange={(d) => d && setAsOf(d)} />
            <Button type="primary" icon={<ThunderboltOutlined />} loading={busy} disabled={!can('invoice', 'approve')} onClick={() => void run()} data-testid="run-billing">
              {t('billing.run.start')}
            </Button>
          </Space>
          {last && (
            <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }} style={{ marginTop: 16 }} data-testid="run-result">
              <Descriptions.Item label={t('billing.field.status')}>{status(last.status)}</Descriptions.Item>
              <Descriptions.Item label={t('billing.run.invoices')}>{last.invoicesCreated}</Descriptions.Item>
              <Descriptions.Item label={t('billing.run.numbers')}>{last.firstNumber ? `${last.firstNumber} – ${last.lastNumber}` : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('billing.run.total')}>{f.money(last.totalMinor, 'CNY')}</Descriptions.Item>
              {last.error && <Descriptions.Item label={t('billing.run.error')}>{last.error}</Descriptions.Item>}
            </Descriptions>
          )}
        </Card>
        <Card size="small" title={t('billing.run.history')}>
          <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
          <Table<BillingRun>
            rowKey="id"
            size="small"
            pagination={false}
            loading={q.isPending && can('invoice', 'approve')}
            dataSource={q.data?.items ?? []}
            columns={[
              { key: 'startedAt', title: t('billing.run.startedAt'), render: (_, r) => f.dateTime(r.startedAt) },
              { key: 'asOf', title: t('billing.run.asOf'), render: (_, r) => f.date(r.asOf) },
              { key: 'status', title: t('billing.field.status'), render: (_, r) => status(r.status) },
              { key: 'invoices', title: t('billing.run.invoices'), align: 'right', render: (_, r) => r.invoicesCreated },
              { key: 'numbers', title: t('billing.run.numbers'), render: (_, r) => (r.firstNumber ? `${r.firstNumber} – ${r.lastNumber}` : '—') },
              { key: 'skipped', title: t('billing.run.skipped'), align: 'right', render: (_, r) => r.skipped },
              { key: 'error', title: t('billing.run.error'), render: (_, r) => r.error ?? '' },
            ]}
          />
        </Card>
      </Space>
    </>
  );
}
