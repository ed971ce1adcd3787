import { Alert, Card, Table } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../lib/format.ts';
import { col, link } from '../documents/common.tsx';
import type { Doc, DocConfig } from '../documents/types.ts';
import { useAuth } from '../../auth/auth.tsx';
import { AllocateDialog } from './AllocateDialog.tsx';

interface Allocation {
  id: string;
  invoiceId: string;
  invoiceNumber: string | null;
  amountMinor: number;
  kind?: 'allocation' | 'reversal' | 'credit_release';
  createdAt: string;
}

export interface Payment extends Doc {
  number: string;
  accountId: string;
  amountMinor: number;
  currency: string;
  receivedOn: string;
  method: string;
  reference: string | null;
  allocations: Allocation[];
  allocatedMinor: number;
  unallocatedMinor: number;
  reversalReason?: string | null;
  chargeAllocatedMinor?: number;
  /** In a currency other than the legal entity's: the rate, the amount in the functional currency, realised FX. */
  fx?: { functionalCurrency: string; rate: string | null; rateDate: string | null; functionalAmountMinor: number; realisedGainLossMinor: number } | null;
}

function Allocations({ payment }: { payment: Payment }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Card size="small" title={t('payments.allocations')}>
      <Table<Allocation>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={payment.allocations}
        locale={{ emptyText: t('payments.noAllocations') }}
        columns={[
          { key: 'invoice', title: t('field.invoice'), render: (_, a) => <Link to={`/invoices/${a.invoiceId}`}>{a.invoiceNumber ?? a.invoiceId}</Link> },
          { key: 'kind', title: t('payments.kind'), render: (_, a) => t(`payments.kinds.${a.kind ?? 'allocation'}`) },
          { key: 'amount', title: t('field.amount'), align: 'right', render: (_, a) => f.money(a.amountMinor, payment.currency) },
          { key: 'createdAt', title: t('field.createdAt'), render: (_, a) => f.dateTime(a.createdAt) },
        ]}
      />
    </Card>
  );
}

function PaymentNext({ payment }: { payment: Payment }) {
  const { can } = useAuth();
  return can('payment', 'write') && payment.status === 'received' ? <AllocateDialog payment={payment} /> : null;
}

export const paymentConfig: DocConfig<Payment> = {
  type: 'payments',
  entity: 'payment',
  statuses: ['received', 'reversed'],
  defaultSort: '-createdAt',
  columns: (h, sort) => [
    col.number('payments', h, sort),
    col.account(h),
    col.money('amount', 'amountMinor', h, sort),
    { key: 'unallocated', title: h.t('field.unallocated'), align: 'right' as const, exportValue: (r: Payment) => ({ minor: r.unallocatedMinor, currency: r.currency }), render: (_: unknown, r: Payment) => h.f.money(r.unallocatedMinor, r.currency) },
    { key: 'method', title: h.t('field.method'), exportValue: (r: Payment) => h.t(`paymentMethod.${r.method}`), render: (_: unknown, r: Payment) => h.t(`paymentMethod.${r.method}`) },
    col.date('receivedOn', h, sort),
  ],
  title: (p, h) => h.t('payments.title', { number: p.number }),
  facts: (p, h) => [
    { label: h.t('field.account'), value: link('accounts', p.accountId) },
    { label: h.t('field.amount'), value: h.f.money(p.amountMinor, p.currency) },
    { label: h.t('field.receivedOn'), value: h.f.date(p.receivedOn) },
    { label: h.t('field.method'), value: h.t(`paymentMethod.${p.method}`) },
    { label: h.t('field.reference'), value: p.reference ?? '—' },
    { label: h.t('field.allocated'), value: h.f.money(p.allocatedMinor, p.currency) },
    { label: h.t('field.unallocated'), value: h.f.money(p.unallocatedMinor, p.currency) },
    ...(p.chargeAllocatedMinor ? [{ label: h.t('fx.chargeAllocated'), value: h.f.money(p.chargeAllocatedMinor, p.currency) }] : []),
    ...(p.fx
      ? [
          { label: h.t('fx.paymentRate'), value: p.fx.rate ? `${p.fx.rate} (${p.fx.rateDate ?? ''})` : '—' },
          { label: h.t('fx.functionalAmount'), value: h.f.money(p.fx.functionalAmountMinor, p.fx.functionalCurrency) },
          {
            label: h.t(p.fx.realisedGainLossMinor < 0 ? 'fx.realisedLoss' : 'fx.realisedGain'),
            value: <span data-testid="payment-fx-result">{h.f.money(Math.abs(p.fx.realisedGainLossMinor), p.fx.functionalCurrency)}</span>,
          },
        ]
      : []),
  ],
  extra: (p) => <Allocations payment={p} />,
  actions: { reverse: { field: 'reason', permission: 'approve' } },
  buttons: (p) => <PaymentNext payment={p} />,
  banner: (p, h) => (p.reversalReason ? <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={h.t('documents.reason', { reason: p.reversalReason })} /> : null),
};
