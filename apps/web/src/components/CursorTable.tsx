import { useEffect, useRef } from 'react';
import { Button, Empty, Flex, Select, Space, Table, Typography, type TableProps } from 'antd';
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

export const PAGE_SIZES = [25, 50, 100, 200, 500, 1000] as const;

/** The `limit` URL parameter of a list as one of the offered page sizes (default 25). */
export function pageSizeOf(v: string | undefined): number {
  const n = Number(v);
  return (PAGE_SIZES as readonly number[]).includes(n) ? n : 25;
}

/** From this many rows on, only the rows in view are rendered (so thousands of loaded rows still scroll smoothly). */
const VIRTUAL_FROM = 400;
/** Infinite loading: the next page is fetched while the reader is still this many screens from the end. */
const AHEAD_SCREENS = 3;

/**
 * A server-paged table: rows come from a cursor list; clicking a sortable column header changes
 * the API's `sort`; scrolling towards the end fetches the next page ahead (infinite loading, both
 * when the page scrolls and inside the virtual table), and "Load more" follows `nextCursor` too.
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
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  const virtual = rows.length >= VIRTUAL_FROM;
  const box = useRef<HTMLDivElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  // The latest paging state for the listeners below (set up once, so they read it through a ref).
  const paging = useRef({ more: false, busy: false, fetch: () => {} });
  paging.current = {
    more: !!query.hasNextPage,
    busy: query.isFetchingNextPage || query.isPending || query.isError,
    fetch: () => void query.fetchNextPage(),
  };
  const fetchAhead = () => {
    if (paging.current.more && !paging.current.busy) paging.current.fetch();
  };
  // Inside the virtual table: its own scroll container, seen through a capturing listener.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onScroll = (e: Event) => {
      const t = e.target as HTMLElement;
      if (!t.classList?.contains('ant-table-tbody-virtual-holder') && !t.classList?.contains('ant-table-body')) return;
      if (t.scrollHeight - t.scrollTop - t.clientHeight < t.clientHeight * AHEAD_SCREENS) fetchAhead();
    };
    el.addEventListener('scroll', onScroll, { capture: true, passive: true });
    return () => el.removeEventListener('scroll', onScroll, { capture: true });
  }, []);
  // Below a table that scrolls with the page: a marker that asks for more when it nears the view.
  useEffect(() => {
    const el = sentinel.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => entries.some((x) => x.isIntersecting) && fetchAhead(), { rootMargin: `${AHEAD_SCREENS * 100}% 0px` });
    io.observe(el);
    return () => io.disconnect();
  }, []);
  // A page that arrived while the reader already sits near the end is followed at once.
  const lastPages = query.data?.pages.length ?? 0;
  useEffect(() => {
    const holder = box.current?.querySelector<HTMLElement>('.ant-table-tbody-virtual-holder');
    if (holder && holder.scrollTop > 0 && holder.scrollHeight - holder.scrollTop - holder.clientHeight < holder.clientHeight * AHEAD_SCREENS) fetchAhead();
  }, [lastPages]);
  if (query.isError && !query.data) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <div data-testid={testId} ref={box}>
      {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      <Table<T>
        rowKey="id"
        size="middle"
        // On a phone (CSS, styles.css) each row shows as a card, every value under its column's name.
        className={virtual ? undefined : 'ltc-card-table'}
        columns={columns?.map((c) => ({ ...c, onCell: (r: T, i?: number) => ({ ...c.onCell?.(r, i), 'data-label': typeof c.title === 'string' ? c.title : undefined }) as object }))}
        dataSource={rows}
        loading={query.isPending || (query.isFetching && !query.isFetchingNextPage)}
        pagination={false}
        virtual={virtual}
        scroll={virtual ? { x: 1280, y: 640 } : { x: 'max-content' }}
        showSorterTooltip={false}
        onRow={onRow}
        locale={{ emptyText: query.isPending ? ' ' : <Empty description={emptyText ?? t('list.empty')} /> }}
        onChange={(_p, _f, sorter) => {
          const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<T> | undefined;
          const key = s?.columnKey ? String(s.columnKey) : undefined;
          onSortChange?.(s?.order && key ? (s.order === 'descend' ? `-${key}` : key) : undefined);
        }}
      />
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
          <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage} data-testid="load-more">
            {t('list.loadMore')}
          </Button>
        ) : (
          rows.length > 0 && <Typography.Text type="secondary">{t('list.end')}</Typography.Text>
        )}
      </Flex>
    </div>
  );
}
