import { Button, Card, Flex, Input, Select, Space, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useDefaultPipeline, useList, usePipelines } from '../../api/hooks.ts';
import { OPPORTUNITY_STATUSES, type Opportunity } from '../../api/types.ts';
import { useAuth } from '../../auth/auth.tsx';
import { CursorTable, sortOrderOf } from '../../components/CursorTable.tsx';
import { useListTools, type ListColumn } from '../../components/ListTools.tsx';
import { localDateTime } from '../../lib/exportRows.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { OwnerName, RecordLink } from '../../components/Refs.tsx';
import { StatusTag } from '../../components/StatusTag.tsx';
import { useFormat } from '../../lib/format.ts';
import { useListParams } from '../../lib/useListParams.ts';
import { RANGE_FILTERS } from '../../lib/drill.ts';
import { FilterChips } from '../../components/FilterChips.tsx';

const RANGES = RANGE_FILTERS.opportunities!;
import { ViewSwitch } from './ViewSwitch.tsx';

export function OpportunitiesListPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { pipeline } = useDefaultPipeline();
  const pipes = usePipelines();
  const [p, set] = useListParams(['q', 'status', 'stageId', 'sort', ...RANGES], { sort: '-createdAt' });
  const params = { limit: 25, q: p.q, status: p.status, stageId: p.stageId, sort: p.sort, ...Object.fromEntries(RANGES.map((k) => [k, p[k]])) };
  const query = useList<Opportunity>('opportunities', params);
  const columns: Array<ListColumn<Opportunity>> = [
            {
              key: 'name',
              title: t('field.name'),
              sorter: true,
              sortOrder: sortOrderOf(p.sort, 'name'),
              exportValue: (r) => r.name,
              render: (_, r) => (
                <Link to={`/opportunities/${r.id}`} onClick={(e) => e.stopPropagation()}>
                  {r.name}
                </Link>
              ),
            },
            { key: 'account', title: t('field.account'), needsAccounts: true, exportValue: (r, x) => x.account(r.accountId), render: (_, r) => <span onClick={(e) => e.stopPropagation()}><RecordLink type="accounts" id={r.accountId} /></span> },
            { key: 'stage', title: t('field.stage'), exportValue: (r) => stageName(r.stageId), render: (_, r) => stageName(r.stageId) },
            { key: 'status', title: t('field.status'), exportValue: (r, x) => x.t(`status.opportunity.${r.status}`), render: (_, r) => <StatusTag entity="opportunity" status={r.status} /> },
            { key: 'amount', title: t('field.amount'), sorter: true, sortOrder: sortOrderOf(p.sort, 'amount'), align: 'right', exportValue: (r) => ({ minor: r.amountMinor, currency: r.currency }), render: (_, r) => f.money(r.amountMinor, r.currency) },
            { key: 'weighted', title: t('opportunities.weighted'), align: 'right', exportValue: (r) => ({ minor: r.weightedAmountMinor, currency: r.currency }), render: (_, r) => <Typography.Text type="secondary">{f.money(r.weightedAmountMinor, r.currency)}</Typography.Text> },
            { key: 'expectedCloseDate', title: t('field.expectedCloseDate'), sorter: true, sortOrder: sortOrderOf(p.sort, 'expectedCloseDate'), exportValue: (r) => r.expectedCloseDate, render: (_, r) => f.date(r.expectedCloseDate) },
            { key: 'owner', title: t('field.owner'), exportValue: (r, x) => x.owner(r.ownerId), render: (_, r) => <OwnerName id={r.ownerId} /> },
            { key: 'createdAt', title: t('field.createdAt'), sorter: true, sortOrder: sortOrderOf(p.sort, 'createdAt'), exportValue: (r) => localDateTime(r.createdAt), render: (_, r) => <Typography.Text type="secondary">{f.day(r.createdAt)}</Typography.Text> },
  ];
  const tools = useListTools<Opportunity>({ list: 'opportunities', type: 'opportunities', columns, params });
  const stageName = (id: string) => pipes.data?.flatMap((x) => x.stages).find((s) => s.id === id)?.name ?? '—';

  return (
    <>
      <PageHeader
        title={t('nav.opportunities')}
        extra={
          <>
            <ViewSwitch value="list" />
            {can('opportunity', 'write') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/opportunities/new')}>
                {t('opportunities.new')}
              </Button>
            )}
          </>
        }
      />
      <Card>
        <Flex justify="space-between" align="flex-start" wrap gap={8} style={{ marginBottom: 16 }}>
          <Space wrap>
          <Input.Search allowClear placeholder={t('opportunities.search')} defaultValue={p.q} onSearch={(v) => set({ q: v })} style={{ width: 260 }} />
          <Select
            allowClear
            placeholder={t('field.status')}
            value={p.status}
            onChange={(v) => set({ status: v })}
            style={{ width: 140 }}
            options={OPPORTUNITY_STATUSES.map((s) => ({ value: s, label: t(`status.opportunity.${s}`) }))}
          />
          <Select
            allowClear
            placeholder={t('field.stage')}
            value={p.stageId}
            onChange={(v) => set({ stageId: v })}
            style={{ width: 220 }}
            options={(pipeline?.stages ?? []).map((s) => ({ value: s.id, label: s.name }))}
          />
          <FilterChips keys={RANGES} values={p} onRemove={(k) => set({ [k]: null })} />
          </Space>
          {tools.tools}
        </Flex>
        <CursorTable<Opportunity>
          query={query}
          onSortChange={(s) => set({ sort: s })}
          onRow={(r) => ({ onClick: () => navigate(`/opportunities/${r.id}`), className: 'ltc-clickable-row' })}
          emptyText={p.q || p.status || p.stageId || RANGES.some((k) => p[k]) ? t('list.noMatch') : t('opportunities.empty')}
          columns={tools.columns}
        />
      </Card>
    </>
  );
}
