import { useMemo } from 'react';
import { Card, Empty, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAll, useDefaultPipeline } from '../../api/hooks.ts';
import type { Opportunity } from '../../api/types.ts';
import { EChart, type ChartOption } from '../../components/EChart.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFormat } from '../../lib/format.ts';

/**
 * Open pipeline of the default pipeline by stage: total and weighted amount. Bar values stay in
 * integer minor units; only the labels are formatted as money.
 */
export function PipelineChart() {
  const { t } = useTranslation();
  const f = useFormat();
  const { pipeline, ...pq } = useDefaultPipeline();
  const opps = useAll<Opportunity>('opportunities', { status: 'open', pipelineId: pipeline?.id }, !!pipeline);
  const stages = useMemo(() => pipeline?.stages.filter((s) => s.kind === 'open') ?? [], [pipeline]);
  const currency = opps.data?.items[0]?.currency ?? 'CNY';

  const option = useMemo<ChartOption>(() => {
    const items = (opps.data?.items ?? []).filter((o) => o.currency === currency);
    const total = stages.map((s) => items.filter((o) => o.stageId === s.id).reduce((a, o) => a + o.amountMinor, 0));
    const weighted = stages.map((s) => items.filter((o) => o.stageId === s.id).reduce((a, o) => a + o.weightedAmountMinor, 0));
    const label = (v: number) => f.moneyShort(v, currency);
    return {
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v: unknown) => f.money(Number(v), currency),
      },
      legend: { data: [t('opportunities.total'), t('opportunities.weighted')], bottom: 0 },
      grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
      xAxis: { type: 'category', data: stages.map((s) => s.name), axisLabel: { interval: 0, width: 90, overflow: 'break' } },
      yAxis: { type: 'value', axisLabel: { formatter: label } },
      series: [
        { name: t('opportunities.total'), type: 'bar', data: total, itemStyle: { color: '#1677ff' }, barMaxWidth: 36 },
        { name: t('opportunities.weighted'), type: 'bar', data: weighted, itemStyle: { color: '#91caff' }, barMaxWidth: 36 },
      ],
    };
  }, [opps.data, stages, currency, f, t]);

  return (
    <Card title={t('home.pipelineByStage')} size="small" extra={pipeline?.name}>
      {pq.isError ? (
        <ErrorAlert error={pq.error} onRetry={() => void pq.refetch()} />
      ) : opps.isError ? (
        <ErrorAlert error={opps.error} onRetry={() => void opps.refetch()} />
      ) : pq.isPending || opps.isPending ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : !opps.data.items.length ? (
        <Empty description={t('home.noPipeline')} />
      ) : (
        <EChart option={option} height={300} testId="pipeline-chart" />
      )}
    </Card>
  );
}
