import { useState } from 'react';
import { App, Button, Checkbox, DatePicker, Form, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { CheckCircleOutlined, SyncOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../api/client.ts';
import { useAuth } from '../../auth/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFormat } from '../../lib/format.ts';

export interface FxRevaluation {
  id: string;
  legalEntityId: string;
  legalEntityName: string;
  period: string;
  /** nothing_to_revalue: the entity was checked and had no open foreign-currency item (no lines, nothing posted). */
  outcome: 'revalued' | 'nothing_to_revalue';
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

export interface LegalEntity {
  id: string;
  name: string;
  currency: string;
}

/** Every legal entity, the first created first (the API's default when none is named). */
export function useLegalEntities() {
  return useQuery({ queryKey: ['legal-entities'], queryFn: ({ signal }) => api.get<{ items: LegalEntity[] }>('/legal-entities', {}, signal), staleTime: 5 * 60_000 });
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
      tableLayout="fixed"
      columns={[
        { key: 'kind', title: t('fxRevaluation.kind'), width: 120, render: (_, l) => t(`fxRevaluation.kinds.${l.kind}`) },
        { key: 'documentRef', title: t('fxRevaluation.item'), dataIndex: 'documentRef', ellipsis: true },
        { key: 'balance', title: t('fxRevaluation.balance'), align: 'right', width: 150, render: (_, l) => f.money(l.balanceMinor, l.currency) },
        { key: 'carrying', title: t('fxRevaluation.carrying'), align: 'right', width: 150, render: (_, l) => f.money(l.carryingMinor, fc) },
        { key: 'rate', title: t('fxRevaluation.closingRate'), align: 'right', width: 100, dataIndex: 'rate' },
        { key: 'revalued', title: t('fxRevaluation.revalued'), align: 'right', width: 150, render: (_, l) => f.money(l.revaluedMinor, fc) },
        { key: 'difference', title: t('fxRevaluation.difference'), align: 'right', width: 130, render: (_, l) => f.money(l.differenceMinor, fc) },
      ]}
    />
  );
}

/**
 * Settings → FX rates, period-end revaluation (POST/GET /fx/revaluations): finance revalues a month
 * that has ended for a legal entity — open foreign-currency receivables and unapplied customer money
 * at the closing rate, posted on the month's last day and reversed on the next — and sees the runs of
 * every entity with their items. A month in which an entity had nothing in a foreign currency shows
 * as checked with nothing to revalue, not as a posting. The table has fixed widths so it fits a
 * 1440 px screen without scrolling sideways: gain and loss sit under the net, the reversal under the
 * posting date, the run's time under who ran it.
 */
export function FxRevaluations() {
  const { t } = useTranslation();
  const f = useFormat();
  const { message } = App.useApp();
  const { can } = useAuth();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [month, setMonth] = useState<Dayjs | null>(null);
  const [entityId, setEntityId] = useState<string | undefined>(undefined);
  const [filter, setFilter] = useState<string | undefined>(undefined);
  const [rerun, setRerun] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const entities = useLegalEntities();
  const many = (entities.data?.items.length ?? 0) > 1;
  const q = useQuery({
    queryKey: ['fx-revaluations', { legalEntityId: filter }],
    queryFn: ({ signal }) => api.get<{ items: FxRevaluation[] }>('/fx/revaluations', { limit: 200, ...(filter ? { legalEntityId: filter } : {}) }, signal),
  });
  const entityOptions = (entities.data?.items ?? []).map((e) => ({ value: e.id, label: `${e.name} (${e.currency})` }));

  const revalue = async () => {
    if (!month) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ alreadyRun: boolean; revaluation: FxRevaluation }>('/fx/revaluations', {
        period: month.format('YYYY-MM'),
        ...(entityId ? { legalEntityId: entityId } : {}),
        ...(rerun ? { rerun: true } : {}),
      });
      setOpen(false);
      await qc.invalidateQueries({ queryKey: ['fx-revaluations'] });
      const v = r.revaluation;
      const vars = { period: v.period, entity: v.legalEntityName, items: v.items, net: f.money(v.netMinor, v.functionalCurrency) };
      void message.success(
        r.alreadyRun ? t('fxRevaluation.alreadyRun', vars) : v.outcome === 'nothing_to_revalue' ? t('fxRevaluation.nothingDone', vars) : t('fxRevaluation.done', vars),
      );
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const nothing = (r: FxRevaluation) => r.outcome === 'nothing_to_revalue';
  const dash = <Typography.Text type="secondary">—</Typography.Text>;

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
              setEntityId(filter ?? entities.data?.items[0]?.id);
              setRerun(false);
              setOpen(true);
            }}
            data-testid="fx-revalue"
          >
            {t('fxRevaluation.revalue')}
          </Button>
        )}
        {many && (
          <Select
            allowClear
            value={filter}
            onChange={(v) => setFilter(v)}
            placeholder={t('fxRevaluation.allEntities')}
            aria-label={t('fxRevaluation.entity')}
            options={entityOptions}
            style={{ minWidth: 240 }}
            popupMatchSelectWidth={false}
            data-testid="fx-revaluation-filter"
          />
        )}
      </Space>
      <Typography.Paragraph type="secondary">{t('fxRevaluation.intro')}</Typography.Paragraph>
      <ErrorAlert error={q.error ?? entities.error} onRetry={() => void q.refetch()} />
      <Table<FxRevaluation>
        rowKey="id"
        size="middle"
        loading={q.isPending}
        dataSource={q.data?.items ?? []}
        pagination={{ pageSize: 24, hideOnSinglePage: true }}
        locale={{ emptyText: t('fxRevaluation.empty') }}
        tableLayout="fixed"
        expandable={{ expandedRowRender: (r) => <Lines id={r.id} fc={r.functionalCurrency} />, rowExpandable: (r) => r.items > 0, columnWidth: 40 }}
        columns={[
          ...(many
            ? [
                {
                  key: 'entity',
                  title: t('fxRevaluation.entity'),
                  width: 180,
                  ellipsis: true,
                  render: (_: unknown, r: FxRevaluation) => <span title={r.legalEntityName}>{r.legalEntityName}</span>,
                },
              ]
            : []),
          {
            key: 'period',
            title: t('fxRevaluation.period'),
            width: 130,
            render: (_, r) => (
              <Space size={2} direction="vertical">
                <span data-testid={`fx-revaluation-${r.period}`}>{r.period}</span>
                {r.status === 'superseded' && <Tag style={{ marginInlineEnd: 0 }}>{t('fxRevaluation.superseded')}</Tag>}
              </Space>
            ),
          },
          {
            key: 'posted',
            title: t('fxRevaluation.posted'),
            width: 150,
            render: (_, r) =>
              nothing(r) ? (
                dash
              ) : (
                <Space size={0} direction="vertical">
                  <span>{f.date(r.periodEnd)}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('fxRevaluation.reversedOn', { date: f.date(r.reversalDate) })}
                  </Typography.Text>
                </Space>
              ),
          },
          {
            key: 'rates',
            title: t('fxRevaluation.rates'),
            render: (_, r) =>
              nothing(r) ? (
                <Typography.Text type="secondary" data-testid={`fx-revaluation-nothing-${r.period}`}>
                  <CheckCircleOutlined /> {t('fxRevaluation.nothing')}
                </Typography.Text>
              ) : (
                r.rates.map((x) => <Tag key={x.currency}>{`${x.currency}/${r.functionalCurrency} ${x.rate}`}</Tag>)
              ),
          },
          { key: 'items', title: t('fxRevaluation.items'), align: 'right', width: 72, render: (_, r) => (nothing(r) ? dash : r.items) },
          {
            key: 'net',
            title: t('fxRevaluation.net'),
            align: 'right',
            width: 190,
            render: (_, r) =>
              nothing(r) ? (
                dash
              ) : (
                <Space size={0} direction="vertical" style={{ alignItems: 'flex-end' }}>
                  <span data-testid={r.status === 'posted' ? `fx-revaluation-net-${r.period}` : undefined}>{f.money(r.netMinor, r.functionalCurrency)}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('fxRevaluation.gainOf', { amount: f.money(r.gainMinor, r.functionalCurrency) })}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('fxRevaluation.lossOf', { amount: f.money(r.lossMinor, r.functionalCurrency) })}
                  </Typography.Text>
                </Space>
              ),
          },
          {
            key: 'trigger',
            title: t('fxRevaluation.trigger'),
            width: 170,
            render: (_, r) => (
              <Space size={0} direction="vertical">
                <span>{t(`fxRevaluation.triggers.${r.trigger}`, { defaultValue: r.trigger })}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {f.dateTime(r.createdAt)}
                </Typography.Text>
              </Space>
            ),
          },
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
        <Form layout="vertical" component="div">
          {many && (
            <Form.Item label={t('fxRevaluation.entity')} htmlFor="fx-revalue-entity">
              <Select id="fx-revalue-entity" value={entityId} onChange={(v) => setEntityId(v)} options={entityOptions} data-testid="fx-revalue-entity" />
            </Form.Item>
          )}
          <Form.Item label={t('fxRevaluation.period')}>
            <DatePicker picker="month" value={month} onChange={(v) => setMonth(v)} allowClear={false} aria-label={t('fxRevaluation.period')} data-testid="fx-revalue-period" />
          </Form.Item>
          <Checkbox checked={rerun} onChange={(e) => setRerun(e.target.checked)}>
            {t('fxRevaluation.rerun')}
          </Checkbox>
        </Form>
      </Modal>
    </div>
  );
}
