import { useState, type ReactNode } from 'react';
import { Badge, Empty, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Stage } from '../../api/types.ts';
import { useFormat } from '../../lib/format.ts';
import type { Totals } from './totals.ts';

/** A stage column: name, probability, count, total and weighted total; a drop target for cards. */
export function KanbanColumn({ stage, totals, onDropCard, children }: { stage: Stage; totals: Totals; onDropCard: (oppId: string) => void; children: ReactNode }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [over, setOver] = useState(false);
  const sums = [...totals.byCurrency];
  return (
    <div
      className={`ltc-kanban-col${over ? ' drop-target' : ''}`}
      data-testid="kanban-column"
      data-stage={stage.id}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('text/x-opportunity')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const id = e.dataTransfer.getData('text/x-opportunity');
        if (id) onDropCard(id);
      }}
    >
      <div style={{ padding: '4px 4px 10px' }}>
        <Flex justify="space-between" align="center">
          <Typography.Text strong ellipsis title={stage.name}>
            {stage.name}
          </Typography.Text>
          <Badge count={totals.count} showZero color="#8c8c8c" />
        </Flex>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('opportunities.probability', { p: stage.probability })}
        </Typography.Text>
        {(sums.length ? sums : [['CNY', { amount: 0n, weighted: 0n }] as const]).map(([cur, s]) => (
          <div key={cur} style={{ fontSize: 12 }} data-testid="column-totals">
            <div>
              {t('opportunities.total')}: <Typography.Text strong>{f.money(s.amount, cur)}</Typography.Text>
            </div>
            <div>
              {t('opportunities.weighted')}: <Typography.Text>{f.money(s.weighted, cur)}</Typography.Text>
            </div>
          </div>
        ))}
      </div>
      {totals.count === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('opportunities.dropHere')} /> : children}
    </div>
  );
}
