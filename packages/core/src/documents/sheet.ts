import PDFDocument from 'pdfkit';
import { documentFont } from './fonts.ts';

/** A4 in points, the page every document uses. */
export const PAGE = { width: 595.28, height: 841.89 } as const;
const MARGIN = 42;
const FOOTER_HEIGHT = 34;

/** The writable area; the band below `bottom` holds the footer. */
export const AREA = {
  left: MARGIN,
  right: PAGE.width - MARGIN,
  width: PAGE.width - 2 * MARGIN,
  top: MARGIN,
  bottom: PAGE.height - MARGIN - FOOTER_HEIGHT,
} as const;

export const COLOR = {
  text: '#1f2329',
  muted: '#646a73',
  accent: '#1d4e89',
  rule: '#c9cfd8',
  faint: '#e5e8ed',
  band: '#eef2f7',
  watermark: '#8a94a6',
} as const;

export type Align = 'left' | 'right' | 'center';

export interface TextStyle {
  size?: number;
  bold?: boolean;
  color?: string;
  align?: Align;
}

export interface Column {
  header: string;
  width: number;
  align: Align;
  /** Wraps onto several lines (descriptions); other columns stay on one line and shrink to fit. */
  wrap?: boolean;
}

export interface SheetInfo {
  title: string;
  author: string;
  subject: string;
  /** The PDF's creation date: taken from the record, so the same record always gives the same bytes. */
  createdAt: string;
  lang: string;
}

const PAD_X = 4;
const PAD_Y = 4;

/**
 * A page-aware writer over PDFKit: explicit positions, a cursor `y` that moves down, a new page
 * (with the table header repeated) when a block does not fit, a watermark behind every page and a
 * footer with page numbers written at the end.
 */
export class Sheet {
  readonly doc: PDFKit.PDFDocument;
  y: number = AREA.top;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<void>;

