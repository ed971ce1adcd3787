import { describe, expect, it } from 'vitest';
import type { QuoteDto } from '../quotes/quote.schema.ts';
import type { InvoiceDto } from '../billing/invoice.schema.ts';
import { buildQuotePdf, quotePdfFilename, type QuotePdfInput } from './quote-pdf.ts';
import { buildInvoicePdf, invoicePdfFilename, type InvoicePdfInput } from './invoice-pdf.ts';
import { missingGlyphs } from './fonts.ts';
import { LABELS } from './labels.ts';
import { readPdf } from './pdf-text.ts';

/**
 * Two lines with amounts worked out by hand:
 * 1 × ¥12,000.00 less 10 % = ¥10,800.00 + 13 % VAT ¥1,404.00 = ¥12,204.00
 * 5 × ¥3,000.00            = ¥15,000.00 +  6 % VAT   ¥900.00 = ¥15,900.00
 * total ¥25,800.00 + ¥2,304.00 = ¥28,104.00 (人民币贰万捌仟壹佰零肆元整)
 */
const LINES = [
  { lineNo: 1, description: '云栈企业版 年度订阅（含 100 个用户席位）', quantity: '1', qtyMilli: 1000, unitPriceMinor: 1_200_000, discountRate: '0.1', taxRate: '0.13', netMinor: 1_080_000, taxMinor: 140_400, totalMinor: 1_220_400 },
  { lineNo: 2, description: 'Implementation 实施服务（5 人天）', quantity: '5', qtyMilli: 5000, unitPriceMinor: 300_000, discountRate: '0', taxRate: '0.06', netMinor: 1_500_000, taxMinor: 90_000, totalMinor: 1_590_000 },
];
const TOTALS = { netMinor: 2_580_000, taxMinor: 230_400, totalMinor: 2_810_400 };
const seller = { name: '云栈科技有限公司', taxId: '91310000MA1FL5XXXX', address: null };
const customer = { name: '杭州星河智能制造股份有限公司', taxId: '91330100MA27YYYYYY', address: '浙江省杭州市滨江区江南大道 1000 号' };

function quote(fields: Partial<QuoteDto> = {}): QuotePdfInput {
  const q: QuoteDto = {
    id: 'quo_1',
    number: 'QT-2026-000001',
    versionNo: 2,
    opportunityId: 'opp_1',
    accountId: 'acc_1',
    legalEntityId: 'le_1',
    status: 'approved',
    currency: 'CNY',
    ...TOTALS,
    validUntil: '2026-02-14',
    notes: '付款方式：合同签订后 5 个工作日内支付 50%。',
    supersededById: null,
    rejectReason: null,
    declineReason: null,
    ownerId: 'usr_1',
    teamId: null,
    allowedActions: [],
    createdAt: '2026-01-15T02:00:00.000Z',
    updatedAt: '2026-01-15T03:00:00.000Z',
    createdBy: 'usr_1',
    version: 3,
    priceBookId: null,
    pricesIncludeTax: false,
    documentDiscount: null,
    documentDiscountMinor: 0,
    lines: LINES.map((l) => ({ ...l, id: `qln_${l.lineNo}`, quoteId: 'quo_1', productId: null, taxCodeId: null, taxCode: null, listAmountMinor: null, discountMinor: 0, docDiscountMinor: 0 })),
    ...fields,
  };
  return { quote: q, seller, customer, salesRep: { name: '王晓明', email: 'rep@example.com' }, date: '2026-01-15' };
}

