import { Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';

/** Actions that close a door get the danger style. */
const DANGER = new Set(['disqualify', 'lose', 'cancel', 'void', 'reject', 'terminate']);
const PRIMARY = new Set(['qualify', 'convert', 'win', 'approve', 'issue', 'confirm', 'submit', 'sign', 'accept']);

/**
 * The record's lifecycle actions as buttons: only those the record allows now (`allowedActions`)
 * and the user's role permits. Labels come from `action.<entity>.<name>` (fallback `action.<name>`).
 */
export function ActionButtons({
  entity,
  actions,
  permitted,
  busy,
  onAction,
}: {
  entity: string;
  actions: string[];
  permitted: (action: string) => boolean;
  busy?: string | null;
  onAction: (action: string) => void;
}) {
  const { t } = useTranslation();
  const shown = actions.filter(permitted);
  if (!shown.length) return null;
  return (
    <Space wrap>
      {shown.map((a) => (
        <Button
          key={a}
          type={PRIMARY.has(a) ? 'primary' : 'default'}
          danger={DANGER.has(a)}
          loading={busy === a}
          disabled={!!busy && busy !== a}
          onClick={() => onAction(a)}
          data-action={a}
        >
          {t(`action.${entity}.${a}`, { defaultValue: t(`action.${a}`, { defaultValue: a }) })}
        </Button>
      ))}
    </Space>
  );
}
