import { Card, Table } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useList } from '../../api/hooks.ts';
import type { Opportunity } from '../../api/types.ts';
import { useAuth } from '../../auth/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { RecordLink } from '../../components/Refs.tsx';
import { useFormat } from '../../lib/format.ts';

/** The signed-in user's open deals, closing soonest first. */
export function MyOpportunities() {
  const { t } = useTranslation();
  const f = useFormat();
  const { me } = useAuth();
  const q = useList<Opportunity>('opportunities', { status: 'open', ownerId: me?.user.id, sort: 'expectedCloseDate', limit: 10 });
  const rows = q.data?.pages[0]?.items ?? [];
  return (
    <Card title={t('home.myOpenOpportunities')} size="small" extra={<Link to="/opportunities?mine=1">{t('home.board')}</Link>}>
      {q.isError && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
      <Table<Opportunity>
        rowKey="id"
        size="small"
        pagination={false}
        loading={q.isPending}
        dataSource={rows}
        data-testid="my-opportunities"
        locale={{ emptyText: t('home.noOpenOpportunities') }}
        columns={[
          { key: 'name', title: t('field.name'), render: (_, r) => <Link to={`/opportunities/${r.id}`}>{r.name}</Link> },
          { key: 'account', title: t('field.account'), render: (_, r) => <RecordLink type="accounts" id={r.accountId} /> },
          { key: 'amount', title: t('field.amount'), align: 'right', render: (_, r) => f.money(r.amountMinor, r.currency) },
          { key: 'close', title: t('field.expectedCloseDate'), render: (_, r) => f.date(r.expectedCloseDate) },
        ]}
      />
    </Card>
  );
}
