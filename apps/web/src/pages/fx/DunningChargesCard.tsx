import { Card, Space, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { useAuth } from '../../auth/auth.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFormat } from '../../lib/format.ts';
import { ChargeActions } from '../payments/ChargeActions.tsx';

export interface DunningCharge {
  id: string;
  number: string;
  accountId: string;
  legalEntityId: string;
  version: number;
  taxMinor: number;
  invoiceId: string;
  invoiceNumber: string | null;
  level: number;
  currency: string;
  feeMinor: number;
  interestMinor: number;
  totalMinor: number;
  outstandingMinor: number;
  paidMinor: number;
  waivedMinor: number;
  interestAnnualRate: string | null;
  interestFrom: string | null;
  interestThrough: string | null;
  interestDays: number;
  interestBaseMinor: number;
  issueDate: string;
  dueDate: string;
  status: 'open' | 'paid' | 'waived';
}

/**
 * The dunning charges (late fee and late interest receivables) of an invoice or of a customer:
 * number, level, fee, interest with how it was worked out, what is still owed. Nothing is shown
 * when there are none.
 */
export function DunningChargesCard({ invoiceId, accountId }: { invoiceId?: string; accountId?: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useAuth();
  const q = useQuery({
    queryKey: ['dunning-charges', invoiceId ?? '', accountId ?? ''],
    queryFn: ({ signal }) => api.get<{ items: DunningCharge[] }>('/dunning-charges', { ...(invoiceId ? { invoiceId } : {}), ...(accountId ? { accountId } : {}) }, signal),
    enabled: can('invoice'),
  });
  const items = q.data?.items ?? [];
  if (!q.error && !items.length) return null;
  return (
    <Card size="small" title={t('dunningCharges.title')} style={{ marginTop: 16 }} data-testid="dunning-charges">
      <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      <Table<DunningCharge>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={items}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: 'number', title: t('dunningCharges.number'), dataIndex: 'number' },
          ...(invoiceId ? [] : [{ key: 'invoice', title: t('dunningCharges.invoice'), render: (_: unknown, c: DunningCharge) => <Link to={`/invoices/${c.invoiceId}`}>{c.invoiceNumber ?? c.invoiceId}</Link> }]),
          { key: 'level', title: t('dunningCharges.level'), render: (_, c) => c.level },
          { key: 'fee', title: t('dunningCharges.fee'), align: 'right', render: (_, c) => f.money(c.feeMinor, c.currency) },
          {
            key: 'interest',
            title: t('dunningCharges.interest'),
            align: 'right',
            render: (_, c) => (
              <span title={c.interestAnnualRate ? t('dunningCharges.interestHow', { base: f.money(c.interestBaseMinor, c.currency), rate: c.interestAnnualRate, days: c.interestDays, from: c.interestFrom, through: c.interestThrough }) : undefined}>
                {f.money(c.interestMinor, c.currency)}
              </span>
            ),
          },
          ...(items.some((c) => c.taxMinor) ? [{ key: 'vat', title: t('chargeActions.vat'), align: 'right' as const, render: (_: unknown, c: DunningCharge) => f.money(c.taxMinor, c.currency) }] : []),
          { key: 'total', title: t('dunningCharges.total'), align: 'right', render: (_, c) => f.money(c.totalMinor, c.currency) },
          { key: 'outstanding', title: t('dunningCharges.outstanding'), align: 'right', render: (_, c) => f.money(c.outstandingMinor, c.currency) },
          { key: 'dueDate', title: t('dunningCharges.dueDate'), render: (_, c) => f.date(c.dueDate) },
          {
            key: 'status',
            title: t('dunningCharges.status'),
            render: (_, c) => (
              <Space size={0} direction="vertical">
                <Tag color={c.status === 'paid' ? 'green' : c.status === 'waived' ? 'default' : 'orange'}>{t(`dunningCharges.statuses.${c.status}`)}</Tag>
                {c.status === 'waived' && c.paidMinor > 0 && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`charge-waived-rest-${c.number}`}>
                    {t('dunningCharges.paidWaived', { paid: f.money(c.paidMinor, c.currency), waived: f.money(c.waivedMinor, c.currency) })}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          { key: 'actions', title: '', render: (_, c) => <ChargeActions charge={c} /> },
        ]}
      />
    </Card>
  );
}
