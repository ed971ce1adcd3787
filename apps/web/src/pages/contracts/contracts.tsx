import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/auth.tsx';
import { OwnerName } from '../../components/Refs.tsx';
import { col, link } from '../documents/common.tsx';
import { NextStepButton } from '../documents/NextStepButton.tsx';
import type { Doc, DocConfig } from '../documents/types.ts';
import { PaymentPlanCard } from '../billing/PaymentPlanCard.tsx';

export interface Contract extends Doc {
  number: string;
  title: string;
  quoteId: string | null;
  opportunityId: string | null;
  accountId: string;
  currency: string;
  totalMinor: number;
  startDate: string | null;
  endDate: string | null;
  signedAt: string | null;
  signedBy: string | null;
  returnReason: string | null;
  terminationReason: string | null;
  ownerId: string | null;
}

function ContractNext({ contract }: { contract: Contract }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  if (!['signed', 'active'].includes(contract.status) || !contract.quoteId || !can('order', 'write')) return null;
  return <NextStepButton primary label={t('quotes.toOrder')} path={`/contracts/${contract.id}/order`} target="orders" />;
}

export const contractConfig: DocConfig<Contract> = {
  type: 'contracts',
  entity: 'contract',
  statuses: ['draft', 'in_review', 'approved', 'signed', 'active', 'expired', 'terminated'],
  defaultSort: '-createdAt',
  columns: (h, sort) => [
    col.number('contracts', h, sort),
    { key: 'title', title: h.t('field.contractTitle'), exportValue: (r: Contract) => r.title, render: (_: unknown, r: Contract) => r.title },
    col.account(h),
    col.status('contract', h),
    col.money('total', 'totalMinor', h, sort),
    col.date('endDate', h, sort),
    col.date('createdAt', h, sort),
  ],
  title: (c) => `${c.number} · ${c.title}`,
  facts: (c, h) => [
    { label: h.t('field.account'), value: link('accounts', c.accountId) },
    { label: h.t('field.quote'), value: link('quotes', c.quoteId) },
    { label: h.t('field.total'), value: h.f.money(c.totalMinor, c.currency) },
    { label: h.t('field.startDate'), value: h.f.date(c.startDate) },
    { label: h.t('field.endDate'), value: h.f.date(c.endDate) },
    { label: h.t('field.owner'), value: <OwnerName id={c.ownerId} /> },
    { label: h.t('field.signedBy'), value: c.signedBy ?? '—' },
    { label: h.t('field.signedAt'), value: h.f.dateTime(c.signedAt) },
    { label: h.t('field.createdAt'), value: h.f.dateTime(c.createdAt) },
  ],
  actions: {
    approve: { permission: 'approve' },
    return: { permission: 'approve', field: 'reason' },
    sign: { field: 'signedBy' },
    terminate: { field: 'reason' },
  },
  extra: (c) => <PaymentPlanCard contractId={c.id} status={c.status} />,
  buttons: (c) => <ContractNext contract={c} />,
  banner: (c, h) =>
    c.returnReason || c.terminationReason ? (
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={h.t('documents.reason', { reason: c.terminationReason ?? c.returnReason })} />
    ) : null,
};
