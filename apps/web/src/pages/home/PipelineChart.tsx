import { useEffect, useMemo } from 'react';
import { App, Card, Empty, Select, Skeleton } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, request } from '../../api/client.ts';
import { problemMessage } from '../../components/errors.ts';
import { useAll, usePipelines } from '../../api/hooks.ts';
import type { Opportunity, Pipeline } from '../../api/types.ts';
import { useAuth } from '../../auth/auth.tsx';
import { EChart, type ChartOption } from '../../components/EChart.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFormat } from '../../lib/format.ts';

/** Where this browser kept the choice before it lived on the server (moved over once, then removed). */
const storageKey = (userId: string) => `openltc.home.pipeline.${userId}`;
const migrated = new Set<string>();

/** The signed-in user's preferences as the server keeps them (GET /api/v1/me/preferences). */
interface Preferences {
  homePipelineId: string | null;
  version: number;
}

/**
 * The pipeline home shows (the chart and "My pipeline" alike): the one this user last chose, kept on
 * the server per user (so every browser shows the same), while it still exists and is active;
 * otherwise the default pipeline (or the first active one). A choice saved before in this browser is
 * moved to the server once, when the server has none.
 */
export function useHomePipeline() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me } = useAuth();
  const q = usePipelines();
  const qc = useQueryClient();
  const uid = me?.user.id ?? 'anon';
  const key = ['me-preferences', uid];
  const prefs = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get<Preferences>('/me/preferences', undefined, signal),
    enabled: !!me,
    staleTime: 5 * 60_000,
  });
  const active: Pipeline[] = (q.data ?? []).filter((p) => p.active || p.isDefault);
  const chosenId = prefs.data?.homePipelineId ?? null;
  const pipeline = active.find((p) => p.id === chosenId) ?? active.find((p) => p.isDefault) ?? active[0];
  const save = async (id: string, version: number) => {
    try {
      const saved = await request<Preferences>('PUT', '/me/preferences', { body: { homePipelineId: id }, version });
      qc.setQueryData(key, saved);
    } catch (e) {
      // Changed in another browser meanwhile (409) or refused: show what the server has.
      void message.warning(problemMessage(t, e));
      await qc.invalidateQueries({ queryKey: key });
    }
  };
  const choose = (id: string) => {
    const version = prefs.data?.version ?? 0;
    qc.setQueryData<Preferences>(key, { homePipelineId: id, version });
    void save(id, version);
  };
  useEffect(() => {
    if (!me || !prefs.data || !q.data || migrated.has(uid)) return;
    migrated.add(uid);
    let local: string | null = null;
    try {
      local = localStorage.getItem(storageKey(uid));
      if (local !== null) localStorage.removeItem(storageKey(uid));
    } catch {
      /* storage disabled: nothing kept here */
    }
    if (local && prefs.data.version === 0 && q.data.some((p) => p.id === local && p.active)) void save(local, 0);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [me, uid, prefs.data, q.data]);
  return { ...q, pipelines: active, pipeline, choose };
}

/** The pipeline chooser of the home cards (shown when there is more than one pipeline). */
export function PipelineChooser({ testId = 'pipeline-chooser' }: { testId?: string }) {
  const { t } = useTranslation();
  const { pipeline, pipelines, choose } = useHomePipeline();
  if (pipelines.length < 2) return pipeline ? <>{pipeline.name}</> : null;
  return (
    <Select
      size="small"
      value={pipeline?.id}
      onChange={choose}
      aria-label={t('pipelineChooser.label')}
      data-testid={testId}
      style={{ minWidth: 160 }}
      popupMatchSelectWidth={false}
      options={pipelines.map((p) => ({ value: p.id, label: p.isDefault ? `${p.name} (${t('pipelineChooser.default')})` : p.name }))}
    />
  );
}

/**
 * Open pipeline by stage, of the pipeline chosen in the card (the default one until the user picks
 * another; the choice is kept on the server for the user): total and weighted amount. Bar values stay in integer minor
 * units; only the labels are formatted as money.
 */
export function PipelineChart() {
  const { t } = useTranslation();
  const f = useFormat();
  const { pipeline, ...pq } = useHomePipeline();
  const opps = useAll<Opportunity>('opportunities', { status: 'open', pipelineId: pipeline?.id }, !!pipeline);
  const stages = useMemo(() => pipeline?.stages.filter((s) => s.kind === 'open') ?? [], [pipeline]);
  const currency = opps.data?.items[0]?.currency ?? 'CNY';

  const option = useMemo<ChartOption>(() => {
    const items = (opps.data?.items ?? []).filter((o) => o.currency === currency);
    const total = stages.map((s) =>
      items.filter((o) => o.stageId === s.id).reduce((a, o) => a + o.amountMinor, 0),
    );
    const weighted = stages.map((s) =>
      items.filter((o) => o.stageId === s.id).reduce((a, o) => a + o.weightedAmountMinor, 0),
    );
    const label = (v: number) => f.moneyShort(v, currency);
    return {
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v: unknown) => f.money(Number(v), currency),
      },
      legend: { data: [t('opportunities.total'), t('opportunities.weighted')], bottom: 0 },
      grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
      xAxis: {
        type: 'category',
        data: stages.map((s) => s.name),
        axisLabel: { interval: 0, width: 90, overflow: 'break' },
      },
      yAxis: { type: 'value', axisLabel: { formatter: label } },
      series: [
        {
          name: t('opportunities.total'),
          type: 'bar',
          data: total,
          itemStyle: { color: '#1677ff' },
          barMaxWidth: 36,
        },
        {
          name: t('opportunities.weighted'),
          type: 'bar',
          data: weighted,
          itemStyle: { color: '#91caff' },
          barMaxWidth: 36,
        },
      ],
    };
  }, [opps.data, stages, currency, f, t]);

  return (
    <Card
      title={t('home.pipelineByStage')}
      size="small"
      data-testid="pipeline-card"
      extra={<PipelineChooser />}
    >
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
