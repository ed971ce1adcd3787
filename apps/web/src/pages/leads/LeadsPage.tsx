import { useCallback, useMemo } from 'react';
import { Button, Card, Flex, Input, Select, Space, Typography } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useList } from '../../api/hooks.ts';
import { LEAD_STATUSES } from '../../api/types.ts';
import { useAuth } from '../../auth/auth.tsx';
import { CursorTable, pageSizeOf, sortOrderOf } from '../../components/CursorTable.tsx';
import {
  LEAD_COLUMNS,
  LEAD_DEFAULT_SORT,
  LEAD_LIST_KEYS,
  LEAD_RANGES,
  leadListParams,
  type LeadRow,
} from './leadList.ts';
import { useListTools, type ListColumn } from '../../components/ListTools.tsx';
import { localDateTime } from '../../lib/exportRows.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { OwnerName } from '../../components/Refs.tsx';
import { StatusTag } from '../../components/StatusTag.tsx';
import { formatDateTime, useFormat } from '../../lib/format.ts';
import { useListParams } from '../../lib/useListParams.ts';
import { FilterChips } from '../../components/FilterChips.tsx';

const RANGES = LEAD_RANGES;
/** The API fields each column reads (what the list asks for: leadList.ts). */
const fieldsOf = (key: (typeof LEAD_COLUMNS)[number]['key']) =>
  LEAD_COLUMNS.find((c) => c.key === key)!.fields;

/** Leads: filters (status, source, text), sortable columns, cursor paging. */
export function LeadsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const { can, me } = useAuth();
  const navigate = useNavigate();
  const [p, set] = useListParams(LEAD_LIST_KEYS, { sort: LEAD_DEFAULT_SORT });
  // The rows carry only the fields the columns read (`fields`); the boot module may have started this request already.
  const listParams = leadListParams((k) => p[k]);
  // Export asks for every field itself, page by page, with the same filters and sort.
  const { fields: _trimmed, ...params } = listParams;
  const query = useList<LeadRow>('leads', listParams);
  const locale = f.locale;
  // Built again only when the language or the sort changes: the long list's rows are memoised on their columns.
  const columns = useMemo<Array<ListColumn<LeadRow>>>(
    () => [
      {
        key: 'name',
        fields: fieldsOf('name'),
        title: t('field.name'),
        sorter: true,
        sortOrder: sortOrderOf(p.sort, 'name'),
        exportValue: (r) => r.name,
        render: (_, r) => (
          <Link to={`/leads/${r.id}`} onClick={(e) => e.stopPropagation()}>
            {r.name}
          </Link>
        ),
      },
      {
        key: 'company',
        fields: fieldsOf('company'),
        title: t('field.company'),
        sorter: true,
        sortOrder: sortOrderOf(p.sort, 'company'),
        exportValue: (r) => r.company,
        render: (_, r) => r.company ?? '—',
      },
      {
        key: 'email',
        fields: fieldsOf('email'),
        title: t('field.email'),
        exportValue: (r) => r.email,
        render: (_, r) => r.email ?? '—',
      },
      {
        key: 'phone',
        fields: fieldsOf('phone'),
        title: t('field.phone'),
        exportValue: (r) => r.phone,
        render: (_, r) => r.phone ?? '—',
      },
      {
        key: 'status',
        fields: fieldsOf('status'),
        title: t('field.status'),
        exportValue: (r, x) => x.t(`status.lead.${r.status}`),
        render: (_, r) => <StatusTag entity="lead" status={r.status} />,
      },
      {
        key: 'source',
        fields: fieldsOf('source'),
        title: t('field.source'),
        exportValue: (r, x) => (r.source ? x.t(`source.${r.source}`, { defaultValue: r.source }) : null),
        render: (_, r) => (r.source ? t(`source.${r.source}`, { defaultValue: r.source }) : '—'),
      },
      {
        key: 'region',
        fields: fieldsOf('region'),
        title: t('field.region'),
        exportValue: (r) => r.region,
        render: (_, r) => r.region ?? '—',
      },
      {
        key: 'score',
        fields: fieldsOf('score'),
        title: t('field.score'),
        sorter: true,
        sortOrder: sortOrderOf(p.sort, 'score'),
        align: 'right',
        exportValue: (r) => r.score,
        render: (_, r) => r.score,
      },
      {
        key: 'owner',
        fields: fieldsOf('owner'),
        title: t('field.owner'),
        exportValue: (r, x) => x.owner(r.ownerId),
        render: (_, r) => <OwnerName id={r.ownerId} />,
      },
      {
        key: 'createdAt',
        fields: fieldsOf('createdAt'),
        title: t('field.createdAt'),
        sorter: true,
        sortOrder: sortOrderOf(p.sort, 'createdAt'),
        exportValue: (r) => localDateTime(r.createdAt),
        render: (_, r) => (
          <Typography.Text type="secondary">{formatDateTime(r.createdAt, locale)}</Typography.Text>
        ),
      },
    ],
    [t, locale, p.sort],
  );
  const onRow = useCallback(
    (r: LeadRow) => ({ onClick: () => navigate(`/leads/${r.id}`), className: 'ltc-clickable-row' }),
    [navigate],
  );
  const tools = useListTools<LeadRow>({ list: 'leads', type: 'leads', columns, params });

  return (
    <>
      <PageHeader
        title={t('nav.leads')}
        extra={
          can('lead', 'write') && (
            <Space>
              {me?.permissions.lead?.scope === 'all' && (
                <Button
                  icon={<UploadOutlined />}
                  onClick={() => navigate('/leads/import')}
                  data-testid="import-leads"
                >
                  {t('leadImport.button')}
                </Button>
              )}
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => navigate('/leads/new')}
                data-testid="new-lead"
              >
                {t('leads.new')}
              </Button>
            </Space>
          )
        }
      />
      <Card>
        <Flex justify="space-between" align="flex-start" wrap gap={8} style={{ marginBottom: 16 }}>
          <Space wrap>
            <Input.Search
              allowClear
              placeholder={t('leads.searchPlaceholder')}
              defaultValue={p.q}
              onSearch={(v) => set({ q: v })}
              style={{ width: 280 }}
              data-testid="lead-search"
            />
            <Select
              allowClear
              placeholder={t('field.status')}
              aria-label={t('field.status')}
              value={p.status}
              onChange={(v) => set({ status: v })}
              style={{ width: 160 }}
              options={LEAD_STATUSES.map((s) => ({ value: s, label: t(`status.lead.${s}`) }))}
            />
            <Input.Search
              allowClear
              placeholder={t('field.source')}
              defaultValue={p.source}
              onSearch={(v) => set({ source: v })}
              style={{ width: 180 }}
            />
            <FilterChips keys={RANGES} values={p} onRemove={(k) => set({ [k]: null })} />
          </Space>
          {tools.tools}
        </Flex>
        <CursorTable<LeadRow>
          testId="leads-table"
          query={query}
          pageSize={pageSizeOf(p.limit)}
          onPageSizeChange={(n) => set({ limit: n === 25 ? null : String(n) })}
          onSortChange={(s) => set({ sort: s })}
          onRow={onRow}
          emptyText={
            p.q || p.status || p.source || RANGES.some((k) => p[k]) ? t('list.noMatch') : t('leads.empty')
          }
          columns={tools.columns}
        />
      </Card>
    </>
  );
}
