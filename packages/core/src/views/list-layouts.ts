import type { ListLayoutTable } from '@openltc/db';
import { z } from 'zod';
import { inTx, type Ctx } from '../platform/context.ts';
import { nowIso } from '../platform/clock.ts';
import { fieldError, versionConflict } from '../platform/errors.ts';
import { recordEvent } from '../platform/events.ts';

/**
 * The columns of a list as a user arranged them — which are hidden, in what order — kept on the server
 * per user and list, so the user finds their lists alike in every browser. A saved view carries its own
 * columns (visible keys in order); applying it sets this layout. Keys the list gains later (a new
 * release) are not in a stored order: the web app shows them last, visible.
 */
export const LIST_KEY = z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'a list name like leads or credit-notes');
const columnKey = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,39}$/, 'a column key');
export const ListLayoutSet = z
  .object({
    order: z
      .array(columnKey)
      .max(60)
      .describe('every column key of the list, in the order the user wants them'),
    hidden: z
      .array(columnKey)
      .max(60)
      .describe('the keys of the hidden columns (at least one column stays visible)'),
  })
  .strict();

export interface ListLayoutDto {
  list: string;
  order: string[];
  hidden: string[];
  /** 0: never arranged (the list's default columns). */
  version: number;
  updatedAt: string | null;
}

function dto(list: string, row: ListLayoutTable | undefined): ListLayoutDto {
  if (!row) return { list, order: [], hidden: [], version: 0, updatedAt: null };
  return {
    list,
    order: JSON.parse(row.columnOrder) as string[],
    hidden: JSON.parse(row.hidden) as string[],
    version: row.version,
    updatedAt: row.updatedAt,
  };
}

async function row(ctx: Ctx, list: string): Promise<ListLayoutTable | undefined> {
  return ctx.db
    .selectFrom('listLayouts')
    .selectAll()
    .where('userId', '=', ctx.user.id)
    .where('listKey', '=', list)
    .executeTakeFirst();
}

/** The caller's layout of a list (version 0 and empty arrays when they never arranged it). */
export async function getListLayout(ctx: Ctx, list: string): Promise<ListLayoutDto> {
  const key = LIST_KEY.safeParse(list);
  if (!key.success) throw fieldError('list', key.error.issues[0]?.message ?? 'a list name', 'invalid');
  return dto(key.data, await row(ctx, key.data));
}

/**
 * Sets the caller's layout of a list. If-Match: the layout's version (0 before the first save), so a
 * second browser of the same user working from an older layout gets a 409 instead of undoing a change.
 */
export async function setListLayout(
  ctx: Ctx,
  list: string,
  input: unknown,
  expectedVersion?: number,
): Promise<ListLayoutDto> {
  const key = LIST_KEY.safeParse(list);
  if (!key.success) throw fieldError('list', key.error.issues[0]?.message ?? 'a list name', 'invalid');
  const data = ListLayoutSet.parse(input);
  const order = [...new Set(data.order)];
  if (order.length !== data.order.length) throw fieldError('order', 'a column is named twice', 'duplicate');
  const hidden = [...new Set(data.hidden)];
  const unknown = hidden.find((k) => order.length && !order.includes(k));
  if (unknown) throw fieldError('hidden', `column ${unknown} is not in order`, 'unknown_reference');
  if (order.length && hidden.length >= order.length)
    throw fieldError('hidden', 'at least one column stays visible', 'nothing_visible');
  return inTx(ctx, async (tx) => {
    const before = await row(tx, key.data);
    const version = before?.version ?? 0;
    if (expectedVersion !== undefined && expectedVersion !== version)
      throw versionConflict('list layout', key.data, version);
    const now = nowIso();
    const values = {
      columnOrder: JSON.stringify(order),
      hidden: JSON.stringify(hidden),
      version: version + 1,
      updatedAt: now,
    };
    if (before) {
      const r = await tx.db
        .updateTable('listLayouts')
        .set(values)
        .where('userId', '=', tx.user.id)
        .where('listKey', '=', key.data)
        .where('version', '=', version)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw versionConflict('list layout', key.data, version + 1);
    } else {
      // Two first saves at once: the second finds the row taken and is told to reload (409), not a 500.
      const r = await tx.db
        .insertInto('listLayouts')
        .values({ userId: tx.user.id, listKey: key.data, ...values })
        .onConflict((oc) => oc.columns(['userId', 'listKey']).doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0n) !== 1) throw versionConflict('list layout', key.data, 1);
    }
    await recordEvent(tx, {
      entityType: 'list_layout',
      entityId: `${tx.user.id}:${key.data}`,
      action: 'updated',
      before: before ? { order: JSON.parse(before.columnOrder), hidden: JSON.parse(before.hidden) } : null,
      after: { order, hidden },
    });
    return dto(key.data, (await row(tx, key.data))!);
  });
}
