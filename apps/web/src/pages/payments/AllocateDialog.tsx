import { useState } from 'react';
import { App, Button, Empty, Modal, Table } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useInvalidate } from '../../api/hooks.ts';
import type { Page } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { MoneyInput } from '../../components/MoneyInput.tsx';
import { useFormat } from '../../lib/format.ts';
import { currencyDigits, minorToDecimal, parseMajorToMinor } from '../../lib/money.ts';
import type { Invoice } from '../invoices/invoices.tsx';
import type { Payment } from './payments.tsx';

/** Allocates what is left of a payment to the account's open invoices (oldest due first is proposed). */
export function AllocateDialog({ payment }: { payment: Payment }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const invalidate = useInvalidate();
  const [open, setOpen] = useState(false);
  const [amounts, setAmounts] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const digits = currencyDigits(payment.currency);
  const invoices = useQuery({
    queryKey: ['invoices', 'open-for', payment.accountId, payment.currency],
    enabled: open,
    queryFn: async ({ signal }) => {
      const lists = await Promise.all(
        ['issued', 'partially_paid'].map((status) =>
          api.get<Page<Invoice>>('/invoices', { accountId: payment.accountId, status, sort: 'dueDate', limit: 100 }, signal),
        ),
      );
      return lists.flatMap((l) => l.items).filter((i) => i.currency === payment.currency && i.outstandingMinor > 0);
    },
  });
  const propose = (list: Invoice[]) => {
    // Oldest due first, never more than what is left of the payment or owed on the invoice.
    let left = BigInt(payment.unallocatedMinor);
    const out: Record<string, string> = {};
    for (const i of [...list].sort((a, b) => String(a.dueDate).localeCompare(String(b.dueDate)))) {
      const take = left < BigInt(i.outstandingMinor) ? left : BigInt(i.outstandingMinor);
      out[i.id] = take > 0n ? minorToDecimal(take, digits) : '';
      left -= take;
    }
    setAmounts(out);
  };
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const allocations = Object.entries(amounts)
        .map(([invoiceId, v]) => ({ invoiceId, r: parseMajorToMinor(v, digits) }))
        .filter((a) => a.r.ok && a.r.minor > 0)
        .map((a) => ({ invoiceId: a.invoiceId, amountMinor: (a.r as { minor: number }).minor }));
      const saved = await api.post<Payment>(`/payments/${payment.id}/allocate`, { allocations }, { version: payment.version });
      qc.setQueryData(['payments', 'record', payment.id], saved);
      await invalidate('payments', 'invoices', 'orders');
      void message.success(t('settings.saved'));
      setOpen(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (payment.unallocatedMinor <= 0) return null;
  return (
    <>
      <Button
        type="primary"
        onClick={() => {
          setOpen(true);
          setError(null);
          void invoices.refetch().then((r) => r.data && propose(r.data));
        }}
      >
        {t('payments.allocate')}
      </Button>
      <Modal
        open={open}
        width={720}
        title={t('payments.allocateTitle', { amount: f.money(payment.unallocatedMinor, payment.currency) })}
        okText={t('payments.allocate')}
        cancelText={t('common.cancel')}
        okButtonProps={{ loading: busy, disabled: !invoices.data?.length }}
        onOk={() => void submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <ErrorAlert error={error ?? invoices.error} />
        {invoices.data && !invoices.data.length ? (
          <Empty description={t('payments.noOpenInvoices')} />
        ) : (
          <Table<Invoice>
            rowKey="id"
            size="small"
            pagination={false}
            loading={invoices.isFetching}
            dataSource={invoices.data ?? []}
            columns={[
              { key: 'n', title: t('field.invoice'), render: (_, i) => <Link to={`/invoices/${i.id}`}>{i.number}</Link> },
              { key: 'due', title: t('field.dueDate'), render: (_, i) => f.date(i.dueDate) },
              { key: 'o', title: t('field.outstanding'), align: 'right', render: (_, i) => f.money(i.outstandingMinor, i.currency) },
              {
                key: 'a',
                title: t('field.amount'),
                render: (_, i) => (
                  <MoneyInput currency={payment.currency} value={amounts[i.id] ?? ''} onChange={(e) => setAmounts((s) => ({ ...s, [i.id]: (e as { target: { value: string } }).target.value }))} />
                ),
              },
            ]}
          />
        )}
      </Modal>
    </>
  );
}
