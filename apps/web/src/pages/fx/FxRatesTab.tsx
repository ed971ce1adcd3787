import { useState } from 'react';
import { App, Button, DatePicker, Form, Input, Modal, Space, Table, Typography } from 'antd';
import { PlusOutlined, SnippetsOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { api, request } from '../../api/client.ts';
import { useAuth } from '../../auth/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFormat } from '../../lib/format.ts';
import { FxRevaluations } from './FxRevaluations.tsx';

export interface FxRate {
  id: string;
  base: string;
  quote: string;
  rate: string;
  effectiveDate: string;
  source: string;
  updatedAt: string;
  version: number;
}

interface BulkResult {
  created: number;
  updated: number;
  unchanged: number;
}

interface AddValues {
  base: string;
  quote: string;
  rate: string;
  effectiveDate: Dayjs;
  source?: string;
}

const CURRENCY = /^[A-Za-z]{3}$/;
const RATE = /^\d{1,9}(\.\d{1,8})?$/;

/**
 * Settings → FX rates: the dated rate table by pair and date (newest first), one rate at a time or
 * a pasted block (base,quote,rate,date[,source] a line). Rates are exact decimal text: what is typed
 * is what is stored. Finance and admins write; posted journal entries keep the rate they used.
 */
export function FxRatesTab() {
  const { t } = useTranslation();
  const f = useFormat();
  const { message } = App.useApp();
  const { can } = useAuth();
  const qc = useQueryClient();
  const writable = can('ledger', 'approve');
  const [pair, setPair] = useState('');
  const [adding, setAdding] = useState(false);
  const [pasting, setPasting] = useState(false);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<AddValues>();
  const pairQuery = /^[A-Za-z]{3}\/[A-Za-z]{3}$/.test(pair.trim()) ? pair.trim().toUpperCase() : undefined;
  const q = useQuery({
    queryKey: ['fx-rates', pairQuery ?? ''],
    queryFn: ({ signal }) => api.get<{ items: FxRate[] }>('/fx-rates', { limit: 200, ...(pairQuery ? { pair: pairQuery } : {}) }, signal),
  });

  const done = async (text: string) => {
    await qc.invalidateQueries({ queryKey: ['fx-rates'] });
    void message.success(text);
  };
  const add = async (v: AddValues) => {
    setBusy(true);
    setError(null);
    try {
      await request('PUT', '/fx-rates', {
        body: { base: v.base.trim().toUpperCase(), quote: v.quote.trim().toUpperCase(), rate: v.rate.trim(), effectiveDate: v.effectiveDate.format('YYYY-MM-DD'), ...(v.source?.trim() ? { source: v.source.trim() } : {}) },
      });
      setAdding(false);
      await done(t('fx.saved'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const paste = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<BulkResult>('/fx-rates/bulk', { text });
      setPasting(false);
      setText('');
      await done(t('fx.imported', { created: r.created, updated: r.updated, unchanged: r.unchanged }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="fx-rates">
      <Typography.Paragraph type="secondary">{t('fx.intro')}</Typography.Paragraph>
      <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      <Space style={{ marginBottom: 16 }} wrap>
        <Input.Search allowClear placeholder={t('fx.pairPlaceholder')} value={pair} onChange={(e) => setPair(e.target.value)} style={{ width: 200 }} data-testid="fx-pair-filter" />
        {writable && (
          <>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                setError(null);
                form.resetFields();
                setAdding(true);
              }}
              data-testid="fx-add"
            >
              {t('fx.add')}
            </Button>
            <Button
              icon={<SnippetsOutlined />}
              onClick={() => {
                setError(null);
                setPasting(true);
              }}
              data-testid="fx-paste"
            >
              {t('fx.paste')}
            </Button>
          </>
        )}
      </Space>
      <Table<FxRate>
        rowKey="id"
        size="middle"
        loading={q.isPending}
        dataSource={q.data?.items ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{ emptyText: t('fx.empty') }}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: 'effectiveDate', title: t('fx.effectiveDate'), render: (_, r) => f.date(r.effectiveDate) },
          { key: 'pair', title: t('fx.pair'), render: (_, r) => <Typography.Text code>{`${r.base}/${r.quote}`}</Typography.Text> },
          { key: 'rate', title: t('fx.rate'), align: 'right', render: (_, r) => <span data-testid={`fx-rate-${r.base}-${r.quote}-${r.effectiveDate}`}>{r.rate}</span> },
          { key: 'meaning', title: t('fx.meaning'), render: (_, r) => t('fx.meaningText', { base: r.base, quote: r.quote, rate: r.rate }) },
          { key: 'source', title: t('fx.source'), dataIndex: 'source' },
          { key: 'updatedAt', title: t('fx.updatedAt'), render: (_, r) => f.dateTime(r.updatedAt) },
        ]}
      />
      <FxRevaluations />
      <Modal open={adding} title={t('fx.add')} onCancel={() => setAdding(false)} onOk={() => form.submit()} confirmLoading={busy} okText={t('fx.save')} destroyOnHidden>
        <ErrorAlert error={error} />
        <Form<AddValues> form={form} layout="vertical" onFinish={(v) => void add(v)} initialValues={{ quote: 'CNY' }}>
          <Space>
            <Form.Item name="base" label={t('fx.base')} rules={[{ required: true, pattern: CURRENCY, message: t('fx.currencyRule') }]}>
              <Input maxLength={3} style={{ width: 90 }} data-testid="fx-base" />
            </Form.Item>
            <Form.Item name="quote" label={t('fx.quote')} rules={[{ required: true, pattern: CURRENCY, message: t('fx.currencyRule') }]}>
              <Input maxLength={3} style={{ width: 90 }} data-testid="fx-quote" />
            </Form.Item>
            <Form.Item name="rate" label={t('fx.rate')} rules={[{ required: true, pattern: RATE, message: t('fx.rateRule') }]}>
              <Input style={{ width: 140 }} placeholder="7.1234" data-testid="fx-rate-input" />
            </Form.Item>
          </Space>
          <Space>
            <Form.Item name="effectiveDate" label={t('fx.effectiveDate')} rules={[{ required: true }]}>
              <DatePicker data-testid="fx-date" />
            </Form.Item>
            <Form.Item name="source" label={t('fx.source')}>
              <Input placeholder={t('fx.sourcePlaceholder')} style={{ width: 200 }} />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
      <Modal open={pasting} title={t('fx.paste')} onCancel={() => setPasting(false)} onOk={() => void paste()} confirmLoading={busy} okText={t('fx.import')} okButtonProps={{ disabled: !text.trim() }} destroyOnHidden>
        <ErrorAlert error={error} />
        <Typography.Paragraph type="secondary">{t('fx.pasteHelp')}</Typography.Paragraph>
        <Input.TextArea rows={8} value={text} onChange={(e) => setText(e.target.value)} placeholder={'USD,CNY,7.1234,2026-11-02\nEUR,CNY,7.8012,2026-11-02'} data-testid="fx-paste-text" style={{ fontFamily: 'monospace' }} />
      </Modal>
    </div>
  );
}
