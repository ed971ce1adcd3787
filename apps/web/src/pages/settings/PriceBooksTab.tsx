import { useState } from 'react';
import { App, Button, Checkbox, Col, Form, Input, Modal, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useAuth } from '../../auth/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { MoneyInput, moneyRules, toMinor } from '../../components/MoneyInput.tsx';
import { RefSelect } from '../../components/RefSelect.tsx';
import { currencyDigits, minorToDecimal } from '../../lib/money.ts';
import { CURRENCIES } from '../opportunities/OpportunityFields.tsx';

export const PRICE_SCHEMES = ['per_unit', 'graduated', 'volume'] as const;
type Scheme = (typeof PRICE_SCHEMES)[number];

export interface PriceBook {
  id: string;
  name: string;
  currency: string;
  pricesIncludeTax: boolean;
  isDefault: boolean;
  validFrom: string | null;
  validTo: string | null;
  active: boolean;
  entries: Array<{
    productId: string;
    sku: string;
    productName: string;
    scheme: Scheme;
    unitPriceMinor: number | null;
    tiers: Array<{ upTo: string | null; unitPriceMinor: number; flatFeeMinor: number }> | null;
  }>;
  version: number;
}

/** Active price books of a currency, for the quote builder. */
export function usePriceBooks(currency?: string) {
  const { can } = useAuth();
  return useQuery({
    queryKey: ['price-books', currency ?? 'all'],
    queryFn: ({ signal }) => api.get<{ items: PriceBook[] }>('/price-books', currency ? { currency, active: 'true' } : undefined, signal),
    enabled: can('pricing'),
  });
}

