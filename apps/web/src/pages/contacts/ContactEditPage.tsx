import { useMemo } from 'react';
import { Skeleton } from 'antd';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useRecord } from '../../api/hooks.ts';
import type { Contact } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RecordEditor } from '../../components/RecordEditor.tsx';
import { ContactFields, contactToBody, contactToValues } from './ContactFields.tsx';

export function ContactEditPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const [sp] = useSearchParams();
  const navigate = useNavigate();
  const q = useRecord<Contact>('contacts', id);
  const toBody = useMemo(() => contactToBody(!id), [id]);
  const crumbs = [{ label: t('nav.contacts'), to: '/contacts' }];
  if (id && q.isPending) return <Skeleton active />;
  if (id && q.isError) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  const c = q.data;
  const backTo = c ? `/contacts/${c.id}` : sp.get('accountId') ? `/accounts/${sp.get('accountId')}` : '/contacts';
  return (
    <>
      <PageHeader title={c ? t('contacts.editTitle', { name: c.name }) : t('contacts.new')} crumbs={c ? [...crumbs, { label: c.name, to: `/contacts/${c.id}` }] : crumbs} />
      <RecordEditor<Contact>
        key={c?.id ?? 'new'}
        type="contacts"
        record={c}
        toValues={contactToValues}
        initialValues={{ accountId: sp.get('accountId') ?? undefined }}
        toBody={toBody}
        labelOf={(k) => t(`field.${k}`)}
        onSaved={(saved) => navigate(`/contacts/${saved.id}`)}
        onCancel={() => navigate(backTo)}
      >
        <ContactFields creating={!c} />
      </RecordEditor>
    </>
  );
}
