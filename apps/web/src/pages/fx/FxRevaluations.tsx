import { useState } from 'react';
import { App, Button, Checkbox, DatePicker, Modal, Space, Table, Tag, Typography } from 'antd';
import { SyncOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../api/client.ts';
import { useAuth } from '../../auth/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFormat } from '../../lib/format.ts';

export interface FxRevaluation {
  id: string;
  period: string;
  periodEnd: string;
  reversalDate: string;
  functionalCurrency: string;
  rates: Array<{ currency: string; rate: string; effectiveDate: string }>;
  items: number;
  gainMinor: number;
  lossMinor: number;
  netMinor: number;
  entries: number;
  trigger: string;
  status: 'posted' | 'superseded';
  createdAt: string;
}

interface RevaluationLine {
  lineNo: number;
  kind: 'receivable' | 'advance';
  documentRef: string;
  currency: string;
  balanceMinor: number;
  carryingMinor: number;
  rate: string;
  revaluedMinor: number;
  differenceMinor: number;
}

/** The items of one run, loaded when its row is opened. */
function Lines({ id, fc }: { id: string; fc: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const q = useQuery({ queryKey: ['fx-revaluations', id], queryFn: ({ signal }) => api.get<{ lines: RevaluationLine[] }>(`/fx/revaluations/${id}`, {}, signal) });
  if (q.isError) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <Table<RevaluationLine>
      rowKey="lineNo"
      size="small"
      loading={q.isPending}
      dataSource={q.data?.lines ?? []}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      scroll={{ x: 'max-content' }}
      columns={[
        { key: 'kind', title: t('fxRevaluation.kind'), render: (_, l) => t(`fxRevaluation.kinds.${l.kind}`) },
        { key: 'documentRef', title: t('fxRevaluation.item'), dataIndex: 'documentRef' },
        { key: 'balance', title: t('fxRevaluation.balance'), align: 'right', render: (_, l) => f.money(l.balanceMinor, l.currency) },
        { key: 'carrying', title: t('fxRevaluation.carrying'), align: 'right', render: (_, l) => f.money(l.carryingMinor, fc) },
        { key: 'rate', title: t('fxRevaluation.closingRate'), align: 'right', dataIndex: 'rate' },
        { key: 'revalued', title: t('fxRevaluation.revalued'), align: 'right', render: (_, l) => f.money(l.revaluedMinor, fc) },
        { key: 'difference', title: t('fxRevaluation.difference'), align: 'right', render: (_, l) => f.money(l.differenceMinor, fc) },
      ]}
    />
  );
}

/**
 * Settings → FX rates, period-end revaluation (POST/GET /fx/revaluations): finance revalues a month
 * that has ended — open foreign-currency receivables and unapplied customer money at the closing
 * rate, posted on the month's last day and reversed on the next — and sees every run with its items.
 */
export function FxRevaluations() {
  const { t } = useTranslation();
  const f = useFormat();
  const { message } = App.useApp();
  const { can } = useAuth();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [month, setMonth] = useState<Dayjs | null>(null);
  const [rerun, setRerun] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const q = useQuery({ queryKey: ['fx-revaluations'], queryFn: ({ signal }) => api.get<{ items: FxRevaluation[] }>('/fx/revaluations', { limit: 200 }, signal) });

  const revalue = async () => {
    if (!month) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ alreadyRun: boolean; revaluation: FxRevaluation }>('/fx/revaluations', { period: month.format('YYYY-MM'), ...(rerun ? { rerun: true } : {}) });
      setOpen(false);
      await qc.invalidateQueries({ queryKey: ['fx-revaluations'] });
      const v = r.revaluation;
      void message.success(
        r.alreadyRun ? t('fxRevaluation.alreadyRun', { period: v.period }) : t('fxRevaluation.done', { period: v.period, items: v.items, net: f.money(v.netMinor, v.functionalCurrency) }),
      );
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="fx-revaluations" style={{ marginTop: 32 }}>
      <Space style={{ marginBottom: 8 }} wrap align="center">
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('fxRevaluation.title')}
        </Typography.Title>
        {can('ledger', 'approve') && (
          <Button
            icon={<SyncOutlined />}
            onClick={() => {
              setError(null);
              setMonth(dayjs().subtract(1, 'month').startOf('month'));
              setRerun(false);
              setOpen(true);
            }}
            data-testid="fx-revalue"
          >
            {t('fxRevaluation.revalue')}
          </Button>
        )}
      </Space>
      <Typography.Paragraph type="secondary">{t('fxRevaluation.intro')}</Typography.Paragraph>
      <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      <Table<FxRevaluation>
        rowKey="id"
        size="middle"
        loading={q.isPending}
        dataSource={q.data?.items ?? []}
        pagination={{ pageSize: 24, hideOnSinglePage: true }}
        locale={{ emptyText: t('fxRevaluation.empty') }}
        scroll={{ x: 'max-content' }}
        expandable={{ expandedRowRender: (r) => <Lines id={r.id} fc={r.functionalCurrency} />, rowExpandable: (r) => r.items > 0 }}
        columns={[
          {
            key: 'period',
            title: t('fxRevaluation.period'),
            render: (_, r) => (
              <Space size={4}>
                <span data-testid={`fx-revaluation-${r.period}`}>{r.period}</span>
                {r.status === 'superseded' && <Tag>{t('fxRevaluation.superseded')}</Tag>}
              </Space>
            ),
          },
          { key: 'posted', title: t('fxRevaluation.posted'), render: (_, r) => t('fxRevaluation.postedText', { date: f.date(r.periodEnd), reversal: f.date(r.reversalDate) }) },
          { key: 'rates', title: t('fxRevaluation.rates'), render: (_, r) => r.rates.map((x) => <Tag key={x.currency}>{`${x.currency}/${r.functionalCurrency} ${x.rate}`}</Tag>) },
          { key: 'items', title: t('fxRevaluation.items'), align: 'right', dataIndex: 'items' },
          { key: 'gain', title: t('fxRevaluation.gain'), align: 'right', render: (_, r) => f.money(r.gainMinor, r.functionalCurrency) },
          { key: 'loss', title: t('fxRevaluation.loss'), align: 'right', render: (_, r) => f.money(r.lossMinor, r.functionalCurrency) },
          {
            key: 'net',
            title: t('fxRevaluation.net'),
            align: 'right',
            render: (_, r) => <span data-testid={r.status === 'posted' ? `fx-revaluation-net-${r.period}` : undefined}>{f.money(r.netMinor, r.functionalCurrency)}</span>,
          },
          { key: 'trigger', title: t('fxRevaluation.trigger'), render: (_, r) => t(`fxRevaluation.triggers.${r.trigger}`, { defaultValue: r.trigger }) },
          { key: 'createdAt', title: t('fxRevaluation.createdAt'), render: (_, r) => f.dateTime(r.createdAt) },
        ]}
      />
      <Modal
        open={open}
        title={t('fxRevaluation.revalue')}
        onCancel={() => setOpen(false)}
        onOk={() => void revalue()}
        confirmLoading={busy}
        okText={t('fxRevaluation.run')}
        okButtonProps={{ disabled: !month }}
        destroyOnHidden
      >
        <ErrorAlert error={error} />
        <Typography.Paragraph type="secondary">{t('fxRevaluation.help')}</Typography.Paragraph>
        <Space direction="vertical">
          <DatePicker picker="month" value={month} onChange={(v) => setMonth(v)} allowClear={false} aria-label={t('fxRevaluation.period')} data-testid="fx-revalue-period" />
          <Checkbox checked={rerun} onChange={(e) => setRerun(e.target.checked)}>
            {t('fxRevaluation.rerun')}
          </Checkbox>
        </Space>
      </Modal>
    </div>
  );
}
