import { useMemo } from 'react';
import { Card, Empty, Skeleton } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { fetchAll } from '../../api/hooks.ts';
import { LEAD_STATUSES, type Lead } from '../../api/types.ts';
import { EChart, type ChartOption } from '../../components/EChart.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

const COLORS = ['#1677ff', '#2f54eb', '#722ed1', '#13c2c2', '#52c41a', '#bfbfbf'];
const CAP = 1000;

/**
 * Leads by status. The API has no count endpoint yet, so each status's list is walked (up to
 * CAP rows per status; more shows as "1000+").
 */
export function LeadStatusCard() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const q = useQuery({
    queryKey: ['leads', 'status-counts'],
    queryFn: async ({ signal }) =>
      Promise.all(
        LEAD_STATUSES.map(async (status) => {
          const r = await fetchAll<Lead>('leads', { status }, CAP, signal);
          return { status, count: r.items.length, more: r.truncated };
        }),
      ),
  });
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'item' },
      legend: { orient: 'vertical', right: 0, top: 'middle' },
      series: [
        {
          type: 'pie',
          radius: ['45%', '72%'],
          center: ['35%', '50%'],
          label: { show: false },
          data: (q.data ?? []).map((s, i) => ({
            name: `${t(`status.lead.${s.status}`)} ${s.more ? `${CAP}+` : s.count}`,
            value: s.count,
            itemStyle: { color: COLORS[i] },
          })),
        },
      ],
    }),
    [q.data, t],
  );
  const total = (q.data ?? []).reduce((a, s) => a + s.count, 0);
  return (
    <Card title={t('home.leadsByStatus')} size="small" extra={<a onClick={() => navigate('/leads')}>{t('home.allLeads')}</a>}>
      {q.isError ? (
        <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      ) : q.isPending ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : total === 0 ? (
        <Empty description={t('leads.empty')} />
      ) : (
        <div data-testid="lead-status-counts">
          <EChart option={option} height={300} />
        </div>
      )}
    </Card>
  );
}
