import { useState } from 'react';
import { Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors } from './errors.ts';
import { ErrorAlert } from './ErrorAlert.tsx';

/** Asks for the reason a lifecycle step requires (disqualify a lead, lose an opportunity). */
export function ReasonDialog({
  open,
  title,
  okText,
  onSubmit,
  onClose,
}: {
  open: boolean;
  title: string;
  okText: string;
  onSubmit: (reason: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const { reason } = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await onSubmit(reason.trim());
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
      okButtonProps={{ danger: true, loading: busy }}
      cancelText={t('common.cancel')}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
    >
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="reason" label={t('field.reason')} rules={[{ required: true, whitespace: true, message: t('validation.reasonRequired') }]}>
          <Input.TextArea rows={3} maxLength={500} showCount autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
