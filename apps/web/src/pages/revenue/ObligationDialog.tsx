import { useState } from 'react';
import { App, Button, DatePicker, Form, Input, Modal, Space, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { problemMessage } from '../../components/errors.ts';
import { percentOf, percentToDecimal } from './percent.ts';

export interface Milestone {
  id: string;
  name: string;
  weight: number;
  plannedOn?: string | null;
  reachedOn?: string | null;
}
export interface EditableObligation {
  id: string;
  lineNo: number;
  method: string;
  serviceStart: string | null;
  serviceEnd: string | null;
  milestones: Milestone[];
  progress: Array<{ date: string; progress: string }>;
  version: number;
}

/**
 * Operations update how an obligation is satisfied: the service period of a ratable one
 * (PATCH /revenue-obligations/{id}), the day each milestone is reached, or the cumulative progress
 * of a percent-complete one as of a day (POST …/progress).
 */
export function ObligationDialog({ ob, orderId }: { ob: EditableObligation; orderId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null]>([ob.serviceStart ? dayjs(ob.serviceStart) : null, ob.serviceEnd ? dayjs(ob.serviceEnd) : null]);
  const [reached, setReached] = useState<Record<string, Dayjs | null>>(Object.fromEntries(ob.milestones.map((m) => [m.id, m.reachedOn ? dayjs(m.reachedOn) : null])));
  const [day, setDay] = useState<Dayjs | null>(dayjs());
  const [pct, setPct] = useState('');
  const editable = ['ratable', 'milestone', 'percent_complete'].includes(ob.method);
  if (!editable) return null;
  const pctValue = percentToDecimal(pct);
  const save = async () => {
    setSaving(true);
    try {
      if (ob.method === 'ratable') {
        await api.patch(`/revenue-obligations/${ob.id}`, { serviceStart: range[0]?.format('YYYY-MM-DD'), serviceEnd: range[1]?.format('YYYY-MM-DD') }, ob.version);
      } else if (ob.method === 'milestone') {
        await api.patch(`/revenue-obligations/${ob.id}`, { milestones: ob.milestones.map((m) => ({ ...m, reachedOn: reached[m.id]?.format('YYYY-MM-DD') ?? null })) }, ob.version);
      } else {
        await api.post(`/revenue-obligations/${ob.id}/progress`, { date: day!.format('YYYY-MM-DD'), progress: pctValue });
      }
      void message.success(t('revenue.saved'));
      setOpen(false);
      await qc.invalidateQueries({ queryKey: ['revenue', 'order', orderId] });
    } catch (e) {
      void message.error(problemMessage(t, e));
    } finally {
      setSaving(false);
    }
  };
  const invalid = ob.method === 'ratable' ? !range[0] || !range[1] : ob.method === 'percent_complete' ? !day || pctValue === null : false;
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} data-testid={`obligation-edit-${ob.lineNo}`}>
        {t(ob.method === 'percent_complete' ? 'revenue.enterProgress' : ob.method === 'milestone' ? 'revenue.milestones' : 'revenue.servicePeriod')}
      </Button>
      <Modal open={open} title={t('revenue.updateTitle', { line: ob.lineNo })} onCancel={() => setOpen(false)} onOk={() => void save()} okButtonProps={{ disabled: invalid, loading: saving }} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
        <Form layout="vertical">
          {ob.method === 'ratable' && (
            <Form.Item label={t('revenue.servicePeriod')}>
              <DatePicker.RangePicker value={range} onChange={(v) => setRange([v?.[0] ?? null, v?.[1] ?? null])} allowClear={false} />
            </Form.Item>
          )}
          {ob.method === 'milestone' &&
            (ob.milestones.length ? (
              ob.milestones.map((m) => (
                <Form.Item key={m.id} label={`${m.name} (${t('revenue.weight')} ${m.weight})`}>
                  <DatePicker value={reached[m.id] ?? null} placeholder={t('revenue.notReached')} onChange={(v) => setReached({ ...reached, [m.id]: v })} />
                </Form.Item>
              ))
            ) : (
              <Typography.Text type="secondary">{t('revenue.noMilestones')}</Typography.Text>
            ))}
          {ob.method === 'percent_complete' && (
            <>
              <Space align="start">
                <Form.Item label={t('revenue.asOf')}>
                  <DatePicker value={day} onChange={setDay} allowClear={false} />
                </Form.Item>
                <Form.Item label={t('revenue.progressPct')} validateStatus={pct && pctValue === null ? 'error' : undefined} help={pct && pctValue === null ? t('revenue.progressHelp') : undefined}>
                  <Input value={pct} onChange={(e) => setPct(e.target.value)} suffix="%" style={{ width: 120 }} inputMode="decimal" data-testid="progress-input" />
                </Form.Item>
              </Space>
              {ob.progress.length > 0 && (
                <Typography.Paragraph type="secondary">
                  {t('revenue.progressSoFar')}: {ob.progress.map((p) => `${p.date} ${percentOf(p.progress)}%`).join(' · ')}
                </Typography.Paragraph>
              )}
            </>
          )}
        </Form>
      </Modal>
    </>
  );
}
