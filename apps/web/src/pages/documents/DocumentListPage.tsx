import { Card, Flex, Input, Select, Space, Tag } from 'antd';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useList } from '../../api/hooks.ts';
import { CursorTable, pageSizeOf } from '../../components/CursorTable.tsx';
import { useListTools, type ListColumn } from '../../components/ListTools.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RecordLink } from '../../components/Refs.tsx';
import { useFormat } from '../../lib/format.ts';
import { useListParams } from '../../lib/useListParams.ts';
import { RANGE_FILTERS } from '../../lib/drill.ts';
import { FilterChips } from '../../components/FilterChips.tsx';
import type { Doc, DocConfig } from './types.ts';

/** The list of one document type: number/text search, status filter, sortable columns, cursor paging. */
export function DocumentListPage<T extends Doc>({ config }: { config: DocConfig<T> }) {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const ranges = RANGE_FILTERS[config.type] ?? [];
  const [p, set] = useListParams(['q', 'status', 'sort', 'accountId', 'limit', ...ranges], { sort: config.defaultSort });
  const params = { limit: pageSizeOf(p.limit), q: p.q, status: p.status, sort: p.sort, accountId: p.accountId, ...Object.fromEntries(ranges.map((k) => [k, p[k]])) };
  const query = useList<T>(config.type, params);
  const tools = useListTools<T>({ list: config.type, type: config.type, columns: config.columns({ t, f }, p.sort) as Array<ListColumn<T>>, params });
  return (
    <>
      <PageHeader title={t(`nav.${config.type}`)} />
      <Card>
        <Flex justify="space-between" align="flex-start" wrap gap={8} style={{ marginBottom: 16 }}>
          <Space wrap>
          <Input.Search allowClear placeholder={t('documents.search')} defaultValue={p.q} onSearch={(v) => set({ q: v })} style={{ width: 260 }} />
          <Select
            allowClear
            placeholder={t('field.status')}
            value={p.status}
            onChange={(v) => set({ status: v })}
            style={{ width: 180 }}
            options={config.statuses.map((s) => ({ value: s, label: t(`status.${config.entity}.${s}`) }))}
          />
          {p.accountId && (
            <Tag closable onClose={() => set({ accountId: null })} style={{ padding: '4px 8px' }}>
              {t('field.account')}: <RecordLink type="accounts" id={p.accountId} />
            </Tag>
          )}
          <FilterChips keys={ranges} values={p} onRemove={(k) => set({ [k]: null })} />
          </Space>
          {tools.tools}
        </Flex>
        <CursorTable<T>
          testId={`${config.type}-table`}
          query={query}
          pageSize={pageSizeOf(p.limit)}
          onPageSizeChange={(n) => set({ limit: n === 25 ? null : String(n) })}
          onSortChange={(s) => set({ sort: s })}
          onRow={(r) => ({ onClick: () => navigate(`/${config.type}/${r.id}`), className: 'ltc-clickable-row' })}
          emptyText={p.q || p.status || p.accountId || ranges.some((k) => p[k]) ? t('list.noMatch') : t(`documents.empty.${config.type}`)}
          columns={tools.columns}
        />
      </Card>
    </>
  );
}
