import { Col, Form, Input, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../api/types.ts';
import { MoneyInput, moneyRules, toMinor } from '../../components/MoneyInput.tsx';
import { formText, textFields } from '../../lib/forms.ts';
import { currencyDigits, minorToDecimal } from '../../lib/money.ts';
import { CURRENCIES } from '../opportunities/OpportunityFields.tsx';

const TEXT = ['industry', 'region', 'taxId', 'address', 'website'] as const;

export const accountToValues = (a: Account) => ({
  name: a.name,
  currency: a.currency,
  creditLimit: a.creditLimitMinor === null ? '' : minorToDecimal(a.creditLimitMinor, currencyDigits(a.currency)),
  ...formText(a, [...TEXT]),
});

export const accountToBody = (v: Record<string, unknown>) => {
  const currency = String(v.currency ?? 'CNY');
  return {
    name: String(v.name ?? '').trim(),
    ...textFields(v, [...TEXT]),
    currency,
    creditLimitMinor: toMinor(v.creditLimit, currency) ?? null,
  };
};

export const ACCOUNT_FIELD_OF: Record<string, string> = { creditLimitMinor: 'creditLimit' };

export function AccountFields() {
  const { t } = useTranslation();
  const currency = (Form.useWatch('currency') as string | undefined) ?? 'CNY';
  const L = (k: string) => t(`field.${k}`);
  return (
    <Row gutter={16}>
      <Col xs={24} md={12}>
        <Form.Item name="name" label={L('name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={200} autoFocus />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="taxId" label={L('taxId')}>
          <Input maxLength={50} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="industry" label={L('industry')}>
          <Input maxLength={100} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="region" label={L('region')}>
          <Input maxLength={100} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="website" label={L('website')}>
          <Input maxLength={200} />
        </Form.Item>
      </Col>
      <Col xs={12} md={6}>
        <Form.Item name="currency" label={L('currency')}>
          <Select options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
        </Form.Item>
      </Col>
      <Col xs={12} md={6}>
        <Form.Item name="creditLimit" label={L('creditLimit')} rules={moneyRules(t, currency)}>
          <MoneyInput currency={currency} />
        </Form.Item>
      </Col>
      <Col span={24}>
        <Form.Item name="address" label={L('address')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Col>
    </Row>
  );
}
