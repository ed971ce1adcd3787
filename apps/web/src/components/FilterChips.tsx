import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../lib/format.ts';

/** The date-range filters a list got from a link (a KPI's drill), each removable. */
export function FilterChips({ keys, values, onRemove }: { keys: string[]; values: Record<string, string | undefined>; onRemove: (key: string) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const shown = keys.filter((k) => values[k]);
  if (!shown.length) return null;
  return (
    <>
      {shown.map((k) => {
        const v = values[k]!;
        // Instants (from a KPI's period in UTC) show as local days, business dates as they are.
        const label = /^\d{4}-\d{2}-\d{2}$/.test(v) ? f.date(v) : f.day(v);
        return (
          <Tag key={k} closable onClose={() => onRemove(k)} style={{ padding: '4px 8px' }} data-testid={`filter-${k}`}>
            {t(`filter.${k}`)}: {label}
          </Tag>
        );
      })}
    </>
  );
}
