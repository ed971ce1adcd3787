import { Alert, Card, Col, Progress, Row, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Schedule } from '../billing/types.ts';
import { useAuth } from '../../auth/auth.tsx';
import { OwnerName } from '../../components/Refs.tsx';
import { useFormat } from '../../lib/format.ts';
import { col, link } from '../documents/common.tsx';
import { LinesTable, type Line } from '../documents/LinesTable.tsx';
import { NextStepButton } from '../documents/NextStepButton.tsx';
import type { Doc, DocConfig } from '../documents/types.ts';
import { ShipDialog } from './ShipDialog.tsx';
import { toMilli } from './qty.ts';
import { OrderRevenue } from '../revenue/OrderRevenue.tsx';
import { BillingScheduleCard } from '../billing/BillingScheduleCard.tsx';
import { RequestInvoiceDialog } from '../billing/RequestInvoiceDialog.tsx';

export interface OrderLine extends Line {
  orderedQty: string;
  deliveredQty: string;
  billedQty: string;
}

export interface Order extends Doc {
  number: string;
  quoteId: string | null;
  contractId: string | null;
  opportunityId: string | null;
  accountId: string;
  status: string;
  orderDate: string;
  currency: string;
  netMinor: number;
  taxMinor: number;
  totalMinor: number;
  confirmedAt: string | null;
  fulfilledAt: string | null;
  cancelReason: string | null;
  deliveredPct: number;
  billedMinor: number;
  billedPct: number;
  paidMinor: number;
  paidPct: number;
  ownerId: string | null;
  lines: OrderLine[];
}

/** Delivered, billed and paid shares of the order (computed by the server from the documents). */
function OrderProgress({ order }: { order: Order }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Card size="small" title={t('orders.progress')}>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Statistic title={t('orders.delivered')} value={`${order.deliveredPct}%`} valueStyle={{ fontSize: 18 }} />
          <Progress percent={order.deliveredPct} showInfo={false} />
        </Col>
        <Col xs={24} md={8}>
          <Statistic title={t('orders.billed')} value={f.money(order.billedMinor, order.currency)} valueStyle={{ fontSize: 18 }} />
          <Progress percent={order.billedPct} showInfo={false} strokeColor="#722ed1" />
        </Col>
        <Col xs={24} md={8}>
          <Statistic title={t('orders.paid')} value={f.money(order.paidMinor, order.currency)} valueStyle={{ fontSize: 18 }} />
          <Progress percent={order.paidPct} showInfo={false} strokeColor="#52c41a" />
        </Col>
      </Row>
    </Card>
  );
}

function OrderNext({ order }: { order: Order }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const live = ['confirmed', 'fulfilled'].includes(order.status);
  const unbilled = order.lines.some((l) => toMilli(l.orderedQty) > toMilli(l.billedQty));
  // While a billing schedule has open items the server refuses billing by hand (the same goods would be
  // billed twice), so the hand-billing steps are not offered; the schedule card bills the items.
  const schedule = useQuery({
    queryKey: ['orders', 'billing-schedule', order.id],
    queryFn: ({ signal }) => api.get<Schedule>(`/orders/${order.id}/billing-schedule`, undefined, signal),
    enabled: live,
  });
  const byHand = unbilled && !schedule.data?.items.some((i) => i.status === 'planned' || i.status === 'due');
  return (
    <>
      {order.status === 'confirmed' && can('delivery', 'write') && <ShipDialog order={order} />}
      {live && byHand && can('invoice', 'write') && <NextStepButton label={t('orders.invoice')} path={`/orders/${order.id}/invoices`} target="invoices" />}
      {live && byHand && can('invoice_request', 'write') && <RequestInvoiceDialog order={order} />}
    </>
  );
}

export const orderConfig: DocConfig<Order> = {
  type: 'orders',
  entity: 'order',
  statuses: ['draft', 'on_hold', 'confirmed', 'fulfilled', 'closed', 'cancelled'],
  defaultSort: '-createdAt',
  columns: (h, sort) => [
    col.number('orders', h, sort),
    col.account(h),
    col.status('order', h),
    col.money('total', 'totalMinor', h, sort),
    { key: 'deliveredPct', title: h.t('orders.delivered'), align: 'right' as const, exportValue: (r: Order) => `${r.deliveredPct}%`, render: (_: unknown, r: Order) => `${r.deliveredPct}%` },
    { key: 'billedPct', title: h.t('orders.billed'), align: 'right' as const, exportValue: (r: Order) => `${r.billedPct}%`, render: (_: unknown, r: Order) => `${r.billedPct}%` },
    { key: 'paidPct', title: h.t('orders.paid'), align: 'right' as const, exportValue: (r: Order) => `${r.paidPct}%`, render: (_: unknown, r: Order) => `${r.paidPct}%` },
    col.date('orderDate', h, sort),
  ],
  title: (o, h) => h.t('orders.title', { number: o.number }),
  facts: (o, h) => [
    { label: h.t('field.account'), value: link('accounts', o.accountId) },
    { label: h.t('field.quote'), value: link('quotes', o.quoteId) },
    { label: h.t('field.contract'), value: link('contracts', o.contractId) },
    { label: h.t('field.orderDate'), value: h.f.date(o.orderDate) },
    { label: h.t('field.total'), value: h.f.money(o.totalMinor, o.currency) },
    { label: h.t('field.owner'), value: <OwnerName id={o.ownerId} /> },
    { label: h.t('field.confirmedAt'), value: h.f.dateTime(o.confirmedAt) },
    { label: h.t('field.fulfilledAt'), value: h.f.dateTime(o.fulfilledAt) },
  ],
  lines: (o, h) => (
    <LinesTable
      lines={o.lines}
      currency={o.currency}
      totals={o}
      qtyColumns={[
        { key: 'orderedQty', title: h.t('lines.ordered') },
        { key: 'deliveredQty', title: h.t('lines.delivered') },
        { key: 'billedQty', title: h.t('lines.billed') },
      ]}
    />
  ),
  extra: (o) => (
    <>
      <OrderProgress order={o} />
      <BillingScheduleCard order={o} />
      <OrderRevenue orderId={o.id} status={o.status} />
    </>
  ),
  actions: { cancel: { field: 'reason' } },
  buttons: (o) => <OrderNext order={o} />,
  banner: (o, h) => (o.cancelReason ? <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={h.t('documents.reason', { reason: o.cancelReason })} /> : null),
};
