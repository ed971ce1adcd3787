import type { UserPreferencesTable } from '@openltc/db';
import { z } from 'zod';
import { inTx, type Ctx } from '../platform/context.ts';
import { nowIso } from '../platform/clock.ts';
import { fieldError, versionConflict } from '../platform/errors.ts';
import { recordEvent } from '../platform/events.ts';

/**
 * The signed-in user's own preferences, kept on the server so they follow the user from browser to
 * browser (the column layouts of lists are in list-layouts.ts): the pipeline the home page's chart and
 * "My pipeline" show. Only the user reads and changes their own; nothing here is about other records,
 * so no role is needed. A chosen pipeline that is later deactivated or deleted is not an error: the
 * home page then shows the default pipeline, and the choice reads as that pipeline's id still.
 */
export const UserPreferencesSet = z
  .object({
    homePipelineId: z
      .string()
      .max(60)
      .nullable()
      .describe('the pipeline home shows (an active pipeline); null: the default pipeline'),
  })
  .strict();

export const UserPreferencesDto = z.object({
  homePipelineId: z.string().nullable(),
  /** 0: never set (every preference at its default). */
  version: z.number().int().describe('0 before the first change; send it as If-Match'),
  updatedAt: z.string().nullable(),
});
export type UserPreferencesDto = z.infer<typeof UserPreferencesDto>;

const dto = (r: UserPreferencesTable | undefined): UserPreferencesDto =>
  r ? { homePipelineId: r.homePipelineId, version: Number(r.version), updatedAt: r.updatedAt } : { homePipelineId: null, version: 0, updatedAt: null };

const row = (ctx: Ctx) => ctx.db.selectFrom('userPreferences').selectAll().where('userId', '=', ctx.user.id).executeTakeFirst();

/** GET /me/preferences: the caller's preferences (version 0 and defaults when never set). */
export async function getUserPreferences(ctx: Ctx): Promise<UserPreferencesDto> {
  return dto(await row(ctx));
}

/**
 * PUT /me/preferences: sets the caller's preferences. If-Match: their version (0 before the first
 * change), so a second browser of the same user working from an older state gets a 409 instead of
 * silently undoing a change. An unknown or inactive pipeline → 422 at `homePipelineId`.
 */
export async function setUserPreferences(ctx: Ctx, input: unknown, expectedVersion?: number): Promise<UserPreferencesDto> {
  const data = UserPreferencesSet.parse(input);
  return inTx(ctx, async (tx) => {
    if (data.homePipelineId !== null) {
      const p = await tx.db.selectFrom('pipelines').select(['id', 'active']).where('id', '=', data.homePipelineId).executeTakeFirst();
      if (!p) throw fieldError('homePipelineId', `pipeline ${data.homePipelineId} does not exist`, 'unknown_reference');
      if (!Number(p.active)) throw fieldError('homePipelineId', `pipeline ${data.homePipelineId} is not active`, 'inactive');
    }
    const before = await row(tx);
    const version = before ? Number(before.version) : 0;
    if (expectedVersion !== undefined && expectedVersion !== version) throw versionConflict('preferences', tx.user.id, version);
    const values = { homePipelineId: data.homePipelineId, version: version + 1, updatedAt: nowIso() };
    if (before) {
      const r = await tx.db.updateTable('userPreferences').set(values).where('userId', '=', tx.user.id).where('version', '=', version).executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw versionConflict('preferences', tx.user.id, version + 1);
    } else {
      // Two first saves at once: the second finds the row taken and is told to reload (409), not a 500.
      const r = await tx.db
        .insertInto('userPreferences')
        .values({ userId: tx.user.id, ...values })
        .onConflict((oc) => oc.column('userId').doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0n) !== 1) throw versionConflict('preferences', tx.user.id, 1);
    }
    await recordEvent(tx, {
      entityType: 'user_preferences',
      entityId: tx.user.id,
      action: 'updated',
      before: { homePipelineId: before?.homePipelineId ?? null },
      after: { homePipelineId: data.homePipelineId },
    });
    return dto((await row(tx))!);
  });
}
