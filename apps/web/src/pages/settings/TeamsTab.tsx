import { useState } from 'react';
import { Button, Form, Input, Select, Space, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useInvalidate } from '../../api/hooks.ts';
import type { Team } from '../../api/types.ts';
import { useAuth } from '../../auth/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

export function TeamsTab({ teams, loading, error, retry }: { teams: Team[]; loading: boolean; error: unknown; retry: () => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const invalidate = useInvalidate();
  const [form] = Form.useForm<{ name: string; parentId?: string }>();
  const [saveError, setSaveError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const add = async (v: { name: string; parentId?: string }) => {
    setBusy(true);
    setSaveError(null);
    try {
      await api.post('/teams', { name: v.name.trim(), parentId: v.parentId ?? null });
      form.resetFields();
      await invalidate('teams');
    } catch (e) {
      setSaveError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {can('user', 'write') && (
        <Form form={form} layout="inline" onFinish={(v) => void add(v)} style={{ marginBottom: 16 }}>
          <Form.Item name="name" rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input placeholder={t('settings.teamName')} maxLength={100} style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="parentId">
            <Select allowClear placeholder={t('settings.parentTeam')} style={{ width: 200 }} options={teams.map((x) => ({ value: x.id, label: x.name }))} />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" icon={<PlusOutlined />} loading={busy}>
              {t('settings.newTeam')}
            </Button>
          </Space>
        </Form>
      )}
      <ErrorAlert error={saveError ?? error} onRetry={error ? retry : undefined} />
      <Table<Team>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={teams}
        pagination={false}
        locale={{ emptyText: t('settings.noTeams') }}
        columns={[
          { key: 'name', title: t('field.name'), render: (_, r) => r.name },
          { key: 'parent', title: t('settings.parentTeam'), render: (_, r) => teams.find((x) => x.id === r.parentId)?.name ?? '—' },
        ]}
      />
    </>
  );
}
