// The column plan of a document's line table (LinesTable), apart from React so tests can reach it.

/**
 * Column widths (px, cell padding included) of a line table. The table is laid out fixed: every
 * column but the description has its width, the description takes the rest and wraps; amounts
 * that still do not fit end in "…" with the full value as the cell's title. A document page gives
 * its lines about 750 px at 1440 px (two thirds of the content) and at 1024 px (all of it), so a
 * quote's eight columns and an order's ten fit there without scrolling sideways; narrower than
 * the fixed widths plus `DESCRIPTION_MIN` (a phone) the table scrolls.
 */
export const LINE_WIDTHS = {
  lineNo: 36,
  qty: 84,
  unitPrice: 104,
  discount: 84,
  tax: 72,
  amount: 104,
} as const;
/** The narrowest the description may get before the table scrolls sideways instead. */
export const DESCRIPTION_MIN = 140;

/** The columns a line table shows: with several quantity columns (an order's ordered / delivered /
 * billed), the unit price and discount move under the description so the amounts keep their room. */
export function lineColumnPlan(
  qtyCount: number,
  priced: boolean,
): { compact: boolean; keys: string[]; fixedWidth: number } {
  const compact = priced && qtyCount > 1;
  const keys = ['lineNo', 'description', ...Array.from({ length: qtyCount }, (_, i) => `qty${i}`)];
  if (priced) keys.push(...(compact ? [] : ['unitPrice', 'discount']), 'tax', 'net', 'total');
  const width = (k: string) =>
    k === 'lineNo'
      ? LINE_WIDTHS.lineNo
      : k.startsWith('qty')
        ? LINE_WIDTHS.qty
        : k === 'unitPrice'
          ? LINE_WIDTHS.unitPrice
          : k === 'discount'
            ? LINE_WIDTHS.discount
            : k === 'tax'
              ? LINE_WIDTHS.tax
              : k === 'description'
                ? 0
                : LINE_WIDTHS.amount;
  return { compact, keys, fixedWidth: keys.reduce((s, k) => s + width(k), 0) };
}
