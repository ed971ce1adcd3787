import { useState } from 'react';
import { Checkbox, DatePicker, Form, Input, Modal, Radio } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useInvalidate } from '../../api/hooks.ts';
import type { ConvertResult, Lead } from '../../api/types.ts';
import { applyFieldErrors } from '../../components/errors.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { MoneyInput, moneyRules, toMinor } from '../../components/MoneyInput.tsx';
import { RefSelect } from '../../components/RefSelect.tsx';

interface ConvertForm {
  accountMode: 'new' | 'existing';
  accountName?: string;
  accountId?: string;
  createOpportunity: boolean;
  opportunityName?: string;
  amount?: string;
  expectedCloseDate?: Dayjs | null;
}

const FIELD_OF: Record<string, string> = { amountMinor: 'amount' };

/** Converts a qualified lead into an account (new or existing), a contact and an opportunity. */
export function ConvertDialog({ lead, open, onClose, onDone }: { lead: Lead; open: boolean; onClose: () => void; onDone: (r: ConvertResult) => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<ConvertForm>();
  const invalidate = useInvalidate();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const mode = Form.useWatch('accountMode', form);
  const withOpp = Form.useWatch('createOpportunity', form);
  const defaultName = lead.company ?? lead.name;

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { createOpportunity: v.createOpportunity };
      if (v.accountMode === 'existing') body.accountId = v.accountId;
      else if (v.accountName?.trim()) body.accountName = v.accountName.trim();
      if (v.createOpportunity) {
        if (v.opportunityName?.trim()) body.opportunityName = v.opportunityName.trim();
        const minor = toMinor(v.amount);
        if (minor !== undefined) {
          body.amountMinor = minor;
          body.currency = 'CNY';
        }
        if (v.expectedCloseDate) body.expectedCloseDate = v.expectedCloseDate.format('YYYY-MM-DD');
      }
      const r = await api.post<ConvertResult>(`/leads/${lead.id}/convert`, body);
      await invalidate('leads', 'accounts', 'contacts', 'opportunities');
      onDone(r);
    } catch (e) {
      applyFieldErrors(form, e, t, i18n.language, (p) => FIELD_OF[p] ?? p);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('convert.title', { name: lead.name })}
      okText={t('convert.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: busy, id: 'convert-submit' }}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      width={560}
      destroyOnHidden
    >
      <ErrorAlert error={error} />
      <Form<ConvertForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ accountMode: 'new', accountName: defaultName, createOpportunity: true, opportunityName: defaultName }}
      >
        <Form.Item name="accountMode" label={t('convert.account')}>
          <Radio.Group
            options={[
              { value: 'new', label: t('convert.newAccount') },
              { value: 'existing', label: t('convert.existingAccount') },
            ]}
          />
        </Form.Item>
        {mode === 'existing' ? (
          <Form.Item name="accountId" label={t('field.account')} rules={[{ required: true, message: t('validation.required') }]}>
            <RefSelect type="accounts" placeholder={t('convert.searchAccount')} />
          </Form.Item>
        ) : (
          <Form.Item name="accountName" label={t('convert.accountName')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input maxLength={200} />
          </Form.Item>
        )}
        <Form.Item name="createOpportunity" valuePropName="checked">
          <Checkbox>{t('convert.createOpportunity')}</Checkbox>
        </Form.Item>
        {withOpp !== false && (
          <>
            <Form.Item name="opportunityName" label={t('convert.opportunityName')}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="amount" label={t('convert.amount')} rules={moneyRules(t)} extra={t('convert.amountHint')}>
              <MoneyInput placeholder="120000.00" />
            </Form.Item>
            <Form.Item name="expectedCloseDate" label={t('field.expectedCloseDate')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
