import { Col, DatePicker, Form, Input, InputNumber, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Opportunity, Stage } from '../../api/types.ts';
import { MoneyInput, moneyRules, toMinor } from '../../components/MoneyInput.tsx';
import { RefSelect } from '../../components/RefSelect.tsx';
import { currencyDigits, minorToDecimal } from '../../lib/money.ts';

export const CURRENCIES = ['CNY', 'USD', 'EUR', 'HKD', 'JPY'];

export const oppToValues = (o: Opportunity) => ({
  name: o.name,
  accountId: o.accountId,
  contactId: o.contactId,
  stageId: o.stageId,
  currency: o.currency,
  amount: minorToDecimal(o.amountMinor, currencyDigits(o.currency)),
  probability: o.probability,
  expectedCloseDate: o.expectedCloseDate ? dayjs(o.expectedCloseDate) : null,
});

/** Form values → API body. `creating` adds the fields only a new opportunity takes. */
export const oppToBody = (creating: boolean) => (v: Record<string, unknown>) => {
  const currency = String(v.currency ?? 'CNY');
  const d = v.expectedCloseDate as Dayjs | null | undefined;
  return {
    name: String(v.name ?? '').trim(),
    ...(creating ? { accountId: v.accountId ?? undefined } : {}),
    contactId: (v.contactId as string | null | undefined) ?? null,
    ...(v.stageId ? { stageId: v.stageId } : {}),
    currency,
    amountMinor: toMinor(v.amount, currency) ?? 0,
    ...(typeof v.probability === 'number' ? { probability: v.probability } : {}),
    expectedCloseDate: d ? d.format('YYYY-MM-DD') : null,
  };
};

export const OPP_FIELD_OF: Record<string, string> = { amountMinor: 'amount' };

export function OpportunityFields({ creating, stages }: { creating: boolean; stages: Stage[] }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const accountId = Form.useWatch('accountId', form) as string | undefined;
  const currency = (Form.useWatch('currency', form) as string | undefined) ?? 'CNY';
  const L = (k: string) => t(`field.${k}`);
  return (
    <Row gutter={16}>
      <Col xs={24} md={12}>
        <Form.Item name="name" label={L('name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={200} autoFocus />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="accountId" label={L('account')} rules={[{ required: true, message: t('validation.required') }]}>
          <RefSelect type="accounts" disabled={!creating} placeholder={t('convert.searchAccount')} onChange={(v) => form.setFieldsValue({ accountId: v, contactId: null })} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="contactId" label={L('contact')}>
          <RefSelect type="contacts" filter={accountId ? { accountId } : undefined} disabled={!accountId} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="stageId" label={L('stage')}>
          <Select options={stages.filter((s) => s.kind === 'open').map((s) => ({ value: s.id, label: `${s.name} (${s.probability}%)` }))} />
        </Form.Item>
      </Col>
      <Col xs={12} md={6}>
        <Form.Item name="currency" label={L('currency')}>
          <Select options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
        </Form.Item>
      </Col>
      <Col xs={12} md={6}>
        <Form.Item name="amount" label={L('amount')} rules={moneyRules(t, currency, true)}>
          <MoneyInput currency={currency} />
        </Form.Item>
      </Col>
      <Col xs={12} md={6}>
        <Form.Item name="probability" label={L('probability')} extra={t('opportunities.probabilityHint')}>
          <InputNumber min={0} max={100} precision={0} addonAfter="%" style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col xs={12} md={6}>
        <Form.Item name="expectedCloseDate" label={L('expectedCloseDate')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Col>
    </Row>
  );
}