function invoice(fields: Partial<InvoiceDto> = {}): InvoicePdfInput {
  const inv = {
    id: 'inv_1',
    number: 'INV-2026-000042',
    legalEntityId: 'le_1',
    orderId: 'ord_1',
    deliveryId: null,
    accountId: 'acc_1',
    status: 'partially_paid',
    currency: 'CNY',
    ...TOTALS,
    paidMinor: 1_000_000,
    outstandingMinor: 1_810_400,
    issueDate: '2026-03-01',
    dueDate: '2026-03-31',
    paymentTermsDays: 30,
    issuedAt: '2026-03-01T02:00:00.000Z',
    lines: LINES.map((l) => ({ ...l, id: `iln_${l.lineNo}`, orderLineId: `oln_${l.lineNo}`, deliveryLineId: null, productId: null })),
    allowedActions: [],
    ownerId: null,
    teamId: null,
    createdAt: '2026-03-01T01:00:00.000Z',
    updatedAt: '2026-03-05T01:00:00.000Z',
    createdBy: null,
    version: 4,
    ...fields,
  } as InvoiceDto;
  return { invoice: inv, seller, customer, orderNumber: 'SO-2026-000017' };
}

const raw = (b: Buffer) => b.toString('latin1');
const all = async (b: Buffer) => {
  const c = await readPdf(b);
  return { ...c, all: c.text.join('\n') };
};

describe('quote PDF', () => {
  it('is a PDF with the font subset embedded', async () => {
    const pdf = await buildQuotePdf(quote(), 'zh-CN');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(raw(pdf).trimEnd().endsWith('%%EOF')).toBe(true);
    // A subset (six-letter tag) of each weight, as an embedded CFF font program.
    expect(raw(pdf)).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansHans-Regular/);
    expect(raw(pdf)).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansHans-Bold/);
    expect(raw(pdf)).toContain('/FontFile3');
    // Only the glyphs used: far below the 8 MB font files.
    expect(pdf.length).toBeLessThan(400_000);
  });

  it('in Chinese: parties, number and version, dates, lines, totals, the total in capitals, notes', async () => {
    const c = await all(await buildQuotePdf(quote(), 'zh-CN'));
    expect(c.pages).toBe(1);
    for (const s of [
      '云栈科技有限公司',
      '91310000MA1FL5XXXX',
      '报价单',
      '杭州星河智能制造股份有限公司',
      '浙江省杭州市滨江区江南大道 1000 号',
      'QT-2026-000001',
      '第 2 版',
      '2026年1月15日',
      '2026年2月14日',
      '王晓明',
      '云栈企业版 年度订阅',
      '12,000.00',
      '10%',
      '10,800.00',
      '1,404.00',
      '12,204.00',
      '15,000.00',
      '¥25,800.00',
      '¥2,304.00',
      '¥28,104.00',
      '人民币贰万捌仟壹佰零肆元整',
      '付款方式：合同签订后 5 个工作日内支付 50%。',
      '客户确认（签字/盖章）',
      '第 1 页，共 1 页',
    ])
      expect(c.all).toContain(s);
    expect(c.info.Title).toBe('报价单 QT-2026-000001 v2');
    expect(c.all).not.toContain('DRAFT');
  });

  it('in English: English labels and dates, ISO currency, no Chinese capitals', async () => {
    const c = await all(await buildQuotePdf(quote(), 'en'));
    for (const s of ['QUOTATION', 'Quote no.', 'QT-2026-000001', 'Version', '15 Jan 2026', 'Valid until', '14 Feb 2026', 'Net total', 'CNY 28,104.00', 'Page 1 of 1', '杭州星河智能制造股份有限公司'])
      expect(c.all).toContain(s);
    for (const s of ['报价单', '价税合计', '人民币', '¥']) expect(c.all).not.toContain(s);
  });

  it('is the same bytes for the same quote, dated by its last change', async () => {
    const a = await buildQuotePdf(quote(), 'zh-CN');
    const b = await buildQuotePdf(quote(), 'zh-CN');
    expect(a.equals(b)).toBe(true);
    expect((await readPdf(a)).info.CreationDate).toBe('D:20260115030000Z');
    const later = await buildQuotePdf(quote({ updatedAt: '2026-01-16T00:00:00.000Z' }), 'zh-CN');
    expect(later.equals(a)).toBe(false);
    expect((await readPdf(later)).info.CreationDate).toBe('D:20260116000000Z');
  });

  it('marks quotes not yet approved, and superseded versions, across the page', async () => {
    expect((await all(await buildQuotePdf(quote({ status: 'draft' }), 'zh-CN'))).all).toContain('DRAFT 草稿');
    expect((await all(await buildQuotePdf(quote({ status: 'submitted' }), 'en'))).all).toContain('DRAFT 草稿');
    expect((await all(await buildQuotePdf(quote({ status: 'superseded' }), 'zh-CN'))).all).toContain('SUPERSEDED 已作废');
    expect((await all(await buildQuotePdf(quote({ status: 'sent' }), 'zh-CN'))).all).not.toContain('草稿');
  });

  it('runs long quotes over pages with the table header on each and every line once', async () => {
    const lines = Array.from({ length: 70 }, (_, i) => ({ ...quote().quote.lines[i % 2]!, lineNo: i + 1, description: `第 ${i + 1} 行 ${LINES[i % 2]!.description}` }));
    const notes = '长备注。'.repeat(1200);
    const c = await all(await buildQuotePdf(quote({ lines, notes }), 'zh-CN'));
    expect(c.pages).toBeGreaterThanOrEqual(3);
    c.text.forEach((page, i) => {
      expect(page).toContain(`第 ${i + 1} 页，共 ${c.pages} 页`);
    });
    for (const page of c.text.slice(0, 2)) expect(page).toContain('品名及描述');
    for (let i = 1; i <= 70; i++) expect(c.all.split(`第 ${i} 行 `).length - 1, `line ${i}`).toBe(1);
    // All 4,800 characters of the notes are printed, cut across pages but not lost.
    expect(c.all.replace(/\s/g, '').split('长备注。').length - 1).toBe(1200);
  });

  it('writes a quote with no lines and no validity', async () => {
    const c = await all(await buildQuotePdf(quote({ lines: [], netMinor: 0, taxMinor: 0, totalMinor: 0, validUntil: null, notes: null }), 'zh-CN'));
    expect(c.all).toContain('（无明细行）');
    expect(c.all).toContain('未限定');
    expect(c.all).toContain('人民币零元整');
  });

  it('prints no capitals for another currency and keeps its own symbol', async () => {
    const c = await all(await buildQuotePdf(quote({ currency: 'USD' }), 'zh-CN'));
    expect(c.all).toContain('US$28,104.00');
    expect(c.all).not.toContain('人民币');
  });

  it('names the file after number and version', () => {
    expect(quotePdfFilename({ number: 'QT-2026-000001', versionNo: 2 })).toBe('QT-2026-000001-v2.pdf');
  });
});

