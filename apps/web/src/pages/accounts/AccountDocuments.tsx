import { Button, Card, Tabs } from 'antd';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useList } from '../../api/hooks.ts';
import { useAuth } from '../../auth/auth.tsx';
import { CursorTable } from '../../components/CursorTable.tsx';
import { useApiPaths } from '../../layout/useApiPaths.ts';
import { useFormat } from '../../lib/format.ts';
import type { Doc, DocConfig } from '../documents/types.ts';
import { quoteConfig } from '../quotes/quotes.tsx';
import { contractConfig } from '../contracts/contracts.tsx';
import { orderConfig } from '../orders/orders.tsx';
import { invoiceConfig } from '../invoices/invoices.tsx';
import { paymentConfig } from '../payments/payments.tsx';

const CONFIGS = [quoteConfig, contractConfig, orderConfig, invoiceConfig, paymentConfig] as unknown as DocConfig<Doc>[];

function Related({ config, accountId }: { config: DocConfig<Doc>; accountId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const query = useList<Doc>(config.type, { accountId, limit: 10, sort: config.defaultSort });
  return (
    <>
      <CursorTable<Doc>
        query={query}
        columns={config.columns({ t, f }, undefined)
          .filter((c) => c.key !== 'account')
          .map((c) => ({ ...c, sorter: false }))}
        onRow={(r) => ({ onClick: () => navigate(`/${config.type}/${r.id}`), className: 'ltc-clickable-row' })}
        emptyText={t(`documents.empty.${config.type}`)}
      />
      <Button type="link" style={{ paddingLeft: 0 }} onClick={() => navigate(`/${config.type}?accountId=${accountId}`)}>
        {t('accounts.allOf', { what: t(`nav.${config.type}`) })}
      </Button>
    </>
  );
}

/** The account's quotes, contracts, orders, invoices and payments, one tab each (what the role may read). */
export function AccountDocuments({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const paths = useApiPaths();
  const shown = CONFIGS.filter((c) => can(c.entity) && paths.data?.has(`/api/v1/${c.type}`));
  if (!shown.length) return null;
  return (
    <Card size="small" style={{ marginTop: 16 }} styles={{ body: { paddingTop: 0 } }}>
      <Tabs items={shown.map((c) => ({ key: c.type, label: t(`nav.${c.type}`), children: <Related config={c} accountId={accountId} /> }))} />
    </Card>
  );
}
