import { Skeleton } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useRecord } from '../../api/hooks.ts';
import type { Account } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RecordEditor } from '../../components/RecordEditor.tsx';
import { ACCOUNT_FIELD_OF, AccountFields, accountToBody, accountToValues } from './AccountFields.tsx';

export function AccountEditPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const q = useRecord<Account>('accounts', id);
  const crumbs = [{ label: t('nav.accounts'), to: '/accounts' }];
  if (id && q.isPending) return <Skeleton active />;
  if (id && q.isError) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  const acc = q.data;
  return (
    <>
      <PageHeader title={acc ? t('accounts.editTitle', { name: acc.name }) : t('accounts.new')} crumbs={acc ? [...crumbs, { label: acc.name, to: `/accounts/${acc.id}` }] : crumbs} />
      <RecordEditor<Account>
        key={acc?.id ?? 'new'}
        type="accounts"
        record={acc}
        toValues={accountToValues}
        initialValues={{ currency: 'CNY' }}
        toBody={accountToBody}
        fieldOf={(p) => ACCOUNT_FIELD_OF[p] ?? p}
        labelOf={(k) => t(`field.${k}`)}
        onSaved={(saved) => navigate(`/accounts/${saved.id}`)}
        onCancel={() => navigate(acc ? `/accounts/${acc.id}` : '/accounts')}
      >
        <AccountFields />
      </RecordEditor>
    </>
  );
}
