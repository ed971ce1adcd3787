import { useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Row, Skeleton, Steps } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { usePipelines, useRecord, useRecordAction } from '../../api/hooks.ts';
import type { Opportunity } from '../../api/types.ts';
import { useAuth } from '../../auth/auth.tsx';
import { ActionButtons } from '../../components/ActionButtons.tsx';
import { problemMessage } from '../../components/errors.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ReasonDialog } from '../../components/ReasonDialog.tsx';
import { RecordTimeline } from '../../components/RecordTimeline.tsx';
import { ActivityPanel } from '../activities/ActivityPanel.tsx';
import { StagePicker } from '../activities/StagePicker.tsx';
import { OwnerName, RecordLink } from '../../components/Refs.tsx';
import { StatusTag } from '../../components/StatusTag.tsx';
import { NextStepButton } from '../documents/NextStepButton.tsx';
import { useApiPaths } from '../../layout/useApiPaths.ts';
import { useFormat } from '../../lib/format.ts';

export function OpportunityDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const q = useRecord<Opportunity>('opportunities', id);
  const pipes = usePipelines();
  const act = useRecordAction<Opportunity>('opportunities', id);
  const [losing, setLosing] = useState(false);
  const paths = useApiPaths();
  const crumbs = [{ label: t('nav.opportunities'), to: '/opportunities' }];

  if (q.isPending) return <Skeleton active />;
  if (q.isError)
    return (
      <>
        <PageHeader title={t('nav.opportunities')} crumbs={crumbs} />
        <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      </>
    );
  const o = q.data;
  const pipeline = pipes.data?.find((p) => p.id === o.pipelineId);
  const openStages = pipeline?.stages.filter((s) => s.kind === 'open') ?? [];
  const stage = pipeline?.stages.find((s) => s.id === o.stageId);
  const mayWrite = can('opportunity', 'write');

  const run = (action: string) => {
    if (action === 'lose') return setLosing(true);
    act.mutate(
      { action },
      {
        onSuccess: (r) => void message.success(t('opportunities.statusNow', { status: t(`status.opportunity.${r.status}`) })),
        onError: (e) => void message.error(problemMessage(t, e)),
      },
    );
  };

  const current = openStages.findIndex((s) => s.id === o.stageId);
  return (
    <>
      <PageHeader
        title={o.name}
        crumbs={crumbs}
        tags={<StatusTag entity="opportunity" status={o.status} />}
        extra={
          <>
            <ActionButtons entity="opportunity" actions={o.allowedActions} permitted={() => mayWrite} busy={act.isPending ? act.variables?.action : null} onAction={run} />
            {o.status === 'open' && can('quote', 'write') && paths.data?.has('/api/v1/opportunities/{id}/quotes') && (
              <NextStepButton label={t('opportunities.newQuote')} path={`/opportunities/${o.id}/quotes`} target="quotes" />
            )}
            {mayWrite && o.status === 'open' && (
              <Button icon={<EditOutlined />} onClick={() => navigate(`/opportunities/${o.id}/edit`)} data-testid="edit">
                {t('common.edit')}
              </Button>
            )}
          </>
        }
      />
      {o.status === 'lost' && o.lostReason && <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('opportunities.lostBecause', { reason: o.lostReason })} />}
      {openStages.length > 0 && (
        <Card size="small" style={{ marginBottom: 16 }}>
          <Steps
            size="small"
            current={o.status === 'open' ? current : openStages.length}
            status={o.status === 'lost' ? 'error' : o.status === 'won' ? 'finish' : 'process'}
            items={[...openStages.map((s) => ({ title: s.name })), { title: stage && o.status !== 'open' ? stage.name : t('opportunities.closed') }]}
          />
          {mayWrite && o.status === 'open' && (
            <div style={{ marginTop: 12 }}>
              <StagePicker opp={o} stages={openStages} />
            </div>
          )}
        </Card>
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Card title={t('common.details')} size="small">
            <Descriptions column={{ xs: 1, sm: 2 }} size="small">
              <Descriptions.Item label={t('field.account')}>
                <RecordLink type="accounts" id={o.accountId} />
              </Descriptions.Item>
              <Descriptions.Item label={t('field.contact')}>
                <RecordLink type="contacts" id={o.contactId} />
              </Descriptions.Item>
              <Descriptions.Item label={t('field.amount')}>{f.money(o.amountMinor, o.currency)}</Descriptions.Item>
              <Descriptions.Item label={t('opportunities.weighted')}>{f.money(o.weightedAmountMinor, o.currency)}</Descriptions.Item>
              <Descriptions.Item label={t('field.stage')}>{stage?.name ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('field.probability')}>{o.probability}%</Descriptions.Item>
              <Descriptions.Item label={t('field.expectedCloseDate')}>{f.date(o.expectedCloseDate)}</Descriptions.Item>
              <Descriptions.Item label={t('field.owner')}>
                <OwnerName id={o.ownerId} />
              </Descriptions.Item>
              {o.leadId && (
                <Descriptions.Item label={t('field.lead')}>
                  <RecordLink type="leads" id={o.leadId} />
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('field.createdAt')}>{f.dateTime(o.createdAt)}</Descriptions.Item>
              {o.closedAt && <Descriptions.Item label={t('field.closedAt')}>{f.dateTime(o.closedAt)}</Descriptions.Item>}
            </Descriptions>
          </Card>
          <ActivityPanel parentType="opportunity" parentId={o.id} leadId={o.leadId} />
        </Col>
        <Col xs={24} xl={9}>
          <RecordTimeline type="opportunities" entity="opportunity" id={o.id} />
        </Col>
      </Row>
      <ReasonDialog
        open={losing}
        title={t('opportunities.loseTitle', { name: o.name })}
        okText={t('action.opportunity.lose')}
        onClose={() => setLosing(false)}
        onSubmit={(reason) => act.mutateAsync({ action: 'lose', body: { reason } }).then(() => message.success(t('opportunities.lostMsg', { name: o.name })))}
      />
    </>
  );
}
