import { Card, Empty, Skeleton, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useTimeline } from '../api/hooks.ts';
import type { TimelineEvent } from '../api/types.ts';
import { useFormat } from '../lib/format.ts';
import { ErrorAlert } from './ErrorAlert.tsx';

const ACTION_COLORS: Record<string, string> = { created: 'green', updated: 'blue', disqualify: 'red', lose: 'red', win: 'green', convert: 'green' };

function useValueText(entity: string) {
  const { t } = useTranslation();
  const f = useFormat();
  return (key: string, value: unknown, record: Record<string, unknown> | null): string => {
    if (value === null || value === undefined || value === '') return t('common.empty');
    if (key === 'status') return t(`status.${entity}.${String(value)}`, { defaultValue: String(value) });
    if (key.endsWith('Minor') && typeof value === 'number') return f.money(value, String(record?.currency ?? 'CNY'));
    if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
    if (Array.isArray(value)) return t('timeline.items', { count: value.length });
    if (typeof value === 'object') return JSON.stringify(value).slice(0, 120);
    if (/At$/.test(key)) return f.dateTime(String(value));
    return String(value);
  };
}

function Changes({ entity, event }: { entity: string; event: TimelineEvent }) {
  const { t } = useTranslation();
  const text = useValueText(entity);
  const after = event.after;
  if (event.action === 'created' || !after) return null;
  // An activity logged on this record: what it was, not a field diff.
  if (typeof after.activityId === 'string')
    return (
      <div>
        <Typography.Text type="secondary">{t(`activities.type.${String(after.type)}`, { defaultValue: String(after.type) })}:</Typography.Text>{' '}
        <Typography.Text>{String(after.subject ?? '')}</Typography.Text>
        {typeof after.outcome === 'string' && <Typography.Text type="secondary"> · {t(`activities.outcome.${after.outcome}`, { defaultValue: after.outcome })}</Typography.Text>}
      </div>
    );
  const keys = Object.keys(after);
  if (!keys.length) return null;
  return (
    <ul style={{ margin: '4px 0 0', paddingInlineStart: 18 }}>
      {keys.map((k) => (
        <li key={k}>
          <Typography.Text type="secondary">{t(`field.${k}`, { defaultValue: k })}:</Typography.Text>{' '}
          <Typography.Text delete type="secondary">
            {text(k, event.before?.[k], event.before)}
          </Typography.Text>{' '}
          → <Typography.Text>{text(k, after[k], after)}</Typography.Text>
        </li>
      ))}
    </ul>
  );
}

/** Every event of a record, oldest first: who did what, when, and which fields changed. */
export function RecordTimeline({ type, entity, id }: { type: string; entity: string; id: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const q = useTimeline(type, id);
  return (
    <Card title={t('timeline.title')} size="small" data-testid="timeline">
      {q.isPending ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : q.isError ? (
        <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      ) : !q.data.items.length ? (
        <Empty description={t('timeline.empty')} />
      ) : (
        <Timeline
          style={{ marginTop: 8 }}
          items={q.data.items.map((e) => ({
            key: e.id,
            color: ACTION_COLORS[e.action] ?? 'gray',
            children: (
              <div>
                <Typography.Text strong>{t(`timeline.action.${e.action}`, { defaultValue: t(`activities.timeline.${e.action}`, { defaultValue: e.action }) })}</Typography.Text>
                <Typography.Text type="secondary">
                  {' · '}
                  {e.actorName ?? t('timeline.system')} · {f.dateTime(e.occurredAt)}
                </Typography.Text>
                <Changes entity={entity} event={e} />
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}
