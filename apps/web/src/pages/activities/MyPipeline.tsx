import { Card, Empty, Progress, Skeleton, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAll, useDefaultPipeline } from '../../api/hooks.ts';
import type { Opportunity } from '../../api/types.ts';
import { useAuth } from '../../auth/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFormat } from '../../lib/format.ts';

/** Home: my open opportunities by stage of the default pipeline, with count and total per stage. */
export function MyPipeline() {
  const { t } = useTranslation();
  const f = useFormat();
  const { me } = useAuth();
  const { pipeline } = useDefaultPipeline();
  const q = useAll<Opportunity>(
    'opportunities',
    { status: 'open', ownerId: me?.user.id, pipelineId: pipeline?.id },
    !!pipeline && !!me,
  );
  const items = q.data?.items ?? [];
  const stages = pipeline?.stages.filter((s) => s.kind === 'open') ?? [];
  // Totals per stage and currency, in integer minor units.
  const rows = stages.map((s) => {
    const here = items.filter((o) => o.stageId === s.id);
    const totals = new Map<string, number>();
    for (const o of here) totals.set(o.currency, (totals.get(o.currency) ?? 0) + o.amountMinor);
    return { stage: s, count: here.length, totals: [...totals] };
  });
  const max = Math.max(1, ...rows.map((r) => r.count));
  return (
    <Card
      title={t('activities.myPipeline')}
      size="small"
      data-testid="my-pipeline"
      extra={<Link to="/opportunities?mine=1">{t('home.board')}</Link>}
    >
      {q.isError ? (
        <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      ) : q.isPending && !!pipeline ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : !items.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('home.noOpenOpportunities')} />
      ) : (
        rows.map((r) => (
          <div key={r.stage.id} style={{ marginBottom: 8 }} data-testid={`my-stage-${r.stage.id}`}>
            <Typography.Text>
              {r.stage.name} · {t('activities.dealCount', { count: r.count })}
            </Typography.Text>
            <Typography.Text strong style={{ float: 'right' }}>
              {r.totals.length ? r.totals.map(([c, m]) => f.money(m, c)).join(' + ') : '—'}
            </Typography.Text>
            <Progress
              percent={(r.count / max) * 100}
              showInfo={false}
              size="small"
              aria-label={`${r.stage.name}: ${r.count}`}
            />
          </div>
        ))
      )}
    </Card>
  );
}
