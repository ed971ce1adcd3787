import { useMemo } from 'react';
import { Card, Col, Empty, Row, Segmented, Skeleton, Statistic, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api } from '../../api/client.ts';
import { useAuth } from '../../auth/auth.tsx';
import { EChart, type ChartOption } from '../../components/EChart.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { drillRoute } from '../../lib/drill.ts';
import { useFormat } from '../../lib/format.ts';
import { useListParams } from '../../lib/useListParams.ts';

interface Kpi {
  value: number | null;
  unit: 'count' | 'percent' | 'days' | 'minor';
  numerator?: number;
  denominator?: number;
  sample?: number;
  drill?: string;
}
interface KpiReport {
  period: { from: string; to: string; timezone: string; currency: string };
  kpis: Record<string, Kpi | undefined>;
  pipelineByCloseMonth: Array<{ month: string; count: number; amountMinor: number; weightedMinor: number }>;
  otherCurrencyDocs: number;
}
interface Dso {
  standardDays: number | null;
  countbackDays: number;
}

export const PERIODS = ['month', 'quarter', 'year'] as const;

/** Big on a desktop, small enough on a phone for ¥99,999,999.00 to fit in half the width. */
const VALUE_STYLE = { fontSize: 'clamp(15px, 4vw, 22px)', whiteSpace: 'nowrap' } as const;
export type PeriodKey = (typeof PERIODS)[number];

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** This month / quarter / year as business dates, from the first day to the last (inclusive). */
export function periodRange(key: PeriodKey, today = new Date()): { from: string; to: string } {
  const y = today.getFullYear();
  const m = today.getMonth();
  const first = key === 'month' ? m : key === 'quarter' ? m - (m % 3) : 0;
  const months = key === 'month' ? 1 : key === 'quarter' ? 3 : 12;
  return { from: ymd(new Date(y, first, 1)), to: ymd(new Date(y, first + months, 0)) };
}

/** Cards in the order of the chain: what each shows beneath its value. */
const CARDS: Array<{
  key: string;
  entity: string;
  sub: (k: Kpi, h: { t: TFunction; f: ReturnType<typeof useFormat>; cur: string }) => string;
}> = [
  {
    key: 'leadConversionRate',
    entity: 'lead',
    sub: (k, { t }) => t('kpi.ofTotal', { numerator: k.numerator ?? 0, denominator: k.denominator ?? 0 }),
  },
  {
    key: 'winRate',
    entity: 'opportunity',
    sub: (k, { t }) => t('kpi.ofTotal', { numerator: k.numerator ?? 0, denominator: k.denominator ?? 0 }),
  },
  {
    key: 'winRateByValue',
    entity: 'opportunity',
    sub: (k, { t, f, cur }) =>
      t('kpi.valueOf', {
        numerator: f.moneyShort(k.numerator ?? 0, cur),
        denominator: f.moneyShort(k.denominator ?? 0, cur),
      }),
  },
  {
    key: 'weightedPipeline',
    entity: 'opportunity',
    sub: (k, { t }) => t('kpi.openDeals', { count: k.sample ?? 0 }),
  },
  { key: 'cashCollected', entity: 'payment', sub: (k, { t }) => t('kpi.payments', { count: k.sample ?? 0 }) },
  { key: 'leadToCashDays', entity: 'invoice', sub: (k, { t }) => t('kpi.sample', { count: k.sample ?? 0 }) },
];

/**
 * Home's key figures for a period (GET /analytics/kpis), each card linking to the records behind
 * it, DSO (GET /receivables/dso) for finance readers, and the weighted pipeline by close month.
 */
