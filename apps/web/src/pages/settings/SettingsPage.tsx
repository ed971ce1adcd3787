import { Card, Tabs } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { Team } from '../../api/types.ts';
import { useAuth } from '../../auth/auth.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useListParams } from '../../lib/useListParams.ts';
import { JobsTab } from './JobsTab.tsx';
import { NumberSeriesTab } from './NumberSeriesTab.tsx';
import { PipelinesTab } from './PipelinesTab.tsx';
import { TeamsTab } from './TeamsTab.tsx';
import { UsersTab } from './UsersTab.tsx';
import { TaxCodesTab } from './TaxCodesTab.tsx';
import { PriceBooksTab } from './PriceBooksTab.tsx';
import { LeadScoringTab } from './LeadScoringTab.tsx';
import { FxRatesTab } from '../fx/FxRatesTab.tsx';

/** Administration: users and their API tokens, teams, background jobs. */
export function SettingsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [p, set] = useListParams(['tab'], { tab: can('user') ? 'users' : 'tax-codes' });
  const teams = useQuery({ queryKey: ['teams', 'all'], queryFn: ({ signal }) => api.get<{ items: Team[] }>('/teams', undefined, signal), enabled: can('user') });
  const list = teams.data?.items ?? [];
  return (
    <>
      <PageHeader title={t('nav.settings')} />
      <Card>
        <Tabs
          activeKey={p.tab}
          onChange={(k) => set({ tab: k })}
          items={[
            ...(can('user')
              ? [
                  { key: 'users', label: t('settings.users'), children: <UsersTab teams={list} /> },
                  { key: 'teams', label: t('settings.teams'), children: <TeamsTab teams={list} loading={teams.isPending} error={teams.error} retry={() => void teams.refetch()} /> },
                ]
              : []),
            ...(can('settings') ? [{ key: 'jobs', label: t('settings.jobs'), children: <JobsTab /> }] : []),
            ...(can('settings', 'write') ? [{ key: 'pipelines', label: t('pipelineSettings.tab'), children: <PipelinesTab /> }] : []),
            ...(can('settings', 'write') ? [{ key: 'number-series', label: t('numberSeries.tab'), children: <NumberSeriesTab /> }] : []),
            ...(can('settings', 'write') ? [{ key: 'lead-scoring', label: t('leadScoring.tab'), children: <LeadScoringTab /> }] : []),
            ...(can('pricing') ? [{ key: 'tax-codes', label: t('pricing.taxCodes'), children: <TaxCodesTab /> }] : []),
            ...(can('pricing') ? [{ key: 'price-books', label: t('pricing.priceBooks'), children: <PriceBooksTab /> }] : []),
            ...(can('ledger') ? [{ key: 'fx-rates', label: t('fx.tab'), children: <FxRatesTab /> }] : []),
          ]}
        />
      </Card>
    </>
  );
}
