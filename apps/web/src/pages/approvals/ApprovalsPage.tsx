import { useState } from 'react';
import { App, Button, Card, Flex, Grid, List, Space, Table, Tag, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useAuth } from '../../auth/auth.tsx';
import { problemMessage } from '../../components/errors.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ReasonDialog } from '../../components/ReasonDialog.tsx';
import { OwnerName } from '../../components/Refs.tsx';
import { StatusTag } from '../../components/StatusTag.tsx';
import { DOC_TYPES } from '../../lib/docTypes.tsx';
import { useFormat } from '../../lib/format.ts';
import { approvalsKey, INBOX_ACTIONS, needsReason, useApprovals, type InboxItem } from './approvals.ts';

const DAY_MS = 86_400_000;

/**
 * The approvals inbox: submitted quotes, contracts in legal review, draft invoices to issue and
 * orders on credit hold that the user may decide on, oldest first, with the decision buttons.
 */
export function ApprovalsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useApprovals();
  const [asking, setAsking] = useState<{ item: InboxItem; action: string } | null>(null);
  const act = useMutation({
    mutationFn: ({ item, action, body }: { item: InboxItem; action: string; body?: object }) =>
      api.post<{ status: string }>(`/${item.type}/${item.id}/${action}`, body ?? {}),
    onSuccess: async (d, v) => {
      void message.success(
        t('approvals.done', {
          title:
            v.item.type === 'invoices' && v.item.status === 'draft' ? t('invoices.draftTitle') : v.item.title,
          status: t(`status.${DOC_TYPES[v.item.type]!.entity}.${d.status}`, { defaultValue: d.status }),
        }),
      );
      await Promise.all([
        qc.invalidateQueries({ queryKey: approvalsKey }),
        qc.invalidateQueries({ queryKey: [v.item.type] }),
      ]);
    },
  });
  const entityOf = (type: string) => DOC_TYPES[type]?.entity ?? type;
  const label = (type: string, a: string) =>
    t(`action.${entityOf(type)}.${a}`, { defaultValue: t(`action.${a}`, { defaultValue: a }) });
  const permitted = (item: InboxItem, a: string) =>
    can(entityOf(item.type), INBOX_ACTIONS[a]?.permission ?? 'approve');
  const run = (item: InboxItem, action: string) => {
    if (needsReason(item.type, action)) return setAsking({ item, action });
    act.mutate({ item, action }, { onError: (e) => void message.error(problemMessage(t, e)) });
  };
  const busy = (item: InboxItem, a: string) =>
    act.isPending && act.variables?.item.id === item.id && act.variables.action === a;
  const items = q.data?.items ?? [];
  // A draft invoice has no number yet (the server sends its id).
  const titleOf = (r: InboxItem) =>
    r.type === 'invoices' && r.status === 'draft' ? t('invoices.draftTitle') : r.title;
  const now = Date.now();
  const buttons = (r: InboxItem) => (
    <Space wrap>
      {r.actions
        .filter((a) => permitted(r, a))
        .map((a) => (
          <Button
            key={a}
            size="small"
            type={INBOX_ACTIONS[a]?.danger ? 'default' : 'primary'}
            danger={INBOX_ACTIONS[a]?.danger}
            loading={busy(r, a)}
            disabled={act.isPending && !busy(r, a)}
            onClick={() => run(r, a)}
            data-action={a}
          >
            {label(r.type, a)}
          </Button>
        ))}
    </Space>
  );
  const waitingDays = (r: InboxItem) => Math.floor((now - Date.parse(r.waitingSince)) / DAY_MS);
  const screens = Grid.useBreakpoint();

  return (
    <>
      <PageHeader
        title={t('nav.approvals')}
        extra={
          <Button onClick={() => void q.refetch()} loading={q.isFetching}>
            {t('common.refresh')}
          </Button>
        }
      />
      <Card>
        {q.isError && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
        {!screens.md && (q.data || q.isError) ? (
          <List<InboxItem>
            dataSource={items}
            data-testid="approvals-list"
            locale={{ emptyText: t('approvals.empty') }}
            renderItem={(r) => (
              <List.Item key={`${r.type}:${r.id}`} style={{ display: 'block' }}>
                <Flex justify="space-between" align="center" gap={8} wrap>
                  <Space size={6} wrap>
                    <Tag icon={DOC_TYPES[r.type]?.icon} color="blue">
                      {t(`thread.type.${entityOf(r.type)}`)}
                    </Tag>
                    <Link to={`/${r.type}/${r.id}`}>{titleOf(r)}</Link>
                  </Space>
                  <strong>
                    {r.amountMinor === null ? '—' : f.money(r.amountMinor, r.currency ?? 'CNY')}
                  </strong>
                </Flex>
                <Typography.Text
                  type="secondary"
                  style={{ display: 'block', fontSize: 12, margin: '4px 0 8px' }}
                >
                  {f.dateTime(r.waitingSince)} ·{' '}
                  {waitingDays(r) < 1 ? t('approvals.today') : t('approvals.days', { count: waitingDays(r) })}
                </Typography.Text>
                {buttons(r)}
              </List.Item>
            )}
          />
        ) : (
          <Table<InboxItem>
            rowKey={(r) => `${r.type}:${r.id}`}
            data-testid="approvals-table"
            loading={q.isPending}
            dataSource={items}
            pagination={items.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: q.isPending ? ' ' : t('approvals.empty') }}
            columns={[
              {
                key: 'type',
                title: t('approvals.type'),
                render: (_, r) => (
                  <Tag icon={DOC_TYPES[r.type]?.icon} color="blue">
                    {t(`thread.type.${entityOf(r.type)}`)}
                  </Tag>
                ),
              },
              {
                key: 'title',
                title: t('approvals.document'),
                render: (_, r) => (
                  <Space direction="vertical" size={2}>
                    <Typography.Text ellipsis={{ tooltip: titleOf(r) }} style={{ maxWidth: 240 }}>
                      <Link to={`/${r.type}/${r.id}`}>{titleOf(r)}</Link>
                    </Typography.Text>
                    <StatusTag entity={entityOf(r.type)} status={r.status} />
                  </Space>
                ),
              },
              {
                key: 'amount',
                title: t('field.amount'),
                align: 'right',
                render: (_, r) =>
                  r.amountMinor === null ? '—' : f.money(r.amountMinor, r.currency ?? 'CNY'),
              },
              { key: 'owner', title: t('field.owner'), render: (_, r) => <OwnerName id={r.ownerId} /> },
              {
                key: 'waiting',
                title: t('approvals.waitingSince'),
                render: (_, r) => {
                  const days = waitingDays(r);
                  return (
                    <Space direction="vertical" size={0}>
                      <span>{f.dateTime(r.waitingSince)}</span>
                      <Typography.Text type={days >= 3 ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
                        {days < 1 ? t('approvals.today') : t('approvals.days', { count: days })}
                      </Typography.Text>
                    </Space>
                  );
                },
              },
              {
                key: 'actions',
                title: t('approvals.actions'),
                render: (_, r) => buttons(r),
              },
            ]}
          />
        )}
      </Card>
      <ReasonDialog
        open={!!asking}
        title={asking ? `${label(asking.item.type, asking.action)} · ${titleOf(asking.item)}` : ''}
        okText={asking ? label(asking.item.type, asking.action) : ''}
        danger={!!asking && !!INBOX_ACTIONS[asking.action]?.danger}
        onClose={() => setAsking(null)}
        onSubmit={(reason) =>
          act.mutateAsync({ item: asking!.item, action: asking!.action, body: { reason } })
        }
      />
    </>
  );
}
