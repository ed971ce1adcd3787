import { useState } from 'react';
import { App, Button, Card, Checkbox, Form, Input, Modal, Radio, Space, Table, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useInvalidate } from '../../api/hooks.ts';
import type { Page } from '../../api/types.ts';
import { useAuth } from '../../auth/auth.tsx';
import { applyFieldErrors, problemMessage } from '../../components/errors.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { MoneyInput, moneyRules, toMinor } from '../../components/MoneyInput.tsx';
import { StatusTag } from '../../components/StatusTag.tsx';
import { useFormat } from '../../lib/format.ts';
import type { Invoice } from './invoices.tsx';

export interface CreditNote {
  id: string;
  number: string | null;
  invoiceId: string;
  status: 'draft' | 'issued' | 'cancelled';
  currency: string;
  totalMinor: number;
  reason: string;
  settlement: 'balance' | 'refund';
  issueDate: string | null;
  appliedMinor: number;
  toBalanceMinor: number;
  refundedMinor: number;
  allowedActions: string[];
  createdAt: string;
}

const CREDITABLE = ['issued', 'partially_paid', 'paid'];

interface CreditForm {
  mode: 'full' | 'amount';
  amount?: string;
  reason: string;
  settlement: 'balance' | 'refund';
  issue?: boolean;
}

/** Corrects an issued invoice with a credit note: in full or by an amount (tax included), with a reason. */
export function CreditNoteDialog({ invoice }: { invoice: Invoice }) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const invalidate = useInvalidate();
  const [form] = Form.useForm<CreditForm>();
  const mode = Form.useWatch('mode', form);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (!CREDITABLE.includes(invoice.status) || !can('credit_note', 'write')) return null;
  const mayIssue = can('credit_note', 'approve');
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const cn = await api.post<CreditNote>(`/invoices/${invoice.id}/credit-notes`, {
        reason: v.reason.trim(),
        ...(v.mode === 'amount' ? { amountMinor: toMinor(v.amount, invoice.currency) } : {}),
        ...(invoice.paidMinor > 0 ? { settlement: v.settlement } : {}),
        ...(mayIssue && v.issue ? { issue: true } : {}),
      });
      await invalidate('invoices', 'credit-notes', 'payments', 'orders');
      void message.success(cn.number ? t('creditNotes.issued', { number: cn.number }) : t('creditNotes.drafted'));
      setOpen(false);
    } catch (e) {
      applyFieldErrors(form, e, t, i18n.language, (p) => (p === 'amountMinor' ? 'amount' : p));
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="credit-note">
        {t('creditNotes.create')}
      </Button>
      <Modal
        open={open}
        title={t('creditNotes.createTitle', { number: invoice.number })}
        okText={t('creditNotes.create')}
        cancelText={t('common.cancel')}
        okButtonProps={{ loading: busy, danger: true }}
        onOk={() => void submit().catch(() => undefined)}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <ErrorAlert error={error} />
        <Form<CreditForm> form={form} layout="vertical" preserve={false} initialValues={{ mode: 'full', settlement: 'balance', issue: mayIssue }}>
          <Form.Item name="mode" label={t('creditNotes.scope')}>
            <Radio.Group>
              <Radio value="full">{t('creditNotes.full')}</Radio>
              <Radio value="amount">{t('creditNotes.byAmount')}</Radio>
            </Radio.Group>
          </Form.Item>
          {mode === 'amount' && (
            <Form.Item name="amount" label={t('creditNotes.amount')} extra={t('creditNotes.amountHint')} rules={moneyRules(t, invoice.currency, true)}>
              <MoneyInput currency={invoice.currency} />
            </Form.Item>
          )}
          <Form.Item name="reason" label={t('field.reason')} rules={[{ required: true, whitespace: true, message: t('validation.reasonRequired') }]}>
            <Input.TextArea rows={3} maxLength={500} showCount />
          </Form.Item>
          {invoice.paidMinor > 0 && (
            <Form.Item name="settlement" label={t('creditNotes.settlement')} extra={t('creditNotes.settlementHint')}>
              <Radio.Group>
                <Radio value="balance">{t('creditNotes.settlementBalance')}</Radio>
                <Radio value="refund">{t('creditNotes.settlementRefund')}</Radio>
              </Radio.Group>
            </Form.Item>
          )}
          {mayIssue && (
            <Form.Item name="issue" valuePropName="checked">
              <Checkbox>{t('creditNotes.issueNow')}</Checkbox>
            </Form.Item>
          )}
        </Form>
      </Modal>
    </>
  );
}

/** The credit notes of an invoice, with issue / cancel on drafts for those who may. */
export function CreditNotesCard({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const invalidate = useInvalidate();
  const q = useQuery({
    queryKey: ['credit-notes', 'list', { invoiceId: invoice.id }],
    queryFn: ({ signal }) => api.get<Page<CreditNote>>('/credit-notes', { invoiceId: invoice.id, limit: 100 }, signal),
    enabled: can('credit_note'),
  });
  const act = useMutation({
    mutationFn: ({ id, action }: { id: string; action: string }) => api.post<CreditNote>(`/credit-notes/${id}/${action}`, {}),
    onSuccess: async (cn) => {
      void message.success(t('documents.statusNow', { status: t(`status.credit_note.${cn.status}`) }));
      await Promise.all([invalidate('invoices', 'payments', 'orders'), qc.invalidateQueries({ queryKey: ['credit-notes'] })]);
    },
    onError: (e) => void message.error(problemMessage(t, e)),
  });
  if (!can('credit_note')) return null;
  const items = q.data?.items ?? [];
  if (!q.isPending && !q.isError && !items.length) return null;
  const permitted = (a: string) => can('credit_note', a === 'issue' ? 'approve' : 'write');
  return (
    <Card size="small" title={t('creditNotes.title')} data-testid="credit-notes">
      {q.isError && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
      <Table<CreditNote>
        rowKey="id"
        size="small"
        pagination={false}
        loading={q.isPending}
        dataSource={items}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: 'number', title: t('field.number'), render: (_, c) => c.number ?? <Typography.Text type="secondary">{t('documents.draftNoNumber')}</Typography.Text> },
          { key: 'status', title: t('field.status'), render: (_, c) => <StatusTag entity="credit_note" status={c.status} /> },
          { key: 'total', title: t('field.total'), align: 'right', render: (_, c) => f.money(c.totalMinor, c.currency) },
          { key: 'reason', title: t('field.reason'), render: (_, c) => c.reason },
          { key: 'issueDate', title: t('field.issueDate'), render: (_, c) => f.date(c.issueDate) },
          {
            key: 'actions',
            title: '',
            render: (_, c) => (
              <Space>
                {c.allowedActions.filter(permitted).map((a) => (
                  <Button
                    key={a}
                    size="small"
                    type={a === 'issue' ? 'primary' : 'default'}
                    danger={a === 'cancel'}
                    loading={act.isPending && act.variables?.id === c.id && act.variables.action === a}
                    onClick={() => act.mutate({ id: c.id, action: a })}
                  >
                    {t(`action.credit_note.${a}`, { defaultValue: t(`action.${a}`, { defaultValue: a }) })}
                  </Button>
                ))}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
