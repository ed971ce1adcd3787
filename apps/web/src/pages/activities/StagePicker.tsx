import { App, Select } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client.ts';
import { useInvalidate } from '../../api/hooks.ts';
import type { Opportunity, Stage } from '../../api/types.ts';
import { problemMessage } from '../../components/errors.ts';

/**
 * Moves an open opportunity to another stage without dragging (phones, keyboards): a labelled
 * picker that PATCHes `stageId` with If-Match, like a drop on the board.
 */
export function StagePicker({ opp, stages }: { opp: Opportunity; stages: Stage[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const invalidate = useInvalidate();
  const move = async (stageId: string) => {
    if (stageId === opp.stageId) return;
    try {
      const saved = await api.patch<Opportunity>(`/opportunities/${opp.id}`, { stageId }, opp.version);
      qc.setQueryData(['opportunities', 'record', opp.id], saved);
      void message.success(
        t('opportunities.moved', {
          name: saved.name,
          stage: stages.find((s) => s.id === stageId)?.name ?? '',
        }),
      );
    } catch (e) {
      void message.error(
        isApiError(e, 'version_conflict') ? t('opportunities.moveConflict') : problemMessage(t, e),
      );
    } finally {
      void invalidate('opportunities');
    }
  };
  return (
    <label style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
      <span>{t('activities.moveToStage')}</span>
      <Select
        value={opp.stageId}
        onChange={(v) => void move(v)}
        options={stages.map((s) => ({ value: s.id, label: `${s.name} (${s.probability}%)` }))}
        size="large"
        style={{ minWidth: 220, flex: 1 }}
        data-testid="stage-picker"
        aria-label={t('activities.moveToStage')}
      />
    </label>
  );
}
