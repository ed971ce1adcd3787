import { App, Button, Card, Input, Select, Space, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useInvalidate, useList } from '../../api/hooks.ts';
import { useAuth } from '../../auth/auth.tsx';
import { CursorTable, sortOrderOf } from '../../components/CursorTable.tsx';
import { problemMessage } from '../../components/errors.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useFormat } from '../../lib/format.ts';
import { rateToPercent } from '../../lib/money.ts';
import { useListParams } from '../../lib/useListParams.ts';
import { PRODUCT_KINDS, type Product } from './ProductFields.tsx';

/** The catalog: products with list price and VAT rate; deactivated, never deleted. */
export function ProductsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const [p, set] = useListParams(['q', 'kind', 'active', 'sort'], { sort: 'name' });
  const query = useList<Product>('products', { limit: 25, q: p.q, kind: p.kind, active: p.active, sort: p.sort });
  const mayWrite = can('product', 'write');
  const toggle = async (r: Product) => {
    try {
      await api.post(`/products/${r.id}/${r.active ? 'deactivate' : 'activate'}`);
      await invalidate('products');
    } catch (e) {
      void message.error(problemMessage(t, e));
    }
  };
  return (
    <>
      <PageHeader
        title={t('nav.products')}
        extra={
          mayWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/products/new')}>
              {t('products.new')}
            </Button>
          )
        }
      />
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search allowClear placeholder={t('products.search')} defaultValue={p.q} onSearch={(v) => set({ q: v })} style={{ width: 260 }} />
          <Select allowClear placeholder={t('field.kind')} value={p.kind} onChange={(v) => set({ kind: v })} style={{ width: 140 }} options={PRODUCT_KINDS.map((k) => ({ value: k, label: t(`productKind.${k}`) }))} />
          <Select
            allowClear
            placeholder={t('field.active')}
            value={p.active}
            onChange={(v) => set({ active: v })}
            style={{ width: 140 }}
            options={[
              { value: 'true', label: t('products.active') },
              { value: 'false', label: t('products.inactive') },
            ]}
          />
        </Space>
        <CursorTable<Product>
          query={query}
          onSortChange={(s) => set({ sort: s })}
          emptyText={p.q || p.kind || p.active ? t('list.noMatch') : t('products.empty')}
          columns={[
            { key: 'sku', title: t('field.sku'), sorter: true, sortOrder: sortOrderOf(p.sort, 'sku'), render: (_, r) => <code>{r.sku}</code> },
            { key: 'name', title: t('field.name'), sorter: true, sortOrder: sortOrderOf(p.sort, 'name'), render: (_, r) => (mayWrite ? <Link to={`/products/${r.id}/edit`}>{r.name}</Link> : r.name) },
            { key: 'kind', title: t('field.kind'), render: (_, r) => t(`productKind.${r.kind}`, { defaultValue: r.kind }) },
            { key: 'unit', title: t('field.unit'), render: (_, r) => r.unit },
            { key: 'listPrice', title: t('field.listPrice'), sorter: true, sortOrder: sortOrderOf(p.sort, 'listPrice'), align: 'right', render: (_, r) => f.money(r.listPriceMinor, r.currency) },
            { key: 'tax', title: t('field.taxRate'), align: 'right', render: (_, r) => (r.taxCode ? `${r.taxCode} · ${rateToPercent(r.taxRate)}%` : `${rateToPercent(r.taxRate)}%`) },
            { key: 'active', title: t('field.active'), render: (_, r) => (r.active ? <Tag color="green">{t('products.active')}</Tag> : <Tag>{t('products.inactive')}</Tag>) },
            {
              key: 'actions',
              title: '',
              render: (_, r) =>
                mayWrite && (
                  <Button size="small" onClick={() => void toggle(r)}>
                    {r.active ? t('products.deactivate') : t('products.activate')}
                  </Button>
                ),
            },
          ]}
        />
      </Card>
    </>
  );
}
