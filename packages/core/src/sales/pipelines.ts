import type { Db } from '@openltc/db';
import { newId } from '../platform/ids.ts';
import { nowIso } from '../platform/clock.ts';
import { DEFAULT_STAGES } from './sales.machine.ts';

export interface PipelineDto {
  id: string;
  name: string;
  isDefault: boolean;
  stages: Array<{ id: string; name: string; sortOrder: number; probability: number; kind: string }>;
}

/** Creates the default pipeline if none exists (first start). */
export async function ensureDefaultPipeline(db: Db): Promise<string> {
  const existing = await db.selectFrom('pipelines').select('id').where('isDefault', '=', 1).executeTakeFirst();
  if (existing) return existing.id;
  const id = newId('pipe');
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('pipelines').values({ id, name: 'Standard B2B 标准销售流程', isDefault: 1, createdAt: nowIso() }).execute();
    await trx
      .insertInto('pipelineStages')
      .values(DEFAULT_STAGES.map((s, i) => ({ id: newId('stg'), pipelineId: id, name: s.name, sortOrder: i + 1, probability: s.probability, kind: s.kind })))
      .execute();
  });
  return id;
}

export async function listPipelines(db: Db): Promise<PipelineDto[]> {
  const pipes = await db.selectFrom('pipelines').selectAll().orderBy('createdAt').execute();
  const stages = await db.selectFrom('pipelineStages').selectAll().orderBy('sortOrder').execute();
  return pipes.map((p) => ({
    id: p.id,
    name: p.name,
    isDefault: !!p.isDefault,
    stages: stages
      .filter((s) => s.pipelineId === p.id)
      .map((s) => ({ id: s.id, name: s.name, sortOrder: s.sortOrder, probability: s.probability, kind: s.kind })),
  }));
}
