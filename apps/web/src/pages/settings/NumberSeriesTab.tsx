import { useState } from 'react';
import { App, Alert, Button, Form, Input, InputNumber, Modal, Select, Table, Tag, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

export interface NumberSeries {
  key: string;
  scope: string;
  legalEntityId: string | null;
  legalEntityName: string | null;
  gapFree: boolean;
  prefix: string;
  datePart: 'YYYY' | 'YYYYMM' | 'none';
  padding: number;
  version: number;
  period: string;
  issued: number;
  nextValue: number;
  nextNumber: string;
  example: string;
}

/** What a number in this format looks like (the same rule as the server's formatNumber). */
export function previewNumber(f: { prefix: string; datePart: string; padding: number }, period: string, value: number): string {
  const n = String(value).padStart(f.padding, '0');
  return f.datePart === 'none' ? `${f.prefix}-${n}` : `${f.prefix}-${period}-${n}`;
}

function periodFor(datePart: string): string {
  const d = new Date();
  const y = String(d.getFullYear());
  return datePart === 'YYYYMM' ? y + String(d.getMonth() + 1).padStart(2, '0') : datePart === 'YYYY' ? y : '*';
}

/**
 * Settings → Number series: each series per legal entity with its format and next number. A new
 * format applies to future numbers; the counter only moves forward, and a gap-free series (invoices,
 * credit notes) only takes a starting number before its first number of a period.
 */
export function NumberSeriesTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['number-series'], queryFn: ({ signal }) => api.get<{ items: NumberSeries[] }>('/number-series', undefined, signal) });
  const [editing, setEditing] = useState<NumberSeries | null>(null);
  const [form] = Form.useForm<{ prefix: string; datePart: string; padding: number; nextValue: number }>();
  const values = Form.useWatch([], form) as { prefix?: string; datePart?: string; padding?: number; nextValue?: number } | undefined;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const open = (s: NumberSeries) => {
    setEditing(s);
    setError(null);
    form.setFieldsValue({ prefix: s.prefix, datePart: s.datePart, padding: s.padding, nextValue: s.nextValue });
  };
  const save = async (v: { prefix: string; datePart: string; padding: number; nextValue: number }) => {
    const s = editing!;
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { prefix: v.prefix.trim(), datePart: v.datePart, padding: v.padding };
      if (v.nextValue !== s.nextValue && v.datePart === s.datePart) body.nextValue = v.nextValue;
      await api.patch(`/number-series/${s.key}/${s.scope}`, body, s.version);
      await qc.invalidateQueries({ queryKey: ['number-series'] });
      void message.success(t('settings.saved'));
      setEditing(null);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const counterLocked = !!editing && editing.gapFree && editing.issued > 0;

  return (
    <div data-testid="number-series-settings">
      <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      <Table<NumberSeries>
        rowKey={(r) => `${r.key}:${r.scope}`}
        size="middle"
        loading={q.isPending}
        dataSource={q.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: 'key', title: t('numberSeries.document'), render: (_, r) => t(`numberSeries.keys.${r.key}`, { defaultValue: r.key }) },
          { key: 'entity', title: t('numberSeries.entity'), render: (_, r) => r.legalEntityName ?? t('numberSeries.wholeCompany') },
          {
            key: 'format',
            title: t('numberSeries.format'),
            render: (_, r) => (
              <span>
                <Typography.Text code>{r.prefix}</Typography.Text> · {t(`numberSeries.dateParts.${r.datePart}`)} · {t('numberSeries.digits', { n: r.padding })}
              </span>
            ),
          },
          { key: 'issued', title: t('numberSeries.issued', { period: '' }), align: 'right', render: (_, r) => r.issued },
          { key: 'next', title: t('numberSeries.next'), render: (_, r) => <Typography.Text strong data-testid="series-next">{r.nextNumber}</Typography.Text> },
          { key: 'gapFree', title: '', render: (_, r) => r.gapFree && <Tag color="gold">{t('numberSeries.gapFree')}</Tag> },
          {
            key: 'edit',
            title: '',
            render: (_, r) => (
              <Button size="small" icon={<EditOutlined />} onClick={() => open(r)} aria-label={t('numberSeries.edit', { name: t(`numberSeries.keys.${r.key}`, { defaultValue: r.key }) })} data-testid={`edit-series-${r.key}`}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={!!editing}
        title={editing ? `${t(`numberSeries.keys.${editing.key}`, { defaultValue: editing.key })} · ${editing.legalEntityName ?? t('numberSeries.wholeCompany')}` : ''}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setEditing(null)}
        forceRender
      >
        <Typography.Paragraph type="secondary">{t('numberSeries.hint')}</Typography.Paragraph>
        <ErrorAlert error={error} />
        <Form form={form} layout="vertical" onFinish={(v) => void save(v)}>
          <Form.Item name="prefix" label={t('numberSeries.prefix')} rules={[{ required: true, pattern: /^[A-Z0-9]{1,12}$/, message: t('numberSeries.prefixRule') }]}>
            <Input maxLength={12} data-testid="series-prefix" />
          </Form.Item>
          <Form.Item name="datePart" label={t('numberSeries.datePart')}>
            <Select options={(['YYYY', 'YYYYMM', 'none'] as const).map((d) => ({ value: d, label: t(`numberSeries.dateParts.${d}`) }))} data-testid="series-date-part" />
          </Form.Item>
          <Form.Item name="padding" label={t('numberSeries.padding')}>
            <InputNumber min={3} max={12} precision={0} />
          </Form.Item>
          <Form.Item
            name="nextValue"
            label={t('numberSeries.nextValue')}
            extra={counterLocked ? t('numberSeries.gapFreeLocked', { n: editing?.issued }) : t('numberSeries.forwardOnly', { n: editing?.nextValue })}
          >
            <InputNumber min={editing?.nextValue ?? 1} precision={0} disabled={counterLocked || values?.datePart !== editing?.datePart} style={{ width: 180 }} />
          </Form.Item>
        </Form>
        {values?.prefix && values.datePart && values.padding && (
          <Alert
            type="info"
            showIcon
            message={t('numberSeries.preview', {
              number: previewNumber(
                { prefix: values.prefix, datePart: values.datePart, padding: values.padding },
                periodFor(values.datePart),
                values.datePart === editing?.datePart ? (values.nextValue ?? editing?.nextValue ?? 1) : 1,
              ),
            })}
            data-testid="series-preview"
          />
        )}
      </Modal>
    </div>
  );
}
