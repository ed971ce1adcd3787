import type { QuoteDto } from '../quotes/quote.schema.ts';
import { drawCapital, drawHeader, drawLines, drawParties, drawText, drawTotals, type Party } from './common.ts';
import { formatAmount, formatDate, type DocLocale } from './format.ts';
import { LABELS } from './labels.ts';
import { AREA, COLOR, Sheet } from './sheet.ts';

export interface QuotePdfInput {
  quote: QuoteDto;
  seller: Party;
  customer: Party;
  /** The owner of the quote, printed as the customer's contact at the seller. */
  salesRep: { name: string; email: string } | null;
  /** The quote's business date (YYYY-MM-DD, in the seller's time zone). */
  date: string;
}

/** Quotes not yet approved, or replaced by a newer version, say so across every page. */
const QUOTE_WATERMARKS: Partial<Record<QuoteDto['status'], string>> = {
  draft: 'DRAFT 草稿',
  submitted: 'DRAFT 草稿',
  superseded: 'SUPERSEDED 已作废',
};

/** The file name a quote PDF is downloaded as: `QT-2026-000001-v2.pdf`. */
export const quotePdfFilename = (q: Pick<QuoteDto, 'number' | 'versionNo'>) => `${q.number}-v${q.versionNo}.pdf`;

/**
 * A quotation (报价单) as a PDF: seller header, customer and quote facts, priced lines, totals, the
 * total in capitals on Chinese RMB quotes, notes, validity and signature boxes. Pure: the same input
 * gives the same bytes (the PDF's creation date is the quote's last change).
 */
export async function buildQuotePdf(input: QuotePdfInput, locale: DocLocale): Promise<Buffer> {
  const { quote: q, seller, customer } = input;
  const l = LABELS[locale];
  const sheet = new Sheet(
    {
      title: `${l.quoteTitle} ${q.number} v${q.versionNo}`,
      author: seller.name,
      subject: `${l.quoteTitle} ${q.number} — ${customer.name}`,
      createdAt: q.updatedAt,
      lang: locale,
    },
    QUOTE_WATERMARKS[q.status] ?? null,
  );
  drawHeader(sheet, seller, l, l.quoteTitle, locale);
  const validUntil = q.validUntil ? formatDate(q.validUntil, locale) : null;
  const facts: Array<readonly [string, string]> = [
    [l.quoteNo, q.number],
    [l.versionLabel, l.version(q.versionNo)],
    [l.quoteDate, formatDate(input.date, locale)],
    [l.validUntil, validUntil ?? l.noValidity],
    [l.currency, q.currency],
  ];
  if (input.salesRep) facts.push([l.salesRep, `${input.salesRep.name}\n${input.salesRep.email}`]);
  drawParties(sheet, customer, l, facts, locale);
  drawLines(sheet, q.lines, q.currency, l);

  const totalsWidth = 230;
  sheet.ensure(80);
  const h = drawTotals(sheet, AREA.right - totalsWidth, totalsWidth, [
    { label: l.netTotal, value: formatAmount(q.netMinor, q.currency, locale) },
    { label: l.taxTotal, value: formatAmount(q.taxMinor, q.currency, locale) },
    { label: l.grandTotal, value: formatAmount(q.totalMinor, q.currency, locale), strong: true },
  ]);
  sheet.y += h + 8;
  drawCapital(sheet, q.totalMinor, q.currency, l, locale);
  if (q.notes?.trim()) drawText(sheet, l.notes, q.notes.trim());
  drawText(sheet, null, l.quoteTerms(validUntil), { size: 8, color: COLOR.muted });
  drawSignatures(sheet, l.customerSign, l.sellerSign, l.signDate);
  return sheet.finish(`${seller.name} · ${q.number} v${q.versionNo}`, l.page);
}

/** Two signature boxes side by side: the customer's acceptance and the seller's. */
function drawSignatures(sheet: Sheet, left: string, right: string, date: string): void {
  const h = 74;
  sheet.ensure(h + 6);
  const w = (AREA.width - 20) / 2;
  const y = sheet.y + 4;
  for (const [i, label] of [left, right].entries()) {
    const x = AREA.left + i * (w + 20);
    sheet.box(x, y, w, h, { stroke: COLOR.rule });
    sheet.line(label, x + 8, y + 7, w - 16, { size: 8.5, color: COLOR.muted });
    sheet.line(date, x + 8, y + h - 17, w - 16, { size: 8.5, color: COLOR.muted });
  }
  sheet.y = y + h + 6;
}
