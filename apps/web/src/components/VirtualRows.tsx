import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { theme, type TableColumnType, type TableProps } from 'antd';
import { CaretDownFilled, CaretUpFilled } from '@ant-design/icons';
import { MAX_COLUMN, MIN_COLUMN, ROW_HEIGHT, nextSortOrder, windowOf } from './listWindow.ts';

type Column<T> = TableColumnType<T>;

function cellValue<T>(c: Column<T>, r: T, i: number): ReactNode {
  const raw = c.dataIndex !== undefined ? (r as Record<string, unknown>)[String(c.dataIndex)] : undefined;
  return c.render ? (c.render(raw, r, i) as ReactNode) : (raw as ReactNode);
}

/** One row: re-rendered only when its record, position or the columns change (not when a page is appended). */
const Row = memo(function Row<T>({
  record,
  index,
  columns,
  template,
  onRow,
  border,
}: {
  record: T;
  index: number;
  columns: Array<Column<T>>;
  template: string;
  onRow?: TableProps<T>['onRow'];
  border: string;
}) {
  const extra = (onRow?.(record, index) ?? {}) as React.HTMLAttributes<HTMLDivElement>;
  return (
    <div
      {...extra}
      role="row"
      aria-rowindex={index + 2}
      data-row-index={index}
      className={`ltc-vrow ${extra.className ?? ''}`}
      style={{
        position: 'absolute',
        top: index * ROW_HEIGHT,
        left: 0,
        right: 0,
        height: ROW_HEIGHT,
        display: 'grid',
        gridTemplateColumns: template,
        borderBottom: border,
      }}
    >
      {columns.map((c, ci) => {
        const v = cellValue(c, record, index);
        return (
          <div
            key={String(c.key ?? ci)}
            role="cell"
            className="ltc-vcell"
            title={typeof v === 'string' || typeof v === 'number' ? String(v) : undefined}
            style={{ textAlign: c.align ?? 'left' }}
          >
            {v}
          </div>
        );
      })}
    </div>
  );
}) as <T>(p: {
  record: T;
  index: number;
  columns: Array<Column<T>>;
  template: string;
  onRow?: TableProps<T>['onRow'];
  border: string;
}) => ReactNode;

/**
 * The body of a long list: a header and only the rows in view (plus a few), each row absolutely
 * placed at index × ROW_HEIGHT, so 100,000 loaded rows cost what 30 do — to render, to append a page
 * to, and to scroll. Rows are one line (cells end in "…", the full text as a tooltip where it is
 * text). Sortable headers are buttons (Enter/Space) with aria-sort; the scroll area takes the focus
 * for the arrow and Page keys; rows carry aria-rowindex of aria-rowcount, as a grid that is only
 * partly in the DOM should.
 */
