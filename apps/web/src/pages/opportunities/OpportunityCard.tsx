import { Button, Card, Dropdown, Flex, Space, Tooltip, Typography } from 'antd';
import { CalendarOutlined, CheckOutlined, CloseOutlined, SwapOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Opportunity, Stage } from '../../api/types.ts';
import { RecordLink } from '../../components/Refs.tsx';
import { useFormat } from '../../lib/format.ts';

/** One deal on the board: draggable, with win/lose and a keyboard-friendly "move to" menu. */
export function OpportunityCard({
  opp,
  stages,
  mayWrite,
  onMove,
  onWin,
  onLose,
}: {
  opp: Opportunity;
  stages: Stage[];
  mayWrite: boolean;
  onMove: (stageId: string) => void;
  onWin: () => void;
  onLose: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Card
      size="small"
      className="ltc-kanban-card"
      draggable={mayWrite}
      data-testid="kanban-card"
      data-id={opp.id}
      onDragStart={(e) => {
        e.dataTransfer.setData('text/x-opportunity', opp.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
      styles={{ body: { padding: 10 } }}
    >
      <Typography.Text strong ellipsis style={{ display: 'block' }}>
        <Link to={`/opportunities/${opp.id}`} draggable={false}>
          {opp.name}
        </Link>
      </Typography.Text>
      <Typography.Text type="secondary" ellipsis style={{ display: 'block', fontSize: 12 }}>
        <RecordLink type="accounts" id={opp.accountId} />
      </Typography.Text>
      <Flex justify="space-between" align="center" style={{ marginTop: 6 }}>
        <Typography.Text data-testid="card-amount">{f.money(opp.amountMinor, opp.currency)}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {opp.probability}%
        </Typography.Text>
      </Flex>
      <Flex justify="space-between" align="center" style={{ marginTop: 6 }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          <CalendarOutlined /> {f.date(opp.expectedCloseDate)}
        </Typography.Text>
        {mayWrite && (
          <Space size={2}>
            <Dropdown
              trigger={['click']}
              menu={{
                items: stages.filter((s) => s.id !== opp.stageId).map((s) => ({ key: s.id, label: s.name })),
                onClick: ({ key }) => onMove(key),
              }}
            >
              <Tooltip title={t('opportunities.moveTo')}>
                <Button size="small" type="text" icon={<SwapOutlined />} aria-label={t('opportunities.moveTo')} />
              </Tooltip>
            </Dropdown>
            {opp.allowedActions.includes('win') && (
              <Tooltip title={t('action.opportunity.win')}>
                <Button size="small" type="text" icon={<CheckOutlined style={{ color: '#52c41a' }} />} onClick={onWin} aria-label={t('action.opportunity.win')} />
              </Tooltip>
            )}
            {opp.allowedActions.includes('lose') && (
              <Tooltip title={t('action.opportunity.lose')}>
                <Button size="small" type="text" icon={<CloseOutlined style={{ color: '#ff4d4f' }} />} onClick={onLose} aria-label={t('action.opportunity.lose')} />
              </Tooltip>
            )}
          </Space>
        )}
      </Flex>
    </Card>
  );
}