  constructor(
    info: SheetInfo,
    private readonly watermark: string | null,
  ) {
    this.doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      autoFirstPage: false,
      bufferPages: true,
      lang: info.lang,
      displayTitle: true,
      info: {
        Title: info.title,
        Author: info.author,
        Subject: info.subject,
        Creator: 'OpenLTC',
        Producer: 'OpenLTC',
        CreationDate: new Date(info.createdAt),
      },
    });
    // PDFKit ≥ 0.20 takes an already parsed fontkit font (its typings still say file or buffer).
    this.doc.registerFont('regular', documentFont('regular') as unknown as Buffer);
    this.doc.registerFont('bold', documentFont('bold') as unknown as Buffer);
    this.doc.on('data', (c: Buffer) => this.chunks.push(c));
    this.done = new Promise((resolve, reject) => {
      this.doc.on('end', () => resolve());
      this.doc.on('error', reject);
    });
    this.doc.on('pageAdded', () => {
      this.y = AREA.top;
      if (this.watermark) this.drawWatermark(this.watermark);
    });
    this.doc.addPage();
  }

  private style(s: TextStyle): number {
    const size = s.size ?? 9;
    this.doc.font(s.bold ? 'bold' : 'regular').fontSize(size).fillColor(s.color ?? COLOR.text);
    return size;
  }

  /** Width of a one-line text in a style. */
  width(text: string, s: TextStyle = {}): number {
    this.style(s);
    return this.doc.widthOfString(text);
  }

  /** Height of a text wrapped into a width. */
  height(text: string, width: number, s: TextStyle = {}): number {
    this.style(s);
    return this.doc.heightOfString(text || ' ', { width, lineGap: 1 });
  }

  /** Wrapped text in a box of the given width; returns its height. */
  para(text: string, x: number, y: number, width: number, s: TextStyle = {}): number {
    this.style(s);
    const h = this.doc.heightOfString(text || ' ', { width, lineGap: 1 });
    this.doc.text(text, x, y, { width, align: s.align ?? 'left', lineGap: 1 });
    return h;
  }

  /**
   * One line of text aligned inside [x, x + width]; a text too wide shrinks (down to 60 % of its
   * size) rather than wrapping, so amounts never break across lines. Returns the size used.
   */
  line(text: string, x: number, y: number, width: number, s: TextStyle = {}): number {
    let size = this.style(s);
    const min = size * 0.6;
    while (this.doc.widthOfString(text) > width && size > min) {
      size = Math.max(min, size - 0.25);
      this.doc.fontSize(size);
    }
    const w = this.doc.widthOfString(text);
    const align = s.align ?? 'left';
    const dx = align === 'right' ? width - w : align === 'center' ? (width - w) / 2 : 0;
    this.doc.text(text, x + Math.max(dx, 0), y, { lineBreak: false });
    return size;
  }

  rule(x1: number, x2: number, y: number, color: string = COLOR.rule, width = 0.6): void {
    this.doc.save().moveTo(x1, y).lineTo(x2, y).lineWidth(width).strokeColor(color).stroke().restore();
  }

  box(x: number, y: number, w: number, h: number, opts: { fill?: string; stroke?: string }): void {
    this.doc.save();
    this.doc.rect(x, y, w, h);
    if (opts.fill && opts.stroke) this.doc.lineWidth(0.6).fillAndStroke(opts.fill, opts.stroke);
    else if (opts.fill) this.doc.fill(opts.fill);
    else if (opts.stroke) this.doc.lineWidth(0.6).strokeColor(opts.stroke).stroke();
    this.doc.restore();
  }

  /** Starts a new page when `h` points do not fit below the cursor. Returns whether it did. */
  ensure(h: number): boolean {
    if (this.y + h <= AREA.bottom) return false;
    this.doc.addPage();
    return true;
  }

  /**
   * A table across the given x range: a tinted header row, thin rules between rows, the header
   * repeated on every page the table runs onto. A row never splits across pages.
   */
  table(x: number, columns: readonly Column[], rows: readonly string[][], s: { size?: number; boldRows?: ReadonlySet<number> } = {}): void {
    const size = s.size ?? 8.5;
    const total = columns.reduce((n, c) => n + c.width, 0);
    const headerHeight = Math.max(...columns.map((c) => this.height(c.header, c.width - 2 * PAD_X, { size: size - 0.5, bold: true }))) + 2 * PAD_Y;
    const drawHeader = () => {
      this.box(x, this.y, total, headerHeight, { fill: COLOR.band });
      let cx = x;
      for (const c of columns) {
        const h = this.height(c.header, c.width - 2 * PAD_X, { size: size - 0.5, bold: true });
        this.para(c.header, cx + PAD_X, this.y + (headerHeight - h) / 2, c.width - 2 * PAD_X, { size: size - 0.5, bold: true, color: COLOR.accent, align: c.align });
        cx += c.width;
      }
      this.rule(x, x + total, this.y + headerHeight, COLOR.accent, 0.8);
      this.y += headerHeight;
    };
    this.ensure(headerHeight + 2 * size + 2 * PAD_Y);
    drawHeader();
    rows.forEach((row, ri) => {
      const bold = s.boldRows?.has(ri) ?? false;
      const oneLine = size * 1.25;
      const heights = columns.map((c, i) => (c.wrap ? this.height(row[i] ?? '', c.width - 2 * PAD_X, { size, bold }) : oneLine));
      const h = Math.max(...heights) + 2 * PAD_Y;
      if (this.ensure(h)) drawHeader();
      let cx = x;
      columns.forEach((c, i) => {
        const text = row[i] ?? '';
        if (c.wrap) this.para(text, cx + PAD_X, this.y + PAD_Y, c.width - 2 * PAD_X, { size, bold, align: c.align });
        else this.line(text, cx + PAD_X, this.y + PAD_Y, c.width - 2 * PAD_X, { size, bold, align: c.align });
        cx += c.width;
      });
      this.y += h;
      this.rule(x, x + total, this.y, ri === rows.length - 1 ? COLOR.rule : COLOR.faint);
    });
  }

  /** Label–value pairs, label on the left and value on the right of each row; returns the height. */
  pairs(x: number, y: number, width: number, rows: ReadonlyArray<readonly [string, string]>, s: { size?: number; labelWidth?: number } = {}): number {
    const size = s.size ?? 9;
    const lw = s.labelWidth ?? width * 0.4;
    let cy = y;
    for (const [label, value] of rows) {
      const h = Math.max(this.height(value, width - lw, { size }), size * 1.3);
      this.line(label, x, cy, lw - 4, { size: size - 0.5, color: COLOR.muted });
      this.para(value, x + lw, cy, width - lw, { size, align: 'right' });
      cy += h + 3;
    }
    return cy - y;
  }

  private drawWatermark(text: string): void {
    const d = this.doc;
    d.save();
    d.rotate(-35, { origin: [PAGE.width / 2, PAGE.height / 2] });
    d.font('bold').fontSize(78).fillColor(COLOR.watermark).fillOpacity(0.16);
    const w = d.widthOfString(text);
    d.text(text, (PAGE.width - w) / 2, PAGE.height / 2 - 45, { lineBreak: false });
    d.restore();
    d.fillOpacity(1);
  }

  /** Writes the footer on every page (left text, page n of m) and returns the finished PDF. */
  async finish(footerLeft: string, pageLabel: (n: number, of: number) => string): Promise<Buffer> {
    const d = this.doc;
    const range = d.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      d.switchToPage(i);
      const saved = d.page.margins.bottom;
      d.page.margins.bottom = 0; // text below the bottom margin would otherwise open a new page
      const fy = PAGE.height - MARGIN - FOOTER_HEIGHT + 14;
      this.rule(AREA.left, AREA.right, fy, COLOR.rule);
      this.line(footerLeft, AREA.left, fy + 5, AREA.width * 0.7, { size: 7.5, color: COLOR.muted });
      this.line(pageLabel(i - range.start + 1, range.count), AREA.left + AREA.width * 0.7, fy + 5, AREA.width * 0.3, { size: 7.5, color: COLOR.muted, align: 'right' });
      d.page.margins.bottom = saved;
    }
    d.end();
    await this.done;
    return Buffer.concat(this.chunks);
  }
}
