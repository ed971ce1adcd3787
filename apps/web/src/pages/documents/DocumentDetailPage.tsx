import { useState } from 'react';
import { App, Card, Col, Descriptions, Row, Skeleton, Space } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useRecord, useRecordAction } from '../../api/hooks.ts';
import { useAuth } from '../../auth/auth.tsx';
import { ActionButtons } from '../../components/ActionButtons.tsx';
import { problemMessage } from '../../components/errors.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ReasonDialog } from '../../components/ReasonDialog.tsx';
import { RecordTimeline } from '../../components/RecordTimeline.tsx';
import { StatusTag } from '../../components/StatusTag.tsx';
import { useFormat } from '../../lib/format.ts';
import { ThreadCard } from './ThreadCard.tsx';
import type { Doc, DocConfig } from './types.ts';

/**
 * A document's page: number and status, the lifecycle actions it allows now (and the role
 * permits), key facts, lines with totals, follow-up steps, the lead-to-cash thread and the timeline.
 */
export function DocumentDetailPage<T extends Doc>({ config }: { config: DocConfig<T> }) {
  const { id } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const q = useRecord<T>(config.type, id);
  const act = useRecordAction<T>(config.type, id, ['orders', 'invoices', 'deliveries', 'payments', 'quotes', 'contracts']);
  const [asking, setAsking] = useState<string | null>(null);
  const crumbs = [{ label: t(`nav.${config.type}`), to: `/${config.type}` }];
  const h = { t, f };

  if (q.isPending) return <Skeleton active />;
  if (q.isError)
    return (
      <>
        <PageHeader title={t(`nav.${config.type}`)} crumbs={crumbs} />
        <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      </>
    );
  const doc = q.data;
  const permitted = (a: string) => can(config.entity, config.actions?.[a]?.permission ?? 'write');
  const label = (a: string) => t(`action.${config.entity}.${a}`, { defaultValue: t(`action.${a}`, { defaultValue: a }) });
  const run = (action: string) => {
    if (config.actions?.[action]?.field) return setAsking(action);
    act.mutate(
      { action },
      {
        onSuccess: (d) => {
          void message.success(t('documents.statusNow', { status: t(`status.${config.entity}.${d.status}`) }));
          // Some steps answer with a new document (a quote's next version): show it.
          if (d.id !== doc.id) navigate(`/${config.type}/${d.id}`);
        },
        onError: (e) => void message.error(problemMessage(t, e)),
      },
    );
  };
  const field = asking ? config.actions?.[asking]?.field : undefined;

  return (
    <>
      <PageHeader
        title={config.title(doc, h)}
        crumbs={crumbs}
        tags={<StatusTag entity={config.entity} status={doc.status} />}
        extra={
          <>
            <ActionButtons entity={config.entity} actions={doc.allowedActions ?? []} permitted={permitted} busy={act.isPending ? act.variables?.action : null} onAction={run} />
            {config.buttons?.(doc)}
          </>
        }
      />
      {config.banner?.(doc, h)}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('common.details')} size="small">
              <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
                {config.facts(doc, h).map((x) => (
                  <Descriptions.Item key={x.label} label={x.label} span={x.span}>
                    {x.value}
                  </Descriptions.Item>
                ))}
              </Descriptions>
            </Card>
            {config.lines?.(doc, h)}
            {config.extra?.(doc)}
          </Space>
        </Col>
        <Col xs={24} xl={8}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <ThreadCard type={config.type} id={doc.id} />
            <RecordTimeline type={config.type} entity={config.entity} id={doc.id} />
          </Space>
        </Col>
      </Row>
      <ReasonDialog
        open={!!asking}
        title={asking ? `${label(asking)} · ${config.title(doc, h)}` : ''}
        okText={asking ? label(asking) : ''}
        field={field}
        label={field ? t(`field.${field}`) : undefined}
        danger={field === 'reason'}
        onClose={() => setAsking(null)}
        onSubmit={(text) =>
          act.mutateAsync({ action: asking!, body: { [field ?? 'reason']: text } }).then((d) => message.success(t('documents.statusNow', { status: t(`status.${config.entity}.${d.status}`) })))
        }
      />
    </>
  );
}
