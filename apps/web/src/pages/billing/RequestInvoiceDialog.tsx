import { useState } from 'react';
import { App, Button, Form, Input, Modal, Radio, Table } from 'antd';
import { FileAddOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useInvalidate } from '../../api/hooks.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { fromMilli, toMilli } from '../orders/qty.ts';
import type { Order, OrderLine } from '../orders/orders.tsx';
import type { ScheduleItem } from './types.ts';

interface Title {
  invoiceType: 'special' | 'normal';
  buyerName: string;
  buyerTaxId: string;
  buyerAddressPhone?: string;
  buyerBankAccount?: string;
  remarks?: string;
}

/**
 * 开票申请: a rep asks finance to invoice order lines (quantities, at most what is left to bill) or one
 * billing schedule item, with the buyer's title data as the 发票 must show it.
 */
export function RequestInvoiceDialog({ order, item }: { order: Order; item?: ScheduleItem }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const [form] = Form.useForm<Title>();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const left = (l: OrderLine) => toMilli(l.orderedQty) - toMilli(l.billedQty);
  const openLines = order.lines.filter((l) => left(l) > 0n);
  const [qty, setQty] = useState<Record<string, string>>({});
  const type = Form.useWatch('invoiceType', form);

  const submit = async () => {
    setError(null);
    let title: Title;
    try {
      title = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const what = item
        ? { scheduleItemIds: [item.id] }
        : { lines: openLines.map((l) => ({ orderLineId: l.id, quantity: qty[l.id] ?? fromMilli(left(l)) })).filter((l) => toMilli(l.quantity) > 0n) };
      const body = Object.fromEntries(Object.entries({ orderId: order.id, ...what, ...title }).filter(([, v]) => v !== undefined && v !== ''));
      const r = await api.post<{ id: string }>('/invoice-requests', body);
      await invalidate('invoice-requests', 'orders');
      void message.success(t('billing.request.sent'));
      navigate(`/invoice-requests/${r.id}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (!item && !openLines.length) return null;
  return (
    <>
      <Button size={item ? 'small' : 'middle'} icon={<FileAddOutlined />} onClick={() => setOpen(true)}>
        {t('billing.request.button')}
      </Button>
      <Modal open={open} title={t('billing.request.title', { number: order.number })} width={720} okText={t('billing.request.submit')} cancelText={t('common.cancel')} okButtonProps={{ loading: busy }} onOk={() => void submit()} onCancel={() => setOpen(false)} destroyOnHidden>
        <ErrorAlert error={error} />
        {item ? (
          <p>{t('billing.request.forItem', { seq: item.seq, description: item.description })}</p>
        ) : (
          <Table<OrderLine>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={openLines}
            style={{ marginBottom: 16 }}
            columns={[
              { key: 'd', title: t('lines.description'), render: (_, l) => l.description },
              { key: 'left', title: t('billing.request.left'), align: 'right', render: (_, l) => fromMilli(left(l)) },
              { key: 'q', title: t('billing.request.quantity'), width: 140, render: (_, l) => <Input aria-label={`${t('billing.request.quantity')} ${l.lineNo}`} value={qty[l.id] ?? fromMilli(left(l))} onChange={(e) => setQty({ ...qty, [l.id]: e.target.value.trim() })} /> },
            ]}
          />
        )}
        <Form form={form} layout="vertical" initialValues={{ invoiceType: 'special' }}>
          <Form.Item name="invoiceType" label={t('billing.field.invoiceType')}>
            <Radio.Group options={[{ value: 'special', label: t('billing.invoiceType.special') }, { value: 'normal', label: t('billing.invoiceType.normal') }]} />
          </Form.Item>
          <Form.Item name="buyerName" label={t('billing.field.buyerName')} rules={[{ required: true, message: t('billing.request.required') }]}>
            <Input />
          </Form.Item>
          <Form.Item name="buyerTaxId" label={t('billing.field.buyerTaxId')} rules={[{ required: true, pattern: /^[0-9A-Z]{15,20}$/, message: t('billing.request.taxIdFormat') }]}>
            <Input />
          </Form.Item>
          <Form.Item name="buyerAddressPhone" label={t('billing.field.buyerAddressPhone')} rules={[{ required: type === 'special', message: t('billing.request.required') }]}>
            <Input />
          </Form.Item>
          <Form.Item name="buyerBankAccount" label={t('billing.field.buyerBankAccount')} rules={[{ required: type === 'special', message: t('billing.request.required') }]}>
            <Input />
          </Form.Item>
          <Form.Item name="remarks" label={t('billing.field.remarks')}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
