import { useEffect, useState } from 'react';
import { App, Button, Card, DatePicker, Empty, Input, InputNumber, Select, Space, Table, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, request } from '../../api/client.ts';
import { useAuth } from '../../auth/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { problemMessage } from '../../components/errors.ts';
import type { PaymentTerm } from './types.ts';

const DUES: PaymentTerm['due'][] = ['on_signing', 'on_order', 'fixed_date', 'on_acceptance', 'after_acceptance'];

/**
 * A contract's payment plan (回款计划): terms in percent of the contract, edited while the contract is a
 * draft (the server refuses otherwise); orders made from the contract copy it into their billing schedule.
 */
export function PaymentPlanCard({ contractId, status }: { contractId: string; status: string }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['contracts', 'payment-plan', contractId],
    queryFn: ({ signal }) => api.get<{ terms: PaymentTerm[]; version: number }>(`/contracts/${contractId}/payment-plan`, undefined, signal),
  });
  const [terms, setTerms] = useState<PaymentTerm[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (q.data) setTerms(q.data.terms.map((x) => ({ description: x.description, percent: x.percent, due: x.due, dueDate: x.dueDate ?? null, days: x.days ?? 0 })));
  }, [q.data]);
  const editable = status === 'draft' && can('contract', 'write');
  const total = terms.reduce((s, x) => s + (Number(x.percent) || 0), 0);
  const set = (i: number, patch: Partial<PaymentTerm>) => setTerms((ts) => ts.map((x, k) => (k === i ? { ...x, ...patch } : x)));

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const body = {
        terms: terms.map((x) => ({
          description: x.description,
          percent: x.percent,
          due: x.due,
          ...(x.due === 'fixed_date' && x.dueDate ? { dueDate: x.dueDate } : {}),
          ...(x.due === 'after_acceptance' ? { days: x.days ?? 0 } : {}),
        })),
      };
      await request('PUT', `/contracts/${contractId}/payment-plan`, { body, version: q.data?.version });
      await qc.invalidateQueries({ queryKey: ['contracts'] });
      void message.success(t('billing.plan.saved'));
    } catch (e) {
      setError(e);
      void message.error(problemMessage(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('billing.plan.title')} data-testid="payment-plan" extra={editable ? <Typography.Text type={Math.abs(total - 100) < 1e-9 || !terms.length ? 'secondary' : 'danger'}>{t('billing.plan.total', { percent: total.toFixed(2).replace(/\.?0+$/, '') })}</Typography.Text> : null}>
      <ErrorAlert error={q.error ?? error} />
      {!terms.length && !editable ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('billing.plan.none')} />
      ) : (
        <Table<PaymentTerm & { i: number }>
          rowKey="i"
          size="small"
          pagination={false}
          dataSource={terms.map((x, i) => ({ ...x, i }))}
          columns={[
            { key: 'description', title: t('billing.field.description'), render: (_, x) => (editable ? <Input aria-label={t('billing.field.description')} value={x.description} onChange={(e) => set(x.i, { description: e.target.value })} /> : x.description) },
            { key: 'percent', title: t('billing.field.percent'), width: 110, align: 'right', render: (_, x) => (editable ? <Input aria-label={t('billing.field.percent')} value={x.percent} suffix="%" onChange={(e) => set(x.i, { percent: e.target.value.trim() })} /> : `${x.percent}%`) },
            {
              key: 'due',
              title: t('billing.field.due'),
              render: (_, x) =>
                editable ? (
                  <Space wrap>
                    <Select aria-label={t('billing.field.due')} style={{ minWidth: 170 }} value={x.due} onChange={(v) => set(x.i, { due: v })} options={DUES.map((d) => ({ value: d, label: t(`billing.due.${d}`) }))} />
                    {x.due === 'fixed_date' && <DatePicker value={x.dueDate ? dayjs(x.dueDate) : null} onChange={(d) => set(x.i, { dueDate: d ? d.format('YYYY-MM-DD') : null })} />}
                    {x.due === 'after_acceptance' && <InputNumber min={1} max={3650} value={x.days} addonAfter={t('billing.plan.days')} onChange={(v) => set(x.i, { days: Number(v ?? 0) })} />}
                  </Space>
                ) : (
                  `${t(`billing.due.${x.due}`)}${x.dueDate ? ` ${x.dueDate}` : ''}${x.days ? ` +${x.days} ${t('billing.plan.days')}` : ''}`
                ),
            },
            ...(editable ? [{ key: 'del', width: 48, render: (_: unknown, x: PaymentTerm & { i: number }) => <Button type="text" aria-label={t('billing.plan.remove')} icon={<DeleteOutlined />} onClick={() => setTerms((ts) => ts.filter((_, k) => k !== x.i))} /> }] : []),
          ]}
        />
      )}
      {editable && (
        <Space style={{ marginTop: 12 }}>
          <Button icon={<PlusOutlined />} onClick={() => setTerms((ts) => [...ts, { description: '', percent: '', due: ts.length ? 'on_acceptance' : 'on_signing', days: 0 }])}>
            {t('billing.plan.add')}
          </Button>
          <Button type="primary" loading={busy} onClick={() => void save()}>
            {t('billing.plan.save')}
          </Button>
        </Space>
      )}
    </Card>
  );
}
