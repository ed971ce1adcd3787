import { useState } from 'react';
import { App, Button, Col, Form, Input, Modal, Row, Select, Space, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client.ts';
import { useInvalidate } from '../../api/hooks.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { MoneyInput, moneyRules, toMinor } from '../../components/MoneyInput.tsx';
import { RefSelect } from '../../components/RefSelect.tsx';
import { currencyDigits, minorToDecimal, percentToRate, rateToPercent } from '../../lib/money.ts';
import { taxCodeOptions, useTaxCodes } from '../settings/TaxCodesTab.tsx';
import { usePriceBooks } from '../settings/PriceBooksTab.tsx';
import type { Line } from '../documents/LinesTable.tsx';
import type { Quote } from './quotes.tsx';

interface LineForm {
  productId?: string | null;
  description?: string;
  quantity?: string;
  unitPrice?: string;
  discount?: string;
  discountAmount?: string;
  taxCode?: string | null;
}

interface QuoteForm {
  priceBookId?: string;
  discountKind: 'none' | 'rate' | 'amount';
  discountValue?: string;
  lines: LineForm[];
}

/** "" in the price book select: the currency's default book, else list prices. */
const DEFAULT_BOOK = '';

/**
 * A product line's price comes from the price book (or the list price) each time the quote is saved,
 * unless a unit price is typed; free-text lines keep theirs. Tiered lines show their average price,
 * which is not a typed price, so product lines open with the price field empty.
 */
const toForm = (l: Line, digits: number): LineForm => ({
  productId: (l.productId as string | null) ?? null,
  description: l.description,
  quantity: l.quantity,
  unitPrice: l.productId ? '' : minorToDecimal(l.unitPriceMinor ?? 0, digits),
  discount: l.discountRate && l.discountRate !== '0' ? rateToPercent(l.discountRate) : '',
  discountAmount: (!l.discountRate || l.discountRate === '0') && typeof l.discountMinor === 'number' && l.discountMinor > 0 ? minorToDecimal(l.discountMinor, digits) : '',
  taxCode: (l.taxCode as string | null) ?? null,
});

const percentRule = (msg: string) => ({
  validator: (_r: unknown, v: string | undefined) => (!v || percentToRate(v) !== null ? Promise.resolve() : Promise.reject(new Error(msg))),
});

/**
 * Edits a draft quote: the price book (default: the currency's default book, else list prices), a
 * document discount (rate or amount, spread over the lines), and the lines: product or free text,
 * quantity, unit price (empty: from the book), discount as a rate or an amount, tax code.
 */
export function QuoteLinesEditor({ quote }: { quote: Quote }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const invalidate = useInvalidate();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<QuoteForm>();
  // The form mounts with the modal (destroyOnHidden), so its values go in as initialValues.
  const [initial, setInitial] = useState<QuoteForm | null>(null);
  const codes = useTaxCodes();
  const books = usePriceBooks(quote.currency);
  const digits = currencyDigits(quote.currency);
  const bookId = Form.useWatch('priceBookId', form) as string | undefined;
  const discountKind = Form.useWatch('discountKind', form) as QuoteForm['discountKind'] | undefined;
  const chosen = (books.data?.items ?? []).find((b) => (bookId ? b.id === bookId : b.isDefault));
  const incl = !!chosen?.pricesIncludeTax;

  const pickProduct = async (index: number, productId: string | null) => {
    if (!productId) return;
    const p = await api.get<{ name: string; taxCode: string | null }>(`/products/${productId}`);
    const lines = [...(form.getFieldValue('lines') as LineForm[])];
    lines[index] = { ...lines[index], productId, description: p.name, unitPrice: '', ...(p.taxCode ? { taxCode: p.taxCode } : {}) };
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
        ...(l.unitPrice?.trim() ? { unitPriceMinor: toMinor(l.unitPrice, quote.currency) } : {}),
        ...(l.discount?.trim() ? { discountRate: percentToRate(l.discount) } : {}),
        ...(!l.discount?.trim() && l.discountAmount?.trim() ? { discountAmountMinor: toMinor(l.discountAmount, quote.currency) } : {}),
        ...(l.taxCode ? { taxCode: l.taxCode } : {}),
      }));
      const documentDiscount =
        v.discountKind === 'rate' && v.discountValue?.trim()
          ? { rate: percentToRate(v.discountValue) }
          : v.discountKind === 'amount' && v.discountValue?.trim()
            ? { amountMinor: toMinor(v.discountValue, quote.currency) }
            : null;
      const saved = await api.patch<Quote>(`/quotes/${quote.id}`, { lines, priceBookId: v.priceBookId || null, documentDiscount }, quote.version);
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

  const d = quote.documentDiscount;
  return (
    <>
      <Button
        icon={<PlusOutlined />}
        size="small"
        onClick={() => {
          setInitial({
            priceBookId: quote.priceBookId ?? DEFAULT_BOOK,
            discountKind: !d ? 'none' : 'rate' in d ? 'rate' : 'amount',
            discountValue: !d ? '' : 'rate' in d ? rateToPercent(d.rate) : minorToDecimal(d.amountMinor, digits),
            lines: quote.lines.length ? quote.lines.map((l) => toForm(l, digits)) : [{ quantity: '1', taxCode: null }],
          });
          setError(null);
          setOpen(true);
        }}
        data-testid="edit-quote-lines"
      >
        {t('quotes.editLines')}
      </Button>
      <Modal open={open} title={t('quotes.editLines')} width={1100} okText={t('common.save')} cancelText={t('common.cancel')} okButtonProps={{ loading: busy }} onOk={() => void save().catch(() => undefined)} onCancel={() => setOpen(false)} destroyOnHidden>
        <ErrorAlert error={error} />
        <Form form={form} layout="vertical" preserve={false} initialValues={initial ?? undefined}>
          <Row gutter={12} align="bottom">
            <Col span={9}>
              <Form.Item name="priceBookId" label={t('pricing.priceBook')}>
                <Select
                  data-testid="quote-price-book"
                  options={[
                    { value: DEFAULT_BOOK, label: t('pricing.defaultBook') },
                    ...(books.data?.items ?? []).map((b) => ({ value: b.id, label: `${b.name}${b.isDefault ? ` (${t('pricing.default')})` : ''}` })),
                  ]}
                />
              </Form.Item>
            </Col>
            <Col span={5}>
              <Form.Item label=" ">
                <Tag color={incl ? 'purple' : 'default'} data-testid="quote-tax-basis">
                  {incl ? t('pricing.enteredWithTax') : t('pricing.enteredWithoutTax')}
                </Tag>
              </Form.Item>
            </Col>
            <Col span={5}>
              <Form.Item name="discountKind" label={t('pricing.documentDiscount')}>
                <Select
                  data-testid="quote-discount-kind"
                  options={[
                    { value: 'none', label: t('pricing.noDiscount') },
                    { value: 'rate', label: t('pricing.discountRate') },
                    { value: 'amount', label: t('pricing.discountAmount') },
                  ]}
                />
              </Form.Item>
            </Col>
            <Col span={5}>
              {discountKind === 'rate' && (
                <Form.Item name="discountValue" label=" " rules={[percentRule(t('validation.percent'))]}>
                  <Input inputMode="decimal" suffix="%" data-testid="quote-discount-value" />
                </Form.Item>
              )}
              {discountKind === 'amount' && (
                <Form.Item name="discountValue" label=" " rules={moneyRules(t, quote.currency)}>
                  <MoneyInput currency={quote.currency} data-testid="quote-discount-value" />
                </Form.Item>
              )}
            </Col>
          </Row>
          <Form.List name="lines">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, index) => (
                  <Row key={field.key} gutter={8} align="bottom">
                    <Col span={5}>
                      <Form.Item name={[field.name, 'productId']} label={index === 0 ? t('quotes.product') : undefined}>
                        <RefSelect type="products" filter={{ active: 'true' }} placeholder={t('quotes.freeText')} onChange={(v) => void pickProduct(index, v)} data-testid={`line-product-${index}`} />
                      </Form.Item>
                    </Col>
                    <Col span={5}>
                      <Form.Item name={[field.name, 'description']} label={index === 0 ? t('lines.description') : undefined} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
                        <Input maxLength={500} />
                      </Form.Item>
                    </Col>
                    <Col span={2}>
                      <Form.Item name={[field.name, 'quantity']} label={index === 0 ? t('lines.quantity') : undefined} rules={[{ required: true, pattern: /^\d{1,9}(\.\d{1,3})?$/, message: t('validation.quantity') }]}>
                        <Input inputMode="decimal" data-testid={`line-qty-${index}`} />
                      </Form.Item>
                    </Col>
                    <Col span={3}>
                      <Form.Item name={[field.name, 'unitPrice']} label={index === 0 ? (incl ? t('pricing.unitPriceWithTax') : t('lines.unitPrice')) : undefined} rules={moneyRules(t, quote.currency)}>
                        <MoneyInput currency={quote.currency} placeholder={t('pricing.fromBook')} />
                      </Form.Item>
                    </Col>
                    <Col span={2}>
                      <Form.Item name={[field.name, 'discount']} label={index === 0 ? t('lines.discountPct') : undefined} rules={[percentRule(t('validation.percent'))]}>
                        <Input inputMode="decimal" suffix="%" />
                      </Form.Item>
                    </Col>
                    <Col span={3}>
                      <Form.Item name={[field.name, 'discountAmount']} label={index === 0 ? t('pricing.discountAmount') : undefined} rules={moneyRules(t, quote.currency)}>
                        <MoneyInput currency={quote.currency} />
                      </Form.Item>
                    </Col>
                    <Col span={3}>
                      <Form.Item name={[field.name, 'taxCode']} label={index === 0 ? t('pricing.taxCode') : undefined}>
                        <Select allowClear placeholder={t('pricing.productDefault')} options={taxCodeOptions(codes.data?.items)} data-testid={`line-tax-${index}`} />
                      </Form.Item>
                    </Col>
                    <Col span={1}>
                      <Form.Item label={index === 0 ? ' ' : undefined}>
                        <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('quotes.removeLine')} />
                      </Form.Item>
                    </Col>
                  </Row>
                ))}
                <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ quantity: '1', taxCode: null })} data-testid="add-quote-line">
                  {t('quotes.addLine')}
                </Button>
              </>
            )}
          </Form.List>
        </Form>
        <Space style={{ marginTop: 12 }}>
          <Typography.Text type="secondary">{t('pricing.editorHint')}</Typography.Text>
        </Space>
      </Modal>
    </>
  );
}
