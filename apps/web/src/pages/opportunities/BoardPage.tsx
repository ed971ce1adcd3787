import { useMemo, useState } from 'react';
import { App, Button, Card, Empty, Flex, Input, Select, Skeleton, Space, Statistic, Switch, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client.ts';
import { useAll, usePipelines, useInvalidate } from '../../api/hooks.ts';
import type { Opportunity } from '../../api/types.ts';
import { useAuth } from '../../auth/auth.tsx';
import { problemMessage } from '../../components/errors.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ReasonDialog } from '../../components/ReasonDialog.tsx';
import { useFormat } from '../../lib/format.ts';
import { useListParams } from '../../lib/useListParams.ts';
import { KanbanColumn } from './KanbanColumn.tsx';
import { OpportunityCard } from './OpportunityCard.tsx';
import { totalsOf } from './totals.ts';
import { ViewSwitch } from './ViewSwitch.tsx';

type AllOpps = { items: Opportunity[]; truncated: boolean };

/** The pipeline board: open deals of the default pipeline by stage; drag a card to move it. */
export function BoardPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const { me, can } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const invalidate = useInvalidate();
  const [p, set] = useListParams(['q', 'mine', 'pipeline']);
  const pq = usePipelines();
  // The pipeline in the URL, else the default one; inactive pipelines are not offered.
  const activePipelines = useMemo(() => (pq.data ?? []).filter((x) => x.active !== false), [pq.data]);
  const pipeline = activePipelines.find((x) => x.id === p.pipeline) ?? activePipelines.find((x) => x.isDefault) ?? activePipelines[0];
  const params = { status: 'open', pipelineId: pipeline?.id, q: p.q, ownerId: p.mine ? me?.user.id : undefined, sort: '-amount' };
  const opps = useAll<Opportunity>('opportunities', params, !!pipeline);
  const key = ['opportunities', 'all', params, 2000];
  const [losing, setLosing] = useState<Opportunity | null>(null);
  const mayWrite = can('opportunity', 'write');

  const openStages = useMemo(() => pipeline?.stages.filter((s) => s.kind === 'open') ?? [], [pipeline]);
  // Deals can be moved only into active stages; a deactivated stage shows while deals are still in it.
  const targetStages = useMemo(() => openStages.filter((s) => s.active !== false), [openStages]);
  const byStage = useMemo(() => {
    const m = new Map<string, Opportunity[]>();
    for (const o of opps.data?.items ?? []) m.set(o.stageId, [...(m.get(o.stageId) ?? []), o]);
    return m;
  }, [opps.data]);
  const all = totalsOf(opps.data?.items ?? []);

  const move = async (oppId: string, stageId: string) => {
    const prev = qc.getQueryData<AllOpps>(key);
    const opp = prev?.items.find((o) => o.id === oppId);
    if (!prev || !opp || opp.stageId === stageId) return;
    const stage = openStages.find((s) => s.id === stageId);
    // Show the move at once; the server's answer (new probability, version) replaces it.
    qc.setQueryData<AllOpps>(key, { ...prev, items: prev.items.map((o) => (o.id === oppId ? { ...o, stageId, probability: stage?.probability ?? o.probability } : o)) });
    try {
      const saved = await api.patch<Opportunity>(`/opportunities/${oppId}`, { stageId }, opp.version);
      qc.setQueryData<AllOpps>(key, (cur) => (cur ? { ...cur, items: cur.items.map((o) => (o.id === oppId ? saved : o)) } : cur));
      qc.setQueryData(['opportunities', 'record', oppId], saved);
      void message.success(t('opportunities.moved', { name: saved.name, stage: stage?.name ?? '' }));
    } catch (e) {
      qc.setQueryData(key, prev);
      void message.error(
        isApiError(e, 'version_conflict')
          ? t('opportunities.moveConflict')
          : isApiError(e, 'stage_requirements')
            ? t('pipelineSettings.gateBlocked', { stage: stage?.name ?? '', fields: e.fields.map((x) => t(`pipelineSettings.fields.${x.path}`, { defaultValue: x.path })).join(', ') })
            : problemMessage(t, e),
      );
    } finally {
      void invalidate('opportunities');
    }
  };

  const close = async (opp: Opportunity, action: 'win' | 'lose', body: object = {}) => {
    await api.post(`/opportunities/${opp.id}/${action}`, body);
    void message.success(t(action === 'win' ? 'opportunities.wonMsg' : 'opportunities.lostMsg', { name: opp.name }));
    await invalidate('opportunities');
  };

  const header = (
    <PageHeader
      title={t('nav.opportunities')}
      extra={
        <>
          <ViewSwitch value="board" />
          {mayWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/opportunities/new')}>
              {t('opportunities.new')}
            </Button>
          )}
        </>
      }
    />
  );
  if (pq.isPending) return <>{header}<Skeleton active /></>;
  if (pq.isError) return <>{header}<ErrorAlert error={pq.error} onRetry={() => void pq.refetch()} /></>;
  if (!pipeline) return <>{header}<Empty description={t('opportunities.noPipeline')} /></>;

  return (
    <>
      {header}
      <Card size="small" style={{ marginBottom: 12 }}>
        <Flex justify="space-between" align="center" wrap gap={12}>
          <Space wrap>
            {activePipelines.length > 1 ? (
              <Select
                value={pipeline.id}
                onChange={(v: string) => set({ pipeline: v })}
                options={activePipelines.map((x) => ({ value: x.id, label: x.name }))}
                style={{ minWidth: 200 }}
                aria-label={t('pipelineSettings.pipeline')}
                data-testid="board-pipeline"
              />
            ) : (
              <Typography.Text type="secondary">{pipeline.name}</Typography.Text>
            )}
            <Input.Search allowClear placeholder={t('opportunities.search')} defaultValue={p.q} onSearch={(v) => set({ q: v })} style={{ width: 240 }} />
            <Space>
              <Switch size="small" checked={!!p.mine} onChange={(v) => set({ mine: v ? '1' : null })} aria-label={t('opportunities.mineOnly')} />
              <span>{t('opportunities.mineOnly')}</span>
            </Space>
          </Space>
          <Space size="large">
            <Statistic title={t('opportunities.openDeals')} value={all.count} valueStyle={{ fontSize: 18 }} />
            {[...all.byCurrency].map(([cur, s]) => (
              <Space key={cur} size="large">
                <Statistic title={t('opportunities.total')} value={f.money(s.amount, cur)} valueStyle={{ fontSize: 18 }} />
                <Statistic title={t('opportunities.weighted')} value={f.money(s.weighted, cur)} valueStyle={{ fontSize: 18 }} />
              </Space>
            ))}
          </Space>
        </Flex>
      </Card>
      {opps.isError && <ErrorAlert error={opps.error} onRetry={() => void opps.refetch()} />}
      {opps.data?.truncated && <Typography.Paragraph type="warning">{t('opportunities.truncated')}</Typography.Paragraph>}
      {opps.isPending ? (
        <Skeleton active />
      ) : (
        <div className="ltc-kanban" data-testid="kanban">
          {openStages.map((s) => {
            const cards = byStage.get(s.id) ?? [];
            if (s.active === false && !cards.length) return null;
            return (
              <KanbanColumn key={s.id} stage={s} totals={totalsOf(cards)} onDropCard={(id) => void move(id, s.id)}>
                {cards.map((o) => (
                  <OpportunityCard
                    key={o.id}
                    opp={o}
                    stages={targetStages}
                    mayWrite={mayWrite}
                    onMove={(stageId) => void move(o.id, stageId)}
                    onWin={() => void close(o, 'win').catch((e: unknown) => void message.error(problemMessage(t, e)))}
                    onLose={() => setLosing(o)}
                  />
                ))}
              </KanbanColumn>
            );
          })}
        </div>
      )}
      <ReasonDialog
        open={!!losing}
        title={t('opportunities.loseTitle', { name: losing?.name ?? '' })}
        okText={t('action.opportunity.lose')}
        onClose={() => setLosing(null)}
        onSubmit={(reason) => close(losing!, 'lose', { reason })}
      />
    </>
  );
}
