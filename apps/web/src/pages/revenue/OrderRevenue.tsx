import { Card, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useAuth } from '../../auth/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFormat } from '../../lib/format.ts';
import { formatAmount } from '../../lib/money.ts';
import { ObligationDialog, type Milestone } from './ObligationDialog.tsx';

interface ScheduleLine {
  id: string;
  period: string;
  recogniseOn: string;
  amountMinor: number;
  kind: string;
  status: 'scheduled' | 'recognised';
}
interface Obligation {
  id: string;
  lineNo: number;
  description: string;
  currency: string;
  method: string;
  sspMinor: number;
  allocatedMinor: number;
  priceMinor: number;
  serviceStart: string | null;
  serviceEnd: string | null;
  recognisedMinor: number;
  scheduledMinor: number;
  unscheduledMinor: number;
  milestones: Milestone[];
  progress: Array<{ date: string; progress: string }>;
  version: number;
  lines: ScheduleLine[];
}
interface OrderRevenueData {
  currency: string;
  billedMinor: number;
  recognisedMinor: number;
  deferredMinor: number;
  unbilledMinor: number;
  obligations: Obligation[];
}

/** The order's performance obligations and their revenue schedules (GET /orders/{id}/revenue), for those who may read revenue. */
export function OrderRevenue({ orderId, status }: { orderId: string; status: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useAuth();
  const show = can('revenue') && status !== 'draft';
  const q = useQuery({
    queryKey: ['revenue', 'order', orderId],
    queryFn: ({ signal }) => api.get<OrderRevenueData>(`/orders/${orderId}/revenue`, {}, signal),
    enabled: show,
  });
  if (!show) return null;
  const d = q.data;
  const amountColumn = (key: string, title: string, minor: (o: Obligation) => number) => ({
    key,
    title,
    width: 104,
    align: 'right' as const,
    // Cells end in … if an amount outgrows the column (the tooltip has it whole); headers may wrap.
    onCell: () => ({
      style: { whiteSpace: 'nowrap' as const, overflow: 'hidden', textOverflow: 'ellipsis' },
    }),
    onHeaderCell: () => ({ style: { paddingInline: 4, wordBreak: 'keep-all' as const } }),
    render: (_: unknown, o: Obligation) => {
      const text = formatAmount(minor(o), o.currency, f.locale);
      return <span title={f.money(minor(o), o.currency)}>{text}</span>;
    },
  });
  return (
    <Card
      size="small"
      title={d ? `${t('revenue.schedule')} · ${d.currency}` : t('revenue.schedule')}
      style={{ marginTop: 16 }}
      data-testid="order-revenue"
    >
      {q.isError ? (
        <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      ) : !d ? null : !d.obligations.length ? (
        <Typography.Text type="secondary">{t('revenue.noObligations')}</Typography.Text>
      ) : (
        <>
          <Typography.Paragraph type="secondary">
            {t('revenue.position', {
              billed: f.money(d.billedMinor, d.currency),
              recognised: f.money(d.recognisedMinor, d.currency),
              deferred: f.money(d.deferredMinor, d.currency),
              unbilled: f.money(d.unbilledMinor, d.currency),
            })}
          </Typography.Paragraph>
          <Table<Obligation>
            rowKey="id"
            size="small"
            pagination={false}
            // Fits a document page at 1440 and 1024 px like the line tables: fixed widths, amounts without
            // the currency sign (the title names it), the method under the description; a phone scrolls.
            tableLayout="fixed"
            scroll={{ x: 620 }}
            dataSource={d.obligations}
            expandable={{
              expandedRowRender: (o) => (
                <Table<ScheduleLine>
                  rowKey="id"
                  size="small"
                  pagination={o.lines.length > 24 ? { pageSize: 24, showSizeChanger: false } : false}
                  dataSource={o.lines}
                  locale={{ emptyText: t('revenue.nothingScheduled') }}
                  columns={[
                    { key: 'period', title: t('revenue.period'), render: (_, l) => l.period },
                    { key: 'on', title: t('revenue.recogniseOn'), render: (_, l) => f.date(l.recogniseOn) },
                    {
                      key: 'kind',
                      title: t('revenue.kind'),
                      render: (_, l) => t(`revenue.kinds.${l.kind}`, { defaultValue: l.kind }),
                    },
                    {
                      key: 'amount',
                      title: t('field.amount'),
                      align: 'right',
                      render: (_, l) => f.money(l.amountMinor, o.currency),
                    },
                    {
                      key: 'status',
                      title: t('field.status'),
                      render: (_, l) => (
                        <Tag color={l.status === 'recognised' ? 'green' : 'blue'}>
                          {t(`revenue.lineStatus.${l.status}`)}
                        </Tag>
                      ),
                    },
                  ]}
                />
              ),
            }}
            columns={[
              { key: 'line', title: '#', width: 40, render: (_, o) => o.lineNo },
              {
                key: 'desc',
                title: t('field.description'),
                render: (_, o) => (
                  <>
                    {o.description}
                    <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                      {t(`revenue.methods.${o.method}`, { defaultValue: o.method })}
                      {o.serviceStart ? ` (${f.date(o.serviceStart)} – ${f.date(o.serviceEnd)})` : ''}
                      {` · ${t('revenue.ssp')} ${formatAmount(o.sspMinor, o.currency, f.locale)}`}
                    </Typography.Text>
                    {can('revenue', 'write') && (
                      <div style={{ marginTop: 4 }}>
                        <ObligationDialog ob={o} orderId={orderId} />
                      </div>
                    )}
                  </>
                ),
              },
              amountColumn('allocated', t('revenue.allocated'), (o) => o.priceMinor),
              amountColumn('recognised', t('revenue.recognised'), (o) => o.recognisedMinor),
              amountColumn('scheduled', t('revenue.scheduled'), (o) => o.scheduledMinor),
              amountColumn('unscheduled', t('revenue.unscheduled'), (o) => o.unscheduledMinor),
            ]}
          />
        </>
      )}
    </Card>
  );
}
