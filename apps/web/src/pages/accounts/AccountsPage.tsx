import { Button, Card, Flex, Input, Space, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useList } from '../../api/hooks.ts';
import type { Account } from '../../api/types.ts';
import { useAuth } from '../../auth/auth.tsx';
import { CursorTable, sortOrderOf } from '../../components/CursorTable.tsx';
import { useListTools, type ListColumn } from '../../components/ListTools.tsx';
import { localDateTime } from '../../lib/exportRows.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { OwnerName } from '../../components/Refs.tsx';
import { useFormat } from '../../lib/format.ts';
import { useListParams } from '../../lib/useListParams.ts';

export function AccountsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [p, set] = useListParams(['q', 'region', 'industry', 'sort'], { sort: 'name' });
  const params = { limit: 25, q: p.q, region: p.region, industry: p.industry, sort: p.sort };
  const query = useList<Account>('accounts', params);
  const columns: Array<ListColumn<Account>> = [
            {
              key: 'name',
              title: t('field.name'),
              sorter: true,
              sortOrder: sortOrderOf(p.sort, 'name'),
              exportValue: (r) => r.name,
              render: (_, r) => (
                <Link to={`/accounts/${r.id}`} onClick={(e) => e.stopPropagation()}>
                  {r.name}
                </Link>
              ),
            },
            { key: 'industry', title: t('field.industry'), exportValue: (r) => r.industry, render: (_, r) => r.industry ?? '—' },
            { key: 'region', title: t('field.region'), exportValue: (r) => r.region, render: (_, r) => r.region ?? '—' },
            { key: 'taxId', title: t('field.taxId'), exportValue: (r) => r.taxId, render: (_, r) => r.taxId ?? '—' },
            { key: 'creditLimit', title: t('field.creditLimit'), align: 'right', exportValue: (r) => (r.creditLimitMinor === null ? null : { minor: r.creditLimitMinor, currency: r.currency }), render: (_, r) => (r.creditLimitMinor === null ? '—' : f.money(r.creditLimitMinor, r.currency)) },
            { key: 'owner', title: t('field.owner'), exportValue: (r, x) => x.owner(r.ownerId), render: (_, r) => <OwnerName id={r.ownerId} /> },
            { key: 'createdAt', title: t('field.createdAt'), sorter: true, sortOrder: sortOrderOf(p.sort, 'createdAt'), exportValue: (r) => localDateTime(r.createdAt), render: (_, r) => <Typography.Text type="secondary">{f.day(r.createdAt)}</Typography.Text> },
  ];
  const tools = useListTools<Account>({ list: 'accounts', type: 'accounts', columns, params });
  return (
    <>
      <PageHeader
        title={t('nav.accounts')}
        extra={
          can('account', 'write') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/accounts/new')}>
              {t('accounts.new')}
            </Button>
          )
        }
      />
      <Card>
        <Flex justify="space-between" align="flex-start" wrap gap={8} style={{ marginBottom: 16 }}>
          <Space wrap>
          <Input.Search allowClear placeholder={t('accounts.search')} defaultValue={p.q} onSearch={(v) => set({ q: v })} style={{ width: 260 }} />
          <Input.Search allowClear placeholder={t('field.region')} defaultValue={p.region} onSearch={(v) => set({ region: v })} style={{ width: 160 }} />
          <Input.Search allowClear placeholder={t('field.industry')} defaultValue={p.industry} onSearch={(v) => set({ industry: v })} style={{ width: 160 }} />
          </Space>
          {tools.tools}
        </Flex>
        <CursorTable<Account>
          query={query}
          onSortChange={(s) => set({ sort: s })}
          onRow={(r) => ({ onClick: () => navigate(`/accounts/${r.id}`), className: 'ltc-clickable-row' })}
          emptyText={p.q || p.region || p.industry ? t('list.noMatch') : t('accounts.empty')}
          columns={tools.columns}
        />
      </Card>
    </>
  );
}
