import { useMemo } from 'react';
import { Skeleton } from 'antd';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useDefaultPipeline, usePipelines, useRecord } from '../../api/hooks.ts';
import type { Opportunity } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RecordEditor } from '../../components/RecordEditor.tsx';
import { OPP_FIELD_OF, OpportunityFields, oppToBody, oppToValues } from './OpportunityFields.tsx';

/** /opportunities/new (optionally ?accountId=) and /opportunities/:id/edit */
export function OpportunityEditPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const [sp] = useSearchParams();
  const navigate = useNavigate();
  const q = useRecord<Opportunity>('opportunities', id);
  const pipes = usePipelines();
  const { pipeline: def } = useDefaultPipeline();
  const creating = !id;
  const toBody = useMemo(() => oppToBody(creating), [creating]);
  const crumbs = [{ label: t('nav.opportunities'), to: '/opportunities' }];
  if ((id && q.isPending) || pipes.isPending) return <Skeleton active />;
  if (id && q.isError) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  if (pipes.isError) return <ErrorAlert error={pipes.error} onRetry={() => void pipes.refetch()} />;
  const opp = q.data;
  const pipeline = opp ? pipes.data.find((p) => p.id === opp.pipelineId) : def;
  return (
    <>
      <PageHeader
        title={opp ? t('opportunities.editTitle', { name: opp.name }) : t('opportunities.new')}
        crumbs={opp ? [...crumbs, { label: opp.name, to: `/opportunities/${opp.id}` }] : crumbs}
      />
      <RecordEditor<Opportunity>
        key={opp?.id ?? 'new'}
        type="opportunities"
        record={opp}
        toValues={oppToValues}
        initialValues={{ currency: 'CNY', accountId: sp.get('accountId') ?? undefined, stageId: pipeline?.stages.find((s) => s.kind === 'open' && s.active !== false)?.id }}
        toBody={toBody}
        fieldOf={(p) => OPP_FIELD_OF[p] ?? p}
        labelOf={(k) => t(`field.${k}`)}
        onSaved={(saved) => navigate(`/opportunities/${saved.id}`)}
        onCancel={() => navigate(opp ? `/opportunities/${opp.id}` : '/opportunities')}
        also={['accounts']}
      >
        <OpportunityFields creating={creating} stages={(pipeline?.stages ?? []).filter((s) => s.active !== false || s.id === opp?.stageId)} />
      </RecordEditor>
    </>
  );
}
