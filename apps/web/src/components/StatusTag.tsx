import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const COLORS: Record<string, string> = {
  new: 'blue',
  working: 'geekblue',
  nurturing: 'purple',
  qualified: 'cyan',
  converted: 'green',
  disqualified: 'default',
  open: 'processing',
  won: 'success',
  lost: 'error',
  draft: 'default',
  cancelled: 'default',
  submitted: 'orange',
  in_review: 'orange',
  approved: 'cyan',
  sent: 'blue',
  accepted: 'green',
  rejected: 'red',
  expired: 'default',
  superseded: 'default',
  signed: 'geekblue',
  active: 'green',
  terminated: 'red',
  confirmed: 'blue',
  fulfilled: 'cyan',
  closed: 'default',
  shipped: 'blue',
  delivered: 'cyan',
  issued: 'blue',
  partially_paid: 'orange',
  paid: 'green',
  received: 'green',
};

/** A lifecycle status, translated (`status.<entity>.<status>`), coloured by meaning. */
export function StatusTag({ entity, status }: { entity: string; status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[status] ?? 'default'} data-status={status}>
      {t(`status.${entity}.${status}`, { defaultValue: status })}
    </Tag>
  );
}
