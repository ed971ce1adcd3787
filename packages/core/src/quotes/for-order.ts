import type { QuoteLineTable, QuoteTable } from '@openltc/db';
import type { Ctx } from '../platform/context.ts';
import { conflict } from '../platform/errors.ts';
import { loadVisible } from '../platform/records.ts';
import { reuseIn } from '../platform/hot-reads.ts';
import { quoteDef } from './defs.ts';

/** The lines of a quote in line order. */
export async function quoteLinesOf(ctx: Ctx, quoteId: string): Promise<QuoteLineTable[]> {
  return reuseIn(ctx.db, 'quoteLines.of', [quoteId], [], ([id]) => ctx.db.selectFrom('quoteLines').selectAll().where('quoteId', '=', id as string).orderBy('lineNo'));
}

/**
 * For the orders domain: an accepted quote the caller may see, with its lines. Anything but
 * `accepted` is refused, so an order is never built from a draft, a rejected or a superseded version.
 */
export async function quoteForOrder(ctx: Ctx, quoteId: string): Promise<{ quote: QuoteTable; lines: QuoteLineTable[] }> {
  const quote = await loadVisible(ctx, quoteDef, quoteId);
  if (quote.status !== 'accepted')
    throw conflict('quote_not_accepted', `quote ${quote.number} v${quote.versionNo} is ${quote.status}; only an accepted quote can become an order`, {
      currentState: quote.status,
    });
  return { quote, lines: await quoteLinesOf(ctx, quote.id) };
}
