import { Card, Empty, Progress, Skeleton, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAll } from '../../api/hooks.ts';
import type { Opportunity } from '../../api/types.ts';
import { useAuth } from '../../auth/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFormat } from '../../lib/format.ts';
import { PipelineChooser, useHomePipeline } from '../home/PipelineChart.tsx';

/**
 * Home: my open opportunities by stage of the pipeline home shows (the default one until I choose
 * another in this card or the chart; the choice is remembered), with count and total per stage (per
 * currency, in integer minor units).
 */
export function MyPipeline() {
  const { t } = useTranslation();
  const f = useFormat();
  const { me } = useAuth();
  const { pipeline, ...pipes } = useHomePipeline();
  const q = useAll<Opportunity>('opportunities', { status: 'open', ownerId: me?.user.id, pipelineId: pipeline?.id }, !!me && !!pipeline);
  const items = q.data?.items ?? [];
  const pipelines = pipeline ? [pipeline] : [];
  const max = Math.max(1, ...pipelines.flatMap((p) => p.stages.map((s) => items.filter((o) => o.stageId === s.id).length)));
  return (
    <Card
      title={t('activities.myPipeline')}
      size="small"
      data-testid="my-pipeline"
      extra={
        <Space size={8}>
          <PipelineChooser testId="my-pipeline-chooser" />
          <Link to="/opportunities?mine=1">{t('home.board')}</Link>
        </Space>
      }
    >
      {q.isError || pipes.isError ? (
        <ErrorAlert error={q.error ?? pipes.error} onRetry={() => void (q.refetch(), pipes.refetch())} />
      ) : q.isPending || pipes.isPending ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : !items.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('home.noOpenOpportunities')} />
      ) : (
        pipelines.map((p) => (
          <div key={p.id}>
            {pipelines.length > 1 && (
              <Typography.Title level={5} style={{ marginTop: 4 }}>
                {p.name}
              </Typography.Title>
            )}
            {p.stages
              .filter((s) => s.kind === 'open')
              .map((s) => {
                const here = items.filter((o) => o.stageId === s.id);
                const totals = new Map<string, number>();
                for (const o of here) totals.set(o.currency, (totals.get(o.currency) ?? 0) + o.amountMinor);
                return (
                  <div key={s.id} style={{ marginBottom: 8 }} data-testid={`my-stage-${s.id}`}>
                    <Typography.Text>
                      {s.name} · {t('activities.dealCount', { count: here.length })}
                    </Typography.Text>
                    <Typography.Text strong style={{ float: 'right' }}>
                      {totals.size ? [...totals].map(([c, m]) => f.money(m, c)).join(' + ') : '—'}
                    </Typography.Text>
                    <Progress
                      percent={(here.length / max) * 100}
                      showInfo={false}
                      size="small"
                      aria-label={`${s.name}: ${here.length}`}
                    />
                  </div>
                );
              })}
          </div>
        ))
      )}
    </Card>
  );
}
