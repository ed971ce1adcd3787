// The web app's long lists, document line tables and amounts, without a browser: the window of rows
// a long list draws, how far it loads ahead, the sort cycle of its headers, the column plan that
// keeps a quote's and an order's lines within a document page, and amounts without a currency sign.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { aheadRows, nextSortOrder, windowOf, ROW_HEIGHT, OVERSCAN } from '../../web/src/components/listWindow.ts';
import { DESCRIPTION_MIN, lineColumnPlan } from '../../web/src/pages/documents/lineColumns.ts';
import { formatAmount, formatMoney } from '../../web/src/lib/money.ts';

describe('long list window', () => {
  it('draws every row in view and the overscan around it, nothing past the list', () => {
    fc.assert(
      fc.property(fc.nat(5_000_000), fc.integer({ min: 1, max: 3000 }), fc.nat(200_000), (scrollTop, height, count) => {
        const maxTop = Math.max(0, count * ROW_HEIGHT - height);
        const top = Math.min(scrollTop, maxTop);
        const w = windowOf(top, height, count);
        if (count === 0) {
          expect(w).toEqual({ first: 0, end: 0, lastInView: -1 });
          return;
        }
        expect(w.first).toBeGreaterThanOrEqual(0);
        expect(w.end).toBeLessThanOrEqual(count);
        // Every row with a pixel inside [top, top + height) is drawn.
        const firstVisible = Math.floor(top / ROW_HEIGHT);
        const lastVisible = Math.min(count - 1, Math.ceil((top + height) / ROW_HEIGHT) - 1);
        expect(w.first).toBeLessThanOrEqual(firstVisible);
        expect(w.end).toBeGreaterThan(lastVisible);
        expect(w.lastInView).toBe(Math.max(firstVisible, lastVisible));
        // …and never more than the view plus the overscan on each side.
        expect(w.end - w.first).toBeLessThanOrEqual(Math.ceil(height / ROW_HEIGHT) + 1 + 2 * OVERSCAN);
      }),
    );
  });

  it('reaches the last row of a 10,000-row list when scrolled to the end', () => {
    const height = 585;
    const w = windowOf(10_000 * ROW_HEIGHT - height, height, 10_000);
    expect(w.lastInView).toBe(9_999);
    expect(w.end).toBe(10_000);
  });

  it('keeps two pages (at least three screens) loaded beyond the last row in view', () => {
    expect(aheadRows(1000, 14)).toBe(2000);
    expect(aheadRows(25, 14)).toBe(50);
    expect(aheadRows(10, 14)).toBe(42);
  });

  it('cycles a header through ascending, descending and no sort, as antd does', () => {
    expect(nextSortOrder(null)).toBe('ascend');
    expect(nextSortOrder(undefined)).toBe('ascend');
    expect(nextSortOrder('ascend')).toBe('descend');
    expect(nextSortOrder('descend')).toBeNull();
  });
});

describe('document line tables', () => {
  // Room for the lines on a document page: two thirds of the content at 1440 px, all of it at 1024 px
  // (side menu 208 px, content padding 24 px each side, card padding 12 px each side).
  const at1440 = Math.floor((1440 - 208 - 48) * (16 / 24) - 16) - 24;
  const at1024 = 1024 - 208 - 48 - 24;

  it("fits a quote's and an order's lines at 1440 and 1024 px without scrolling sideways", () => {
    const quote = lineColumnPlan(1, true);
    const order = lineColumnPlan(3, true);
    const delivery = lineColumnPlan(2, false);
    for (const plan of [quote, order, delivery]) {
      expect(plan.fixedWidth + DESCRIPTION_MIN).toBeLessThanOrEqual(at1440);
      expect(plan.fixedWidth + DESCRIPTION_MIN).toBeLessThanOrEqual(at1024);
    }
    expect(quote.keys).toEqual(['lineNo', 'description', 'qty0', 'unitPrice', 'discount', 'tax', 'net', 'total']);
    // An order's three quantities: unit price and discount go under the description.
    expect(order).toMatchObject({ compact: true, keys: ['lineNo', 'description', 'qty0', 'qty1', 'qty2', 'tax', 'net', 'total'] });
    expect(delivery).toMatchObject({ compact: false, keys: ['lineNo', 'description', 'qty0', 'qty1'] });
  });

  it('shows amounts exactly, grouped, without the currency sign', () => {
    expect(formatAmount(12_000_050, 'CNY', 'zh-CN')).toBe('120,000.50');
    expect(formatAmount(5, 'CNY', 'en-US')).toBe('0.05');
    expect(formatAmount(-12_345, 'CNY', 'en-US')).toBe('-123.45');
    expect(formatAmount(1000, 'JPY', 'en-US')).toBe('1,000');
    expect(formatAmount(12345678901234567891n, 'USD', 'en-US')).toBe('123,456,789,012,345,678.91');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (minor) => {
        // The same digits as the money format, only the sign left out.
        expect(formatMoney(minor, 'CNY', 'en-US')).toBe(`CN¥${formatAmount(minor, 'CNY', 'en-US')}`);
      }),
    );
  });
});
