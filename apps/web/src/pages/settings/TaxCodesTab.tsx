import { useState } from 'react';
import { App, Button, Checkbox, Col, Form, Input, Modal, Radio, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, request } from '../../api/client.ts';
import { useAuth } from '../../auth/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { percentToRate, rateToPercent } from '../../lib/money.ts';

export const TAX_KINDS = ['standard', 'reduced', 'zero', 'exempt', 'small_scale'] as const;

export interface TaxCode {
  id: string;
  legalEntityId: string;
  code: string;
  name: string;
  region: string;
  kind: (typeof TAX_KINDS)[number];
  components: Array<{ name: string; rate: string; compound: boolean }>;
  rate: string;
  active: boolean;
  used: boolean;
  version: number;
}

export interface TaxCodeList {
  items: TaxCode[];
  legalEntityId: string;
  taxRounding: 'line' | 'document';
}

/** The tax codes of the (first) legal entity, for pickers and settings. */
export function useTaxCodes() {
  const { can } = useAuth();
  return useQuery({ queryKey: ['tax-codes'], queryFn: ({ signal }) => api.get<TaxCodeList>('/tax-codes', undefined, signal), enabled: can('pricing') });
}

/** Options of a tax code select: active codes as "VAT13 · 13%". */
export function taxCodeOptions(codes: readonly TaxCode[] | undefined, keep?: string | null) {
  return (codes ?? []).filter((c) => c.active || c.code === keep).map((c) => ({ value: c.code, label: `${c.code} · ${rateToPercent(c.rate)}%` }));
}

interface FormValues {
  code: string;
  name: string;
  kind: TaxCode['kind'];
  region?: string;
  components: Array<{ name?: string; rate?: string; compound?: boolean }>;
}

/**
 * Settings → Tax codes: the legal entity's codes (China VAT seeded), each with one or more
 * components; rate and kind are fixed once a document line uses the code (deactivate it and make a
 * new one); tax rounding per line (default) or per document.
 */
