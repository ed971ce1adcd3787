import type { ContractTable, QuoteLineTable, QuoteTable } from '@openltc/db';
import type { Ctx } from '../platform/context.ts';
import { conflict } from '../platform/errors.ts';
import { loadVisible } from '../platform/records.ts';
import { quoteLinesOf } from '../quotes/for-order.ts';
import { contractDef } from './defs.ts';

/**
 * For the orders domain: a signed or active contract the caller may see, with the quote it came
 * from (if any) and that quote's lines. The quote is read without a second scope check: it carries
 * the same owner and team as the contract made from it, and the contract is already visible.
 */
export async function contractForOrder(
  ctx: Ctx,
  contractId: string,
): Promise<{ contract: ContractTable; quote: QuoteTable | null; lines: QuoteLineTable[] }> {
  const contract = await loadVisible(ctx, contractDef, contractId);
  if (contract.status !== 'signed' && contract.status !== 'active')
    throw conflict('contract_not_signed', `contract ${contract.number} is ${contract.status}; only a signed or active contract can become an order`, {
      currentState: contract.status,
    });
  if (!contract.quoteId) return { contract, quote: null, lines: [] };
  const quote = (await ctx.db.selectFrom('quotes').selectAll().where('id', '=', contract.quoteId).executeTakeFirst()) ?? null;
  return { contract, quote, lines: quote ? await quoteLinesOf(ctx, quote.id) : [] };
}
