import { Button, Card, Col, Descriptions, Row, Skeleton } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useRecord } from '../../api/hooks.ts';
import type { Contact } from '../../api/types.ts';
import { useAuth } from '../../auth/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RecordTimeline } from '../../components/RecordTimeline.tsx';
import { ActivityPanel } from '../activities/ActivityPanel.tsx';
import { OwnerName, RecordLink } from '../../components/Refs.tsx';
import { useFormat } from '../../lib/format.ts';

export function ContactDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useAuth();
  const navigate = useNavigate();
  const q = useRecord<Contact>('contacts', id);
  const crumbs = [{ label: t('nav.contacts'), to: '/contacts' }];
  if (q.isPending) return <Skeleton active />;
  if (q.isError)
    return (
      <>
        <PageHeader title={t('nav.contacts')} crumbs={crumbs} />
        <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      </>
    );
  const c = q.data;
  return (
    <>
      <PageHeader
        title={c.name}
        crumbs={crumbs}
        extra={
          can('contact', 'write') && (
            <Button icon={<EditOutlined />} onClick={() => navigate(`/contacts/${c.id}/edit`)}>
              {t('common.edit')}
            </Button>
          )
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Card title={t('common.details')} size="small">
            <Descriptions column={{ xs: 1, sm: 2 }} size="small">
              <Descriptions.Item label={t('field.account')}>
                <RecordLink type="accounts" id={c.accountId} />
              </Descriptions.Item>
              <Descriptions.Item label={t('field.title')}>{c.title ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('field.email')}>{c.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('field.phone')}>{c.phone ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('field.owner')}>
                <OwnerName id={c.ownerId} />
              </Descriptions.Item>
              {c.leadId && (
                <Descriptions.Item label={t('field.lead')}>
                  <RecordLink type="leads" id={c.leadId} />
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('field.createdAt')}>{f.dateTime(c.createdAt)}</Descriptions.Item>
            </Descriptions>
          </Card>
          <ActivityPanel parentType="contact" parentId={c.id} leadId={c.leadId} />
        </Col>
        <Col xs={24} xl={9}>
          <RecordTimeline type="contacts" entity="contact" id={c.id} />
        </Col>
      </Row>
    </>
  );
}