describe('invoice PDF', () => {
  it('in Chinese: number, dates, order, lines, VAT summary by rate, paid and outstanding, capitals', async () => {
    const pdf = await buildInvoicePdf(invoice(), 'zh-CN');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(raw(pdf).trimEnd().endsWith('%%EOF')).toBe(true);
    expect(raw(pdf)).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansHans-Regular/);
    const c = await all(pdf);
    for (const s of [
      '发票',
      'INV-2026-000042',
      '2026年3月1日',
      '2026年3月31日',
      'SO-2026-000017',
      '杭州星河智能制造股份有限公司',
      '增值税汇总',
      '13%',
      '6%',
      '25,800.00',
      '2,304.00',
      '28,104.00',
      '已收款',
      '¥10,000.00',
      '未收款',
      '¥18,104.00',
      '人民币贰万捌仟壹佰零肆元整',
      '增值税发票以税务平台开具的为准',
    ])
      expect(c.all).toContain(s);
    expect(c.all).not.toContain('DRAFT');
    // The VAT summary has one row per rate: 13 % first with that rate's own amounts.
    const summary = c.all.slice(c.all.indexOf('增值税汇总'));
    expect(summary.indexOf('10,800.00')).toBeGreaterThan(-1);
    expect(summary.indexOf('10,800.00')).toBeLessThan(summary.indexOf('15,000.00'));
  });

  it('shows credit notes against the invoice as a deduction from what is owed', async () => {
    const input = invoice({ outstandingMinor: 1_510_400 });
    Object.assign(input.invoice, { creditedMinor: 300_000 });
    const c = await all(await buildInvoicePdf(input, 'zh-CN'));
    for (const s of ['红字冲减', '-¥3,000.00', '¥15,104.00']) expect(c.all).toContain(s);
    expect((await all(await buildInvoicePdf(invoice(), 'zh-CN'))).all).not.toContain('红字冲减');
  });

  it('in English', async () => {
    const c = await all(await buildInvoicePdf(invoice(), 'en'));
    for (const s of ['INVOICE', 'Invoice no.', '1 Mar 2026', '31 Mar 2026', 'VAT summary', 'Paid', 'CNY 10,000.00', 'Balance due', 'CNY 18,104.00', 'Page 1 of 1'])
      expect(c.all).toContain(s);
    for (const s of ['发票号码', '人民币', '已收款']) expect(c.all).not.toContain(s);
  });

  it('marks a draft: no number, no dates yet, nothing paid or owed shown', async () => {
    const input = invoice({ status: 'draft', number: null, issueDate: null, dueDate: null, issuedAt: null, paidMinor: 0, outstandingMinor: 0 });
    const c = await all(await buildInvoicePdf(input, 'zh-CN'));
    for (const s of ['DRAFT 草稿', '尚未开具', '开票后 30 天', '¥28,104.00', '人民币贰万捌仟壹佰零肆元整']) expect(c.all).toContain(s);
    for (const s of ['已收款', '未收款']) expect(c.all).not.toContain(s);
    expect(invoicePdfFilename(input.invoice)).toBe('INV-DRAFT-inv_1.pdf');
    expect(invoicePdfFilename(invoice().invoice)).toBe('INV-2026-000042.pdf');
    const cancelled = await all(await buildInvoicePdf(invoice({ ...input.invoice, status: 'cancelled' }), 'en'));
    expect(cancelled.all).toContain('CANCELLED 已作废');
  });

  it('is the same bytes for the same invoice', async () => {
    const a = await buildInvoicePdf(invoice(), 'en');
    expect(a.equals(await buildInvoicePdf(invoice(), 'en'))).toBe(true);
    // Builds running at the same time share the parsed fonts without disturbing each other.
    const [x, y, z] = await Promise.all([buildInvoicePdf(invoice(), 'en'), buildQuotePdf(quote(), 'zh-CN'), buildInvoicePdf(invoice(), 'en')]);
    expect(x.equals(a) && z.equals(a)).toBe(true);
    expect(y.equals(await buildQuotePdf(quote(), 'zh-CN'))).toBe(true);
    expect(a.equals(await buildInvoicePdf(invoice({ paidMinor: 1_000_001, outstandingMinor: 1_810_399 }), 'en'))).toBe(false);
  });

  it('builds in well under a second once the font is loaded', async () => {
    await buildInvoicePdf(invoice(), 'zh-CN');
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await buildInvoicePdf(invoice(), 'zh-CN');
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    expect(times[1]).toBeLessThan(1000);
  });
});

describe('document font', () => {
  it('has a glyph for every label, the capital digits and the watermarks', () => {
    const text = JSON.stringify(LABELS) + Object.values(LABELS).flatMap((l) => [l.version(12), l.dueAfter(30), l.page(1, 2), l.quoteTerms('x'), l.amountsIn('CNY')]).join('');
    expect(missingGlyphs(text + '零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整负人民币 ¥€£ DRAFT 草稿 CANCELLED 已作废 SUPERSEDED —·（）：')).toEqual([]);
    expect(missingGlyphs('𠀀')).toEqual(['𠀀']);
  });
});
