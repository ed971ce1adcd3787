import { useState } from 'react';
import { App, Button } from 'antd';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useInvalidate } from '../../api/hooks.ts';
import { problemMessage } from '../../components/errors.ts';

/** Creates the next document of the chain (POST path) and opens it. */
export function NextStepButton({ label, path, body = {}, target, primary }: { label: string; path: string; body?: object; target: string; primary?: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      type={primary ? 'primary' : 'default'}
      loading={busy}
      onClick={async () => {
        setBusy(true);
        try {
          const d = await api.post<{ id: string }>(path, body);
          await invalidate('quotes', 'contracts', 'orders', 'deliveries', 'invoices', 'payments', 'opportunities');
          void message.success(t('documents.created'));
          navigate(`/${target}/${d.id}`);
        } catch (e) {
          void message.error(problemMessage(t, e));
        } finally {
          setBusy(false);
        }
      }}
    >
      {label}
    </Button>
  );
}
