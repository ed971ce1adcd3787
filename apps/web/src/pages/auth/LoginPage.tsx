import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { LockOutlined, MailOutlined } from '@ant-design/icons';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client.ts';
import type { Me } from '../../api/types.ts';
import { useAuth, wasSessionExpired } from '../../auth/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { AuthCard } from './AuthCard.tsx';

/** Only paths inside the app may be a return target. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export function LoginPage() {
  const { t } = useTranslation();
  const { me, signedIn } = useAuth();
  const [sp] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [expired] = useState(() => sp.get('expired') === '1' || wasSessionExpired());
  const next = safeNext(sp.get('next'));
  if (me) return <Navigate to={next} replace />;

  const submit = async (v: { email: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const r = await request<Me>('POST', '/auth/login', { body: v, quiet401: true });
      signedIn(r);
      navigate(next, { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard title={t('login.title')} subtitle={t('login.subtitle')}>
      {expired && !error && <Alert type="warning" showIcon message={t('login.expired')} style={{ marginBottom: 16 }} data-testid="session-expired" />}
      <ErrorAlert error={error} />
      <Form layout="vertical" onFinish={submit} requiredMark={false} disabled={busy}>
        <Form.Item name="email" label={t('login.email')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input prefix={<MailOutlined />} autoComplete="username" autoFocus type="email" />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t('login.submit')}
        </Button>
      </Form>
    </AuthCard>
  );
}
