import { Alert, Space, Tag, Typography } from 'antd';
import { useFormat } from '../../lib/format.ts';
import { usePriceBooks } from '../settings/PriceBooksTab.tsx';
import { useAuth } from '../../auth/auth.tsx';
import { OwnerName } from '../../components/Refs.tsx';
import { col, link } from '../documents/common.tsx';
import { LinesTable, type Line } from '../documents/LinesTable.tsx';
import { NextStepButton } from '../documents/NextStepButton.tsx';
import { PdfButton } from '../documents/PdfButton.tsx';
import type { Doc, DocConfig } from '../documents/types.ts';
import { useTranslation } from 'react-i18next';
import { QuoteLinesEditor } from './QuoteLinesEditor.tsx';

export interface Quote extends Doc {
  number: string;
  versionNo: number;
  opportunityId: string;
  accountId: string;
  currency: string;
  netMinor: number;
  taxMinor: number;
  totalMinor: number;
  validUntil: string | null;
  notes: string | null;
  rejectReason: string | null;
  declineReason: string | null;
  supersededById: string | null;
  ownerId: string | null;
  priceBookId: string | null;
  pricesIncludeTax: boolean;
  documentDiscount: { rate: string } | { amountMinor: number } | null;
  documentDiscountMinor: number;
  lines: Line[];
}

/** How the quote was priced: its price book, prices with or without tax, the document discount. */
function QuotePricing({ quote }: { quote: Quote }) {
  const { t } = useTranslation();
  const f = useFormat();
  const books = usePriceBooks(quote.currency);
  const book = (books.data?.items ?? []).find((b) => b.id === quote.priceBookId);
  return (
    <Space wrap style={{ marginBottom: 8 }} data-testid="quote-pricing">
      <Typography.Text type="secondary">{t('pricing.priceBook')}:</Typography.Text>
      <span data-testid="quote-book-name">{quote.priceBookId ? (book?.name ?? quote.priceBookId) : t('pricing.listPrices')}</span>
      <Tag color={quote.pricesIncludeTax ? 'purple' : 'default'}>{quote.pricesIncludeTax ? t('pricing.enteredWithTax') : t('pricing.enteredWithoutTax')}</Tag>
      {quote.documentDiscountMinor > 0 && (
        <span data-testid="quote-document-discount">
          {t('pricing.documentDiscount')}: {f.money(quote.documentDiscountMinor, quote.currency)}
        </span>
      )}
    </Space>
  );
}

export const QUOTE_STATUSES = ['draft', 'submitted', 'approved', 'sent', 'accepted', 'rejected', 'expired', 'superseded'] as const;

function QuoteLines({ quote }: { quote: Quote }) {
  const { can } = useAuth();
  return (
    <>
      <QuotePricing quote={quote} />
      <LinesTable
        lines={quote.lines}
        currency={quote.currency}
        totals={quote}
        extra={quote.status === 'draft' && can('quote', 'write') ? <QuoteLinesEditor quote={quote} /> : undefined}
      />
    </>
  );
}

function QuoteNext({ quote }: { quote: Quote }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  if (quote.status !== 'accepted') return <PdfButton type="quotes" id={quote.id} />;
  return (
    <>
      <PdfButton type="quotes" id={quote.id} />
      {can('contract', 'write') && <NextStepButton label={t('quotes.toContract')} path={`/quotes/${quote.id}/contract`} target="contracts" />}
      {can('order', 'write') && <NextStepButton primary label={t('quotes.toOrder')} path={`/quotes/${quote.id}/order`} target="orders" />}
    </>
  );
}

export const quoteConfig: DocConfig<Quote> = {
  type: 'quotes',
  entity: 'quote',
  statuses: QUOTE_STATUSES,
  defaultSort: '-createdAt',
  columns: (h, sort) => [
    { ...col.number('quotes', h, sort), exportValue: (r: Quote) => `${r.number} v${r.versionNo}`, render: (_: unknown, r: Quote) => `${r.number} v${r.versionNo}` },
    col.account(h),
    { key: 'opportunity', title: h.t('field.opportunity'), render: (_: unknown, r: Quote) => link('opportunities', r.opportunityId) },
    col.status('quote', h),
    col.money('total', 'totalMinor', h, sort),
    col.date('validUntil', h, sort),
    col.date('createdAt', h, sort),
  ],
  title: (q, h) => h.t('quotes.title', { number: q.number, version: q.versionNo }),
  facts: (q, h) => [
    { label: h.t('field.account'), value: link('accounts', q.accountId) },
    { label: h.t('field.opportunity'), value: link('opportunities', q.opportunityId) },
    { label: h.t('field.total'), value: h.f.money(q.totalMinor, q.currency) },
    { label: h.t('field.validUntil'), value: h.f.date(q.validUntil) },
    { label: h.t('field.owner'), value: <OwnerName id={q.ownerId} /> },
    { label: h.t('field.createdAt'), value: h.f.dateTime(q.createdAt) },
    ...(q.supersededById ? [{ label: h.t('quotes.supersededBy'), value: link('quotes', q.supersededById) }] : []),
    ...(q.notes ? [{ label: h.t('field.notes'), value: q.notes, span: 3 }] : []),
  ],
  lines: (q) => <QuoteLines quote={q} />,
  actions: {
    approve: { permission: 'approve' },
    decline: { permission: 'approve', field: 'reason' },
    reject: { field: 'reason' },
  },
  buttons: (q) => <QuoteNext quote={q} />,
  banner: (q, h) =>
    q.rejectReason || q.declineReason ? (
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={h.t('documents.reason', { reason: q.rejectReason ?? q.declineReason })} />
    ) : null,
};
