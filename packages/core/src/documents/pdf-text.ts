// For tests only (pdfjs-dist is a development dependency): reads a PDF back the way a viewer does.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfContent {
  pages: number;
  /** The text of each page, one line per text line the viewer sees. */
  text: string[];
  info: Record<string, unknown>;
}

/** Parses a PDF with PDF.js (Firefox's reader): page count, extracted text per page, document info. */
export async function readPdf(pdf: Uint8Array): Promise<PdfContent> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  try {
    const text: string[] = [];
    for (let p = 1; p <= doc.numPages; p++) {
      const content = await (await doc.getPage(p)).getTextContent();
      text.push(content.items.map((i) => ('str' in i ? i.str + (i.hasEOL ? '\n' : '') : '')).join(''));
    }
    const meta = await doc.getMetadata();
    return { pages: doc.numPages, text, info: meta.info as Record<string, unknown> };
  } finally {
    await doc.destroy();
  }
}
