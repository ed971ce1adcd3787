import { Card, Descriptions, Table, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../lib/format.ts';
import { formatAmount, rateToPercent } from '../../lib/money.ts';
import { DESCRIPTION_MIN, LINE_WIDTHS, lineColumnPlan } from './lineColumns.ts';

export interface Line {
  id: string;
  lineNo: number;
  description: string;
  quantity?: string;
  unitPriceMinor?: number;
  discountRate?: string;
  taxRate?: string;
  netMinor?: number;
  taxMinor?: number;
  totalMinor?: number;
  [k: string]: unknown;
}

/** Read by screen readers, not shown. */
const SR_ONLY = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;
const NUMERIC = { whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' } as const;

/** A document's lines and its totals (net, VAT, total), amounts exact from minor units. */
export function LinesTable<L extends Line>({
  lines,
  currency,
  totals,
  qtyColumns,
  priced = true,
  title,
  extra,
}: {
  lines: L[];
  currency: string;
  totals?: { netMinor: number; taxMinor: number; totalMinor: number };
  /** Quantity columns (default: `quantity`). */
  qtyColumns?: Array<{ key: string; title: string }>;
  priced?: boolean;
  title?: string;
  extra?: React.ReactNode;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const qty = qtyColumns ?? [{ key: 'quantity', title: t('lines.quantity') }];
  const plan = lineColumnPlan(qty.length, priced);
  // Amounts in the cells without the currency sign (the title names the currency once); totals keep it.
  const amount = (minor: number | undefined) =>
    typeof minor === 'number' ? formatAmount(minor, currency, f.locale) : '—';
  const discount = (r: L) =>
    r.discountRate && r.discountRate !== '0'
      ? `${rateToPercent(r.discountRate)}%`
      : typeof r.discountMinor === 'number' && r.discountMinor > 0
        ? amount(r.discountMinor)
        : null;
  const num = (key: string, title: string, width: number, render: (r: L) => string) => ({
    key,
    title,
    width,
    align: 'right' as const,
    ellipsis: true,
    onCell: () => ({ style: NUMERIC }),
    // Headers get the room of the padding (a bold "Quantity" or "Delivered" fits 84 px in any font).
    onHeaderCell: () => ({ style: { paddingInline: 4 } }),
    render: (_: unknown, r: L) => render(r),
  });
  const columns: TableColumnsType<L> = [
    { key: 'lineNo', title: '#', width: LINE_WIDTHS.lineNo, render: (_, r) => r.lineNo },
    {
      key: 'description',
      title: t('lines.description'),
      onCell: () => ({ style: { whiteSpace: 'normal', overflowWrap: 'anywhere' } }),
      render: (_, r) => {
        if (!plan.compact) return r.description;
        const d = discount(r);
        return (
          <>
            <div>{r.description}</div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="line-price">
              {t('lines.unitPrice')} {amount(r.unitPriceMinor)}
              {d && ` · ${t('lines.discount')} ${d}`}
            </Typography.Text>
          </>
        );
      },
    },
    ...qty.map((c) => num(c.key, c.title, LINE_WIDTHS.qty, (r) => String(r[c.key] ?? '—'))),
    ...(priced
      ? [
          ...(plan.compact
            ? []
            : [
                num('unitPrice', t('lines.unitPrice'), LINE_WIDTHS.unitPrice, (r) =>
                  amount(r.unitPriceMinor),
                ),
                num('discount', t('lines.discount'), LINE_WIDTHS.discount, (r) => discount(r) ?? '—'),
              ]),
          {
            key: 'tax',
            title: t('lines.taxRate'),
            width: LINE_WIDTHS.tax,
            align: 'right' as const,
            ellipsis: { showTitle: false },
            onCell: () => ({ style: NUMERIC }),
            // Headers get the room of the padding (a bold "Quantity" or "Delivered" fits 84 px in any font).
            onHeaderCell: () => ({ style: { paddingInline: 4 } }),
            // The rate, and under it the tax code (it tells exempt from zero-rated); read out as one
            // phrase ("VAT13 · 13%").
            render: (_: unknown, r: L) => {
              const rate = `${rateToPercent(r.taxRate)}%`;
              if (!r.taxCode) return rate;
              const code = String(r.taxCode);
              return (
                <Tooltip title={`${code} · ${rate}`}>
                  <div style={{ position: 'relative' }} data-testid="line-tax">
                    <span style={SR_ONLY}>{`${code} · ${rate}`}</span>
                    <div aria-hidden>{rate}</div>
                    <div aria-hidden style={{ fontSize: 12, overflow: 'hidden', textOverflow: 'ellipsis' }}>
                      <Typography.Text type="secondary">{code}</Typography.Text>
                    </div>
                  </div>
                </Tooltip>
              );
            },
          },
          num('net', t('lines.net'), LINE_WIDTHS.amount, (r) => amount(r.netMinor)),
          num('total', t('lines.total'), LINE_WIDTHS.amount, (r) => amount(r.totalMinor)),
        ]
      : []),
  ];
  const heading = title ?? t('lines.title', { count: lines.length });
  return (
    <Card
      title={priced ? t('linesTable.titleWithCurrency', { title: heading, currency }) : heading}
      size="small"
      extra={extra}
      data-testid="lines-table"
    >
      <Table<L>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={lines}
        columns={columns}
        tableLayout="fixed"
        scroll={{ x: plan.fixedWidth + DESCRIPTION_MIN }}
        locale={{ emptyText: t('lines.empty') }}
      />
      {totals && (
        <Descriptions
          size="small"
          column={1}
          style={{ maxWidth: 320, marginLeft: 'auto', marginTop: 12 }}
          labelStyle={{ width: 120 }}
        >
          <Descriptions.Item label={t('lines.netTotal')}>
            {f.money(totals.netMinor, currency)}
          </Descriptions.Item>
          <Descriptions.Item label={t('lines.taxTotal')}>
            {f.money(totals.taxMinor, currency)}
          </Descriptions.Item>
          <Descriptions.Item label={t('lines.grandTotal')}>
            <strong data-testid="grand-total">{f.money(totals.totalMinor, currency)}</strong>
          </Descriptions.Item>
        </Descriptions>
      )}
    </Card>
  );
}
