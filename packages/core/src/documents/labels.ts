import type { DocLocale } from './format.ts';

/** Every word printed on a quote or an invoice, in each document language. */
export interface Labels {
  quoteTitle: string;
  invoiceTitle: string;
  seller: string;
  customer: string;
  taxId: string;
  address: string;
  quoteNo: string;
  versionLabel: string;
  version: (n: number) => string;
  quoteDate: string;
  validUntil: string;
  noValidity: string;
  currency: string;
  salesRep: string;
  invoiceNo: string;
  issueDate: string;
  dueDate: string;
  notIssued: string;
  dueAfter: (days: number) => string;
  orderNo: string;
  col: { no: string; description: string; quantity: string; unitPrice: string; discount: string; net: string; taxRate: string; tax: string; total: string };
  netTotal: string;
  taxTotal: string;
  grandTotal: string;
  paid: string;
  credited: string;
  outstanding: string;
  capital: string;
  capitalFigure: string;
  vatSummary: string;
  vatTotalRow: string;
  notes: string;
  noLines: string;
  quoteTerms: (validUntil: string | null) => string;
  invoiceTerms: string;
  customerSign: string;
  sellerSign: string;
  signDate: string;
  page: (n: number, of: number) => string;
  amountsIn: (currency: string) => string;
}

export const LABELS: Record<DocLocale, Labels> = {
  'zh-CN': {
    quoteTitle: '报价单',
    invoiceTitle: '发票',
    seller: '供方',
    customer: '客户',
    taxId: '纳税人识别号',
    address: '地址',
    quoteNo: '报价单号',
    versionLabel: '版本',
    version: (n) => `第 ${n} 版`,
    quoteDate: '报价日期',
    validUntil: '有效期至',
    noValidity: '未限定',
    currency: '币种',
    salesRep: '销售代表',
    invoiceNo: '发票号码',
    issueDate: '开票日期',
    dueDate: '付款截止日',
    notIssued: '尚未开具',
    dueAfter: (days) => `开票后 ${days} 天`,
    orderNo: '订单号',
    col: { no: '序号', description: '品名及描述', quantity: '数量', unitPrice: '单价', discount: '折扣', net: '金额(不含税)', taxRate: '税率', tax: '税额', total: '价税合计' },
    netTotal: '不含税金额合计',
    taxTotal: '税额合计',
    grandTotal: '价税合计',
    paid: '已收款',
    credited: '红字冲减',
    outstanding: '未收款',
    capital: '价税合计（大写）',
    capitalFigure: '（小写）',
    vatSummary: '增值税汇总',
    vatTotalRow: '合计',
    notes: '备注',
    noLines: '（无明细行）',
    quoteTerms: (validUntil) =>
      validUntil
        ? `本报价自报价日期起至 ${validUntil} 有效，以上价格已按所列税率计算增值税。经双方签字盖章后生效。`
        : '以上价格已按所列税率计算增值税。经双方签字盖章后生效。',
    invoiceTerms: '本发票为结算凭证；增值税发票以税务平台开具的为准。付款时请注明发票号码。',
    customerSign: '客户确认（签字/盖章）',
    sellerSign: '供方（签字/盖章）',
    signDate: '日期：',
    page: (n, of) => `第 ${n} 页，共 ${of} 页`,
    amountsIn: (currency) => `金额单位：${currency === 'CNY' ? '人民币元' : currency}`,
  },
  en: {
    quoteTitle: 'QUOTATION',
    invoiceTitle: 'INVOICE',
    seller: 'From',
    customer: 'Customer',
    taxId: 'Tax ID',
    address: 'Address',
    quoteNo: 'Quote no.',
    versionLabel: 'Version',
    version: (n) => String(n),
    quoteDate: 'Date',
    validUntil: 'Valid until',
    noValidity: 'open',
    currency: 'Currency',
    salesRep: 'Sales rep',
    invoiceNo: 'Invoice no.',
    issueDate: 'Issue date',
    dueDate: 'Due date',
    notIssued: 'not issued',
    dueAfter: (days) => `${days} days after issue`,
    orderNo: 'Order no.',
    col: { no: '#', description: 'Description', quantity: 'Qty', unitPrice: 'Unit price', discount: 'Disc.', net: 'Net', taxRate: 'VAT %', tax: 'VAT', total: 'Total' },
    netTotal: 'Net total',
    taxTotal: 'VAT',
    grandTotal: 'Total',
    paid: 'Paid',
    credited: 'Credited',
    outstanding: 'Balance due',
    capital: '',
    capitalFigure: '',
    vatSummary: 'VAT summary',
    vatTotalRow: 'Total',
    notes: 'Notes',
    noLines: '(no lines)',
    quoteTerms: (validUntil) =>
      validUntil
        ? `This quotation is valid until ${validUntil}. VAT is added at the rates shown. It becomes binding when signed by both parties.`
        : 'VAT is added at the rates shown. This quotation becomes binding when signed by both parties.',
    invoiceTerms: 'This invoice is a commercial statement; the VAT invoice (fapiao) is issued through the tax platform. Please quote the invoice number with your payment.',
    customerSign: 'Accepted by the customer (signature / stamp)',
    sellerSign: 'For the seller (signature / stamp)',
    signDate: 'Date:',
    page: (n, of) => `Page ${n} of ${of}`,
    amountsIn: (currency) => `Amounts in ${currency}`,
  },
};
