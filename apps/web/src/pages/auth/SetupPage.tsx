import { useEffect, useState } from 'react';
import { Alert, Button, Checkbox, Form, Input, Table, Typography } from 'antd';
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
  loadDemo?: boolean;
}

interface DemoSummary {
  users: Array<{ email: string; role: string; name: string }>;
  password: string;
  counts: Record<string, number>;
}

/** Seconds since `on` became true (the demo load shows how long it has been working). */
function useElapsed(on: boolean): number {
  const [s, setS] = useState(0);
  useEffect(() => {
    if (!on) return;
    const start = Date.now();
    setS(0);
    const h = setInterval(() => setS(Math.floor((Date.now() - start) / 1000)), 1000);
    return () => clearInterval(h);
  }, [on]);
  return s;
}

/** After setup with the demo company: who can sign in, with which password. */
function DemoUsers({ demo, onContinue }: { demo: DemoSummary; onContinue: () => void }) {
  const { t } = useTranslation();
  return (
    <>
      <Alert type="success" showIcon message={t('setup.demoLoaded')} description={t('setup.demoPassword', { password: demo.password })} style={{ marginBottom: 12 }} />
      <Table
        size="small"
        rowKey="email"
        pagination={false}
        scroll={{ y: 280 }}
        dataSource={demo.users}
        data-testid="demo-users"
        columns={[
          { key: 'email', title: t('setup.email'), render: (_, u) => <Typography.Text copyable>{u.email}</Typography.Text> },
          { key: 'role', title: t('field.role'), render: (_, u) => t(`role.${u.role}`, { defaultValue: u.role }) },
        ]}
      />
      <Button type="primary" block style={{ marginTop: 16 }} onClick={onContinue} data-testid="setup-continue">
        {t('setup.continue')}
      </Button>
    </>
  );
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
  const [loadingDemo, setLoadingDemo] = useState(false);
  const [demo, setDemo] = useState<DemoSummary | null>(null);
  const elapsed = useElapsed(loadingDemo);

  const finish = () => {
    qc.setQueryData(['setup'], { needsSetup: false });
    navigate('/', { replace: true });
  };

  const submit = async (v: SetupForm) => {
    setBusy(true);
    setError(null);
    try {
      setLoadingDemo(!!v.loadDemo);
      const res = await request<{ demo: DemoSummary | null }>('POST', '/setup', {
        body: { admin: { name: v.name, email: v.email, password: v.password, locale: currentLanguage() }, loadDemo: !!v.loadDemo },
        quiet401: true,
      });
      const me = await request<Me>('GET', '/auth/me', { quiet401: true });
      signedIn(me);
      qc.setQueryData(meQueryKey, me);
      // With the demo company, first show who can sign in; /setup closes when the user goes on.
      if (res.demo) setDemo(res.demo);
      else finish();
    } catch (e) {
      applyFieldErrors(form, e, t, i18n.language, (p) => p.replace(/^admin\./, ''));
      setError(e);
    } finally {
      setBusy(false);
      setLoadingDemo(false);
    }
  };

  if (demo)
    return (
      <AuthCard title={t('setup.title')} subtitle={t('setup.demoSubtitle')}>
        <DemoUsers demo={demo} onContinue={finish} />
      </AuthCard>
    );

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
        <Form.Item name="loadDemo" valuePropName="checked" extra={t('setup.loadDemoHint')}>
          <Checkbox data-testid="load-demo">{t('setup.loadDemo')}</Checkbox>
        </Form.Item>
        {loadingDemo && <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('setup.loadingDemo', { seconds: elapsed })} data-testid="demo-progress" />}
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t('setup.submit')}
        </Button>
      </Form>
    </AuthCard>
  );
}
