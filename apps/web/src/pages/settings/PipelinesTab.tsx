import { useEffect, useState } from 'react';
import { App, Button, Flex, Form, Input, InputNumber, Modal, Popconfirm, Radio, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined, StarOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, isApiError, request } from '../../api/client.ts';
import { usePipelines } from '../../api/hooks.ts';
import type { Pipeline, Stage } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { problemMessage } from '../../components/errors.ts';

/** The opportunity fields a stage may require (the server's STAGE_GATE_FIELDS). */
export const GATE_FIELDS = ['contactId', 'expectedCloseDate', 'amountMinor'] as const;

type Detail = Pipeline & { stages: Array<Stage & { opportunityCount: number }> };

/**
 * Settings → Pipelines: several pipelines (one default), each with stages in order — default
 * probability, kind, the fields a deal needs to enter it (stage gate), active — reordered with the
 * arrows. A stage with deals cannot be deleted: deactivate it, or move its deals to another stage.
 */
export function PipelinesTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const list = usePipelines();
  const [selected, setSelected] = useState<string | undefined>();
  const pipelines = list.data ?? [];
  const current = pipelines.find((p) => p.id === selected) ?? pipelines.find((p) => p.isDefault) ?? pipelines[0];
  useEffect(() => {
    if (!selected && current) setSelected(current.id);
  }, [selected, current]);
  const detail = useQuery({
    queryKey: ['pipelines', 'detail', current?.id],
    queryFn: ({ signal }) => api.get<Detail>(`/pipelines/${current!.id}`, undefined, signal),
    enabled: !!current,
  });
  const p = detail.data;
  const [busy, setBusy] = useState(false);
  const [creating, setCreating] = useState(false);
  const [newName, setNewName] = useState('');
  const [moving, setMoving] = useState<(Stage & { opportunityCount: number }) | null>(null);
  const [moveTo, setMoveTo] = useState<string | undefined>();
  const [addForm] = Form.useForm<{ name: string; probability: number }>();

  /** One change: send it with the pipeline's version, then refresh the board and this page. */
  const run = async (fn: (version: number) => Promise<Pipeline>, done?: string) => {
    if (!p) return;
    setBusy(true);
    try {
      const saved = await fn(p.version);
      await qc.invalidateQueries({ queryKey: ['pipelines'] });
      if (done) void message.success(done);
      return saved;
    } catch (e) {
      void message.error(isApiError(e, 'version_conflict') ? t('pipelineSettings.conflict') : problemMessage(t, e));
      await qc.invalidateQueries({ queryKey: ['pipelines'] });
    } finally {
      setBusy(false);
    }
  };
  const patchStage = (s: Stage, body: Record<string, unknown>) =>
    run((v) => request<Pipeline>('PATCH', `/pipelines/${p!.id}/stages/${s.id}`, { body, version: v }), t('settings.saved'));
  const move = (i: number, d: -1 | 1) => {
    const ids = p!.stages.map((s) => s.id);
    [ids[i], ids[i + d]] = [ids[i + d]!, ids[i]!];
    return run((v) => request<Pipeline>('PUT', `/pipelines/${p!.id}/stage-order`, { body: { stageIds: ids }, version: v }));
  };
  const remove = async (s: Stage & { opportunityCount: number }) => {
    if (s.opportunityCount > 0) {
      setMoving(s);
      setMoveTo(undefined);
      return;
    }
    await run((v) => request<Pipeline>('DELETE', `/pipelines/${p!.id}/stages/${s.id}`, { version: v }), t('pipelineSettings.stageDeleted', { name: s.name }));
  };

  if (list.isError) return <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <div data-testid="pipelines-settings">
      <Flex wrap gap={8} align="center" style={{ marginBottom: 16 }}>
        <Select
          style={{ minWidth: 260 }}
          value={current?.id}
          onChange={setSelected}
          aria-label={t('pipelineSettings.pipeline')}
          data-testid="pipeline-select"
          options={pipelines.map((x) => ({
            value: x.id,
            label: `${x.name}${x.isDefault ? ` · ${t('pipelineSettings.default')}` : ''}${x.active ? '' : ` · ${t('pipelineSettings.inactive')}`}`,
          }))}
        />
        <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-pipeline">
          {t('pipelineSettings.newPipeline')}
        </Button>
        {p && (
          <>
            <Typography.Text
              editable={{
                tooltip: t('pipelineSettings.rename'),
                onChange: (name) => {
                  if (name.trim() && name !== p.name) void run((v) => request<Pipeline>('PATCH', `/pipelines/${p.id}`, { body: { name: name.trim() }, version: v }), t('settings.saved'));
                },
              }}
              strong
              data-testid="pipeline-name"
            >
              {p.name}
            </Typography.Text>
            {p.isDefault ? (
              <Tag color="blue">{t('pipelineSettings.default')}</Tag>
            ) : (
              <Button size="small" icon={<StarOutlined />} disabled={!p.active || busy} onClick={() => void run((v) => request<Pipeline>('PATCH', `/pipelines/${p.id}`, { body: { isDefault: true }, version: v }), t('settings.saved'))}>
                {t('pipelineSettings.makeDefault')}
              </Button>
            )}
            <Tooltip title={p.isDefault ? t('pipelineSettings.defaultStaysActive') : undefined}>
              <Space>
                <Switch
                  size="small"
                  checked={p.active}
                  disabled={p.isDefault || busy}
                  onChange={(active) => void run((v) => request<Pipeline>('PATCH', `/pipelines/${p.id}`, { body: { active }, version: v }), t('settings.saved'))}
                  aria-label={t('pipelineSettings.active')}
                />
                <span>{t('pipelineSettings.active')}</span>
              </Space>
            </Tooltip>
          </>
        )}
      </Flex>
      {detail.isError && <ErrorAlert error={detail.error} onRetry={() => void detail.refetch()} />}
      <div data-testid="stages-table">
      <Table<Detail['stages'][number]>
        rowKey="id"
        size="middle"
        loading={list.isPending || detail.isPending || busy}
        dataSource={p?.stages ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        rowClassName={(s) => (s.active ? '' : 'ltc-row-inactive')}
        columns={[
          {
            key: 'order',
            title: t('pipelineSettings.order'),
            width: 90,
            render: (_, s, i) => (
              <Space size={2}>
                <Button size="small" type="text" icon={<ArrowUpOutlined />} disabled={i === 0 || busy} onClick={() => void move(i, -1)} aria-label={t('pipelineSettings.moveUp', { name: s.name })} />
                <Button size="small" type="text" icon={<ArrowDownOutlined />} disabled={i === (p?.stages.length ?? 0) - 1 || busy} onClick={() => void move(i, 1)} aria-label={t('pipelineSettings.moveDown', { name: s.name })} />
              </Space>
            ),
          },
          {
            key: 'name',
            title: t('field.name'),
            render: (_, s) => (
              <Typography.Text editable={{ onChange: (name) => name.trim() && name !== s.name && void patchStage(s, { name: name.trim() }) }} data-testid="stage-name">
                {s.name}
              </Typography.Text>
            ),
          },
          {
            key: 'kind',
            title: t('pipelineSettings.kind'),
            render: (_, s) => <Tag color={s.kind === 'won' ? 'green' : s.kind === 'lost' ? 'red' : 'default'}>{t(`pipelineSettings.kinds.${s.kind}`, { defaultValue: s.kind })}</Tag>,
          },
          {
            key: 'probability',
            title: t('pipelineSettings.probability'),
            render: (_, s) => (
              <InputNumber
                key={`${s.id}-${s.probability}`}
                size="small"
                min={0}
                max={100}
                precision={0}
                defaultValue={s.probability}
                suffix="%"
                style={{ width: 90 }}
                aria-label={t('pipelineSettings.probabilityOf', { name: s.name })}
                data-testid="stage-probability"
                onBlur={(e) => {
                  const n = Number(e.target.value);
                  if (Number.isInteger(n) && n >= 0 && n <= 100 && n !== s.probability) void patchStage(s, { probability: n });
                }}
                onPressEnter={(e) => (e.target as HTMLInputElement).blur()}
              />
            ),
          },
          {
            key: 'gate',
            title: (
              <Tooltip title={t('pipelineSettings.gateHint')}>
                <span>{t('pipelineSettings.gate')}</span>
              </Tooltip>
            ),
            render: (_, s) => (
              <Select
                mode="multiple"
                size="small"
                allowClear
                style={{ minWidth: 220 }}
                value={s.requiredFields}
                placeholder={t('pipelineSettings.noGate')}
                aria-label={t('pipelineSettings.gateOf', { name: s.name })}
                data-testid="stage-gate"
                onChange={(v: string[]) => void patchStage(s, { requiredFields: v })}
                options={GATE_FIELDS.map((f) => ({ value: f, label: t(`pipelineSettings.fields.${f}`) }))}
              />
            ),
          },
          { key: 'count', title: t('pipelineSettings.deals'), align: 'right', render: (_, s) => s.opportunityCount },
          {
            key: 'active',
            title: t('pipelineSettings.active'),
            render: (_, s) => (
              <Switch size="small" checked={s.active} disabled={s.kind !== 'open' || busy} onChange={(active) => void patchStage(s, { active })} aria-label={t('pipelineSettings.activeOf', { name: s.name })} />
            ),
          },
          {
            key: 'delete',
            title: '',
            render: (_, s) =>
              s.kind === 'open' && (
                <Popconfirm title={t('pipelineSettings.deleteConfirm', { name: s.name })} onConfirm={() => void remove(s)} okText={t('views.remove')} cancelText={t('common.cancel')}>
                  <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('pipelineSettings.deleteStage', { name: s.name })} />
                </Popconfirm>
              ),
          },
        ]}
      />
      </div>
      {p && (
        <Form
          form={addForm}
          layout="inline"
          style={{ marginTop: 16 }}
          initialValues={{ probability: 50 }}
          onFinish={async (v) => {
            const ok = await run((ver) => request<Pipeline>('POST', `/pipelines/${p.id}/stages`, { body: { name: v.name.trim(), probability: v.probability }, version: ver }), t('settings.saved'));
            if (ok) addForm.resetFields();
          }}
        >
          <Form.Item name="name" rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input placeholder={t('pipelineSettings.stageName')} maxLength={100} style={{ width: 220 }} data-testid="new-stage-name" />
          </Form.Item>
          <Form.Item name="probability" rules={[{ required: true, message: t('validation.required') }]}>
            <InputNumber min={0} max={100} precision={0} suffix="%" aria-label={t('pipelineSettings.probability')} />
          </Form.Item>
          <Button htmlType="submit" icon={<PlusOutlined />} loading={busy} data-testid="add-stage">
            {t('pipelineSettings.addStage')}
          </Button>
        </Form>
      )}
      <Modal
        open={creating}
        title={t('pipelineSettings.newPipeline')}
        okText={t('common.create')}
        cancelText={t('common.cancel')}
        okButtonProps={{ disabled: !newName.trim() }}
        onCancel={() => setCreating(false)}
        onOk={async () => {
          try {
            const created = await api.post<Pipeline>('/pipelines', { name: newName.trim() });
            await qc.invalidateQueries({ queryKey: ['pipelines'] });
            setSelected(created.id);
            setCreating(false);
            setNewName('');
          } catch (e) {
            void message.error(problemMessage(t, e));
          }
        }}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('pipelineSettings.newHint')}</Typography.Paragraph>
        <Input autoFocus maxLength={100} value={newName} onChange={(e) => setNewName(e.target.value)} placeholder={t('field.name')} aria-label={t('field.name')} data-testid="new-pipeline-name" />
      </Modal>
      <Modal
        open={!!moving}
        title={t('pipelineSettings.inUseTitle', { name: moving?.name ?? '' })}
        okText={t('pipelineSettings.moveAndDelete')}
        cancelText={t('common.cancel')}
        okButtonProps={{ danger: true, disabled: !moveTo }}
        onCancel={() => setMoving(null)}
        onOk={async () => {
          const s = moving!;
          setMoving(null);
          await run((v) => request<Pipeline>('DELETE', `/pipelines/${p!.id}/stages/${s.id}`, { query: { moveTo }, version: v }), t('pipelineSettings.stageDeleted', { name: s.name }));
        }}
        destroyOnHidden
      >
        <Typography.Paragraph>{t('pipelineSettings.inUse', { count: moving?.opportunityCount ?? 0 })}</Typography.Paragraph>
        <Radio.Group value={moveTo} onChange={(e) => setMoveTo(e.target.value as string)}>
          <Space direction="vertical">
            {p?.stages
              .filter((s) => s.kind === 'open' && s.active && s.id !== moving?.id)
              .map((s) => (
                <Radio key={s.id} value={s.id}>
                  {s.name}
                </Radio>
              ))}
          </Space>
        </Radio.Group>
      </Modal>
    </div>
  );
}