interface TierForm {
  upTo?: string;
  price?: string;
}
interface EntryForm {
  productId?: string | null;
  scheme: Scheme;
  price?: string;
  tiers?: TierForm[];
}
interface BookForm {
  name: string;
  currency: string;
  pricesIncludeTax: boolean;
  isDefault: boolean;
  validFrom?: string;
  validTo?: string;
  entries: EntryForm[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const QTY = /^\d{1,9}(\.\d{1,3})?$/;

/**
 * Settings → Price books: books per currency, prices with or without tax, each product priced per
 * unit or by graduated (each unit in its tier) or volume (all units at the tier reached) tiers; the
 * default book of a currency prices quotes that name none. Deactivated, never deleted.
 */
export function PriceBooksTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const qc = useQueryClient();
  const q = usePriceBooks();
  const writable = can('pricing', 'write');
  const [editing, setEditing] = useState<PriceBook | 'new' | null>(null);
  const [form] = Form.useForm<BookForm>();
  const currency = (Form.useWatch('currency', form) as string | undefined) ?? 'CNY';
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      await qc.invalidateQueries({ queryKey: ['price-books'] });
      void message.success(t('settings.saved'));
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const open = (b: PriceBook | 'new') => {
    setEditing(b);
    setError(null);
    form.resetFields();
    if (b === 'new') form.setFieldsValue({ name: '', currency: 'CNY', pricesIncludeTax: false, isDefault: false, entries: [] });
    else {
      const d = currencyDigits(b.currency);
      form.setFieldsValue({
        name: b.name,
        currency: b.currency,
        pricesIncludeTax: b.pricesIncludeTax,
        isDefault: b.isDefault,
        validFrom: b.validFrom ?? '',
        validTo: b.validTo ?? '',
        entries: b.entries.map((e) => ({
          productId: e.productId,
          scheme: e.scheme,
          price: e.unitPriceMinor === null ? '' : minorToDecimal(e.unitPriceMinor, d),
          tiers: (e.tiers ?? []).map((x) => ({ upTo: x.upTo ?? '', price: minorToDecimal(x.unitPriceMinor, d) })),
        })),
      });
    }
  };
  const save = async (v: BookForm) => {
    const entries = (v.entries ?? []).map((e) =>
      e.scheme === 'per_unit'
        ? { productId: e.productId, scheme: e.scheme, unitPriceMinor: toMinor(e.price, v.currency) ?? 0 }
        : { productId: e.productId, scheme: e.scheme, tiers: (e.tiers ?? []).map((x) => ({ upTo: x.upTo?.trim() ? x.upTo.trim() : null, unitPriceMinor: toMinor(x.price, v.currency) ?? 0 })) },
    );
    const body = {
      name: v.name.trim(),
      currency: v.currency,
      pricesIncludeTax: !!v.pricesIncludeTax,
      isDefault: !!v.isDefault,
      validFrom: v.validFrom?.trim() || null,
      validTo: v.validTo?.trim() || null,
      entries,
    };
    const ok = await run(() => (editing === 'new' ? api.post('/price-books', body) : api.patch(`/price-books/${(editing as PriceBook).id}`, body, (editing as PriceBook).version)));
    if (ok) setEditing(null);
  };

  return (
    <div data-testid="price-book-settings">
      <ErrorAlert error={q.error ?? (editing ? null : error)} onRetry={() => void q.refetch()} />
      {writable && (
        <Button type="primary" icon={<PlusOutlined />} style={{ marginBottom: 16 }} onClick={() => open('new')} data-testid="new-price-book">
          {t('pricing.newPriceBook')}
        </Button>
      )}
      <Table<PriceBook>
        rowKey="id"
        size="middle"
        loading={q.isPending}
        dataSource={q.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: 'name', title: t('field.name'), dataIndex: 'name' },
          { key: 'currency', title: t('field.currency'), dataIndex: 'currency' },
          { key: 'tax', title: t('pricing.prices'), render: (_, r) => (r.pricesIncludeTax ? t('pricing.withTax') : t('pricing.withoutTax')) },
          { key: 'validity', title: t('pricing.validity'), render: (_, r) => (r.validFrom || r.validTo ? `${r.validFrom ?? '…'} – ${r.validTo ?? '…'}` : '') },
          { key: 'entries', title: t('pricing.entryCount'), align: 'right', render: (_, r) => r.entries.length },
          {
            key: 'state',
            title: '',
            render: (_, r) => (
              <Space size={4}>
                {r.isDefault && <Tag color="gold">{t('pricing.default')}</Tag>}
                {!r.active && <Tag>{t('pricing.inactive')}</Tag>}
              </Space>
            ),
          },
          ...(writable
            ? [
                {
                  key: 'actions',
                  title: '',
                  render: (_: unknown, r: PriceBook) => (
                    <Space size={4}>
                      <Button size="small" icon={<EditOutlined />} onClick={() => open(r)} aria-label={`${t('common.edit')} ${r.name}`}>
                        {t('common.edit')}
                      </Button>
                      <Button size="small" onClick={() => void run(() => api.post(`/price-books/${r.id}/${r.active ? 'deactivate' : 'activate'}`, {}))}>
                        {r.active ? t('pricing.deactivate') : t('pricing.activate')}
                      </Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('pricing.newPriceBook') : editing ? editing.name : ''}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setEditing(null)}
        width={900}
        forceRender
      >
        <ErrorAlert error={error} />
        <Form form={form} layout="vertical" onFinish={(v) => void save(v)}>
          <Row gutter={12}>
            <Col span={10}>
              <Form.Item name="name" label={t('field.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
                <Input maxLength={200} data-testid="price-book-name" />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name="currency" label={t('field.currency')}>
                <Select options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
              </Form.Item>
            </Col>
            <Col span={5}>
              <Form.Item name="pricesIncludeTax" valuePropName="checked" label=" ">
                <Checkbox data-testid="price-book-incl">{t('pricing.withTax')}</Checkbox>
              </Form.Item>
            </Col>
            <Col span={5}>
              <Form.Item name="isDefault" valuePropName="checked" label=" ">
                <Checkbox data-testid="price-book-default">{t('pricing.defaultFor', { currency })}</Checkbox>
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={12}>
            <Col span={6}>
              <Form.Item name="validFrom" label={t('pricing.validFrom')} rules={[{ pattern: DATE, message: t('pricing.dateRule') }]}>
                <Input placeholder="2026-01-01" maxLength={10} />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item name="validTo" label={t('pricing.validTo')} rules={[{ pattern: DATE, message: t('pricing.dateRule') }]}>
                <Input placeholder="2026-12-31" maxLength={10} />
              </Form.Item>
            </Col>
          </Row>
          <Typography.Title level={5}>{t('pricing.entries')}</Typography.Title>
          <Form.List name="entries">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, i) => (
                  <EntryRow key={field.key} index={i} name={field.name} currency={currency} remove={() => remove(field.name)} />
                ))}
                <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ scheme: 'per_unit', price: '' })} data-testid="add-entry">
                  {t('pricing.addEntry')}
                </Button>
              </>
            )}
          </Form.List>
        </Form>
      </Modal>
    </div>
  );
}

