import { Col, Form, Input, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { MoneyInput, moneyRules, toMinor } from '../../components/MoneyInput.tsx';
import { textOrNull } from '../../lib/forms.ts';
import { currencyDigits, minorToDecimal, percentToRate, rateToPercent } from '../../lib/money.ts';
import { CURRENCIES } from '../opportunities/OpportunityFields.tsx';
import { taxCodeOptions, useTaxCodes } from '../settings/TaxCodesTab.tsx';

export const PRODUCT_KINDS = ['goods', 'service', 'digital'] as const;

export interface Product {
  id: string;
  sku: string;
  name: string;
  description: string | null;
  kind: string;
  unit: string;
  listPriceMinor: number;
  currency: string;
  taxRate: string;
  taxCode: string | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const productToValues = (p: Product) => ({
  sku: p.sku,
  name: p.name,
  description: p.description ?? '',
  kind: p.kind,
  unit: p.unit,
  currency: p.currency,
  listPrice: minorToDecimal(p.listPriceMinor, currencyDigits(p.currency)),
  tax: rateToPercent(p.taxRate),
  taxCode: p.taxCode ?? undefined,
});

export const productToBody = (v: Record<string, unknown>) => {
  const currency = String(v.currency ?? 'CNY');
  return {
    sku: String(v.sku ?? '').trim(),
    name: String(v.name ?? '').trim(),
    description: textOrNull(v.description),
    kind: v.kind,
    unit: String(v.unit ?? '').trim(),
    currency,
    listPriceMinor: toMinor(v.listPrice, currency) ?? 0,
    // The default tax code sets the rate; without one (a role that cannot read tax codes) the rate as typed.
    ...(v.taxCode ? { taxCode: String(v.taxCode) } : { taxRate: percentToRate(String(v.tax ?? '0')) ?? '0' }),
  };
};

export const PRODUCT_FIELD_OF: Record<string, string> = { listPriceMinor: 'listPrice', taxRate: 'tax' };

/** The default tax code (from Settings → Tax codes) when the role may read them, else the bare rate. */
function TaxField() {
  const { t } = useTranslation();
  const codes = useTaxCodes();
  const current = Form.useWatch('taxCode') as string | undefined;
  if (codes.isSuccess)
    return (
      <Form.Item name="taxCode" label={t('pricing.defaultTaxCode')} rules={[{ required: true, message: t('validation.required') }]}>
        <Select options={taxCodeOptions(codes.data.items, current)} data-testid="product-tax-code" />
      </Form.Item>
    );
  return (
    <Form.Item
      name="tax"
      label={t('field.taxRate')}
      rules={[{ validator: (_r, v: string | undefined) => (v && percentToRate(v) !== null ? Promise.resolve() : Promise.reject(new Error(t('validation.percent')))) }]}
    >
      <Input inputMode="decimal" suffix="%" />
    </Form.Item>
  );
}

export function ProductFields() {
  const { t } = useTranslation();
  const currency = (Form.useWatch('currency') as string | undefined) ?? 'CNY';
  const L = (k: string) => t(`field.${k}`);
  return (
    <Row gutter={16}>
      <Col xs={24} md={8}>
        <Form.Item name="sku" label={L('sku')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={64} autoFocus />
        </Form.Item>
      </Col>
      <Col xs={24} md={16}>
        <Form.Item name="name" label={L('name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={200} />
        </Form.Item>
      </Col>
      <Col xs={12} md={6}>
        <Form.Item name="kind" label={L('kind')}>
          <Select options={PRODUCT_KINDS.map((k) => ({ value: k, label: t(`productKind.${k}`) }))} />
        </Form.Item>
      </Col>
      <Col xs={12} md={6}>
        <Form.Item name="unit" label={L('unit')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={20} />
        </Form.Item>
      </Col>
      <Col xs={12} md={4}>
        <Form.Item name="currency" label={L('currency')}>
          <Select options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
        </Form.Item>
      </Col>
      <Col xs={12} md={5}>
        <Form.Item name="listPrice" label={L('listPrice')} rules={moneyRules(t, currency, true)}>
          <MoneyInput currency={currency} />
        </Form.Item>
      </Col>
      <Col xs={12} md={5}>
        <TaxField />
      </Col>
      <Col span={24}>
        <Form.Item name="description" label={L('description')}>
          <Input.TextArea rows={3} maxLength={5000} />
        </Form.Item>
      </Col>
    </Row>
  );
}
