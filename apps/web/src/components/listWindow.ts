// The arithmetic of a long list (VirtualRows, CursorTable), kept apart from React so tests can reach it.

/** Height of one row (px): a middle-size antd row (12 px padding above and below 22 px of text, 1 px border). */
export const ROW_HEIGHT = 47;
/** Rows rendered above and below the ones in view, so a quick flick does not show blanks. */
export const OVERSCAN = 8;
/** Bounds of a measured column width (px). */
export const MIN_COLUMN = 64;
export const MAX_COLUMN = 360;

/**
 * The rows a window of `height` px shows at `scrollTop` in a list of `count` rows of `rowHeight`,
 * widened by `overscan` on each side: [first, end) — and the last row actually in view.
 */
export function windowOf(
  scrollTop: number,
  height: number,
  count: number,
  rowHeight = ROW_HEIGHT,
  overscan = OVERSCAN,
): { first: number; end: number; lastInView: number } {
  if (count <= 0) return { first: 0, end: 0, lastInView: -1 };
  const top = Math.max(0, Math.floor(scrollTop / rowHeight));
  const lastInView = Math.min(count - 1, Math.max(top, Math.ceil((scrollTop + height) / rowHeight) - 1));
  return { first: Math.max(0, top - overscan), end: Math.min(count, lastInView + 1 + overscan), lastInView };
}

/** antd's sort cycle on a header click: none → ascending → descending → none. */
export function nextSortOrder(current: 'ascend' | 'descend' | null | undefined): 'ascend' | 'descend' | null {
  return current === 'ascend' ? 'descend' : current === 'descend' ? null : 'ascend';
}

/** Infinite loading: the next page is fetched while the reader is still this many screens from the end. */
export const AHEAD_SCREENS = 3;
/** …and, in a long list, while fewer than this many pages are loaded beyond the last row in view. */
export const AHEAD_PAGES = 2;
/** Height of the long list's scroll area (px). */
export const VIRTUAL_HEIGHT = 640;

/**
 * How many loaded rows a long list keeps beyond the last row in view: two pages, at least three
 * screens. Pages follow a cursor, so they come one after another; keeping two ahead means the next
 * request is on its way while the reader reads (or the last page renders), and a reader who stops
 * costs at most two pages more than they looked at.
 */
export function aheadRows(pageSize: number, rowsPerScreen: number): number {
  return Math.max(AHEAD_PAGES * pageSize, AHEAD_SCREENS * rowsPerScreen);
}

/** The page sizes a list offers (rows per request). */
export const PAGE_SIZES = [25, 50, 100, 200, 500, 1000] as const;

/** The `limit` URL parameter of a list as one of the offered page sizes (default 25). */
export function pageSizeOf(v: string | undefined | null): number {
  const n = Number(v);
  return (PAGE_SIZES as readonly number[]).includes(n) ? n : 25;
}
