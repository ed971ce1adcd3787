import {
  App,
  Button,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError, request } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { applyFieldErrors, problemMessage } from '../../components/errors.ts';
import {
  useImportSchema,
  useScoringRules,
  type ScoringOperator,
  type ScoringRule,
  type ValueKind,
} from '../leads/leadImport.ts';

interface Values {
  name: string;
  field: string;
  customKey?: string;
  operator: ScoringOperator;
  value?: string;
  points: number;
  active: boolean;
}

/** The rule's body; `kind` is the value the server says the operator takes (GET /leads/import/schema). */
function toBody(v: Values, kind: ValueKind | undefined) {
  const field = v.field === 'custom' ? `customFields.${(v.customKey ?? '').trim()}` : v.field;
  const raw = (v.value ?? '').trim();
  const value =
    kind === 'none'
      ? null
      : kind === 'list'
        ? raw
            .split(/[,，、\n]/)
            .map((s) => s.trim())
            .filter(Boolean)
        : kind === 'number' && raw !== '' && !Number.isNaN(Number(raw))
          ? Number(raw)
          : raw;
  return { name: v.name.trim(), field, operator: v.operator, value, points: v.points, active: v.active };
}

function toValues(r: ScoringRule): Values {
  const custom = r.field.startsWith('customFields.');
  return {
    name: r.name,
    field: custom ? 'custom' : r.field,
    customKey: custom ? r.field.slice('customFields.'.length) : undefined,
    operator: r.operator,
    value: Array.isArray(r.value) ? r.value.join(', ') : r.value === null ? '' : String(r.value),
    points: r.points,
    active: r.active,
  };
}

