import { useState } from 'react';
import { App, Button, Form, Input, Modal, Select, Table, Tag, Typography } from 'antd';
import { KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useInvalidate } from '../../api/hooks.ts';
import type { Team, User } from '../../api/types.ts';
import { useAuth } from '../../auth/auth.tsx';
import { applyFieldErrors } from '../../components/errors.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFormat } from '../../lib/format.ts';

export const ROLES = ['admin', 'sales_manager', 'sales_rep', 'marketing', 'legal', 'operations', 'finance', 'viewer'];

function NewUserDialog({ open, teams, onClose, onCreated }: { open: boolean; teams: Team[]; onClose: () => void; onCreated: () => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm();
  const invalidate = useInvalidate();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await api.post('/users', { ...v, teamId: v.teamId ?? null });
      await invalidate('users');
      form.resetFields();
      onCreated();
    } catch (e) {
      applyFieldErrors(form, e, t, i18n.language);
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t('settings.newUser')} okText={t('common.create')} cancelText={t('common.cancel')} okButtonProps={{ loading: busy }} onOk={() => void submit().catch(() => undefined)} onCancel={onClose} destroyOnHidden>
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" preserve={false} initialValues={{ role: 'sales_rep', locale: 'zh-CN' }}>
        <Form.Item name="name" label={t('field.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="email" label={t('field.email')} rules={[{ required: true, type: 'email', message: t('validation.email') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="password" label={t('setup.password')} rules={[{ required: true, min: 8, message: t('validation.passwordMin', { min: 8 }) }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="role" label={t('field.role')}>
          <Select options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
        </Form.Item>
        <Form.Item name="teamId" label={t('field.team')}>
          <Select allowClear options={teams.map((tm) => ({ value: tm.id, label: tm.name }))} />
        </Form.Item>
        <Form.Item name="locale" label={t('field.locale')}>
          <Select options={[{ value: 'zh-CN', label: '简体中文' }, { value: 'en', label: 'English' }]} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function TokenDialog({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [token, setToken] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const close = () => {
    setName('');
    setToken(null);
    setError(null);
    onClose();
  };
  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ id: string; token: string }>(`/users/${user!.id}/tokens`, { name: name.trim() });
      setToken(r.token);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={!!user}
      title={t('settings.tokenFor', { name: user?.name ?? '' })}
      onCancel={close}
      footer={
        token ? (
          <Button type="primary" onClick={close}>
            {t('common.done')}
          </Button>
        ) : (
          <>
            <Button onClick={close}>{t('common.cancel')}</Button>
            <Button type="primary" loading={busy} disabled={!name.trim()} onClick={() => void create()}>
              {t('common.create')}
            </Button>
          </>
        )
      }
      destroyOnHidden
    >
      <ErrorAlert error={error} />
      {token ? (
        <>
          <Typography.Paragraph>{t('settings.tokenOnce')}</Typography.Paragraph>
          <Typography.Paragraph code copyable>
            {token}
          </Typography.Paragraph>
        </>
      ) : (
        <Input placeholder={t('settings.tokenName')} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
      )}
    </Modal>
  );
}

export function UsersTab({ teams }: { teams: Team[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useAuth();
  const { message } = App.useApp();
  const q = useQuery({ queryKey: ['users', 'all'], queryFn: ({ signal }) => api.get<{ items: User[] }>('/users', undefined, signal) });
  const [creating, setCreating] = useState(false);
  const [tokenFor, setTokenFor] = useState<User | null>(null);
  const teamName = (id: string | null) => teams.find((x) => x.id === id)?.name ?? '—';
  const mayWrite = can('user', 'write');
  return (
    <>
      {mayWrite && (
        <Button type="primary" icon={<PlusOutlined />} style={{ marginBottom: 16 }} onClick={() => setCreating(true)}>
          {t('settings.newUser')}
        </Button>
      )}
      {q.isError && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
      <Table<User>
        rowKey="id"
        size="middle"
        loading={q.isPending}
        dataSource={q.data?.items ?? []}
        pagination={false}
        columns={[
          { key: 'name', title: t('field.name'), render: (_, r) => r.name },
          { key: 'email', title: t('field.email'), render: (_, r) => r.email },
          { key: 'role', title: t('field.role'), render: (_, r) => <Tag>{t(`role.${r.role}`, { defaultValue: r.role })}</Tag> },
          { key: 'team', title: t('field.team'), render: (_, r) => teamName(r.teamId) },
          { key: 'active', title: t('field.active'), render: (_, r) => (r.active ? <Tag color="green">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>) },
          { key: 'createdAt', title: t('field.createdAt'), render: (_, r) => f.day(r.createdAt) },
          {
            key: 'actions',
            title: '',
            render: (_, r) =>
              mayWrite && (
                <Button size="small" icon={<KeyOutlined />} onClick={() => setTokenFor(r)}>
                  {t('settings.newToken')}
                </Button>
              ),
          },
        ]}
      />
      <NewUserDialog
        open={creating}
        teams={teams}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setCreating(false);
          void message.success(t('settings.saved'));
        }}
      />
      <TokenDialog user={tokenFor} onClose={() => setTokenFor(null)} />
    </>
  );
}
