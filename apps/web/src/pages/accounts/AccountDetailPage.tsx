import { Button, Card, Col, Descriptions, Row, Skeleton, Space, Table, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useList, useRecord } from '../../api/hooks.ts';
import type { Account, Contact, Opportunity } from '../../api/types.ts';
import { useAuth } from '../../auth/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RecordTimeline } from '../../components/RecordTimeline.tsx';
import { ActivityPanel } from '../activities/ActivityPanel.tsx';
import { OwnerName, RecordLink } from '../../components/Refs.tsx';
import { StatusTag } from '../../components/StatusTag.tsx';
import { useFormat } from '../../lib/format.ts';
import { AccountDocuments } from './AccountDocuments.tsx';
import { DunningChargesCard } from '../fx/DunningChargesCard.tsx';

function AccountContacts({ account }: { account: Account }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const q = useList<Contact>('contacts', { accountId: account.id, limit: 50, sort: 'name' }, can('contact'));
  if (!can('contact')) return null;
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card
      size="small"
      title={t('accounts.contacts', { count: rows.length })}
      extra={
        can('contact', 'write') && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => navigate(`/contacts/new?accountId=${account.id}`)}>
            {t('contacts.new')}
          </Button>
        )
      }
      style={{ marginTop: 16 }}
    >
      {q.isError && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
      <Table<Contact>
        rowKey="id"
        size="small"
        loading={q.isPending}
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: t('accounts.noContacts') }}
        columns={[
          { key: 'name', title: t('field.name'), render: (_, r) => <Link to={`/contacts/${r.id}`}>{r.name}</Link> },
          { key: 'title', title: t('field.title'), render: (_, r) => r.title ?? '—' },
          { key: 'email', title: t('field.email'), render: (_, r) => r.email ?? '—' },
          { key: 'phone', title: t('field.phone'), render: (_, r) => r.phone ?? '—' },
        ]}
      />
      {q.hasNextPage && (
        <Button type="link" onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>
          {t('list.loadMore')}
        </Button>
      )}
    </Card>
  );
}

function AccountOpportunities({ account }: { account: Account }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useAuth();
  const navigate = useNavigate();
  const q = useList<Opportunity>('opportunities', { accountId: account.id, limit: 50, sort: '-createdAt' }, can('opportunity'));
  if (!can('opportunity')) return null;
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card
      size="small"
      title={t('accounts.opportunities', { count: rows.length })}
      extra={
        can('opportunity', 'write') && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => navigate(`/opportunities/new?accountId=${account.id}`)}>
            {t('opportunities.new')}
          </Button>
        )
      }
      style={{ marginTop: 16 }}
    >
      {q.isError && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
      <Table<Opportunity>
        rowKey="id"
        size="small"
        loading={q.isPending}
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: t('accounts.noOpportunities') }}
        columns={[
          { key: 'name', title: t('field.name'), render: (_, r) => <Link to={`/opportunities/${r.id}`}>{r.name}</Link> },
          { key: 'status', title: t('field.status'), render: (_, r) => <StatusTag entity="opportunity" status={r.status} /> },
          { key: 'amount', title: t('field.amount'), align: 'right', render: (_, r) => f.money(r.amountMinor, r.currency) },
          { key: 'close', title: t('field.expectedCloseDate'), render: (_, r) => f.date(r.expectedCloseDate) },
        ]}
      />
      {q.hasNextPage && (
        <Button type="link" onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>
          {t('list.loadMore')}
        </Button>
      )}
    </Card>
  );
}

export function AccountDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useAuth();
  const navigate = useNavigate();
  const q = useRecord<Account>('accounts', id);
  const crumbs = [{ label: t('nav.accounts'), to: '/accounts' }];
  if (q.isPending) return <Skeleton active />;
  if (q.isError)
    return (
      <>
        <PageHeader title={t('nav.accounts')} crumbs={crumbs} />
        <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      </>
    );
  const a = q.data;
  const text = (v: string | null) => v ?? '—';
  return (
    <>
      <PageHeader
        title={a.name}
        crumbs={crumbs}
        extra={
          can('account', 'write') && (
            <Button icon={<EditOutlined />} onClick={() => navigate(`/accounts/${a.id}/edit`)}>
              {t('common.edit')}
            </Button>
          )
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Card title={t('common.details')} size="small">
            <Descriptions column={{ xs: 1, sm: 2 }} size="small">
              <Descriptions.Item label={t('field.industry')}>{text(a.industry)}</Descriptions.Item>
              <Descriptions.Item label={t('field.region')}>{text(a.region)}</Descriptions.Item>
              <Descriptions.Item label={t('field.taxId')}>{text(a.taxId)}</Descriptions.Item>
              <Descriptions.Item label={t('field.website')}>{text(a.website)}</Descriptions.Item>
              <Descriptions.Item label={t('field.currency')}>{a.currency}</Descriptions.Item>
              <Descriptions.Item label={t('field.creditLimit')}>{a.creditLimitMinor === null ? '—' : f.money(a.creditLimitMinor, a.currency)}</Descriptions.Item>
              <Descriptions.Item label={t('field.owner')}>
                <OwnerName id={a.ownerId} />
              </Descriptions.Item>
              {a.leadId && (
                <Descriptions.Item label={t('field.lead')}>
                  <RecordLink type="leads" id={a.leadId} />
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('field.createdAt')}>{f.dateTime(a.createdAt)}</Descriptions.Item>
              <Descriptions.Item label={t('field.address')} span={2}>
                <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{text(a.address)}</Typography.Text>
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <AccountContacts account={a} />
          <AccountOpportunities account={a} />
          <AccountDocuments accountId={a.id} />
          <DunningChargesCard accountId={a.id} />
          <ActivityPanel parentType="account" parentId={a.id} leadId={a.leadId} />
        </Col>
        <Col xs={24} xl={9}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <RecordTimeline type="accounts" entity="account" id={a.id} />
          </Space>
        </Col>
      </Row>
    </>
  );
}
