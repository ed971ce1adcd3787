import { useState } from 'react';
import { App, Button, Col, Form, Input, Modal, Row } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client.ts';
import { useInvalidate } from '../../api/hooks.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { MoneyInput, moneyRules, toMinor } from '../../components/MoneyInput.tsx';
import { RefSelect } from '../../components/RefSelect.tsx';
import { minorToDecimal, percentToRate, rateToPercent } from '../../lib/money.ts';
import type { Line } from '../documents/LinesTable.tsx';
import type { Quote } from './quotes.tsx';

interface LineForm {
  productId?: string | null;
  description?: string;
  quantity?: string;
  unitPrice?: string;
  discount?: string;
  tax?: string;
}

const toForm = (l: Line): LineForm => ({
  productId: (l.productId as string | null) ?? null,
  description: l.description,
  quantity: l.quantity,
  unitPrice: minorToDecimal(l.unitPriceMinor ?? 0),
  discount: l.discountRate && l.discountRate !== '0' ? rateToPercent(l.discountRate) : '',
  tax: rateToPercent(l.taxRate ?? '0'),
});

const percentRule = (msg: string) => ({
  validator: (_r: unknown, v: string | undefined) => (!v || percentToRate(v) !== null ? Promise.resolve() : Promise.reject(new Error(msg))),
});

/** Edits a draft quote's lines: product (prices from the catalog) or free text, quantity, price, discount, VAT. */
export function QuoteLinesEditor({ quote }: { quote: Quote }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const invalidate = useInvalidate();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ lines: LineForm[] }>();

  const pickProduct = async (index: number, productId: string | null) => {
    if (!productId) return;
    const p = await api.get<{ name: string; listPriceMinor: number; taxRate: string }>(`/products/${productId}`);
    const lines = [...(form.getFieldValue('lines') as LineForm[])];
    lines[index] = { ...lines[index], productId, description: p.name, unitPrice: minorToDecimal(p.listPriceMinor), tax: rateToPercent(p.taxRate) };
    form.setFieldsValue({ lines });
  };

  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const lines = (v.lines ?? []).map((l) => ({
        ...(l.productId ? { productId: l.productId } : {}),
        ...(l.description?.trim() ? { description: l.description.trim() } : {}),
        quantity: String(l.quantity ?? '').trim(),
        ...(l.unitPrice?.trim() ? { unitPriceMinor: toMinor(l.unitPrice) } : {}),
        ...(l.discount?.trim() ? { discountRate: percentToRate(l.discount) } : {}),
        ...(l.tax?.trim() ? { taxRate: percentToRate(l.tax) } : {}),
      }));
      const saved = await api.patch<Quote>(`/quotes/${quote.id}`, { lines }, quote.version);
      qc.setQueryData(['quotes', 'record', quote.id], saved);
      await invalidate('quotes');
      void message.success(t('settings.saved'));
      setOpen(false);
    } catch (e) {
      setError(e);
      if (isApiError(e, 'version_conflict')) await invalidate('quotes');
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        icon={<PlusOutlined />}
        size="small"
        onClick={() => {
          form.setFieldsValue({ lines: quote.lines.length ? quote.lines.map(toForm) : [{ quantity: '1', tax: '13' }] });
          setError(null);
          setOpen(true);
        }}
      >
        {t('quotes.editLines')}
      </Button>
      <Modal open={open} title={t('quotes.editLines')} width={980} okText={t('common.save')} cancelText={t('common.cancel')} okButtonProps={{ loading: busy }} onOk={() => void save().catch(() => undefined)} onCancel={() => setOpen(false)} destroyOnHidden>
        <ErrorAlert error={error} />
        <Form form={form} layout="vertical" preserve={false}>
          <Form.List name="lines">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, index) => (
                  <Row key={field.key} gutter={8} align="bottom">
                    <Col span={5}>
                      <Form.Item name={[field.name, 'productId']} label={index === 0 ? t('quotes.product') : undefined}>
                        <RefSelect type="products" filter={{ active: 'true' }} placeholder={t('quotes.freeText')} onChange={(v) => void pickProduct(index, v)} />
                      </Form.Item>
                    </Col>
                    <Col span={6}>
                      <Form.Item name={[field.name, 'description']} label={index === 0 ? t('lines.description') : undefined} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
                        <Input maxLength={500} />
                      </Form.Item>
                    </Col>
                    <Col span={3}>
                      <Form.Item name={[field.name, 'quantity']} label={index === 0 ? t('lines.quantity') : undefined} rules={[{ required: true, pattern: /^\d{1,9}(\.\d{1,3})?$/, message: t('validation.quantity') }]}>
                        <Input inputMode="decimal" />
                      </Form.Item>
                    </Col>
                    <Col span={4}>
                      <Form.Item name={[field.name, 'unitPrice']} label={index === 0 ? t('lines.unitPrice') : undefined} rules={moneyRules(t)}>
                        <MoneyInput />
                      </Form.Item>
                    </Col>
                    <Col span={2}>
                      <Form.Item name={[field.name, 'discount']} label={index === 0 ? t('lines.discountPct') : undefined} rules={[percentRule(t('validation.percent'))]}>
                        <Input inputMode="decimal" suffix="%" />
                      </Form.Item>
                    </Col>
                    <Col span={3}>
                      <Form.Item name={[field.name, 'tax']} label={index === 0 ? t('lines.taxRate') : undefined} rules={[percentRule(t('validation.percent'))]}>
                        <Input inputMode="decimal" suffix="%" />
                      </Form.Item>
                    </Col>
                    <Col span={1}>
                      <Form.Item label={index === 0 ? ' ' : undefined}>
                        <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('quotes.removeLine')} />
                      </Form.Item>
                    </Col>
                  </Row>
                ))}
                <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ quantity: '1', tax: '13' })}>
                  {t('quotes.addLine')}
                </Button>
              </>
            )}
          </Form.List>
        </Form>
      </Modal>
    </>
  );
}
