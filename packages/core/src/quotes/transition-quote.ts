import type { QuoteTable } from '@openltc/db';
import { noInput } from '../platform/validation.ts';
import { inTx, type Ctx } from '../platform/context.ts';
import { today } from '../platform/clock.ts';
import { conflict } from '../platform/errors.ts';
import { transition } from '../platform/machine.ts';
import { loadVisible, updateRecord } from '../platform/records.ts';
import { QuoteReason, type QuoteDto } from './quote.schema.ts';
import { QUOTE_APPROVAL_ACTIONS, quoteMachine, type QuoteAction, type QuoteState } from './quote.machine.ts';
import { quoteLinesOf } from './for-order.ts';
import { quoteDto } from './quotes.ts';
import { quoteDef } from './defs.ts';

/** Lifecycle actions reachable over `POST /quotes/:id/{action}`; `revise` has its own use case. */
export type QuoteStepAction = Exclude<QuoteAction, 'revise'>;
export const QUOTE_STEP_ACTIONS: readonly QuoteStepAction[] = ['submit', 'approve', 'decline', 'send', 'accept', 'reject', 'expire'];
/** Actions whose body carries a reason. */
export const QUOTE_REASON_ACTIONS: readonly QuoteStepAction[] = ['decline', 'reject'];

function assertNotLapsed(q: QuoteTable, action: string): void {
  if (q.validUntil && q.validUntil < today())
    throw conflict('quote_expired', `quote ${q.number} v${q.versionNo} was valid until ${q.validUntil}; it cannot be ${action} — expire or revise it`, {
      validUntil: q.validUntil,
    });
}

/**
 * submit / approve / decline (reason) / send / accept / reject (reason) / expire.
 * Approving and declining need the `approve` permission. Accepting does not touch the opportunity:
 * winning the deal stays a separate, explicit action by the seller.
 */
export async function transitionQuote(ctx: Ctx, id: string, action: QuoteStepAction, input: unknown = {}): Promise<QuoteDto> {
  return inTx(ctx, async (tx) => {
    const before = await loadVisible(tx, quoteDef, id, QUOTE_APPROVAL_ACTIONS.includes(action) ? 'approve' : 'write');
    const to = transition(quoteMachine, before.status as QuoteState, action);
    const patch: Partial<QuoteTable> = { status: to };
    if (action === 'reject') patch.rejectReason = QuoteReason.parse(input ?? {}).reason;
    else if (action === 'decline') patch.declineReason = QuoteReason.parse(input ?? {}).reason;
    else noInput(input);
    const lines = await quoteLinesOf(tx, before.id);
    if (action === 'submit' && !lines.length)
      throw conflict('quote_empty', `quote ${before.number} v${before.versionNo} has no lines; add at least one before submitting`);
    if (action === 'send') assertNotLapsed(before, 'sent');
    if (action === 'accept') assertNotLapsed(before, 'accepted');
    return quoteDto(await updateRecord(tx, quoteDef, before, patch, { action }), lines);
  });
}

/**
 * Expires every approved or sent quote whose validity ended before today, each with its own
 * `expire` event, for a scheduled job to call (typically as the system user). Returns their ids.
 */
export async function expireLapsedQuotes(ctx: Ctx, limit = 500): Promise<string[]> {
  const lapsed = await ctx.db
    .selectFrom('quotes')
    .select('id')
    .where('status', 'in', ['approved', 'sent'])
    .where('validUntil', '<', today())
    .orderBy('validUntil')
    .limit(limit)
    .execute();
  const done: string[] = [];
  for (const { id } of lapsed) {
    await transitionQuote(ctx, id, 'expire');
    done.push(id);
  }
  return done;
}
