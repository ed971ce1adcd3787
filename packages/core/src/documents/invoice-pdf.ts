import type { InvoiceDto } from '../billing/invoice.schema.ts';
import { drawCapital, drawHeader, drawLines, drawParties, drawText, drawTotals, type Party } from './common.ts';
import { formatAmount, formatDate, formatNumber, formatPercent, type DocLocale } from './format.ts';
import { LABELS } from './labels.ts';
import { AREA, COLOR, Sheet, type Column } from './sheet.ts';
import { vatSummary } from './vat-summary.ts';

export interface InvoicePdfInput {
  invoice: InvoiceDto;
  seller: Party;
  customer: Party;
  /** The number of the order the invoice bills. */
  orderNumber: string | null;
}

/** Drafts have no number yet and cancelled drafts never will: both say so across every page. */
const INVOICE_WATERMARKS: Partial<Record<InvoiceDto['status'], string>> = {
  draft: 'DRAFT 草稿',
  cancelled: 'CANCELLED 已作废',
};

/** The file name an invoice PDF is downloaded as: `INV-2026-000001.pdf`, or `INV-DRAFT-<id>.pdf` before issue. */
export const invoicePdfFilename = (inv: Pick<InvoiceDto, 'number' | 'id'>) => `${inv.number ?? `INV-DRAFT-${inv.id}`}.pdf`;

/**
 * An invoice (发票) as a PDF: seller header, customer and invoice facts, lines, the VAT summary by
 * rate, totals with paid and outstanding amounts, and on Chinese RMB invoices the total in capitals.
 * Pure: the same input gives the same bytes (the PDF's creation date is the invoice's last change).
 */
export async function buildInvoicePdf(input: InvoicePdfInput, locale: DocLocale): Promise<Buffer> {
  const { invoice: inv, seller, customer } = input;
  const l = LABELS[locale];
  const number = inv.number ?? (locale === 'zh-CN' ? '草稿' : 'Draft');
  const sheet = new Sheet(
    {
      title: `${l.invoiceTitle} ${number}`,
      author: seller.name,
      subject: `${l.invoiceTitle} ${number} — ${customer.name}`,
      createdAt: inv.updatedAt,
      lang: locale,
    },
    INVOICE_WATERMARKS[inv.status] ?? null,
  );
  drawHeader(sheet, seller, l, l.invoiceTitle, locale);
  const facts: Array<readonly [string, string]> = [
    [l.invoiceNo, number],
    [l.issueDate, inv.issueDate ? formatDate(inv.issueDate, locale) : l.notIssued],
    [l.dueDate, inv.dueDate ? formatDate(inv.dueDate, locale) : l.dueAfter(inv.paymentTermsDays)],
  ];
  if (input.orderNumber) facts.push([l.orderNo, input.orderNumber]);
  facts.push([l.currency, inv.currency]);
  drawParties(sheet, customer, l, facts, locale);
  drawLines(sheet, inv.lines, inv.currency, l);

  // The VAT summary on the left, the totals on the right, side by side.
  const rows = vatSummary(inv.lines);
  const vatWidth = 270;
  const totalsWidth = 210;
  sheet.ensure(Math.max(34 + (rows.length + 2) * 19, 140));
  const top = sheet.y;
  sheet.line(l.vatSummary, AREA.left, top, vatWidth, { size: 9, bold: true, color: COLOR.accent });
  sheet.y = top + 14;
  const c = l.col;
  const columns: Column[] = [
    { header: c.taxRate, width: 42, align: 'right' },
    { header: c.net, width: 78, align: 'right' },
    { header: c.tax, width: 70, align: 'right' },
    { header: c.total, width: 80, align: 'right' },
  ];
  const table = rows.map((r) => [formatPercent(r.taxRate), formatNumber(r.netMinor, inv.currency), formatNumber(r.taxMinor, inv.currency), formatNumber(r.totalMinor, inv.currency)]);
  table.push([l.vatTotalRow, formatNumber(inv.netMinor, inv.currency), formatNumber(inv.taxMinor, inv.currency), formatNumber(inv.totalMinor, inv.currency)]);
  sheet.table(AREA.left, columns, table, { size: 8.5, boldRows: new Set([table.length - 1]) });
  const vatBottom = sheet.y;

  sheet.y = top;
  const totals = [
    { label: l.netTotal, value: formatAmount(inv.netMinor, inv.currency, locale) },
    { label: l.taxTotal, value: formatAmount(inv.taxMinor, inv.currency, locale) },
    { label: l.grandTotal, value: formatAmount(inv.totalMinor, inv.currency, locale), strong: true },
  ];
  if (inv.status !== 'draft' && inv.status !== 'cancelled') {
    totals.push({ label: l.paid, value: formatAmount(inv.paidMinor, inv.currency, locale) });
    // Credit notes against the invoice (when the invoice carries them) lower what is owed.
    const credited = (inv as { creditedMinor?: number }).creditedMinor ?? 0;
    if (credited) totals.push({ label: l.credited, value: formatAmount(-credited, inv.currency, locale) });
    totals.push({ label: l.outstanding, value: formatAmount(inv.outstandingMinor, inv.currency, locale), strong: true });
  }
  const h = drawTotals(sheet, AREA.right - totalsWidth, totalsWidth, totals);
  sheet.y = Math.max(vatBottom, top + h) + 12;

  drawCapital(sheet, inv.totalMinor, inv.currency, l, locale);
  drawText(sheet, null, l.invoiceTerms, { size: 8, color: COLOR.muted });
  return sheet.finish(`${seller.name} · ${l.invoiceTitle} ${number}`, l.page);
}