/** Settings → Lead scoring: the rules (field condition → points) every lead's score is computed from. */
export function LeadScoringTab() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useScoringRules();
  const schema = useImportSchema();
  const valueOf = (op: ScoringOperator | undefined) => schema.data?.scoring.operators.find((o) => o.key === op)?.value;
  const [editing, setEditing] = useState<ScoringRule | 'new' | null>(null);
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const operator = Form.useWatch('operator', form);
  const field = Form.useWatch('field', form);
  const refresh = () => qc.invalidateQueries({ queryKey: ['lead-scoring'] });

  const open = (r: ScoringRule | 'new') => {
    setEditing(r);
    form.resetFields();
    form.setFieldsValue(
      r === 'new' ? { field: 'source', operator: 'eq', points: 10, active: true } : toValues(r),
    );
  };
  const save = async (v: Values) => {
    setSaving(true);
    try {
      const body = toBody(v, valueOf(v.operator));
      if (editing === 'new') await api.post('/lead-scoring/rules', body);
      else if (editing) await api.patch(`/lead-scoring/rules/${editing.id}`, body, editing.version);
      setEditing(null);
      await refresh();
    } catch (e) {
      const rest = applyFieldErrors(form, e, t, i18n.language, (p) =>
        p === 'field' ? (form.getFieldValue('field') === 'custom' ? 'customKey' : 'field') : p,
      );
      if (!isApiError(e) || rest.length || !e.fields.length) void message.error(problemMessage(t, e));
    } finally {
      setSaving(false);
    }
  };
  const remove = async (r: ScoringRule) => {
    try {
      await request('DELETE', `/lead-scoring/rules/${r.id}`, { version: r.version });
      await refresh();
    } catch (e) {
      void message.error(problemMessage(t, e));
    }
  };
  const toggle = async (r: ScoringRule, active: boolean) => {
    try {
      await api.patch(`/lead-scoring/rules/${r.id}`, { active }, r.version);
      await refresh();
    } catch (e) {
      void message.error(problemMessage(t, e));
    }
  };
  const recompute = async () => {
    try {
      const res = await api.post<{ checked: number; changed: number }>('/lead-scoring/recompute', {});
      void message.success(t('leadScoring.recomputed', res));
      void qc.invalidateQueries({ queryKey: ['leads'] });
    } catch (e) {
      void message.error(problemMessage(t, e));
    }
  };
  const fieldLabel = (f: string) =>
    f.startsWith('customFields.') ? `${t('leadScoring.custom')}: ${f.slice(13)}` : t(`field.${f}`);
  const valueText = (r: ScoringRule) =>
    r.value === null ? '' : Array.isArray(r.value) ? r.value.join(' / ') : String(r.value);

  return (
    <>
      <Typography.Paragraph type="secondary">{t('leadScoring.help')}</Typography.Paragraph>
      <Flex gap={8} style={{ marginBottom: 16 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')} data-testid="scoring-add">
          {t('leadScoring.add')}
        </Button>
        <Popconfirm title={t('leadScoring.recomputeConfirm')} onConfirm={() => void recompute()}>
          <Button>{t('leadScoring.recompute')}</Button>
        </Popconfirm>
      </Flex>
      {q.isError && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
      {schema.isError && <ErrorAlert error={schema.error} onRetry={() => void schema.refetch()} />}
      <Table<ScoringRule>
        rowKey="id"
        size="small"
        loading={q.isPending}
        pagination={false}
        dataSource={q.data?.items ?? []}
        data-testid="scoring-rules"
        columns={[
          { key: 'name', title: t('leadScoring.name'), dataIndex: 'name' },
          {
            key: 'condition',
            title: t('leadScoring.condition'),
            render: (_, r) => (
              <span>
                {fieldLabel(r.field)}{' '}
                <Typography.Text type="secondary">{t(`leadScoring.op.${r.operator}`)}</Typography.Text>{' '}
                {valueText(r)}
              </span>
            ),
          },
          {
            key: 'points',
            title: t('leadScoring.points'),
            align: 'right',
            render: (_, r) => (
              <Tag color={r.points >= 0 ? 'green' : 'red'}>{r.points > 0 ? `+${r.points}` : r.points}</Tag>
            ),
          },
          {
            key: 'active',
            title: t('field.active'),
            render: (_, r) => (
              <Switch
                size="small"
                checked={r.active}
                onChange={(v) => void toggle(r, v)}
                aria-label={t('field.active')}
              />
            ),
          },
          {
            key: 'actions',
            title: '',
            render: (_, r) => (
              <Space>
                <Button size="small" onClick={() => open(r)}>
                  {t('common.edit')}
                </Button>
                <Popconfirm title={t('leadScoring.deleteConfirm')} onConfirm={() => void remove(r)}>
                  <Button size="small" danger>
                    {t('leadScoring.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('leadScoring.add') : t('leadScoring.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: saving, disabled: !schema.data }}
        destroyOnHidden
      >
        <Form<Values> form={form} layout="vertical" onFinish={(v) => void save(v)}>
          <Form.Item
            name="name"
            label={t('leadScoring.name')}
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Space.Compact block>
            <Form.Item name="field" label={t('leadScoring.field')} style={{ flex: 1 }}>
              <Select
                loading={schema.isPending}
                options={[
                  ...(schema.data?.fields ?? [])
                    .filter((f) => f.scorable)
                    .map((f) => ({ value: f.key, label: t(f.labelKey) })),
                  { value: 'custom', label: t('leadScoring.custom') },
                ]}
              />
            </Form.Item>
            {field === 'custom' && (
              <Form.Item
                name="customKey"
                label={t('leadScoring.customKey')}
                style={{ flex: 1 }}
                rules={[{ required: true, message: t('validation.required') }]}
              >
                <Input placeholder="employees" maxLength={60} />
              </Form.Item>
            )}
          </Space.Compact>
          <Form.Item name="operator" label={t('leadScoring.operator')}>
            <Select
              loading={schema.isPending}
              options={(schema.data?.scoring.operators ?? []).map((o) => ({ value: o.key, label: t(o.labelKey) }))}
            />
          </Form.Item>
          {operator && valueOf(operator) !== undefined && valueOf(operator) !== 'none' && (
            <Form.Item
              name="value"
              label={t('leadScoring.value')}
              extra={valueOf(operator) === 'list' ? t('leadScoring.listHelp') : undefined}
              rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
            >
              <Input maxLength={500} />
            </Form.Item>
          )}
          <Form.Item
            name="points"
            label={t('leadScoring.points')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <InputNumber min={-100} max={100} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="active" label={t('field.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
