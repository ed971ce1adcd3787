import type { Ctx } from './context.ts';
import { fieldError } from './errors.ts';
import { scopeOf, type Entity } from './permissions.ts';

/**
 * Who owns a new record and which team scopes it: the given owner (who must be someone the caller
 * may assign to) or the caller. The team always follows the owner, so scope is never typed by hand.
 */
export async function resolveOwner(
  ctx: Ctx,
  entity: Entity,
  ownerId: string | null | undefined,
): Promise<{ ownerId: string | null; teamId: string | null }> {
  if (!ownerId) {
    if (ctx.user.via === 'system') return { ownerId: null, teamId: null };
    return { ownerId: ctx.user.id, teamId: ctx.user.teamId };
  }
  const u = await ctx.db.selectFrom('users').select(['id', 'teamId', 'active']).where('id', '=', ownerId).executeTakeFirst();
  if (!u || !u.active) throw fieldError('ownerId', `user ${ownerId} does not exist or is inactive`, 'unknown_reference');
  if (scopeOf(ctx.user, entity) === 'team' && u.id !== ctx.user.id && !(u.teamId && ctx.user.teamIds.includes(u.teamId)))
    throw fieldError('ownerId', 'you can only assign records to people in your team', 'out_of_scope');
  return { ownerId: u.id, teamId: u.teamId };
}
