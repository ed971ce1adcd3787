import { Space, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ScoreReason } from './leadImport.ts';

/** A lead's score with the scoring rules that gave it, each as "rule +points". */
export function ScoreReasons({ score, reasons }: { score: number; reasons?: ScoreReason[] | undefined }) {
  const { t } = useTranslation();
  return (
    <Space size={[4, 4]} wrap>
      <strong data-testid="lead-score">{score}</strong>
      {!!reasons?.length && (
        <Tooltip title={t('leadScoring.clamped')}>
          <Space size={[4, 4]} wrap data-testid="score-reasons" aria-label={t('leadScoring.reasonsTitle')}>
            {reasons.map((r) => (
              <Tag key={r.ruleId} color={r.points >= 0 ? 'green' : 'red'} style={{ marginInlineEnd: 0 }}>
                {r.name} {r.points > 0 ? `+${r.points}` : r.points}
              </Tag>
            ))}
          </Space>
        </Tooltip>
      )}
    </Space>
  );
}
