import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isApiError, request, type FieldProblem } from '../../api/client.ts';
import { useAll } from '../../api/hooks.ts';
import { MoneyInput, moneyRules, toMinor } from '../../components/MoneyInput.tsx';
import { fieldMessage, problemMessage } from '../../components/errors.ts';
import { minorToDecimal, currencyDigits } from '../../lib/money.ts';
import { useFormat } from '../../lib/format.ts';
import type { Order } from '../orders/orders.tsx';
import type { Schedule, ScheduleItem } from './types.ts';

type Trigger = 'manual' | 'order_accepted' | 'delivery_accepted';
interface Row {
  /** The existing item this row is (sent back so the item keeps its id, and a reached milestone stays reached). */
  id?: string;
  kind: 'payment_plan' | 'milestone';
  description: string;
  percent?: string;
  amount?: string;
  billDate?: string | null;
  trigger?: Trigger;
  deliveryId?: string | null;
  offsetDays?: number | null;
}
interface Values {
  mode: 'percent' | 'amount';
  items: Row[];
}

/** The schedule's recurring items as the PUT's recurring specs (one per order line, over the whole term). */
export function recurringSpecs(items: readonly ScheduleItem[]) {
  const byLine = new Map<
    string,
    { orderLineId: string; frequency: string; timing: string; startDate: string; endDate: string }
  >();
  for (const i of items) {
    if (
      i.kind !== 'recurring' ||
      i.status === 'cancelled' ||
      !i.orderLineId ||
      !i.periodStart ||
      !i.periodEnd
    )
      continue;
    const s = byLine.get(i.orderLineId);
    if (!s)
      byLine.set(i.orderLineId, {
        orderLineId: i.orderLineId,
        frequency: i.frequency ?? 'monthly',
        timing: i.timing ?? 'advance',
        startDate: i.periodStart,
        endDate: i.periodEnd,
      });
    else {
      if (i.periodStart < s.startDate) s.startDate = i.periodStart;
      if (i.periodEnd > s.endDate) s.endDate = i.periodEnd;
    }
  }
  return [...byLine.values()];
}

/** The API's field paths (items.2.billDate, items.1, items) as the form's names. */
function formName(path: string, rows: Row[], mode: Values['mode']): Array<string | number> | null {
  const m = /^items\.(\d+)(?:\.(\w+))?$/.exec(path);
  if (!m) return null;
  const i = Number(m[1]);
  if (i >= rows.length) return null;
  const field = m[2] === 'amountMinor' ? 'amount' : (m[2] ?? (mode === 'percent' ? 'percent' : 'amount'));
  if (field === 'percent' && mode === 'amount') return ['items', i, 'amount'];
  return ['items', i, field];
}

/**
 * Edits a confirmed order's billing schedule before anything of it is billed: payment-plan items (a
 * bill date) and milestones (what makes them due, days after), each a percent of the order or an
 * amount (a plan is one or the other). Saved with PUT /orders/{id}/billing-schedule (If-Match: the
 * order's version); the recurring items are kept as they are (the server keeps each period that still
 * exists with its description and a cancellation), and each row sends the id of the item it is. The API's checks (percentages that add
 * up to 100, amounts that add up to the order, a bill date on a payment-plan item…) show at the fields.
 */
