import { Link } from 'react-router';
import type { Doc, Helpers } from './types.ts';
import type { ExportHelpers } from '../../components/ListTools.tsx';
import { RecordLink } from '../../components/Refs.tsx';
import { StatusTag } from '../../components/StatusTag.tsx';
import { sortOrderOf } from '../../components/CursorTable.tsx';
import { localDateTime } from '../../lib/exportRows.ts';

/** Column builders shared by the document lists. */
export const col = {
  number: (type: string, h: Helpers, sort: string | undefined) => ({
    key: 'number',
    title: h.t('field.number'),
    sorter: true,
    sortOrder: sortOrderOf(sort, 'number'),
    exportValue: (r: Doc) => r.number ?? null,
    render: (_: unknown, r: Doc) => (
      <Link to={`/${type}/${r.id}`} onClick={(e) => e.stopPropagation()}>
        {r.number ?? h.t('documents.draftNoNumber')}
      </Link>
    ),
  }),
  account: (h: Helpers) => ({
    key: 'account',
    title: h.t('field.account'),
    needsAccounts: true,
    exportValue: (r: Doc, x: ExportHelpers) => x.account(r.accountId),
    render: (_: unknown, r: Doc) => (
      <span onClick={(e) => e.stopPropagation()}>
        <RecordLink type="accounts" id={r.accountId} />
      </span>
    ),
  }),
  status: (entity: string, h: Helpers) => ({ key: 'status', title: h.t('field.status'), exportValue: (r: Doc) => h.t(`status.${entity}.${r.status}`), render: (_: unknown, r: Doc) => <StatusTag entity={entity} status={r.status} /> }),
  money: (key: string, field: string, h: Helpers, sort: string | undefined, sortable = true) => ({
    key,
    title: h.t(`field.${key}`),
    align: 'right' as const,
    ...(sortable ? { sorter: true, sortOrder: sortOrderOf(sort, key) } : {}),
    exportValue: (r: Doc) => (typeof r[field] === 'number' ? { minor: r[field] as number, currency: r.currency ?? 'CNY' } : null),
    render: (_: unknown, r: Doc) => h.f.money(r[field] as number, r.currency ?? 'CNY'),
  }),
  date: (key: string, h: Helpers, sort: string | undefined, sortable = true) => ({
    key,
    title: h.t(`field.${key}`),
    ...(sortable ? { sorter: true, sortOrder: sortOrderOf(sort, key) } : {}),
    exportValue: (r: Doc) => (/At$/.test(key) ? localDateTime(r[key] as string | null) : ((r[key] as string | null) ?? null)),
    render: (_: unknown, r: Doc) => (/At$/.test(key) ? h.f.day(r[key] as string) : h.f.date(r[key] as string)),
  }),
};

export const link = (type: string, id: unknown) => <RecordLink type={type} id={(id as string | null) ?? null} />;
