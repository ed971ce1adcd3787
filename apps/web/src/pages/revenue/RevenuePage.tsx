import { App, Button, Card, Col, DatePicker, Popconfirm, Row, Skeleton, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useAuth } from '../../auth/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { problemMessage } from '../../components/errors.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useFormat } from '../../lib/format.ts';
import { useListParams } from '../../lib/useListParams.ts';

interface PeriodRow {
  period: string;
  currency: string;
  closed: boolean;
  recognisedMinor: number;
  scheduledMinor: number;
  atBillingMinor: number;
  deferredMinor: number;
  unbilledMinor: number;
}
export interface RevenueReport {
  legalEntityId: string;
  from: string;
  to: string;
  closedThrough: string | null;
  byPeriod: PeriodRow[];
  byProduct: Array<{ productId: string | null; productName: string; currency: string; amountMinor: number }>;
  byAccount: Array<{ accountId: string; accountName: string; currency: string; amountMinor: number }>;
  balances: Array<{ currency: string; asOf: string; billedMinor: number; recognisedMinor: number; deferredMinor: number; unbilledMinor: number }>;
  totals: Array<{ currency: string; recognisedMinor: number; atBillingMinor: number; scheduledMinor: number }>;
}
interface Periods {
  legalEntityId: string;
  closedThrough: string | null;
  nextToClose: string | null;
  periods: Array<{ id: string; period: string; closedAt: string; lines: number; entries: number }>;
}

/**
 * Revenue (GET /revenue/report, /revenue/periods; POST /revenue/close): recognised revenue by month
 * with the deferred (contract liability) and unbilled (contract asset) balances at each month end, by
 * product and customer; finance closes the next month here.
 */
export function RevenuePage() {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [p, set] = useListParams(['from', 'to']);
  const report = useQuery({
    queryKey: ['revenue', 'report', p.from ?? '', p.to ?? ''],
    queryFn: ({ signal }) => api.get<RevenueReport>('/revenue/report', { from: p.from, to: p.to }, signal),
  });
  const periods = useQuery({ queryKey: ['revenue', 'periods'], queryFn: ({ signal }) => api.get<Periods>('/revenue/periods', {}, signal) });
  const close = async (period: string) => {
    try {
      const r = await api.post<{ lines: number; entries: number }>('/revenue/close', { period });
      void message.success(t('revenue.closed', { period, lines: r.lines, entries: r.entries }));
      await qc.invalidateQueries({ queryKey: ['revenue'] });
    } catch (e) {
      void message.error(problemMessage(t, e));
    }
  };
  const d = report.data;
  const next = periods.data?.nextToClose ?? null;
  const month = (v: string | undefined, key: 'from' | 'to', label: string) => (
    <DatePicker
      picker="month"
      allowClear
      placeholder={label}
      aria-label={label}
      value={v ? dayjs(`${v}-01`) : null}
      onChange={(x) => set({ [key]: x ? x.format('YYYY-MM') : null })}
      data-testid={`revenue-${key}`}
    />
  );
  return (
    <>
      <PageHeader
        title={t('nav.revenue')}
        extra={
          <Space wrap>
            {month(p.from, 'from', t('revenue.from'))}
            {month(p.to, 'to', t('revenue.to'))}
            {can('revenue', 'approve') && next && (
              <Popconfirm title={t('revenue.closeConfirm', { period: next })} onConfirm={() => close(next)} okText={t('revenue.close')} cancelText={t('common.cancel')}>
                <Button type="primary" data-testid="revenue-close">
                  {t('revenue.closePeriod', { period: next })}
                </Button>
              </Popconfirm>
            )}
          </Space>
        }
      />
      {report.isError ? (
        <ErrorAlert error={report.error} onRetry={() => void report.refetch()} />
      ) : !d ? (
        <Skeleton active />
      ) : (
        <Row gutter={[16, 16]}>
          {d.balances.map((b) => (
            <Col xs={24} lg={12} key={b.currency}>
              <Card size="small">
                <Row gutter={16}>
                  <Col span={8}>
                    <Statistic title={t('revenue.recognisedToDate')} value={f.money(b.recognisedMinor, b.currency)} valueStyle={{ fontSize: 18 }} />
                  </Col>
                  <Col span={8}>
                    <Statistic title={t('revenue.deferred', { date: f.date(b.asOf) })} value={f.money(b.deferredMinor, b.currency)} valueStyle={{ fontSize: 18 }} />
                  </Col>
                  <Col span={8}>
                    <Statistic title={t('revenue.unbilled', { date: f.date(b.asOf) })} value={f.money(b.unbilledMinor, b.currency)} valueStyle={{ fontSize: 18 }} />
                  </Col>
                </Row>
                <Typography.Text type="secondary">{t('revenue.closedThrough', { period: d.closedThrough ?? '—' })}</Typography.Text>
              </Card>
            </Col>
          ))}
          <Col span={24}>
            <Card size="small" title={t('revenue.byPeriod')}>
              <Table<PeriodRow>
                rowKey={(r) => `${r.period}-${r.currency}`}
                size="small"
                data-testid="revenue-table"
                dataSource={d.byPeriod}
                pagination={false}
                scroll={{ x: 'max-content' }}
                columns={[
                  { key: 'period', title: t('revenue.period'), render: (_, r) => r.period },
                  { key: 'state', title: t('field.status'), render: (_, r) => (r.closed ? <Tag color="green">{t('revenue.stateClosed')}</Tag> : <Tag>{t('revenue.stateOpen')}</Tag>) },
                  { key: 'recognised', title: t('revenue.recognised'), align: 'right', render: (_, r) => f.money(r.recognisedMinor, r.currency) },
                  { key: 'scheduled', title: t('revenue.scheduled'), align: 'right', render: (_, r) => f.money(r.scheduledMinor, r.currency) },
                  { key: 'atBilling', title: t('revenue.atBilling'), align: 'right', render: (_, r) => f.money(r.atBillingMinor, r.currency) },
                  { key: 'deferred', title: t('revenue.deferredEnd'), align: 'right', render: (_, r) => f.money(r.deferredMinor, r.currency) },
                  { key: 'unbilled', title: t('revenue.unbilledEnd'), align: 'right', render: (_, r) => f.money(r.unbilledMinor, r.currency) },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card size="small" title={t('revenue.byProduct')}>
              <Table
                rowKey={(r) => `${r.productId ?? 'none'}-${r.currency}`}
                size="small"
                dataSource={d.byProduct}
                pagination={d.byProduct.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
                locale={{ emptyText: t('revenue.empty') }}
                columns={[
                  { key: 'product', title: t('revenue.product'), render: (_, r) => (r.productId ? <Link to={`/products/${r.productId}`}>{r.productName}</Link> : t('revenue.noProduct')) },
                  { key: 'amount', title: t('revenue.recognised'), align: 'right', render: (_, r) => f.money(r.amountMinor, r.currency) },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card size="small" title={t('revenue.byAccount')}>
              <Table
                rowKey={(r) => `${r.accountId}-${r.currency}`}
                size="small"
                dataSource={d.byAccount}
                pagination={d.byAccount.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
                locale={{ emptyText: t('revenue.empty') }}
                columns={[
                  { key: 'account', title: t('field.account'), render: (_, r) => <Link to={`/accounts/${r.accountId}`}>{r.accountName}</Link> },
                  { key: 'amount', title: t('revenue.recognised'), align: 'right', render: (_, r) => f.money(r.amountMinor, r.currency) },
                ]}
              />
            </Card>
          </Col>
        </Row>
      )}
    </>
  );
}
