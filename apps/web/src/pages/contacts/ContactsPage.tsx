import { Button, Card, Input, Space, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useList } from '../../api/hooks.ts';
import type { Contact } from '../../api/types.ts';
import { useAuth } from '../../auth/auth.tsx';
import { CursorTable, sortOrderOf } from '../../components/CursorTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RecordLink } from '../../components/Refs.tsx';
import { useFormat } from '../../lib/format.ts';
import { useListParams } from '../../lib/useListParams.ts';

export function ContactsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [p, set] = useListParams(['q', 'sort'], { sort: 'name' });
  const query = useList<Contact>('contacts', { limit: 25, q: p.q, sort: p.sort });
  return (
    <>
      <PageHeader
        title={t('nav.contacts')}
        extra={
          can('contact', 'write') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/contacts/new')}>
              {t('contacts.new')}
            </Button>
          )
        }
      />
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search allowClear placeholder={t('contacts.search')} defaultValue={p.q} onSearch={(v) => set({ q: v })} style={{ width: 280 }} />
        </Space>
        <CursorTable<Contact>
          query={query}
          onSortChange={(s) => set({ sort: s })}
          onRow={(r) => ({ onClick: () => navigate(`/contacts/${r.id}`), className: 'ltc-clickable-row' })}
          emptyText={p.q ? t('list.noMatch') : t('contacts.empty')}
          columns={[
            {
              key: 'name',
              title: t('field.name'),
              sorter: true,
              sortOrder: sortOrderOf(p.sort, 'name'),
              render: (_, r) => (
                <Link to={`/contacts/${r.id}`} onClick={(e) => e.stopPropagation()}>
                  {r.name}
                </Link>
              ),
            },
            { key: 'account', title: t('field.account'), render: (_, r) => <span onClick={(e) => e.stopPropagation()}><RecordLink type="accounts" id={r.accountId} /></span> },
            { key: 'title', title: t('field.title'), render: (_, r) => r.title ?? '—' },
            { key: 'email', title: t('field.email'), render: (_, r) => r.email ?? '—' },
            { key: 'phone', title: t('field.phone'), render: (_, r) => r.phone ?? '—' },
            { key: 'createdAt', title: t('field.createdAt'), sorter: true, sortOrder: sortOrderOf(p.sort, 'createdAt'), render: (_, r) => <Typography.Text type="secondary">{f.day(r.createdAt)}</Typography.Text> },
          ]}
        />
      </Card>
    </>
  );
}
