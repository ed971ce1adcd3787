import { Card, Empty, List, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { ActivityItem } from './ActivityPanel.tsx';
import { dueGroup, useMyTasks, type Activity, type DueGroup } from './activities.ts';

const GROUPS: DueGroup[] = ['overdue', 'today', 'upcoming'];

/** Home: the signed-in user's open tasks — overdue, due today, upcoming — each completed in place. */
export function MyTasks() {
  const { t } = useTranslation();
  const q = useMyTasks();
  const now = new Date();
  const items = q.data?.items ?? [];
  const by = new Map<DueGroup, Activity[]>(GROUPS.map((g) => [g, []]));
  for (const a of items) by.get(dueGroup(a.dueAt, now))!.push(a);
  return (
    <Card title={t('activities.myTasks')} size="small" data-testid="my-tasks">
      {q.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : q.isError ? (
        <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      ) : !items.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('activities.noTasks')} />
      ) : (
        GROUPS.filter((g) => by.get(g)!.length).map((g) => (
          <List
            key={g}
            size="small"
            data-testid={`tasks-${g}`}
            header={
              <Typography.Text strong type={g === 'overdue' ? 'danger' : undefined}>
                {t(`activities.group.${g}`)} ({by.get(g)!.length})
              </Typography.Text>
            }
            dataSource={by.get(g)!}
            renderItem={(a) => <ActivityItem a={a} mayWrite showParent />}
          />
        ))
      )}
    </Card>
  );
}
