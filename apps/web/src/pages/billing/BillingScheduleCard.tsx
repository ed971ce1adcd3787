import { useState } from 'react';
import { App, Button, Card, Empty, Space, Table, Tag, Typography } from 'antd';
import { FlagOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useAuth } from '../../auth/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { ReasonDialog } from '../../components/ReasonDialog.tsx';
import { problemMessage } from '../../components/errors.ts';
import { useFormat } from '../../lib/format.ts';
import type { Order } from '../orders/orders.tsx';
import { RequestInvoiceDialog } from './RequestInvoiceDialog.tsx';
import { ScheduleEditor } from './ScheduleEditor.tsx';
import type { Schedule, ScheduleItem } from './types.ts';

const COLOR: Record<ScheduleItem['status'], string> = { planned: 'default', due: 'orange', invoiced: 'green', cancelled: 'default' };

/**
 * The order's billing schedule: payment-plan, milestone and recurring items, what each bills and
 * when, its status and invoice. Operations (or finance) marks a milestone reached; finance cancels
 * an open item; a rep asks for an item's invoice.
 */
export function BillingScheduleCard({ order }: { order: Order }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const key = ['orders', 'billing-schedule', order.id];
  const q = useQuery({ queryKey: key, queryFn: ({ signal }) => api.get<Schedule>(`/orders/${order.id}/billing-schedule`, undefined, signal) });
  const [busy, setBusy] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState<ScheduleItem | null>(null);
  const after = async () => {
    await qc.invalidateQueries({ queryKey: ['orders'] });
  };
  const act = async (item: ScheduleItem, action: 'reach' | 'cancel' | 'from-contract', body: Record<string, unknown> = {}) => {
    setBusy(`${item.id}:${action}`);
    try {
      await api.post(action === 'from-contract' ? `/orders/${order.id}/billing-schedule/from-contract` : `/orders/${order.id}/billing-schedule/items/${item.id}/${action}`, body);
      await after();
      void message.success(t(`billing.schedule.done.${action}`));
    } catch (e) {
      void message.error(problemMessage(t, e));
      throw e;
    } finally {
      setBusy(null);
    }
  };
  const items = q.data?.items ?? [];
  const canReach = can('order', 'write') || can('invoice', 'write');
  const when = (i: ScheduleItem) => {
    if (i.kind === 'recurring') return `${f.date(i.periodStart)} – ${f.date(i.periodEnd)} · ${t('billing.schedule.billOn', { date: f.date(i.billDate) })}`;
    if (i.trigger === 'date') return t('billing.schedule.billOn', { date: f.date(i.billDate) });
    const base = t(`billing.trigger.${i.trigger}`) + (i.offsetDays ? ` + ${i.offsetDays} ${t('billing.plan.days')}` : '');
    return i.reachedOn ? `${base} · ${t('billing.schedule.reachedOn', { date: f.date(i.reachedOn) })} · ${t('billing.schedule.billOn', { date: f.date(i.billDate) })}` : base;
  };
  // Editable while nothing of it is billed or asked for (the server refuses otherwise) on a confirmed or fulfilled order.
  const editable = can('invoice', 'write') && ['confirmed', 'fulfilled'].includes(order.status) && !!q.data && order.billedMinor === 0 && !items.some((i) => i.status === 'invoiced' || i.requestId);
  if (!q.isPending && !items.length && !order.contractId && !editable) return null;
  return (
    <Card
      size="small"
      title={t('billing.schedule.title')}
      data-testid="billing-schedule"
      extra={
        <Space size={8}>
          {q.data && items.length ? (
            <Typography.Text type="secondary">
              {t('billing.schedule.summary', { invoiced: f.money(q.data.invoicedMinor, q.data.currency), scheduled: f.money(q.data.scheduledMinor, q.data.currency) })}
            </Typography.Text>
          ) : null}
          {editable && q.data && <ScheduleEditor order={order} schedule={q.data} />}
        </Space>
      }
    >
      <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      {!items.length ? (
        <Space direction="vertical">
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('billing.schedule.none')} />
          {order.contractId && can('invoice', 'write') && ['confirmed', 'fulfilled'].includes(order.status) && (
            <Button onClick={() => void act({ id: '' } as ScheduleItem, 'from-contract').catch(() => undefined)}>{t('billing.schedule.fromContract')}</Button>
          )}
        </Space>
      ) : (
        <Table<ScheduleItem>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={items}
          columns={[
            { key: 'seq', title: '#', width: 40, render: (_, i) => i.seq },
            { key: 'kind', title: t('billing.field.kind'), render: (_, i) => t(`billing.kind.${i.kind}`) },
            { key: 'description', title: t('billing.field.description'), render: (_, i) => i.description },
            { key: 'amount', title: t('billing.field.amount'), align: 'right', render: (_, i) => `${f.money(i.amountMinor, i.currency)}${i.percent ? ` (${i.percent}%)` : ''}` },
            { key: 'when', title: t('billing.field.when'), render: (_, i) => when(i) },
            {
              key: 'status',
              title: t('billing.field.status'),
              render: (_, i) => (
                <Space size={4} wrap>
                  <Tag color={COLOR[i.status]} data-status={i.status}>
                    {t(`billing.itemStatus.${i.status}`)}
                  </Tag>
                  {i.requestId && !i.invoiceId && <Link to={`/invoice-requests/${i.requestId}`}>{t('billing.schedule.requested')}</Link>}
                  {i.invoiceId && <Link to={`/invoices/${i.invoiceId}`}>{i.invoiceNumber}</Link>}
                </Space>
              ),
            },
            {
              key: 'actions',
              title: '',
              render: (_, i) => (
                <Space size={4} wrap>
                  {i.allowedActions.includes('reach') && canReach && (
                    <Button size="small" icon={<FlagOutlined />} loading={busy === `${i.id}:reach`} onClick={() => void act(i, 'reach').catch(() => undefined)}>
                      {t('billing.schedule.reach')}
                    </Button>
                  )}
                  {i.allowedActions.includes('cancel') && can('invoice', 'write') && (
                    <Button size="small" danger onClick={() => setCancelling(i)}>
                      {t('billing.schedule.cancel')}
                    </Button>
                  )}
                  {(i.status === 'planned' || i.status === 'due') && !i.requestId && can('invoice_request', 'write') && <RequestInvoiceDialog order={order} item={i} />}
                </Space>
              ),
            },
          ]}
        />
      )}
      <ReasonDialog
        open={!!cancelling}
        title={t('billing.schedule.cancelTitle', { seq: cancelling?.seq ?? '' })}
        okText={t('billing.schedule.cancel')}
        field="reason"
        label={t('field.reason')}
        danger
        onClose={() => setCancelling(null)}
        onSubmit={(reason) => act(cancelling!, 'cancel', { reason })}
      />
    </Card>
  );
}
