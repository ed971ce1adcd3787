import { money, rmbCapital } from '../money/money.ts';
import { formatAmount, formatNumber, formatPercent, formatQuantity, type DocLocale } from './format.ts';
import type { Labels } from './labels.ts';
import { AREA, COLOR, type Column, type Sheet } from './sheet.ts';

/** A company on a document: the seller (a legal entity) or the customer (an account). */
export interface Party {
  name: string;
  taxId: string | null;
  address: string | null;
}

/** A priced line as quotes and invoices both carry it. */
export interface DocLine {
  lineNo: number;
  description: string;
  quantity: string;
  unitPriceMinor: number;
  discountRate: string;
  taxRate: string;
  netMinor: number;
  taxMinor: number;
  totalMinor: number;
}

const isZeroRate = (r: string) => /^0*(\.0*)?$/.test(r.trim());

/** Seller name and tax id on the left, the document title on the right, an accent rule under both. */
export function drawHeader(sheet: Sheet, seller: Party, l: Labels, title: string, locale: DocLocale): void {
  const top = sheet.y;
  const titleWidth = 200;
  const leftWidth = AREA.width - titleWidth - 12;
  let h = sheet.para(seller.name, AREA.left, top, leftWidth, { size: 15, bold: true });
  const details = [seller.taxId ? `${l.taxId}：${seller.taxId}` : null, seller.address].filter((x): x is string => !!x);
  for (const d of details) h += sheet.para(locale === 'en' ? d.replace('：', ': ') : d, AREA.left, top + h + 2, leftWidth, { size: 8.5, color: COLOR.muted }) + 2;
  sheet.line(title, AREA.right - titleWidth, top - 2, titleWidth, { size: 22, bold: true, color: COLOR.accent, align: 'right' });
  const sub = locale === 'zh-CN' ? (title === l.quoteTitle ? 'QUOTATION' : 'INVOICE') : '';
  if (sub) sheet.line(sub, AREA.right - titleWidth, top + 27, titleWidth, { size: 8.5, color: COLOR.muted, align: 'right' });
  sheet.y = top + Math.max(h, sub ? 40 : 30) + 8;
  sheet.rule(AREA.left, AREA.right, sheet.y, COLOR.accent, 1.6);
  sheet.y += 12;
}

/** The customer block on the left and the document facts (number, dates …) on the right. */
export function drawParties(sheet: Sheet, customer: Party, l: Labels, facts: ReadonlyArray<readonly [string, string]>, locale: DocLocale): void {
  const top = sheet.y;
  const factsWidth = 215;
  const leftWidth = AREA.width - factsWidth - 24;
  const sep = locale === 'zh-CN' ? '：' : ': ';
  let h = 0;
  sheet.line(l.customer, AREA.left, top, leftWidth, { size: 8, color: COLOR.muted });
  h += 13;
  h += sheet.para(customer.name, AREA.left, top + h, leftWidth, { size: 11.5, bold: true }) + 3;
  if (customer.taxId) h += sheet.para(`${l.taxId}${sep}${customer.taxId}`, AREA.left, top + h, leftWidth, { size: 8.5 }) + 2;
  if (customer.address) h += sheet.para(`${l.address}${sep}${customer.address}`, AREA.left, top + h, leftWidth, { size: 8.5 }) + 2;
  const fh = sheet.pairs(AREA.right - factsWidth, top, factsWidth, facts, { size: 9, labelWidth: 78 });
  sheet.y = top + Math.max(h, fh) + 10;
}

/** The lines table; amounts are plain numbers, their currency stated once above the table. */
export function drawLines(sheet: Sheet, lines: readonly DocLine[], currency: string, l: Labels): void {
  sheet.ensure(40);
  sheet.line(l.amountsIn(currency), AREA.left, sheet.y, AREA.width, { size: 7.5, color: COLOR.muted, align: 'right' });
  sheet.y += 12;
  const c = l.col;
  const columns: Column[] = [
    { header: c.no, width: 28, align: 'center' },
    { header: c.description, width: AREA.width - 374, align: 'left', wrap: true },
    { header: c.quantity, width: 38, align: 'right' },
    { header: c.unitPrice, width: 58, align: 'right' },
    { header: c.discount, width: 34, align: 'right' },
    { header: c.net, width: 64, align: 'right' },
    { header: c.taxRate, width: 32, align: 'right' },
    { header: c.tax, width: 54, align: 'right' },
    { header: c.total, width: 66, align: 'right' },
  ];
  const rows = lines.map((ln) => [
    String(ln.lineNo),
    ln.description,
    formatQuantity(ln.quantity),
    formatNumber(ln.unitPriceMinor, currency),
    isZeroRate(ln.discountRate) ? '—' : formatPercent(ln.discountRate),
    formatNumber(ln.netMinor, currency),
    formatPercent(ln.taxRate),
    formatNumber(ln.taxMinor, currency),
    formatNumber(ln.totalMinor, currency),
  ]);
  if (!rows.length) rows.push(['', l.noLines, '', '', '', '', '', '', '']);
  sheet.table(AREA.left, columns, rows);
  sheet.y += 10;
}

