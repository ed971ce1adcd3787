import { useMemo } from 'react';
import { Card, Col, DatePicker, Row, Skeleton, Statistic, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { EChart, type ChartOption } from '../../components/EChart.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useFormat } from '../../lib/format.ts';
import { useListParams } from '../../lib/useListParams.ts';

interface AgingRow {
  accountId: string;
  accountName: string | null;
  buckets: Record<string, number>;
  totalMinor: number;
  invoiceCount: number;
}
interface Aging {
  asOf: string;
  currency: string;
  buckets: Array<{ key: string; label: string; minDaysPastDue: number | null; maxDaysPastDue: number | null }>;
  rows: AgingRow[];
  totals: { buckets: Record<string, number>; totalMinor: number; invoiceCount: number };
}

const COLORS: Record<string, string> = { current: '#52c41a', '1_30': '#fadb14', '31_60': '#fa8c16', '61_90': '#fa541c', over_90: '#cf1322' };

/** Receivables aging as of a date (GET /receivables/aging): what issued invoices still owe, by days past due, per account. */
export function AgingPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const [p, set] = useListParams(['asOf']);
  const q = useQuery({
    queryKey: ['receivables', 'aging', p.asOf ?? 'today'],
    queryFn: ({ signal }) => api.get<Aging>('/receivables/aging', { asOf: p.asOf, groupBy: 'account' }, signal),
  });
  const d = q.data;
  const cur = d?.currency ?? 'CNY';
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => f.money(Number(v), cur) },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: (d?.buckets ?? []).map((b) => t(`aging.bucket.${b.key}`, { defaultValue: b.label })) },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => f.moneyShort(v, cur) } },
      series: [{ type: 'bar', barMaxWidth: 48, data: (d?.buckets ?? []).map((b) => ({ value: d?.totals.buckets[b.key] ?? 0, itemStyle: { color: COLORS[b.key] ?? '#1677ff' } })) }],
    }),
    [d, cur, f, t],
  );

  return (
    <>
      <PageHeader
        title={t('nav.aging')}
        extra={
          <DatePicker
            allowClear
            placeholder={t('aging.today')}
            value={p.asOf ? dayjs(p.asOf) : null}
            onChange={(v) => set({ asOf: v ? v.format('YYYY-MM-DD') : null })}
            aria-label={t('aging.asOf')}
            data-testid="aging-asof"
          />
        }
      />
      {q.isError ? (
        <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      ) : !d ? (
        <Skeleton active />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={8}>
            <Card size="small" style={{ height: '100%' }}>
              <Statistic title={t('aging.outstanding', { date: f.date(d.asOf) })} value={f.money(d.totals.totalMinor, cur)} />
              <Typography.Text type="secondary">{t('aging.invoices', { count: d.totals.invoiceCount, accounts: d.rows.length })}</Typography.Text>
              <Statistic
                style={{ marginTop: 16 }}
                title={t('aging.overdue')}
                value={f.money(d.totals.totalMinor - (d.totals.buckets.current ?? 0), cur)}
                valueStyle={{ color: '#cf1322' }}
              />
            </Card>
          </Col>
          <Col xs={24} lg={16}>
            <Card size="small" title={t('aging.byBucket')}>
              <EChart option={option} height={200} testId="aging-chart" />
            </Card>
          </Col>
          <Col span={24}>
            <Card size="small" title={t('aging.byAccount')}>
              <Table<AgingRow>
                rowKey="accountId"
                size="small"
                data-testid="aging-table"
                dataSource={d.rows}
                pagination={d.rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
                scroll={{ x: 'max-content' }}
                locale={{ emptyText: t('aging.empty') }}
                columns={[
                  {
                    key: 'account',
                    title: t('field.account'),
                    fixed: 'left',
                    render: (_, r) => <Link to={`/accounts/${r.accountId}`}>{r.accountName ?? t('common.notVisible')}</Link>,
                  },
                  ...d.buckets.map((b) => ({
                    key: b.key,
                    title: t(`aging.bucket.${b.key}`, { defaultValue: b.label }),
                    align: 'right' as const,
                    sorter: (x: AgingRow, y: AgingRow) => (x.buckets[b.key] ?? 0) - (y.buckets[b.key] ?? 0),
                    render: (_: unknown, r: AgingRow) => (r.buckets[b.key] ? f.money(r.buckets[b.key]!, cur) : <Typography.Text type="secondary">—</Typography.Text>),
                  })),
                  {
                    key: 'total',
                    title: t('field.total'),
                    align: 'right',
                    defaultSortOrder: 'descend',
                    sorter: (x, y) => x.totalMinor - y.totalMinor,
                    render: (_, r) => <strong>{f.money(r.totalMinor, cur)}</strong>,
                  },
                  {
                    key: 'count',
                    title: t('aging.invoiceCount'),
                    align: 'right',
                    render: (_, r) => <Link to={`/invoices?accountId=${r.accountId}`}>{r.invoiceCount}</Link>,
                  },
                ]}
                summary={() => (
                  <Table.Summary fixed>
                    <Table.Summary.Row>
                      <Table.Summary.Cell index={0}>
                        <strong>{t('aging.total')}</strong>
                      </Table.Summary.Cell>
                      {d.buckets.map((b, i) => (
                        <Table.Summary.Cell key={b.key} index={i + 1} align="right">
                          <strong>{f.money(d.totals.buckets[b.key] ?? 0, cur)}</strong>
                        </Table.Summary.Cell>
                      ))}
                      <Table.Summary.Cell index={d.buckets.length + 1} align="right">
                        <strong>{f.money(d.totals.totalMinor, cur)}</strong>
                      </Table.Summary.Cell>
                      <Table.Summary.Cell index={d.buckets.length + 2} align="right">
                        {d.totals.invoiceCount}
                      </Table.Summary.Cell>
                    </Table.Summary.Row>
                  </Table.Summary>
                )}
              />
            </Card>
          </Col>
        </Row>
      )}
    </>
  );
}
