import { useMemo, useState, type ReactNode } from 'react';
import { Alert, Button, Card, Form, Space, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, isApiError, type FieldProblem } from '../api/client.ts';
import type { Versioned } from '../api/types.ts';
import { useInvalidate } from '../api/hooks.ts';
import { applyFieldErrors } from './errors.ts';
import { ErrorAlert } from './ErrorAlert.tsx';
import { useUnsavedChanges } from './useUnsavedChanges.ts';

type Values = Record<string, unknown>;
type Body = Record<string, unknown>;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The keys whose body value differs between two bodies. */
function changedKeys(a: Body, b: Body): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !same(a[k], b[k]));
}

export interface RecordEditorProps<T extends Versioned> {
  /** API collection, e.g. "leads". */
  type: string;
  /** The record being edited; absent when creating. */
  record?: T;
  /** Form values for a record (edit) — and the shape of `initialValues` (create). */
  toValues: (record: T) => Values;
  initialValues?: Values;
  /** The API body for form values; on edit only the changed keys are sent. */
  toBody: (values: Values) => Body;
  /** API field path → form field name (default: the same name). */
  fieldOf?: (path: string) => string | null;
  /** Field label for the conflict summary. */
  labelOf?: (key: string) => string;
  onSaved: (record: T) => void;
  onCancel: () => void;
  children: ReactNode;
  /** Other collections a save changes (their caches are refreshed). */
  also?: string[];
}

/**
 * One form for creating and editing a record. Sends only changed fields with If-Match; shows the
 * API's per-field errors at the fields; on 409 version_conflict keeps what the user typed,
 * shows what changed meanwhile and lets them save over the latest version or take it; warns
 * before leaving with unsaved changes.
 */
export function RecordEditor<T extends Versioned>(props: RecordEditorProps<T>) {
  const { type, record, toValues, toBody, fieldOf, labelOf, onSaved, onCancel, children, also = [] } = props;
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const invalidate = useInvalidate();
  const [form] = Form.useForm();
  const [base, setBase] = useState<T | undefined>(record);
  const initial = useMemo(() => (base ? toValues(base) : (props.initialValues ?? {})), [base, toValues, props.initialValues]);
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [otherFields, setOtherFields] = useState<FieldProblem[]>([]);
  const [conflict, setConflict] = useState<{ latest: T; changed: string[] } | null>(null);
  const [saving, setSaving] = useState(false);
  const release = useUnsavedChanges(dirty);

  const recomputeDirty = () => setDirty(changedKeys(toBody(form.getFieldsValue(true) as Values), toBody(initial)).length > 0);
  const mineChanged = conflict ? Object.keys(toBody(form.getFieldsValue(true) as Values)).filter((k) => !same(toBody(form.getFieldsValue(true) as Values)[k], toBody(initial)[k])) : [];
  const both = conflict ? conflict.changed.filter((k) => mineChanged.includes(k)) : [];

  const submit = async (values: Values) => {
    setSaving(true);
    setError(null);
    setOtherFields([]);
    try {
      let saved: T;
      if (base) {
        const body = toBody(values);
        const before = toBody(initial);
        const patch: Body = {};
        for (const k of changedKeys(body, before)) patch[k] = body[k] ?? null;
        saved = await api.patch<T>(`/${type}/${base.id}`, patch, base.version);
        qc.setQueryData([type, 'record', saved.id], saved);
      } else {
        saved = await api.post<T>(`/${type}`, toBody(values));
      }
      await invalidate(type, ...also);
      setConflict(null);
      release();
      setDirty(false);
      onSaved(saved);
    } catch (e) {
      if (isApiError(e, 'version_conflict') && base) {
        try {
          const latest = await api.get<T>(`/${type}/${base.id}`);
          setConflict({ latest, changed: changedKeys(toBody(toValues(latest)), toBody(toValues(base))) });
        } catch (e2) {
          setError(e2);
        }
      } else {
        setOtherFields(applyFieldErrors(form, e, t, i18n.language, fieldOf));
        setError(e);
      }
    } finally {
      setSaving(false);
    }
  };

  const keepMine = () => {
    if (!conflict || !base) return;
    // Rebase on the latest version: their changes stay, the fields this user changed keep what was typed.
    const typed = form.getFieldsValue(true) as Values;
    const mine = Object.keys(typed).filter((k) => !same(typed[k], initial[k]));
    const merged = { ...toValues(conflict.latest) };
    for (const k of mine) merged[k] = typed[k];
    setBase(conflict.latest);
    qc.setQueryData([type, 'record', conflict.latest.id], conflict.latest);
    setConflict(null);
    form.setFieldsValue(merged);
    setDirty(true);
  };
  const takeTheirs = () => {
    if (!conflict) return;
    const latest = conflict.latest;
    setBase(latest);
    qc.setQueryData([type, 'record', latest.id], latest);
    setConflict(null);
    form.setFieldsValue(toValues(latest));
    setDirty(false);
  };

  return (
    <Card>
      {conflict && (
        <Alert
          type="warning"
          showIcon
          data-testid="conflict-alert"
          style={{ marginBottom: 16 }}
          message={t('conflict.title')}
          description={
            <>
              <Typography.Paragraph style={{ marginBottom: 8 }}>{t('conflict.body')}</Typography.Paragraph>
              {conflict.changed.length > 0 && (
                <Typography.Paragraph style={{ marginBottom: 8 }}>
                  {t('conflict.changed', { fields: conflict.changed.map((k) => labelOf?.(k) ?? k).join(', ') })}
                </Typography.Paragraph>
              )}
              {both.length > 0 && (
                <Typography.Paragraph style={{ marginBottom: 8 }}>
                  {t('conflict.both', { fields: both.map((k) => labelOf?.(k) ?? k).join(', ') })}
                </Typography.Paragraph>
              )}
              <Space wrap>
                <Button type="primary" onClick={keepMine}>
                  {t('conflict.keepMine')}
                </Button>
                <Button onClick={takeTheirs}>{t('conflict.takeTheirs')}</Button>
              </Space>
            </>
          }
        />
      )}
      {!conflict && <ErrorAlert error={error} fields={isApiError(error) && error.fields.length ? otherFields : undefined} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={initial}
        onValuesChange={recomputeDirty}
        onFinish={submit}
        scrollToFirstError
        style={{ maxWidth: 880 }}
      >
        {children}
        <Space>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="save">
            {base ? t('common.save') : t('common.create')}
          </Button>
          <Button onClick={onCancel}>{t('common.cancel')}</Button>
          {dirty && <Typography.Text type="warning">{t('unsaved.hint')}</Typography.Text>}
        </Space>
      </Form>
    </Card>
  );
}
