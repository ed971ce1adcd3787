import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/auth.tsx';
import { col, link } from '../documents/common.tsx';
import { LinesTable, type Line } from '../documents/LinesTable.tsx';
import { NextStepButton } from '../documents/NextStepButton.tsx';
import type { Doc, DocConfig } from '../documents/types.ts';
import { toMilli } from '../orders/qty.ts';

export interface Delivery extends Doc {
  number: string;
  orderId: string;
  accountId: string;
  carrier: string | null;
  trackingNo: string | null;
  shippedAt: string | null;
  deliveredAt: string | null;
  acceptedAt: string | null;
  acceptedBy: string | null;
  lines: Array<Line & { billedQty: string }>;
}

function DeliveryNext({ delivery }: { delivery: Delivery }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const unbilled = delivery.lines.some((l) => toMilli(l.quantity) > toMilli(l.billedQty));
  if (!unbilled || !can('invoice', 'write')) return null;
  return <NextStepButton label={t('deliveries.invoice')} path={`/deliveries/${delivery.id}/invoice`} target="invoices" />;
}

export const deliveryConfig: DocConfig<Delivery> = {
  type: 'deliveries',
  entity: 'delivery',
  statuses: ['shipped', 'delivered', 'accepted'],
  defaultSort: '-createdAt',
  columns: (h, sort) => [
    col.number('deliveries', h, sort),
    col.account(h),
    { key: 'order', title: h.t('field.order'), render: (_: unknown, r: Delivery) => link('orders', r.orderId) },
    col.status('delivery', h),
    { key: 'carrier', title: h.t('field.carrier'), exportValue: (r: Delivery) => [r.carrier, r.trackingNo].filter(Boolean).join(' ') || null, render: (_: unknown, r: Delivery) => [r.carrier, r.trackingNo].filter(Boolean).join(' · ') || '—' },
    col.date('shippedAt', h, sort),
  ],
  title: (d, h) => h.t('deliveries.title', { number: d.number }),
  facts: (d, h) => [
    { label: h.t('field.account'), value: link('accounts', d.accountId) },
    { label: h.t('field.order'), value: link('orders', d.orderId) },
    { label: h.t('field.carrier'), value: d.carrier ?? '—' },
    { label: h.t('field.trackingNo'), value: d.trackingNo ?? '—' },
    { label: h.t('field.shippedAt'), value: h.f.dateTime(d.shippedAt) },
    { label: h.t('field.deliveredAt'), value: h.f.dateTime(d.deliveredAt) },
    { label: h.t('field.acceptedAt'), value: h.f.dateTime(d.acceptedAt) },
    { label: h.t('field.acceptedBy'), value: d.acceptedBy ?? '—' },
  ],
  lines: (d, h) => (
    <LinesTable
      lines={d.lines}
      currency="CNY"
      priced={false}
      qtyColumns={[
        { key: 'quantity', title: h.t('lines.shipped') },
        { key: 'billedQty', title: h.t('lines.billed') },
      ]}
    />
  ),
  actions: { accept: { field: 'acceptedBy' } },
  buttons: (d) => <DeliveryNext delivery={d} />,
};
