import { Skeleton } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useRecord } from '../../api/hooks.ts';
import type { Lead } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RecordEditor } from '../../components/RecordEditor.tsx';
import { LeadFields, leadToBody, leadToValues } from './LeadFields.tsx';

/** /leads/new and /leads/:id/edit */
export function LeadEditPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const q = useRecord<Lead>('leads', id);
  const crumbs = [{ label: t('nav.leads'), to: '/leads' }];
  if (id && q.isPending) return <Skeleton active />;
  if (id && q.isError) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  const lead = q.data;
  return (
    <>
      <PageHeader
        title={lead ? t('leads.editTitle', { name: lead.name }) : t('leads.new')}
        crumbs={lead ? [...crumbs, { label: lead.name, to: `/leads/${lead.id}` }] : crumbs}
      />
      <RecordEditor<Lead>
        key={lead?.id ?? 'new'}
        type="leads"
        record={lead}
        toValues={leadToValues}
        initialValues={{ score: 0 }}
        toBody={leadToBody}
        labelOf={(k) => t(`field.${k}`)}
        onSaved={(saved) => navigate(`/leads/${saved.id}`)}
        onCancel={() => navigate(lead ? `/leads/${lead.id}` : '/leads')}
      >
        <LeadFields />
      </RecordEditor>
    </>
  );
}