export function KpiPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useAuth();
  const [p, set] = useListParams(['period'], { period: 'quarter' });
  const key = (PERIODS as readonly string[]).includes(p.period ?? '') ? (p.period as PeriodKey) : 'quarter';
  const range = periodRange(key);
  const q = useQuery({
    queryKey: ['kpis', range.from, range.to],
    queryFn: ({ signal }) => api.get<KpiReport>('/analytics/kpis', range, signal),
    // Figures change with every deal and payment anyone records: ask again whenever home opens.
    staleTime: 0,
  });
  const showDso = can('invoice');
  const dso = useQuery({
    queryKey: ['dso'],
    queryFn: ({ signal }) => api.get<Dso>('/receivables/dso', undefined, signal),
    enabled: showDso,
    staleTime: 0,
    retry: false,
  });
  const cur = q.data?.period.currency ?? 'CNY';

  const show = (k: Kpi) => {
    if (k.value === null) return '—';
    if (k.unit === 'percent') return `${k.value}%`;
    if (k.unit === 'minor') return f.money(k.value, cur);
    if (k.unit === 'days') return t('kpi.days', { value: k.value });
    return f.number(k.value);
  };

  const months = useMemo(() => q.data?.pipelineByCloseMonth ?? [], [q.data]);
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v: unknown) => f.money(Number(v), cur),
      },
      legend: { data: [t('kpi.weighted'), t('kpi.amount')], bottom: 0 },
      grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
      xAxis: {
        type: 'category',
        data: months.map((m) => (m.month === 'none' ? t('kpi.noCloseDate') : m.month)),
      },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => f.moneyShort(v, cur) } },
      series: [
        {
          name: t('kpi.weighted'),
          type: 'bar',
          data: months.map((m) => m.weightedMinor),
          itemStyle: { color: '#1677ff' },
          barMaxWidth: 28,
        },
        {
          name: t('kpi.amount'),
          type: 'bar',
          data: months.map((m) => m.amountMinor),
          itemStyle: { color: '#bae0ff' },
          barMaxWidth: 28,
        },
      ],
    }),
    [months, cur, f, t],
  );

  const cards = CARDS.filter((c) => q.data?.kpis[c.key] && can(c.entity));
  return (
    <Card
      title={t('kpi.title')}
      size="small"
      extra={
        <Segmented<PeriodKey>
          size="small"
          value={key}
          onChange={(v) => set({ period: v === 'quarter' ? null : v })}
          options={PERIODS.map((k) => ({ value: k, label: t(`kpi.period.${k}`) }))}
          data-testid="kpi-period"
        />
      }
    >
      {q.isError ? (
        <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      ) : q.isPending ? (
        <Skeleton active paragraph={{ rows: 4 }} />
      ) : (
        <>
          <Row gutter={[12, 12]}>
            {cards.map((c) => {
              const k = q.data.kpis[c.key]!;
              const to = drillRoute(k.drill);
              const body = (
                <Card
                  size="small"
                  hoverable={!!to}
                  style={{ height: '100%' }}
                  data-testid="kpi-card"
                  data-kpi={c.key}
                >
                  <Statistic title={t(`kpi.${c.key}`)} value={show(k)} valueStyle={VALUE_STYLE} />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {k.value === null ? t('kpi.noValue') : c.sub(k, { t, f, cur })}
                  </Typography.Text>
                </Card>
              );
              return (
                <Col key={c.key} xs={12} md={8} xl={showDso ? 6 : 8} xxl={showDso ? 3 : 4}>
                  {to ? (
                    <Link
                      to={to}
                      title={`${t(`kpi.${c.key}`)} · ${t('kpi.drill')}`}
                      style={{ display: 'block', height: '100%' }}
                    >
                      {body}
                    </Link>
                  ) : (
                    body
                  )}
                </Col>
              );
            })}
            {showDso && dso.data && (
              <Col xs={12} md={8} xl={6} xxl={3}>
                <Link to="/finance/aging" title={`${t('kpi.dso')} · ${t('kpi.drill')}`} style={{ display: 'block', height: '100%' }}>
                  <Card size="small" hoverable style={{ height: '100%' }} data-testid="kpi-card" data-kpi="dso">
                    <Statistic
                      title={t('kpi.dso')}
                      value={
                        dso.data.standardDays === null ? '—' : t('kpi.days', { value: dso.data.standardDays })
                      }
                      valueStyle={VALUE_STYLE}
                    />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('kpi.dsoSub', { countback: dso.data.countbackDays })}
                    </Typography.Text>
                  </Card>
                </Link>
              </Col>
            )}
          </Row>
          {can('opportunity') && (
            <div style={{ marginTop: 16 }}>
              <Typography.Text strong>{t('kpi.byCloseMonth')}</Typography.Text>
              {months.length ? (
                <EChart option={option} height={260} testId="kpi-chart" />
              ) : (
                <Empty description={t('home.noPipeline')} />
              )}
            </div>
          )}
          {q.data.otherCurrencyDocs > 0 && (
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
              {t('kpi.otherCurrency', { count: q.data.otherCurrencyDocs })}
            </Typography.Paragraph>
          )}
        </>
      )}
    </Card>
  );
}