export function ScheduleEditor({ order, schedule }: { order: Order; schedule: Schedule }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [other, setOther] = useState<string[]>([]);
  const [form] = Form.useForm<Values>();
  const deliveries = useAll<{ id: string; number: string | null; status: string }>(
    'deliveries',
    { orderId: order.id },
    open,
  );
  const digits = currencyDigits(schedule.currency);
  const editable = schedule.items.filter((i) => i.kind !== 'recurring' && i.status !== 'cancelled');
  const recurring = recurringSpecs(schedule.items);
  const mode = Form.useWatch('mode', form) ?? 'percent';

  const start = () => {
    const usesPercent = editable.length === 0 || editable.every((i) => i.percent !== null);
    form.setFieldsValue({
      mode: usesPercent ? 'percent' : 'amount',
      items: editable.map((i) => ({
        id: i.id,
        kind: i.kind as Row['kind'],
        description: i.description,
        percent: i.percent ?? undefined,
        amount: i.percent === null ? minorToDecimal(i.amountMinor, digits) : undefined,
        billDate: i.kind === 'payment_plan' ? i.billDate : null,
        trigger: i.kind === 'milestone' ? (i.trigger as Trigger) : undefined,
        deliveryId: i.deliveryId ?? null,
        offsetDays: i.offsetDays || null,
      })),
    });
    setOther([]);
    setOpen(true);
  };

  const save = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const rows = v.items ?? [];
    const body = {
      items: rows.map((r) => ({
        ...(r.id ? { id: r.id } : {}),
        kind: r.kind,
        description: (r.description ?? '').trim(),
        ...(v.mode === 'percent'
          ? { percent: (r.percent ?? '').trim() }
          : { amountMinor: toMinor(r.amount, schedule.currency) }),
        ...(r.kind === 'payment_plan'
          ? { billDate: r.billDate ?? undefined }
          : {
              trigger: r.trigger ?? 'manual',
              ...(r.trigger === 'delivery_accepted' && r.deliveryId ? { deliveryId: r.deliveryId } : {}),
              ...(r.offsetDays ? { offsetDays: r.offsetDays } : {}),
            }),
      })),
      recurring,
    };
    setBusy(true);
    setOther([]);
    try {
      await request('PUT', `/orders/${order.id}/billing-schedule`, { body, version: order.version });
      await qc.invalidateQueries({ queryKey: ['orders'] });
      void message.success(t('scheduleEditor.saved'));
      setOpen(false);
    } catch (e) {
      // Field problems at their fields; the rest (a conflict, a locked schedule) above the table.
      const rest: string[] = [];
      if (isApiError(e) && e.fields.length) {
        const byName = new Map<string, { name: Array<string | number>; errors: string[] }>();
        for (const p of e.fields as FieldProblem[]) {
          const name = formName(p.path, rows, v.mode);
          const msg = fieldMessage(t, i18n.language, p);
          if (!name) rest.push(msg);
          else
            byName.set(name.join('.'), {
              name,
              errors: [...(byName.get(name.join('.'))?.errors ?? []), msg],
            });
        }
        form.setFields([...byName.values()] as Parameters<typeof form.setFields>[0]);
      } else rest.push(problemMessage(t, e));
      setOther(rest);
    } finally {
      setBusy(false);
    }
  };

  const total = (Form.useWatch('items', form) ?? []).reduce(
    (s: { pct: number; minor: number }, r: Row | undefined) => ({
      pct: s.pct + (Number(r?.percent) || 0),
      minor: s.minor + (toMinor(r?.amount, schedule.currency) ?? 0),
    }),
    { pct: 0, minor: 0 },
  );

  return (
    <>
      <Button size="small" icon={<EditOutlined />} onClick={start} data-testid="edit-schedule">
        {t('scheduleEditor.edit')}
      </Button>
      <Modal
        open={open}
        title={t('scheduleEditor.title', { number: order.number ?? '' })}
        width={1100}
        okText={t('scheduleEditor.save')}
        cancelText={t('common.cancel')}
        onOk={() => void save()}
        onCancel={() => setOpen(false)}
        confirmLoading={busy}
        destroyOnHidden
        forceRender
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{ mode: 'percent', items: [] }}
          data-testid="schedule-editor"
        >
          {other.length > 0 && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 12 }}
              message={other.join(' · ')}
              data-testid="schedule-editor-error"
            />
          )}
          <Space wrap style={{ marginBottom: 8 }}>
            <Form.Item name="mode" noStyle>
              <Radio.Group optionType="button" size="small" aria-label={t('scheduleEditor.mode')}>
                <Radio.Button value="percent">{t('scheduleEditor.byPercent')}</Radio.Button>
                <Radio.Button value="amount">{t('scheduleEditor.byAmount')}</Radio.Button>
              </Radio.Group>
            </Form.Item>
            <Typography.Text type="secondary" data-testid="schedule-editor-total">
              {mode === 'percent'
                ? t('scheduleEditor.totalPercent', { percent: total.pct.toFixed(4).replace(/\.?0+$/, '') })
                : t('scheduleEditor.totalAmount', {
                    amount: f.money(total.minor, schedule.currency),
                    order: f.money(schedule.orderTotalMinor - recurringTotal(schedule), schedule.currency),
                  })}
            </Typography.Text>
            {recurring.length > 0 && (
              <Typography.Text type="secondary">
                {t('scheduleEditor.recurringKept', { count: recurring.length })}
              </Typography.Text>
            )}
          </Space>
          <Form.List name="items">
            {(fields, { add, remove }) => (
              <>
                <Table
                  size="small"
                  pagination={false}
                  rowKey="key"
                  dataSource={fields}
                  locale={{ emptyText: t('scheduleEditor.empty') }}
                  columns={[
                    { key: 'seq', title: '#', width: 36, render: (_, fl) => fl.name + 1 },
                    {
                      key: 'kind',
                      title: t('billing.field.kind'),
                      width: 150,
                      render: (_, fl) => (
                        <Form.Item name={[fl.name, 'kind']} noStyle>
                          <Select
                            aria-label={`${t('billing.field.kind')} ${fl.name + 1}`}
                            options={(['payment_plan', 'milestone'] as const).map((k) => ({
                              value: k,
                              label: t(`billing.kind.${k}`),
                            }))}
                          />
                        </Form.Item>
                      ),
                    },
                    {
                      key: 'description',
                      title: t('billing.field.description'),
                      render: (_, fl) => (
                        <>
                          <Form.Item name={[fl.name, 'id']} hidden noStyle>
                            <Input type="hidden" />
                          </Form.Item>
                          <Form.Item
                            name={[fl.name, 'description']}
                            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
                            style={{ margin: 0 }}
                          >
                            <Input
                              maxLength={200}
                              aria-label={`${t('billing.field.description')} ${fl.name + 1}`}
                            />
                          </Form.Item>
                        </>
                      ),
                    },
                    {
                      key: 'value',
                      title: mode === 'percent' ? t('billing.field.percent') : t('billing.field.amount'),
                      width: 170,
                      render: (_, fl) =>
                        mode === 'percent' ? (
                          <Form.Item
                            name={[fl.name, 'percent']}
                            rules={[{ required: true, message: t('validation.required') }]}
                            style={{ margin: 0 }}
                          >
                            <Input
                              inputMode="decimal"
                              suffix="%"
                              aria-label={`${t('billing.field.percent')} ${fl.name + 1}`}
                            />
                          </Form.Item>
                        ) : (
                          <Form.Item
                            name={[fl.name, 'amount']}
                            rules={moneyRules(t, schedule.currency, true)}
                            style={{ margin: 0 }}
                          >
                            <MoneyInput currency={schedule.currency} id={`schedule-amount-${fl.name}`} />
                          </Form.Item>
                        ),
                    },
                    {
                      key: 'when',
                      title: t('billing.field.when'),
                      width: 330,
                      render: (_, fl) => (
                        <Form.Item noStyle shouldUpdate>
                          {() => {
                            const row = form.getFieldValue(['items', fl.name]) as Row | undefined;
                            if (row?.kind === 'milestone')
                              return (
                                <Space wrap size={4}>
                                  <Form.Item name={[fl.name, 'trigger']} style={{ margin: 0 }}>
                                    <Select
                                      style={{ minWidth: 180 }}
                                      aria-label={`${t('scheduleEditor.trigger')} ${fl.name + 1}`}
                                      options={(
                                        ['manual', 'order_accepted', 'delivery_accepted'] as const
                                      ).map((k) => ({ value: k, label: t(`billing.trigger.${k}`) }))}
                                    />
                                  </Form.Item>
                                  {row.trigger === 'delivery_accepted' && (
                                    <Form.Item name={[fl.name, 'deliveryId']} style={{ margin: 0 }}>
                                      <Select
                                        style={{ minWidth: 150 }}
                                        aria-label={`${t('scheduleEditor.delivery')} ${fl.name + 1}`}
                                        placeholder={t('scheduleEditor.delivery')}
                                        options={(deliveries.data?.items ?? []).map((d) => ({
                                          value: d.id,
                                          label: d.number ?? d.id,
                                        }))}
                                      />
                                    </Form.Item>
                                  )}
                                  <Form.Item name={[fl.name, 'offsetDays']} style={{ margin: 0 }}>
                                    <InputNumber
                                      min={0}
                                      max={3650}
                                      precision={0}
                                      placeholder="0"
                                      addonBefore="+"
                                      addonAfter={t('billing.plan.days')}
                                      style={{ width: 130 }}
                                      aria-label={`${t('scheduleEditor.offset')} ${fl.name + 1}`}
                                    />
                                  </Form.Item>
                                </Space>
                              );
                            return (
                              <Form.Item
                                name={[fl.name, 'billDate']}
                                getValueProps={(v: string | null | undefined) => ({
                                  value: v ? dayjs(v) : null,
                                })}
                                normalize={(d: dayjs.Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null)}
                                style={{ margin: 0 }}
                              >
                                <DatePicker
                                  aria-label={`${t('scheduleEditor.billDate')} ${fl.name + 1}`}
                                  placeholder={t('scheduleEditor.billDate')}
                                />
                              </Form.Item>
                            );
                          }}
                        </Form.Item>
                      ),
                    },
                    {
                      key: 'remove',
                      width: 44,
                      render: (_, fl) => (
                        <Button
                          type="text"
                          danger
                          icon={<DeleteOutlined />}
                          onClick={() => remove(fl.name)}
                          aria-label={t('scheduleEditor.remove', { n: fl.name + 1 })}
                        />
                      ),
                    },
                  ]}
                />
                <Button
                  icon={<PlusOutlined />}
                  style={{ marginTop: 8 }}
                  onClick={() =>
                    add({
                      kind: fields.length ? 'milestone' : 'payment_plan',
                      description: '',
                      trigger: 'manual',
                      billDate: fields.length ? null : dayjs().format('YYYY-MM-DD'),
                    } satisfies Row)
                  }
                  data-testid="schedule-add"
                >
                  {t('scheduleEditor.add')}
                </Button>
              </>
            )}
          </Form.List>
        </Form>
      </Modal>
    </>
  );
}

/** What the recurring items bill (the rest of the order is for the payment-plan and milestone items). */
function recurringTotal(s: Schedule): number {
  return s.items
    .filter((i) => i.kind === 'recurring' && i.status !== 'cancelled')
    .reduce((a, i) => a + i.amountMinor, 0);
}
