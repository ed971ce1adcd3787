import { useState } from 'react';
import { App, Button, Form, Input, InputNumber, Modal, Table } from 'antd';
import { CarOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useInvalidate } from '../../api/hooks.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import type { Order, OrderLine } from './orders.tsx';
import { fromMilli, toMilli } from './qty.ts';

/** Ships part or all of a confirmed order: quantity per line (at most what is left), carrier, tracking number. */
export function ShipDialog({ order }: { order: Order }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const left = (l: OrderLine) => toMilli(l.orderedQty) - toMilli(l.deliveredQty);
  const open_ = order.lines.filter((l) => left(l) > 0n);
  const [qty, setQty] = useState<Record<string, string>>({});
  const [carrier, setCarrier] = useState('');
  const [trackingNo, setTrackingNo] = useState('');

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const lines = open_.map((l) => ({ orderLineId: l.id, quantity: qty[l.id] ?? fromMilli(left(l)) })).filter((l) => toMilli(l.quantity) > 0n);
      const d = await api.post<{ id: string }>(`/orders/${order.id}/deliveries`, {
        lines,
        ...(carrier.trim() ? { carrier: carrier.trim() } : {}),
        ...(trackingNo.trim() ? { trackingNo: trackingNo.trim() } : {}),
      });
      await invalidate('orders', 'deliveries');
      void message.success(t('documents.created'));
      navigate(`/deliveries/${d.id}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (!open_.length) return null;
  return (
    <>
      <Button icon={<CarOutlined />} onClick={() => setOpen(true)}>
        {t('orders.ship')}
      </Button>
      <Modal open={open} title={t('orders.shipTitle', { number: order.number })} width={720} okText={t('orders.ship')} cancelText={t('common.cancel')} okButtonProps={{ loading: busy }} onOk={() => void submit()} onCancel={() => setOpen(false)} destroyOnHidden>
        <ErrorAlert error={error} />
        <Table<OrderLine>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={open_}
          columns={[
            { key: 'd', title: t('lines.description'), render: (_, l) => l.description },
            { key: 'left', title: t('orders.left'), align: 'right', render: (_, l) => fromMilli(left(l)) },
            {
              key: 'q',
              title: t('orders.shipNow'),
              render: (_, l) => (
                <InputNumber<string>
                  stringMode
                  min="0"
                  max={fromMilli(left(l))}
                  step="1"
                  precision={3}
                  value={qty[l.id] ?? fromMilli(left(l))}
                  onChange={(v) => setQty((s) => ({ ...s, [l.id]: v ?? '0' }))}
                  style={{ width: 120 }}
                />
              ),
            },
          ]}
        />
        <Form layout="inline" style={{ marginTop: 16 }}>
          <Form.Item label={t('field.carrier')}>
            <Input value={carrier} onChange={(e) => setCarrier(e.target.value)} maxLength={100} />
          </Form.Item>
          <Form.Item label={t('field.trackingNo')}>
            <Input value={trackingNo} onChange={(e) => setTrackingNo(e.target.value)} maxLength={100} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
