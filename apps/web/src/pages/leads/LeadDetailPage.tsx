import { useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Row, Skeleton, Space } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ScoreReasons } from './ScoreReasons.tsx';
import { useRecord, useRecordAction } from '../../api/hooks.ts';
import type { Lead } from '../../api/types.ts';
import { useAuth } from '../../auth/auth.tsx';
import { ActionButtons } from '../../components/ActionButtons.tsx';
import { problemMessage } from '../../components/errors.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ReasonDialog } from '../../components/ReasonDialog.tsx';
import { RecordTimeline } from '../../components/RecordTimeline.tsx';
import { ActivityPanel } from '../activities/ActivityPanel.tsx';
import { OwnerName, RecordLink } from '../../components/Refs.tsx';
import { StatusTag } from '../../components/StatusTag.tsx';
import { useFormat } from '../../lib/format.ts';
import { ConvertDialog } from './ConvertDialog.tsx';

export function LeadDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const q = useRecord<Lead>('leads', id);
  const act = useRecordAction<Lead>('leads', id);
  const [dialog, setDialog] = useState<'disqualify' | 'convert' | null>(null);
  const crumbs = [{ label: t('nav.leads'), to: '/leads' }];

  if (q.isPending) return <Skeleton active />;
  if (q.isError)
    return (
      <>
        <PageHeader title={t('nav.leads')} crumbs={crumbs} />
        <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      </>
    );
  const lead = q.data;
  const mayWrite = can('lead', 'write');

  const run = (action: string) => {
    if (action === 'disqualify' || action === 'convert') return setDialog(action);
    act.mutate(
      { action },
      {
        onSuccess: (l) => void message.success(t('leads.actionDone', { status: t(`status.lead.${l.status}`) })),
        onError: (e) => void message.error(problemMessage(t, e)),
      },
    );
  };

  const text = (v: string | null) => v ?? '—';
  return (
    <>
      <PageHeader
        title={lead.name}
        crumbs={crumbs}
        tags={<StatusTag entity="lead" status={lead.status} />}
        extra={
          <>
            <ActionButtons entity="lead" actions={lead.allowedActions} permitted={() => mayWrite} busy={act.isPending ? act.variables?.action : null} onAction={run} />
            {mayWrite && lead.status !== 'converted' && (
              <Button icon={<EditOutlined />} onClick={() => navigate(`/leads/${lead.id}/edit`)} data-testid="edit">
                {t('common.edit')}
              </Button>
            )}
          </>
        }
      />
      {lead.status === 'converted' && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('leads.convertedOn', { date: f.dateTime(lead.convertedAt) })}
          description={
            <Space wrap split="·">
              <span>
                {t('field.account')}: <RecordLink type="accounts" id={lead.convertedAccountId} />
              </span>
              <span>
                {t('field.contact')}: <RecordLink type="contacts" id={lead.convertedContactId} />
              </span>
              {lead.convertedOpportunityId && (
                <span>
                  {t('field.opportunity')}: <RecordLink type="opportunities" id={lead.convertedOpportunityId} />
                </span>
              )}
            </Space>
          }
        />
      )}
      {lead.status === 'disqualified' && lead.disqualifyReason && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('leads.disqualifiedBecause', { reason: lead.disqualifyReason })} />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Card title={t('common.details')} size="small">
            <Descriptions column={{ xs: 1, sm: 2 }} size="small">
              <Descriptions.Item label={t('field.company')}>{text(lead.company)}</Descriptions.Item>
              <Descriptions.Item label={t('field.title')}>{text(lead.title)}</Descriptions.Item>
              <Descriptions.Item label={t('field.email')}>{lead.email ? <a href={`mailto:${lead.email}`}>{lead.email}</a> : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('field.phone')}>{text(lead.phone)}</Descriptions.Item>
              <Descriptions.Item label={t('field.region')}>{text(lead.region)}</Descriptions.Item>
              <Descriptions.Item label={t('field.industry')}>{text(lead.industry)}</Descriptions.Item>
              <Descriptions.Item label={t('field.source')}>{lead.source ? t(`source.${lead.source}`, { defaultValue: lead.source }) : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('field.campaign')}>{text(lead.campaign)}</Descriptions.Item>
              <Descriptions.Item label={t('field.score')}>
                <ScoreReasons score={lead.score} reasons={lead.scoreReasons} />
              </Descriptions.Item>
              <Descriptions.Item label={t('field.owner')}>
                <OwnerName id={lead.ownerId} />
              </Descriptions.Item>
              <Descriptions.Item label={t('field.createdAt')}>{f.dateTime(lead.createdAt)}</Descriptions.Item>
              <Descriptions.Item label={t('field.updatedAt')}>{f.dateTime(lead.updatedAt)}</Descriptions.Item>
              <Descriptions.Item label={t('activities.lastTouched')}>{lead.lastActivityAt ? f.dateTime(lead.lastActivityAt) : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('field.notes')} span={2}>
                <span style={{ whiteSpace: 'pre-wrap' }}>{text(lead.notes)}</span>
              </Descriptions.Item>
            </Descriptions>
          </Card>
          {lead.allowedActions.length > 0 && !mayWrite && (
            <Alert style={{ marginTop: 16 }} type="info" showIcon message={t('common.readOnly')} />
          )}
          <ActivityPanel parentType="lead" parentId={lead.id} />
        </Col>
        <Col xs={24} xl={9}>
          <RecordTimeline type="leads" entity="lead" id={lead.id} />
        </Col>
      </Row>
      <ReasonDialog
        open={dialog === 'disqualify'}
        title={t('leads.disqualifyTitle', { name: lead.name })}
        okText={t('action.lead.disqualify')}
        onClose={() => setDialog(null)}
        onSubmit={(reason) => act.mutateAsync({ action: 'disqualify', body: { reason } }).then(() => message.success(t('leads.disqualified')))}
      />
      {dialog === 'convert' && (
        <ConvertDialog
          lead={lead}
          open
          onClose={() => setDialog(null)}
          onDone={(r) => {
            setDialog(null);
            void message.success(t('convert.done'));
            navigate(r.opportunityId ? `/opportunities/${r.opportunityId}` : `/accounts/${r.accountId}`);
          }}
        />
      )}
    </>
  );
}