/** One product's price: per unit, or a tiers editor (up to a quantity, the last tier open). */
function EntryRow({ index, name, currency, remove }: { index: number; name: number; currency: string; remove: () => void }) {
  const { t } = useTranslation();
  const scheme = Form.useWatch(['entries', name, 'scheme']) as Scheme | undefined;
  return (
    <div style={{ borderBottom: '1px solid rgba(0,0,0,0.06)', marginBottom: 12 }} data-testid={`entry-${index}`}>
      <Row gutter={8} align="bottom">
        <Col span={9}>
          <Form.Item name={[name, 'productId']} label={t('quotes.product')} rules={[{ required: true, message: t('validation.required') }]}>
            <RefSelect type="products" filter={{ active: 'true' }} data-testid={`entry-product-${index}`} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name={[name, 'scheme']} label={t('pricing.scheme')}>
            <Select options={PRICE_SCHEMES.map((s) => ({ value: s, label: t(`pricing.schemes.${s}`) }))} data-testid={`entry-scheme-${index}`} />
          </Form.Item>
        </Col>
        {scheme === 'per_unit' && (
          <Col span={7}>
            <Form.Item name={[name, 'price']} label={t('lines.unitPrice')} rules={moneyRules(t, currency, true)}>
              <MoneyInput currency={currency} />
            </Form.Item>
          </Col>
        )}
        <Col span={2}>
          <Form.Item label=" ">
            <Button type="text" danger icon={<DeleteOutlined />} onClick={remove} aria-label={t('pricing.removeEntry')} />
          </Form.Item>
        </Col>
      </Row>
      {scheme && scheme !== 'per_unit' && (
        <Form.List name={[name, 'tiers']}>
          {(tiers, { add, remove: removeTier }) => (
            <div style={{ paddingLeft: 24 }}>
              {tiers.map((tier, j) => (
                <Row key={tier.key} gutter={8} align="bottom">
                  <Col span={8}>
                    <Form.Item
                      name={[tier.name, 'upTo']}
                      label={j === 0 ? t('pricing.upTo') : undefined}
                      extra={j === tiers.length - 1 ? t('pricing.openTier') : undefined}
                      rules={[{ validator: (_r, v: string | undefined) => (!v || QTY.test(v.trim()) ? Promise.resolve() : Promise.reject(new Error(t('validation.quantity')))) }]}
                    >
                      <Input inputMode="decimal" placeholder="∞" data-testid={`tier-upto-${index}-${j}`} />
                    </Form.Item>
                  </Col>
                  <Col span={8}>
                    <Form.Item name={[tier.name, 'price']} label={j === 0 ? t('lines.unitPrice') : undefined} rules={moneyRules(t, currency, true)}>
                      <MoneyInput currency={currency} data-testid={`tier-price-${index}-${j}`} />
                    </Form.Item>
                  </Col>
                  <Col span={2}>
                    <Form.Item label={j === 0 ? ' ' : undefined}>
                      <Button type="text" danger icon={<DeleteOutlined />} onClick={() => removeTier(tier.name)} aria-label={t('pricing.removeTier')} />
                    </Form.Item>
                  </Col>
                </Row>
              ))}
              <Button size="small" icon={<PlusOutlined />} style={{ marginBottom: 12 }} onClick={() => add({ upTo: '', price: '' })} data-testid={`add-tier-${index}`}>
                {t('pricing.addTier')}
              </Button>
            </div>
          )}
        </Form.List>
      )}
    </div>
  );
}
