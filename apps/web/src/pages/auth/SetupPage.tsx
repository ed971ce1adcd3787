import { useState } from 'react';
import { Button, Form, Input } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client.ts';
import type { Me } from '../../api/types.ts';
import { meQueryKey, useAuth } from '../../auth/auth.tsx';
import { applyFieldErrors } from '../../components/errors.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { currentLanguage } from '../../i18n/index.ts';
import { AuthCard } from './AuthCard.tsx';

interface SetupForm {
  name: string;
  email: string;
  password: string;
  confirm: string;
}

/** First run: create the first administrator, who is then signed in. */
export function SetupPage() {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<SetupForm>();
  const qc = useQueryClient();
  const { signedIn } = useAuth();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (v: SetupForm) => {
    setBusy(true);
    setError(null);
    try {
      await request('POST', '/setup', { body: { admin: { name: v.name, email: v.email, password: v.password, locale: currentLanguage() } }, quiet401: true });
      const me = await request<Me>('GET', '/auth/me', { quiet401: true });
      qc.setQueryData(['setup'], { needsSetup: false });
      signedIn(me);
      qc.setQueryData(meQueryKey, me);
      navigate('/', { replace: true });
    } catch (e) {
      applyFieldErrors(form, e, t, i18n.language, (p) => p.replace(/^admin\./, ''));
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard title={t('setup.title')} subtitle={t('setup.subtitle')}>
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} disabled={busy}>
        <Form.Item name="name" label={t('setup.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input autoFocus autoComplete="name" />
        </Form.Item>
        <Form.Item name="email" label={t('setup.email')} rules={[{ required: true, type: 'email', message: t('validation.email') }]}>
          <Input autoComplete="username" type="email" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('setup.password')}
          extra={t('setup.passwordHint')}
          rules={[{ required: true, min: 8, message: t('validation.passwordMin', { min: 8 }) }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('setup.confirm')}
          dependencies={['password']}
          rules={[
            { required: true, message: t('validation.required') },
            ({ getFieldValue }) => ({
              validator: (_r, v) => (!v || v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('validation.passwordMatch')))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t('setup.submit')}
        </Button>
      </Form>
    </AuthCard>
  );
}
