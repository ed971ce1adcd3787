import { Card, Empty, Skeleton, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePipelines, useTimeline } from '../api/hooks.ts';
import type { TimelineEvent } from '../api/types.ts';
import { useFormat } from '../lib/format.ts';
import { ErrorAlert } from './ErrorAlert.tsx';
import { OwnerName, RecordLink } from './Refs.tsx';
import { RECORD_FIELDS, currenciesOf, fieldLabelKeys, valueKind } from './timelineFields.ts';
import { rateToPercent } from '../lib/money.ts';

const ACTION_COLORS: Record<string, string> = {
  created: 'green',
  updated: 'blue',
  disqualify: 'red',
  lose: 'red',
  win: 'green',
  convert: 'green',
};

/** One value of a field as the timeline shows it (money in the record's currency, dates, names). */
function Value({
  entity,
  field,
  value,
  currency,
}: {
  entity: string;
  field: string;
  value: unknown;
  currency: string;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const pipelines = usePipelines();
  switch (valueKind(field, value)) {
    case 'empty':
      return <>{t('common.empty')}</>;
    case 'status':
      return <>{t(`status.${entity}.${String(value)}`, { defaultValue: String(value) })}</>;
    case 'money':
      return <>{f.money(value as number, currency)}</>;
    case 'bool':
      return <>{value ? t('common.yes') : t('common.no')}</>;
    case 'list':
      return <>{t('timeline.items', { count: (value as unknown[]).length })}</>;
    case 'object':
      return <>{JSON.stringify(value).slice(0, 120)}</>;
    case 'user':
      return <OwnerName id={String(value)} />;
    case 'record':
      return <RecordLink type={RECORD_FIELDS[field]!} id={String(value)} />;
    case 'stage': {
      const stage = pipelines.data?.flatMap((p) => p.stages).find((s) => s.id === value);
      return <>{stage?.name ?? String(value)}</>;
    }
    case 'percent':
      return <>{`${String(value)}%`}</>;
    case 'rate':
      return <>{`${rateToPercent(String(value))}%`}</>;
    case 'date':
      return <>{f.date(String(value))}</>;
    case 'dateTime':
      return <>{f.dateTime(String(value))}</>;
    default:
      return <>{String(value)}</>;
  }
}

function Changes({ entity, event, currency }: { entity: string; event: TimelineEvent; currency: string }) {
  const { t } = useTranslation();
  const after = event.after;
  if (event.action === 'created' || !after) return null;
  // An activity logged on this record: what it was, not a field diff.
  if (typeof after.activityId === 'string')
    return (
      <div>
        <Typography.Text type="secondary">
          {t(`activities.type.${String(after.type)}`, { defaultValue: String(after.type) })}:
        </Typography.Text>{' '}
        <Typography.Text>{String(after.subject ?? '')}</Typography.Text>
        {typeof after.outcome === 'string' && (
          <Typography.Text type="secondary">
            {' '}
            · {t(`activities.outcome.${after.outcome}`, { defaultValue: after.outcome })}
          </Typography.Text>
        )}
      </div>
    );
  const keys = Object.keys(after).filter((k) => k !== 'currency' || event.before?.currency !== undefined);
  if (!keys.length) return null;
  return (
    <ul style={{ margin: '4px 0 0', paddingInlineStart: 18 }}>
      {keys.map((k) => (
        <li key={k} data-field={k}>
          <Typography.Text type="secondary">{t(fieldLabelKeys(k), { defaultValue: k })}:</Typography.Text>{' '}
          {event.before && k in event.before && (
            <>
              <Typography.Text delete type="secondary">
                <Value entity={entity} field={k} value={event.before[k]} currency={currency} />
              </Typography.Text>{' '}
              →{' '}
            </>
          )}
          <Typography.Text>
            <Value entity={entity} field={k} value={after[k]} currency={currency} />
          </Typography.Text>
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
  const currencies = currenciesOf(q.data?.items ?? []);
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
          items={q.data.items.map((e, i) => ({
            key: e.id,
            color: ACTION_COLORS[e.action] ?? 'gray',
            children: (
              <div>
                <Typography.Text strong>
                  {t(`timeline.action.${e.action}`, {
                    defaultValue: t(`activities.timeline.${e.action}`, { defaultValue: e.action }),
                  })}
                </Typography.Text>
                <Typography.Text type="secondary">
                  {' · '}
                  {e.actorName ?? t('timeline.system')} · {f.dateTime(e.occurredAt)}
                </Typography.Text>
                <Changes entity={entity} event={e} currency={currencies[i]!} />
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}
