import { useAuth } from '../../auth/auth.tsx';
import { col, link } from '../documents/common.tsx';
import { LinesTable, type Line } from '../documents/LinesTable.tsx';
import type { Doc, DocConfig } from '../documents/types.ts';
import { RecordPaymentDialog } from './RecordPaymentDialog.tsx';
import { PdfButton } from '../documents/PdfButton.tsx';
import { CreditNoteDialog, CreditNotesCard } from './CreditNotes.tsx';
import { DunningChargesCard } from '../fx/DunningChargesCard.tsx';

export interface Invoice extends Doc {
  number: string | null;
  legalEntityId: string;
  orderId: string;
  deliveryId: string | null;
  accountId: string;
  currency: string;
  netMinor: number;
  taxMinor: number;
  totalMinor: number;
  paidMinor: number;
  creditedMinor: number;
  outstandingMinor: number;
  issueDate: string | null;
  dueDate: string | null;
  paymentTermsDays: number;
  issuedAt: string | null;
  /** While paid: when the last payment allocated to it was recorded. */
  paidAt: string | null;
  lines: Line[];
}

function InvoiceNext({ invoice }: { invoice: Invoice }) {
  const { can } = useAuth();
  const payable = ['issued', 'partially_paid'].includes(invoice.status) && invoice.outstandingMinor > 0 && can('payment', 'write');
  return (
    <>
      <PdfButton type="invoices" id={invoice.id} />
      {payable && <RecordPaymentDialog invoice={invoice} />}
      <CreditNoteDialog invoice={invoice} />
    </>
  );
}

export const invoiceConfig: DocConfig<Invoice> = {
  type: 'invoices',
  entity: 'invoice',
  statuses: ['draft', 'issued', 'partially_paid', 'paid', 'cancelled'],
  defaultSort: '-createdAt',
  columns: (h, sort) => [
    col.number('invoices', h, sort),
    col.account(h),
    { key: 'order', title: h.t('field.order'), render: (_: unknown, r: Invoice) => link('orders', r.orderId) },
    col.status('invoice', h),
    col.money('total', 'totalMinor', h, sort),
    col.money('outstanding', 'outstandingMinor', h, sort, false),
    col.date('issueDate', h, sort),
    col.date('dueDate', h, sort),
  ],
  title: (i, h) => (i.number ? h.t('invoices.title', { number: i.number }) : h.t('invoices.draftTitle')),
  facts: (i, h) => [
    { label: h.t('field.account'), value: link('accounts', i.accountId) },
    { label: h.t('field.order'), value: link('orders', i.orderId) },
    ...(i.deliveryId ? [{ label: h.t('field.delivery'), value: link('deliveries', i.deliveryId) }] : []),
    { label: h.t('field.issueDate'), value: h.f.date(i.issueDate) },
    { label: h.t('field.dueDate'), value: h.f.date(i.dueDate) },
    { label: h.t('field.paymentTermsDays'), value: h.t('invoices.days', { n: i.paymentTermsDays }) },
    { label: h.t('field.total'), value: h.f.money(i.totalMinor, i.currency) },
    { label: h.t('field.paid'), value: h.f.money(i.paidMinor, i.currency) },
    ...(i.creditedMinor ? [{ label: h.t('creditNotes.credited'), value: h.f.money(i.creditedMinor, i.currency) }] : []),
    { label: h.t('field.outstanding'), value: <strong>{h.f.money(i.outstandingMinor, i.currency)}</strong> },
    ...(i.paidAt ? [{ label: h.t('invoicePaidDates.paidAt'), value: h.f.dateTime(i.paidAt) }] : []),
  ],
  lines: (i) => <LinesTable lines={i.lines} currency={i.currency} totals={i} />,
  extra: (i) => (
    <>
      <CreditNotesCard invoice={i} />
      <DunningChargesCard invoiceId={i.id} />
    </>
  ),
  actions: { issue: { permission: 'approve' } },
  buttons: (i) => <InvoiceNext invoice={i} />,
};
