import { useCallback, useEffect, useMemo, useRef } from 'react';
import {
  Button,
  Empty,
  Flex,
  Select,
  Space,
  Spin,
  Table,
  Typography,
  type TableColumnType,
  type TableProps,
} from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import type { UseInfiniteQueryResult, InfiniteData } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Page } from '../api/types.ts';
import { ErrorAlert } from './ErrorAlert.tsx';
import { VirtualRows } from './VirtualRows.tsx';
import { AHEAD_SCREENS, PAGE_SIZES, ROW_HEIGHT, VIRTUAL_HEIGHT, aheadRows } from './listWindow.ts';

/** "-createdAt" ↔ antd's sort order on column "createdAt". */
export function sortOrderOf(sort: string | undefined, key: string): 'ascend' | 'descend' | null {
  if (!sort) return null;
  if (sort === key) return 'ascend';
  if (sort === `-${key}`) return 'descend';
  return null;
}

export { PAGE_SIZES, pageSizeOf } from './listWindow.ts';

/** From this many rows on, only the rows in view are rendered (so thousands of loaded rows still scroll smoothly). */
const VIRTUAL_FROM = 400;
/**
 * A server-paged table: rows come from a cursor list; clicking a sortable column header changes
 * the API's `sort`; the next page is fetched ahead of the reader (infinite loading: when a page-
 * scrolled table's end nears the view, or, in a long list, while fewer than `aheadRows` rows are
 * loaded beyond the last one in view), and "Load more" follows `nextCursor` too. From 400 rows the
 * rows are drawn by VirtualRows (only those in view); below that by antd's Table (a card per row
 * on a phone).
 */
export function CursorTable<T extends { id: string }>({
  query,
  columns,
  onSortChange,
  emptyText,
  onRow,
  testId,
  pageSize,
  onPageSizeChange,
}: {
  query: UseInfiniteQueryResult<InfiniteData<Page<T>>>;
  columns: TableProps<T>['columns'];
  onSortChange?: (sort: string | undefined) => void;
  emptyText?: string;
  onRow?: TableProps<T>['onRow'];
  testId?: string;
  pageSize?: number;
  onPageSizeChange?: (n: number) => void;
}) {
  const { t } = useTranslation();
  // Flattened once per arrived page, not on every render (a long list holds 10,000s of rows).
  const pages = query.data?.pages;
  const rows = useMemo(() => pages?.flatMap((p) => p.items) ?? [], [pages]);
  const virtual = rows.length >= VIRTUAL_FROM;
  const sentinel = useRef<HTMLDivElement>(null);
  // The latest paging state for the listeners below (set up once, so they read it through a ref).
  const paging = useRef({ more: false, busy: false, fetch: () => {}, virtual: false, rows: 0, ahead: 0 });
  paging.current = {
    more: !!query.hasNextPage,
    busy: query.isFetchingNextPage || query.isPending || query.isError,
    fetch: () => void query.fetchNextPage({ cancelRefetch: false }),
    virtual,
    rows: rows.length,
    ahead: aheadRows(pageSize ?? pages?.[0]?.items.length ?? 25, Math.ceil(VIRTUAL_HEIGHT / ROW_HEIGHT)),
  };
  const fetchAhead = () => {
    if (!paging.current.more || paging.current.busy) return;
    // Busy until the next render says otherwise: two triggers in one frame ask once (a second
    // fetchNextPage would cancel the first and start it again).
    paging.current.busy = true;
    paging.current.fetch();
  };
  // A long list: the last row in view, as VirtualRows reports it; too few rows beyond it → next page.
  const lastInView = useRef(-1);
  const keepAhead = useCallback(() => {
    const p = paging.current;
    if (p.virtual && p.rows - 1 - lastInView.current < p.ahead) fetchAhead();
  }, []);
  const onRange = useCallback(
    (last: number) => {
      lastInView.current = last;
      keepAhead();
    },
    [keepAhead],
  );
  // Below a table that scrolls with the page: a marker that asks for more when it nears the view.
  useEffect(() => {
    const el = sentinel.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver(
      (entries) => !paging.current.virtual && entries.some((x) => x.isIntersecting) && fetchAhead(),
      { rootMargin: `${AHEAD_SCREENS * 100}% 0px` },
    );
    io.observe(el);
    return () => io.disconnect();
  }, []);
  // Each arrived page: a long list checks at once whether it is still short of rows ahead.
  useEffect(() => {
    if (!query.isFetchingNextPage) keepAhead();
  }, [pages?.length, query.isFetchingNextPage, keepAhead]);
  const cardColumns = useMemo(
    () =>
      columns?.map((c) => ({
        ...c,
        onCell: (r: T, i?: number) =>
          ({
            ...c.onCell?.(r, i),
            'data-label': typeof c.title === 'string' ? c.title : undefined,
          }) as object,
      })),
    [columns],
  );
  if (query.isError && !query.data)
    return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <div data-testid={testId}>
      {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      {virtual ? (
        <Spin spinning={query.isFetching && !query.isFetchingNextPage}>
          <VirtualRows<T>
            rows={rows}
            columns={(columns ?? []) as Array<TableColumnType<T>>}
            height={VIRTUAL_HEIGHT}
            minWidth={0}
            onRow={onRow}
            onRange={onRange}
            label={t('list.shown', { count: rows.length })}
            onSortChange={
              onSortChange
                ? (key, order) => onSortChange(order ? (order === 'descend' ? `-${key}` : key) : undefined)
                : undefined
            }
          />
        </Spin>
      ) : (
        <Table<T>
          rowKey="id"
          size="middle"
          // On a phone (CSS, styles.css) each row shows as a card, every value under its column's name.
          className="ltc-card-table"
          columns={cardColumns}
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
      )}
      <div ref={sentinel} aria-hidden style={{ height: 1 }} />
      <Flex justify="space-between" align="center" style={{ marginTop: 12 }}>
        <Space>
          <Typography.Text type="secondary" data-testid="rows-shown" data-count={rows.length}>
            {t('list.shown', { count: rows.length })}
          </Typography.Text>
          {onPageSizeChange && (
            <Select
              size="small"
              aria-label={t('list.pageSize')}
              value={pageSize ?? 25}
              onChange={onPageSizeChange}
              options={PAGE_SIZES.map((n) => ({ value: n, label: t('list.perPage', { n }) }))}
              data-testid="page-size"
            />
          )}
        </Space>
        {query.hasNextPage ? (
          <Button
            onClick={() => void query.fetchNextPage()}
            loading={query.isFetchingNextPage}
            data-testid="load-more"
          >
            {t('list.loadMore')}
          </Button>
        ) : (
          rows.length > 0 && <Typography.Text type="secondary">{t('list.end')}</Typography.Text>
        )}
      </Flex>
    </div>
  );
}
