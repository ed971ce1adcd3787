import { Card, Empty, Skeleton, Space, Tag, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { StatusTag } from '../../components/StatusTag.tsx';
import { useFormat } from '../../lib/format.ts';

interface TraceNode {
  type: string;
  id: string;
  restricted: boolean;
  number?: string | null;
  title?: string | null;
  status?: string | null;
  amountMinor?: number | null;
  currency?: string | null;
}

const ORDER = ['lead', 'account', 'contact', 'opportunity', 'quote', 'contract', 'order', 'delivery', 'invoice_request', 'invoice', 'credit_note', 'payment', 'refund'];
const SEGMENT: Record<string, string> = {
  lead: 'leads',
  account: 'accounts',
  contact: 'contacts',
  opportunity: 'opportunities',
  quote: 'quotes',
  contract: 'contracts',
  order: 'orders',
  delivery: 'deliveries',
  invoice: 'invoices',
  invoice_request: 'invoice-requests',
  payment: 'payments',
};

/** The lead-to-cash thread around a document (GET /trace): every linked document, in chain order. */
export function ThreadCard({ type, id }: { type: string; id: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const q = useQuery({
    queryKey: [type, 'trace', id],
    queryFn: ({ signal }) => api.get<{ nodes: TraceNode[] }>(`/trace/${type}/${id}`, undefined, signal),
  });
  const nodes = [...(q.data?.nodes ?? [])].sort((a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type));
  return (
    <Card title={t('thread.title')} size="small" data-testid="thread">
      {q.isPending ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : q.isError ? (
        <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      ) : nodes.length <= 1 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('thread.alone')} />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }} size={6}>
          {nodes.map((n) => (
            <Space key={`${n.type}:${n.id}`} wrap size={6} style={{ opacity: n.id === id ? 1 : 0.95 }}>
              <Tag>{t(`thread.type.${n.type}`, { defaultValue: n.type })}</Tag>
              {n.restricted ? (
                <Typography.Text type="secondary">
                  <LockOutlined /> {t('thread.restricted')}
                </Typography.Text>
              ) : n.id === id || !SEGMENT[n.type] ? (
                <Typography.Text strong>{n.title ?? n.number ?? n.id}</Typography.Text>
              ) : (
                <Link to={`/${SEGMENT[n.type]}/${n.id}`}>{n.title ?? n.number ?? n.id}</Link>
              )}
              {n.status && <StatusTag entity={n.type} status={n.status} />}
              {typeof n.amountMinor === 'number' && <Typography.Text type="secondary">{f.money(n.amountMinor, n.currency ?? 'CNY')}</Typography.Text>}
            </Space>
          ))}
        </Space>
      )}
    </Card>
  );
}
