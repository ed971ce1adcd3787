import { useState } from 'react';
import { Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors } from './errors.ts';
import { ErrorAlert } from './ErrorAlert.tsx';

/**
 * Asks for the one text a lifecycle step requires: a reason (disqualify a lead, lose an
 * opportunity), or a name (who signed, who accepted). The API's field errors show at the field.
 */
export function ReasonDialog({
  open,
  title,
  okText,
  onSubmit,
  onClose,
  field = 'reason',
  label,
  danger = true,
}: {
  open: boolean;
  title: string;
  okText: string;
  onSubmit: (text: string) => Promise<unknown>;
  onClose: () => void;
  field?: string;
  label?: string;
  danger?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Record<string, string>>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await onSubmit(String(values[field] ?? '').trim());
      form.resetFields();
      onClose();
    } catch (e) {
      applyFieldErrors(form, e, t, i18n.language);
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      okButtonProps={{ danger, loading: busy }}
      cancelText={t('common.cancel')}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
    >
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name={field}
          label={label ?? t('field.reason')}
          rules={[{ required: true, whitespace: true, message: field === 'reason' ? t('validation.reasonRequired') : t('validation.required') }]}
        >
          {field === 'reason' ? <Input.TextArea rows={3} maxLength={500} showCount autoFocus /> : <Input maxLength={200} autoFocus />}
        </Form.Item>
      </Form>
    </Modal>
  );
}
