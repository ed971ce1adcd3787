import { Button, Empty, Flex, Table, Typography, type TableProps } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import type { UseInfiniteQueryResult, InfiniteData } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Page } from '../api/types.ts';
import { ErrorAlert } from './ErrorAlert.tsx';

/** "-createdAt" ↔ antd's sort order on column "createdAt". */
export function sortOrderOf(sort: string | undefined, key: string): 'ascend' | 'descend' | null {
  if (!sort) return null;
  if (sort === key) return 'ascend';
  if (sort === `-${key}`) return 'descend';
  return null;
}

/**
 * A server-paged table: rows come from a cursor list; clicking a sortable column header changes
 * the API's `sort`; "Load more" follows `nextCursor`.
 */
export function CursorTable<T extends { id: string }>({
  query,
  columns,
  onSortChange,
  emptyText,
  onRow,
  testId,
}: {
  query: UseInfiniteQueryResult<InfiniteData<Page<T>>>;
  columns: TableProps<T>['columns'];
  onSortChange?: (sort: string | undefined) => void;
  emptyText?: string;
  onRow?: TableProps<T>['onRow'];
  testId?: string;
}) {
  const { t } = useTranslation();
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  if (query.isError && !query.data) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <div data-testid={testId}>
      {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      <Table<T>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={query.isPending || (query.isFetching && !query.isFetchingNextPage)}
        pagination={false}
        scroll={{ x: 'max-content' }}
        showSorterTooltip={false}
        onRow={onRow}
        locale={{ emptyText: query.isPending ? ' ' : <Empty description={emptyText ?? t('list.empty')} /> }}
        onChange={(_p, _f, sorter) => {
          const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<T> | undefined;
          const key = s?.columnKey ? String(s.columnKey) : undefined;
          onSortChange?.(s?.order && key ? (s.order === 'descend' ? `-${key}` : key) : undefined);
        }}
      />
      <Flex justify="space-between" align="center" style={{ marginTop: 12 }}>
        <Typography.Text type="secondary">{t('list.shown', { count: rows.length })}</Typography.Text>
        {query.hasNextPage ? (
          <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
            {t('list.loadMore')}
          </Button>
        ) : (
          rows.length > 0 && <Typography.Text type="secondary">{t('list.end')}</Typography.Text>
        )}
      </Flex>
    </div>
  );
}
