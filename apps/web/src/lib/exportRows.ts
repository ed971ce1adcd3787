/**
 * Export of a list: rows streamed page by page through the API's cursor (what the user filtered,
 * in the order they sorted), turned into CSV (UTF-8 with a BOM, so Excel reads Chinese) or .xlsx.
 * Amounts arrive as integer minor units and are written as exact decimal strings; in .xlsx they
 * become number cells with the currency's decimals, so Excel can sum them.
 */
import { api } from '../api/client.ts';
import type { Page } from '../api/types.ts';
import { currencyDigits, minorToDecimal } from './money.ts';

export interface MoneyCell {
  minor: number;
  currency: string;
}
export type Cell = string | number | null | MoneyCell;

export const EXPORT_CAP = 50_000;

const pad = (n: number) => String(n).padStart(2, '0');
/** An instant as local "YYYY-MM-DD HH:mm" (what a spreadsheet reads as a date and time). */
export function localDateTime(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
const PAGE = 200;

export async function fetchRows<T>(type: string, params: Record<string, string | number | undefined>, onProgress: (n: number) => void, signal: AbortSignal, cap = EXPORT_CAP) {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.get<Page<T>>(`/${type}`, { ...params, limit: PAGE, cursor }, signal);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    onProgress(items.length);
  } while (cursor && items.length < cap);
  return { items: items.slice(0, cap), truncated: !!cursor || items.length > cap };
}

const isMoney = (c: Cell): c is MoneyCell => !!c && typeof c === 'object';

function csvField(c: Cell): string {
  const s = c === null ? '' : isMoney(c) ? minorToDecimal(c.minor, currencyDigits(c.currency)) : String(c);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text: header line, one line per row, CRLF, fields quoted when needed; starts with a BOM. */
export function toCsv(headers: string[], rows: Cell[][]): string {
  const lines = [headers.map(csvField).join(','), ...rows.map((r) => r.map(csvField).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export async function toXlsx(sheetName: string, headers: string[], rows: Cell[][]): Promise<Blob> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName.slice(0, 31) || 'Sheet1', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(headers).font = { bold: true };
  for (const r of rows) {
    const row = ws.addRow(r.map((c) => (isMoney(c) ? Number(minorToDecimal(c.minor, currencyDigits(c.currency))) : c)));
    r.forEach((c, i) => {
      if (isMoney(c)) {
        const d = currencyDigits(c.currency);
        row.getCell(i + 1).numFmt = d ? `#,##0.${'0'.repeat(d)}` : '#,##0';
      }
    });
  }
  ws.columns.forEach((col, i) => {
    const longest = Math.max(headers[i]!.length, ...rows.slice(0, 200).map((r) => String(isMoney(r[i]!) ? '0000000000' : (r[i] ?? '')).length));
    col.width = Math.min(50, Math.max(10, longest + 2));
  });
  const buf = await wb.xlsx.writeBuffer();
  return new Blob([buf], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
}