export function TaxCodesTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const qc = useQueryClient();
  const q = useTaxCodes();
  const writable = can('pricing', 'write');
  const [editing, setEditing] = useState<TaxCode | 'new' | null>(null);
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const refresh = () => qc.invalidateQueries({ queryKey: ['tax-codes'] });
  const open = (c: TaxCode | 'new') => {
    setEditing(c);
    setError(null);
    form.resetFields();
    if (c === 'new') form.setFieldsValue({ code: '', name: '', kind: 'standard', components: [{ name: '', rate: '', compound: false }] });
    else form.setFieldsValue({ code: c.code, name: c.name, kind: c.kind, region: c.region, components: c.components.map((x) => ({ ...x, rate: rateToPercent(x.rate) })) });
  };
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      await refresh();
      void message.success(t('settings.saved'));
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const save = async (v: FormValues) => {
    const components = v.components.map((c) => ({ name: (c.name ?? '').trim() || v.name.trim(), rate: percentToRate(String(c.rate ?? '')) ?? '', compound: !!c.compound }));
    const ok = await run(() =>
      editing === 'new'
        ? api.post('/tax-codes', { code: v.code.trim(), name: v.name.trim(), kind: v.kind, components, ...(v.region?.trim() ? { region: v.region.trim() } : {}) })
        : api.patch(`/tax-codes/${(editing as TaxCode).id}`, { name: v.name.trim(), ...((editing as TaxCode).used ? {} : { kind: v.kind, components }) }, (editing as TaxCode).version),
    );
    if (ok) setEditing(null);
  };
  const locked = editing !== null && editing !== 'new' && editing.used;

  return (
    <div data-testid="tax-code-settings">
      <ErrorAlert error={q.error ?? (editing ? null : error)} onRetry={() => void q.refetch()} />
      <Space style={{ marginBottom: 16 }} wrap>
        <Typography.Text>{t('pricing.rounding')}</Typography.Text>
        <Radio.Group
          value={q.data?.taxRounding}
          disabled={!writable || busy}
          optionType="button"
          onChange={(e) => void run(() => request('PUT', '/tax-rounding', { body: { taxRounding: e.target.value } }))}
          options={[
            { value: 'line', label: t('pricing.roundingLine') },
            { value: 'document', label: t('pricing.roundingDocument') },
          ]}
          data-testid="tax-rounding"
        />
        {writable && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')} data-testid="new-tax-code">
            {t('pricing.newTaxCode')}
          </Button>
        )}
      </Space>
      <Table<TaxCode>
        rowKey="id"
        size="middle"
        loading={q.isPending}
        dataSource={q.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: 'code', title: t('pricing.code'), render: (_, r) => <Typography.Text code>{r.code}</Typography.Text> },
          { key: 'name', title: t('field.name'), dataIndex: 'name' },
          { key: 'kind', title: t('pricing.kind'), render: (_, r) => t(`pricing.kinds.${r.kind}`) },
          { key: 'rate', title: t('pricing.rate'), align: 'right', render: (_, r) => <span data-testid={`tax-rate-${r.code}`}>{rateToPercent(r.rate)}%</span> },
          {
            key: 'components',
            title: t('pricing.components'),
            render: (_, r) => (r.components.length > 1 ? r.components.map((c) => `${c.name} ${rateToPercent(c.rate)}%${c.compound ? ` (${t('pricing.compound')})` : ''}`).join(' + ') : ''),
          },
          {
            key: 'state',
            title: '',
            render: (_, r) => (
              <Space size={4}>
                {!r.active && <Tag>{t('pricing.inactive')}</Tag>}
                {r.used && <Tag color="blue">{t('pricing.used')}</Tag>}
              </Space>
            ),
          },
          ...(writable
            ? [
                {
                  key: 'actions',
                  title: '',
                  render: (_: unknown, r: TaxCode) => (
                    <Space size={4}>
                      <Button size="small" icon={<EditOutlined />} onClick={() => open(r)} aria-label={`${t('common.edit')} ${r.code}`}>
                        {t('common.edit')}
                      </Button>
                      <Button size="small" onClick={() => void run(() => api.post(`/tax-codes/${r.id}/${r.active ? 'deactivate' : 'activate'}`, {}))} data-testid={`toggle-${r.code}`}>
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
        title={editing === 'new' ? t('pricing.newTaxCode') : editing ? editing.code : ''}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setEditing(null)}
        width={720}
        forceRender
      >
        <ErrorAlert error={error} />
        {locked && <Typography.Paragraph type="secondary">{t('pricing.usedHint')}</Typography.Paragraph>}
        <Form form={form} layout="vertical" onFinish={(v) => void save(v)}>
          <Row gutter={12}>
            <Col span={6}>
              <Form.Item name="code" label={t('pricing.code')} rules={[{ required: true, pattern: /^[A-Z0-9][A-Z0-9_.-]{0,31}$/, message: t('pricing.codeRule') }]}>
                <Input disabled={editing !== 'new'} maxLength={32} data-testid="tax-code-code" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="name" label={t('field.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
                <Input maxLength={200} data-testid="tax-code-name" />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item name="kind" label={t('pricing.kind')}>
                <Select disabled={locked} options={TAX_KINDS.map((k) => ({ value: k, label: t(`pricing.kinds.${k}`) }))} />
              </Form.Item>
            </Col>
          </Row>
          <Form.List name="components">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, i) => (
                  <Row key={field.key} gutter={8} align="bottom">
                    <Col span={11}>
                      <Form.Item name={[field.name, 'name']} label={i === 0 ? t('pricing.componentName') : undefined}>
                        <Input disabled={locked} maxLength={100} />
                      </Form.Item>
                    </Col>
                    <Col span={6}>
                      <Form.Item
                        name={[field.name, 'rate']}
                        label={i === 0 ? t('pricing.rate') : undefined}
                        rules={[{ validator: (_r, v: string | undefined) => (v && percentToRate(v) !== null ? Promise.resolve() : Promise.reject(new Error(t('validation.percent')))) }]}
                      >
                        <Input disabled={locked} inputMode="decimal" suffix="%" data-testid={`tax-component-rate-${i}`} />
                      </Form.Item>
                    </Col>
                    <Col span={5}>
                      <Form.Item name={[field.name, 'compound']} valuePropName="checked" label={i === 0 ? ' ' : undefined}>
                        <Checkbox disabled={locked || i === 0}>{t('pricing.compound')}</Checkbox>
                      </Form.Item>
                    </Col>
                    <Col span={2}>
                      <Form.Item label={i === 0 ? ' ' : undefined}>
                        <Button type="text" danger icon={<DeleteOutlined />} disabled={locked || fields.length === 1} onClick={() => remove(field.name)} aria-label={t('pricing.removeComponent')} />
                      </Form.Item>
                    </Col>
                  </Row>
                ))}
                {fields.length < 3 && !locked && (
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ name: '', rate: '', compound: false })}>
                    {t('pricing.addComponent')}
                  </Button>
                )}
              </>
            )}
          </Form.List>
        </Form>
      </Modal>
    </div>
  );
}