/** Totals as label/amount rows, right-aligned; `strong` rows are bold with a rule above. */
export function drawTotals(sheet: Sheet, x: number, width: number, rows: ReadonlyArray<{ label: string; value: string; strong?: boolean }>): number {
  const top = sheet.y;
  let y = top;
  for (const r of rows) {
    const size = r.strong ? 10.5 : 9;
    if (r.strong) {
      sheet.rule(x, x + width, y, COLOR.text, 0.8);
      y += 4;
    }
    sheet.line(r.label, x, y, width * 0.45, { size, bold: !!r.strong, color: r.strong ? COLOR.text : COLOR.muted });
    sheet.line(r.value, x + width * 0.45, y, width * 0.55, { size, bold: !!r.strong, align: 'right' });
    y += size * 1.35 + 4;
  }
  return y - top;
}

/**
 * The Chinese total in capitals (大写), framed the way Chinese business forms print it:
 * 价税合计（大写）人民币…元整 （小写）¥…. Only for RMB amounts on Chinese documents.
 */
export function drawCapital(sheet: Sheet, totalMinor: number, currency: string, l: Labels, locale: DocLocale): void {
  if (locale !== 'zh-CN' || currency !== 'CNY') return;
  const h = 26;
  sheet.ensure(h + 8);
  const y = sheet.y;
  sheet.box(AREA.left, y, AREA.width, h, { fill: COLOR.band, stroke: COLOR.rule });
  const labelWidth = sheet.width(l.capital, { size: 9, bold: true }) + 10;
  sheet.line(l.capital, AREA.left + 8, y + 8, labelWidth, { size: 9, bold: true, color: COLOR.accent });
  const figure = `${l.capitalFigure}${formatAmount(totalMinor, currency, locale)}`;
  const figureWidth = sheet.width(figure, { size: 10, bold: true }) + 8;
  sheet.line(rmbCapital(money(BigInt(totalMinor), currency), { prefix: true }), AREA.left + 8 + labelWidth, y + 7.5, AREA.width - labelWidth - figureWidth - 24, { size: 10, bold: true });
  sheet.line(figure, AREA.right - figureWidth - 8, y + 7.5, figureWidth, { size: 10, bold: true, align: 'right' });
  sheet.y = y + h + 12;
}

/** A titled block of free text (notes, terms). */
export function drawText(sheet: Sheet, title: string | null, text: string, s: { size?: number; color?: string } = {}): void {
  const size = s.size ?? 9;
  const h = sheet.height(text, AREA.width, { size }) + (title ? 16 : 0);
  sheet.ensure(Math.min(h, 120));
  if (title) {
    sheet.line(title, AREA.left, sheet.y, AREA.width, { size: 9, bold: true, color: COLOR.accent });
    sheet.y += 15;
  }
  // Long notes flow over pages: a paragraph taller than what is left is cut where the page ends.
  for (const para of text.split(/\r?\n/)) {
    if (!para.trim()) {
      sheet.y += size * 0.7;
      continue;
    }
    let rest = para;
    for (;;) {
      const room = AREA.bottom - sheet.y;
      const fit = fittingPrefix(sheet, rest, room, size);
      if (fit === 0) {
        sheet.ensure(AREA.bottom);
        continue;
      }
      sheet.y += sheet.para(rest.slice(0, fit), AREA.left, sheet.y, AREA.width, { size, color: s.color ?? COLOR.text }) + 2;
      rest = rest.slice(fit);
      if (!rest) break;
      sheet.ensure(AREA.bottom);
    }
  }
  sheet.y += 8;
}

/** How many characters of `text` fit into `room` points of height (all of it when it fits; 0 when not even one line does). */
function fittingPrefix(sheet: Sheet, text: string, room: number, size: number): number {
  const fits = (n: number) => sheet.height(text.slice(0, n), AREA.width, { size }) <= room;
  if (fits(text.length)) return text.length;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
