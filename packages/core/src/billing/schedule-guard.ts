import type { OrderTable } from '@openltc/db';
import type { Ctx } from '../platform/context.ts';
import { conflict } from '../platform/errors.ts';

/**
 * For invoicing by hand (from an order, a delivery or an invoice request for lines): refuses while
 * the order is billed by a billing schedule that still has open items, so the same goods are never
 * billed twice by two routes. Cancel the open items to bill the rest by hand.
 */
export async function assertNotBilledBySchedule(ctx: Ctx, order: Pick<OrderTable, 'id' | 'number'>): Promise<void> {
  const open = await ctx.db
    .selectFrom('billingScheduleItems')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('orderId', '=', order.id)
    .where('status', 'in', ['planned', 'due'])
    .executeTakeFirst();
  const n = Number(open?.n ?? 0);
  if (n > 0)
    throw conflict('billed_by_schedule', `order ${order.number} is billed by its billing schedule (${n} open item(s)); bill the items, or cancel them first`, {
      openItems: n,
    });
}
