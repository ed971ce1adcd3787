import { useState } from 'react';
import { App, Button, Empty, Form, Modal, Select, Space } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useInvalidate } from '../../api/hooks.ts';
import type { Page } from '../../api/types.ts';
import { useAuth } from '../../auth/auth.tsx';
import { applyFieldErrors } from '../../components/errors.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { MoneyInput, moneyRules, toMinor } from '../../components/MoneyInput.tsx';
import { ReasonDialog } from '../../components/ReasonDialog.tsx';
import { useFormat } from '../../lib/format.ts';
import { currencyDigits, minorToDecimal } from '../../lib/money.ts';

/** What the actions need of a dunning charge. */
export interface ChargeForActions {
  id: string;
  number: string;
  accountId: string;
  legalEntityId: string;
  currency: string;
  totalMinor: number;
  outstandingMinor: number;
  status: string;
  version: number;
}

interface PaymentWithCredit {
  id: string;
  number: string;
  receivedOn: string;
  currency: string;
  legalEntityId: string;
  unallocatedMinor: number;
}

/**
 * The actions on a dunning charge: pay it from what a payment of the customer has left (same legal
 * entity and currency), or waive what is still owed with a reason (finance): all of it, or the unpaid
 * rest of a partly paid charge (the server reverses only that part).
 */
export function ChargeActions({ charge }: { charge: ChargeForActions }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const { can } = useAuth();
  const { message } = App.useApp();
  const invalidate = useInvalidate();
  const [paying, setPaying] = useState(false);
  const [waiving, setWaiving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ paymentId: string; amount: string }>();
  const payments = useQuery({
    queryKey: ['payments', 'with-credit', charge.accountId, charge.currency, charge.legalEntityId],
    enabled: paying,
    queryFn: async ({ signal }) =>
      (await api.get<Page<PaymentWithCredit>>('/payments', { accountId: charge.accountId, currency: charge.currency, legalEntityId: charge.legalEntityId, status: 'received', limit: 100 }, signal)).items.filter(
        (p) => p.unallocatedMinor > 0,
      ),
  });
  if (charge.status !== 'open') return null;
  const digits = currencyDigits(charge.currency);
  const suggest = (p: PaymentWithCredit | undefined) =>
    p ? minorToDecimal(BigInt(Math.min(p.unallocatedMinor, charge.outstandingMinor)), digits) : minorToDecimal(BigInt(charge.outstandingMinor), digits);
  const refresh = () => invalidate('dunning-charges', 'payments', 'invoices');
  const pay = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await api.post(`/payments/${v.paymentId}/charge-allocations`, { allocations: [{ chargeId: charge.id, amountMinor: toMinor(v.amount, charge.currency) }] });
      await refresh();
      void message.success(t('chargeActions.paid', { number: charge.number }));
      setPaying(false);
    } catch (e) {
      applyFieldErrors(form, e, t, i18n.language);
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const canPay = can('payment', 'write');
  const canWaive = can('invoice', 'approve') && charge.status === 'open' && charge.outstandingMinor > 0;
  const partlyPaid = charge.outstandingMinor < charge.totalMinor;
  if (!canPay && !canWaive) return null;
  return (
    <Space size="small">
      {canPay && (
        <Button
          size="small"
          data-testid={`pay-charge-${charge.number}`}
          onClick={() => {
            setError(null);
            form.resetFields();
            setPaying(true);
          }}
        >
          {t('chargeActions.pay')}
        </Button>
      )}
      {canWaive && (
        <Button size="small" danger data-testid={`waive-charge-${charge.number}`} onClick={() => setWaiving(true)}>
          {partlyPaid ? t('chargeActions.waiveRest') : t('chargeActions.waive')}
        </Button>
      )}
      <Modal
        open={paying}
        title={t('chargeActions.payTitle', { number: charge.number, amount: f.money(charge.outstandingMinor, charge.currency) })}
        okText={t('chargeActions.pay')}
        cancelText={t('common.cancel')}
        okButtonProps={{ loading: busy, disabled: !payments.data?.length }}
        onOk={() => void pay().catch(() => undefined)}
        onCancel={() => setPaying(false)}
        destroyOnHidden
      >
        <ErrorAlert error={error ?? payments.error} />
        {payments.data && !payments.data.length ? (
          <Empty description={t('chargeActions.noCredit')} />
        ) : (
          <Form form={form} layout="vertical" preserve={false}>
            <Form.Item name="paymentId" label={t('chargeActions.payment')} rules={[{ required: true, message: t('validation.required') }]}>
              <Select
                loading={payments.isFetching}
                options={(payments.data ?? []).map((p) => ({ value: p.id, label: t('chargeActions.paymentOption', { number: p.number, date: f.date(p.receivedOn), amount: f.money(p.unallocatedMinor, p.currency) }) }))}
                onChange={(id: string) => form.setFieldValue('amount', suggest(payments.data?.find((p) => p.id === id)))}
              />
            </Form.Item>
            <Form.Item name="amount" label={t('chargeActions.amount')} rules={moneyRules(t, charge.currency, true)} initialValue={suggest(undefined)}>
              <MoneyInput currency={charge.currency} />
            </Form.Item>
          </Form>
        )}
      </Modal>
      <ReasonDialog
        open={waiving}
        title={
          partlyPaid
            ? t('chargeActions.waiveRestTitle', {
                number: charge.number,
                amount: f.money(charge.outstandingMinor, charge.currency),
                paid: f.money(charge.totalMinor - charge.outstandingMinor, charge.currency),
              })
            : t('chargeActions.waiveTitle', { number: charge.number })
        }
        okText={partlyPaid ? t('chargeActions.waiveRest') : t('chargeActions.waive')}
        label={t('chargeActions.reason')}
        onClose={() => setWaiving(false)}
        onSubmit={async (reason) => {
          await api.post(`/dunning-charges/${charge.id}/waive`, { reason }, { version: charge.version });
          await refresh();
          void message.success(t('chargeActions.waived', { number: charge.number }));
        }}
      />
    </Space>
  );
}
