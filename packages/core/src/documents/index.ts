// Document PDFs (quotes, invoices): the use cases the API calls and the pure builders behind them.
export { PdfQuery, quotePdf, invoicePdf, type PdfFile } from './documents.ts';
export { buildQuotePdf, quotePdfFilename, type QuotePdfInput } from './quote-pdf.ts';
export { buildInvoicePdf, invoicePdfFilename, type InvoicePdfInput } from './invoice-pdf.ts';
export { DOCUMENT_LOCALES, type DocLocale } from './format.ts';
export { DOCUMENT_FONT } from './fonts.ts';
