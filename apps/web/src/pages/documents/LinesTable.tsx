import { Card, Descriptions, Table, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../lib/format.ts';
import { rateToPercent } from '../../lib/money.ts';

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
  const columns: TableColumnsType<L> = [
    { key: 'lineNo', title: '#', width: 48, render: (_, r) => r.lineNo },
    { key: 'description', title: t('lines.description'), render: (_, r) => r.description },
    ...qty.map((c) => ({ key: c.key, title: c.title, align: 'right' as const, render: (_: unknown, r: L) => String(r[c.key] ?? '—') })),
    ...(priced
      ? [
          { key: 'unitPrice', title: t('lines.unitPrice'), align: 'right' as const, render: (_: unknown, r: L) => f.money(r.unitPriceMinor, currency) },
          { key: 'discount', title: t('lines.discount'), align: 'right' as const, render: (_: unknown, r: L) => (r.discountRate && r.discountRate !== '0' ? `${rateToPercent(r.discountRate)}%` : typeof r.discountMinor === 'number' && r.discountMinor > 0 ? f.money(r.discountMinor, currency) : '—') },
          { key: 'tax', title: t('lines.taxRate'), align: 'right' as const, render: (_: unknown, r: L) => (r.taxCode ? `${String(r.taxCode)} · ${rateToPercent(r.taxRate)}%` : `${rateToPercent(r.taxRate)}%`) },
          { key: 'net', title: t('lines.net'), align: 'right' as const, render: (_: unknown, r: L) => f.money(r.netMinor, currency) },
          { key: 'total', title: t('lines.total'), align: 'right' as const, render: (_: unknown, r: L) => f.money(r.totalMinor, currency) },
        ]
      : []),
  ];
  return (
    <Card title={title ?? t('lines.title', { count: lines.length })} size="small" extra={extra}>
      <Table<L> rowKey="id" size="small" pagination={false} dataSource={lines} columns={columns} scroll={{ x: 'max-content' }} locale={{ emptyText: t('lines.empty') }} />
      {totals && (
        <Descriptions size="small" column={1} style={{ maxWidth: 320, marginLeft: 'auto', marginTop: 12 }} labelStyle={{ width: 120 }}>
          <Descriptions.Item label={t('lines.netTotal')}>{f.money(totals.netMinor, currency)}</Descriptions.Item>
          <Descriptions.Item label={t('lines.taxTotal')}>{f.money(totals.taxMinor, currency)}</Descriptions.Item>
          <Descriptions.Item label={t('lines.grandTotal')}>
            <strong data-testid="grand-total">{f.money(totals.totalMinor, currency)}</strong>
          </Descriptions.Item>
        </Descriptions>
      )}
    </Card>
  );
}
