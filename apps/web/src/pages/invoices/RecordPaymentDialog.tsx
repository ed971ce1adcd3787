import { useState } from 'react';
import { App, Button, DatePicker, Form, Input, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useInvalidate } from '../../api/hooks.ts';
import { applyFieldErrors } from '../../components/errors.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { MoneyInput, moneyRules, toMinor } from '../../components/MoneyInput.tsx';
import { currencyDigits, minorToDecimal } from '../../lib/money.ts';
import type { Invoice } from './invoices.tsx';

export const PAYMENT_METHODS = ['bank_transfer', 'cash', 'card', 'alipay', 'wechat_pay', 'other'] as const;

interface PaymentForm {
  amount: string;
  receivedOn: Dayjs;
  method: string;
  reference?: string;
}

/** Records money received for an issued invoice and allocates it there (default: what is outstanding). */
export function RecordPaymentDialog({ invoice }: { invoice: Invoice }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const [form] = Form.useForm<PaymentForm>();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const amountMinor = toMinor(v.amount, invoice.currency)!;
      const p = await api.post<{ id: string }>('/payments', {
        accountId: invoice.accountId,
        amountMinor,
        currency: invoice.currency,
        receivedOn: v.receivedOn.format('YYYY-MM-DD'),
        method: v.method,
        ...(v.reference?.trim() ? { reference: v.reference.trim() } : {}),
        allocations: [{ invoiceId: invoice.id, amountMinor: Math.min(amountMinor, invoice.outstandingMinor) }],
      });
      await invalidate('payments', 'invoices', 'orders');
      void message.success(t('documents.created'));
      navigate(`/payments/${p.id}`);
    } catch (e) {
      applyFieldErrors(form, e, t, i18n.language, (p) => (p === 'amountMinor' ? 'amount' : p));
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {t('invoices.recordPayment')}
      </Button>
      <Modal open={open} title={t('invoices.recordPayment')} okText={t('common.save')} cancelText={t('common.cancel')} okButtonProps={{ loading: busy }} onOk={() => void submit().catch(() => undefined)} onCancel={() => setOpen(false)} destroyOnHidden>
        <ErrorAlert error={error} />
        <Form<PaymentForm>
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ amount: minorToDecimal(invoice.outstandingMinor, currencyDigits(invoice.currency)), receivedOn: dayjs(), method: 'bank_transfer' }}
        >
          <Form.Item name="amount" label={t('field.amount')} rules={moneyRules(t, invoice.currency, true)}>
            <MoneyInput currency={invoice.currency} />
          </Form.Item>
          <Form.Item name="receivedOn" label={t('field.receivedOn')} rules={[{ required: true, message: t('validation.required') }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="method" label={t('field.method')}>
            <Select options={PAYMENT_METHODS.map((m) => ({ value: m, label: t(`paymentMethod.${m}`) }))} />
          </Form.Item>
          <Form.Item name="reference" label={t('field.reference')}>
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