export function VirtualRows<T extends { id: string }>({
  rows,
  columns,
  height,
  minWidth,
  onRow,
  onSortChange,
  onRange,
  label,
}: {
  rows: T[];
  columns: Array<Column<T>>;
  height: number;
  minWidth: number;
  onRow?: TableProps<T>['onRow'];
  onSortChange?: (key: string, order: 'ascend' | 'descend' | null) => void;
  /** Told the index of the last row in view whenever it or the row count changes. */
  onRange?: (lastInView: number) => void;
  label?: string;
}) {
  const { token } = theme.useToken();
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const frame = useRef(0);
  const onScroll = useCallback(() => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      if (box.current) setScrollTop(box.current.scrollTop);
    });
  }, []);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);
  // Another sort or filter (a different first row): back to the top.
  const firstId = rows[0]?.id;
  useLayoutEffect(() => {
    if (box.current && box.current.scrollTop > 0) {
      box.current.scrollTop = 0;
      setScrollTop(0);
    }
  }, [firstId]);
  const headerHeight = ROW_HEIGHT + 8;
  const { first, end, lastInView } = windowOf(scrollTop, height - headerHeight, rows.length);
  useLayoutEffect(() => {
    onRange?.(lastInView);
  }, [lastInView, rows.length, onRange]);
  // Column widths from content, as a table sizes them, but measured once on the rows first in view
  // (and again when the columns change), never on the whole list: each column gets at least its
  // widest cell (within MIN_COLUMN..MAX_COLUMN), and the room left is shared in proportion.
  const columnsKey = columns.map((c) => String(c.key)).join('|');
  const [measured, setMeasured] = useState<{ key: string; widths: number[] } | null>(null);
  const widths = measured?.key === columnsKey ? measured.widths : null;
  const hasRows = rows.length > 0;
  useLayoutEffect(() => {
    const el = box.current;
    if (!el || widths || !hasRows) return;
    const max = columns.map((c) => (typeof c.width === 'number' ? c.width : 0));
    for (const row of el.querySelectorAll<HTMLElement>('[role="row"]'))
      Array.from(row.children).forEach((cell, i) => {
        if (typeof columns[i]?.width !== 'number')
          max[i] = Math.max(max[i] ?? 0, (cell as HTMLElement).scrollWidth + 2);
      });
    setMeasured({
      key: columnsKey,
      widths: max.map((w) => Math.min(MAX_COLUMN, Math.max(MIN_COLUMN, Math.ceil(w)))),
    });
  }, [columnsKey, widths, hasRows, columns]);
  const template = widths
    ? widths
        .map((w, i) => (typeof columns[i]?.width === 'number' ? `${w}px` : `minmax(${w}px, ${w}fr)`))
        .join(' ')
    : columns.map((c) => (typeof c.width === 'number' ? `${c.width}px` : 'max-content')).join(' ');
  const contentWidth = widths
    ? Math.max(
        minWidth,
        widths.reduce((x, y) => x + y, 0),
      )
    : minWidth;
  const border = `1px solid ${token.colorBorderSecondary}`;
  const headCell: CSSProperties = {
    padding: '0 8px',
    display: 'flex',
    alignItems: 'center',
    gap: 4,
    fontWeight: 600,
    color: token.colorTextHeading,
    minWidth: 0,
  };
  const keyScroll = (e: KeyboardEvent<HTMLDivElement>) => {
    const el = box.current;
    if (!el || e.target !== el) return;
    if (e.key === 'Home') el.scrollTop = 0;
    else if (e.key === 'End') el.scrollTop = el.scrollHeight;
    else return;
    e.preventDefault();
  };
  return (
    <div
      ref={box}
      className="ltc-vtable"
      role="table"
      aria-label={label}
      aria-rowcount={rows.length + 1}
      tabIndex={0}
      onScroll={onScroll}
      onKeyDown={keyScroll}
      style={{
        height,
        overflow: 'auto',
        position: 'relative',
        border,
        borderRadius: token.borderRadiusLG,
        fontSize: token.fontSize,
      }}
    >
      <div style={{ minWidth: contentWidth }}>
        <div role="rowgroup" style={{ position: 'sticky', top: 0, zIndex: 2 }}>
          <div
            role="row"
            aria-rowindex={1}
            style={{
              display: 'grid',
              gridTemplateColumns: template,
              height: headerHeight,
              // Opaque: the rows scroll under it.
              background: `linear-gradient(${token.colorFillAlter}, ${token.colorFillAlter}), ${token.colorBgContainer}`,
              borderBottom: border,
            }}
          >
            {columns.map((c, ci) => {
              const key = String(c.key ?? ci);
              const order = c.sortOrder ?? null;
              const title = c.title as ReactNode;
              return (
                <div
                  key={key}
                  role="columnheader"
                  aria-sort={
                    order === 'ascend' ? 'ascending' : order === 'descend' ? 'descending' : undefined
                  }
                  style={{ ...headCell, justifyContent: c.align === 'right' ? 'flex-end' : 'flex-start' }}
                >
                  {c.sorter && onSortChange ? (
                    <button
                      type="button"
                      className="ltc-vsort"
                      onClick={() => onSortChange(key, nextSortOrder(order))}
                    >
                      <span>{title}</span>
                      <span
                        aria-hidden
                        style={{
                          display: 'inline-flex',
                          flexDirection: 'column',
                          fontSize: 10,
                          lineHeight: 0.9,
                          color: token.colorTextQuaternary,
                        }}
                      >
                        <CaretUpFilled
                          style={order === 'ascend' ? { color: token.colorPrimary } : undefined}
                        />
                        <CaretDownFilled
                          style={order === 'descend' ? { color: token.colorPrimary } : undefined}
                        />
                      </span>
                    </button>
                  ) : (
                    <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                      {title}
                    </span>
                  )}
                </div>
              );
            })}
          </div>
        </div>
        <div role="rowgroup" style={{ position: 'relative', height: rows.length * ROW_HEIGHT }}>
          {rows.slice(first, end).map((r, i) => (
            <Row<T>
              key={r.id}
              record={r}
              index={first + i}
              columns={columns}
              template={template}
              onRow={onRow}
              border={border}
            />
          ))}
        </div>
      </div>
    </div>
  );
}
