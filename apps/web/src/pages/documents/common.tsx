import { Link } from 'react-router';
import type { Doc, Helpers } from './types.ts';
import { RecordLink } from '../../components/Refs.tsx';
import { StatusTag } from '../../components/StatusTag.tsx';
import { sortOrderOf } from '../../components/CursorTable.tsx';

/** Column builders shared by the document lists. */
export const col = {
  number: (type: string, h: Helpers, sort: string | undefined) => ({
    key: 'number',
    title: h.t('field.number'),
    sorter: true,
    sortOrder: sortOrderOf(sort, 'number'),
    render: (_: unknown, r: Doc) => (
      <Link to={`/${type}/${r.id}`} onClick={(e) => e.stopPropagation()}>
        {r.number ?? h.t('documents.draftNoNumber')}
      </Link>
    ),
  }),
  account: (h: Helpers) => ({
    key: 'account',
    title: h.t('field.account'),
    render: (_: unknown, r: Doc) => (
      <span onClick={(e) => e.stopPropagation()}>
        <RecordLink type="accounts" id={r.accountId} />
      </span>
    ),
  }),
  status: (entity: string, h: Helpers) => ({ key: 'status', title: h.t('field.status'), render: (_: unknown, r: Doc) => <StatusTag entity={entity} status={r.status} /> }),
  money: (key: string, field: string, h: Helpers, sort: string | undefined, sortable = true) => ({
    key,
    title: h.t(`field.${key}`),
    align: 'right' as const,
    ...(sortable ? { sorter: true, sortOrder: sortOrderOf(sort, key) } : {}),
    render: (_: unknown, r: Doc) => h.f.money(r[field] as number, r.currency ?? 'CNY'),
  }),
  date: (key: string, h: Helpers, sort: string | undefined, sortable = true) => ({
    key,
    title: h.t(`field.${key}`),
    ...(sortable ? { sorter: true, sortOrder: sortOrderOf(sort, key) } : {}),
    render: (_: unknown, r: Doc) => (/At$/.test(key) ? h.f.day(r[key] as string) : h.f.date(r[key] as string)),
  }),
};

export const link = (type: string, id: unknown) => <RecordLink type={type} id={(id as string | null) ?? null} />;
