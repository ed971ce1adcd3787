import { Alert, Button, Card, Table } from 'antd';
import { ThunderboltOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useRecord } from '../../api/hooks.ts';
import { useAuth } from '../../auth/auth.tsx';
import type { Order } from '../orders/orders.tsx';
import { OwnerName } from '../../components/Refs.tsx';
import { col, link } from '../documents/common.tsx';
import type { DocConfig } from '../documents/types.ts';
import type { InvoiceRequest } from './types.ts';

/** The order lines and quantities asked for, with the order's descriptions. */
function RequestLines({ request }: { request: InvoiceRequest }) {
  const { t } = useTranslation();
  const order = useRecord<Order>('orders', request.orderId);
  const byId = new Map((order.data?.lines ?? []).map((l) => [l.id, l]));
  return (
    <Card size="small" title={t('billing.request.lines')}>
      <Table<{ orderLineId: string; quantity: string }>
        rowKey="orderLineId"
        size="small"
        pagination={false}
        loading={order.isPending}
        dataSource={request.lines ?? []}
        columns={[
          { key: 'no', title: '#', width: 40, render: (_, l) => byId.get(l.orderLineId)?.lineNo ?? '' },
          { key: 'line', title: t('lines.description'), render: (_, l) => byId.get(l.orderLineId)?.description ?? l.orderLineId },
          { key: 'qty', title: t('billing.request.quantity'), align: 'right', render: (_, l) => l.quantity },
        ]}
      />
    </Card>
  );
}

/** To the billing runs (finance): shown beside the invoice requests. */
function RunsButton() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  if (!can('invoice', 'approve')) return null;
  return (
    <Button icon={<ThunderboltOutlined />} onClick={() => navigate('/billing/runs')}>
      {t('billing.run.nav')}
    </Button>
  );
}

/** 开票申请 on the generic document pages: list, detail with approve (finance) / reject (reason) / withdraw. */
export const invoiceRequestConfig: DocConfig<InvoiceRequest> = {
  type: 'invoice-requests',
  entity: 'invoice_request',
  statuses: ['pending', 'approved', 'rejected', 'withdrawn'],
  defaultSort: '-createdAt',
  columns: (h, sort) => [
    {
      key: 'buyerName',
      title: h.t('billing.field.buyerName'),
      exportValue: (r: InvoiceRequest) => r.buyerName,
      render: (_: unknown, r: InvoiceRequest) => (
        <Link to={`/invoice-requests/${r.id}`} onClick={(e) => e.stopPropagation()}>
          {r.buyerName}
        </Link>
      ),
    },
    { key: 'orderNumber', title: h.t('billing.field.order'), exportValue: (r: InvoiceRequest) => r.orderNumber, render: (_: unknown, r: InvoiceRequest) => r.orderNumber },
    { key: 'invoiceType', title: h.t('billing.field.invoiceType'), exportValue: (r: InvoiceRequest) => h.t(`billing.invoiceType.${r.invoiceType}`), render: (_: unknown, r: InvoiceRequest) => h.t(`billing.invoiceType.${r.invoiceType}`) },
    col.status('invoice_request', h),
    { ...col.money('amount', 'amountMinor', h, sort), title: h.t('billing.field.amount') },
    { key: 'invoiceNumber', title: h.t('billing.field.invoice'), exportValue: (r: InvoiceRequest) => r.invoiceNumber, render: (_: unknown, r: InvoiceRequest) => r.invoiceNumber ?? '—' },
    col.date('createdAt', h, sort),
  ],
  title: (r, h) => h.t('billing.request.docTitle', { buyer: r.buyerName, order: r.orderNumber ?? '' }),
  facts: (r, h) => [
    { label: h.t('billing.field.order'), value: link('orders', r.orderId) },
    { label: h.t('field.account'), value: link('accounts', r.accountId) },
    { label: h.t('billing.field.amount'), value: h.f.money(r.amountMinor, r.currency) },
    { label: h.t('billing.field.invoiceType'), value: h.t(`billing.invoiceType.${r.invoiceType}`) },
    { label: h.t('billing.field.buyerName'), value: r.buyerName },
    { label: h.t('billing.field.buyerTaxId'), value: r.buyerTaxId },
    { label: h.t('billing.field.buyerAddressPhone'), value: r.buyerAddressPhone || '—' },
    { label: h.t('billing.field.buyerBankAccount'), value: r.buyerBankAccount || '—' },
    { label: h.t('billing.field.remarks'), value: r.remarks || '—' },
    { label: h.t('billing.field.what'), value: r.lines ? h.t('billing.request.linesCount', { count: r.lines.length }) : h.t('billing.request.scheduleItem') },
    { label: h.t('billing.field.invoice'), value: r.invoiceId ? <Link to={`/invoices/${r.invoiceId}`} data-testid="request-invoice">{r.invoiceNumber}</Link> : '—' },
    { label: h.t('field.owner'), value: <OwnerName id={r.ownerId} /> },
    { label: h.t('billing.field.decidedAt'), value: h.f.dateTime(r.decidedAt) },
  ],
  lines: (r) => (r.lines ? <RequestLines request={r} /> : null),
  actions: { approve: { permission: 'approve' }, reject: { permission: 'approve', field: 'reason' }, withdraw: {} },
  buttons: () => <RunsButton />,
  banner: (r, h) => (r.rejectReason ? <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={h.t('documents.reason', { reason: r.rejectReason })} /> : null),
};
