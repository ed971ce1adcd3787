import type { PriceBookEntryTable, PriceBookTable } from '@openltc/db';
import { z } from 'zod';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso } from '../platform/clock.ts';
import { AppError, fieldError, notFound, validationError, type FieldError } from '../platform/errors.ts';
import { assertCan } from '../platform/permissions.ts';
import { parseQty, formatQty } from '../platform/money.ts';
import { currency, id, isoDate, money, text } from '../platform/schema.ts';
import { recordEvent } from '../platform/events.ts';
import { insertRecord, updateRecord, type RecordDef } from '../platform/records.ts';
import { lockKey } from '../platform/locks.ts';
import { validateTiers, type PriceBook, type PriceScheme, type PriceTier } from '../money/pricing.ts';

/**
 * Price books: per currency, prices with or without tax (a flag on the book), one entry per product
 * priced per unit or by graduated or volume tiers. One book per currency may be the default: quotes
 * in that currency use it when they name none. Deactivated, never deleted; a quote keeps the amounts
 * it was priced with.
 */
export const priceBookDef: RecordDef<'priceBooks'> = {
  entity: 'pricing',
  table: 'priceBooks',
  sortable: { name: 'name' },
  filters: {},
  search: ['name'],
  scoped: false,
};

export const SCHEMES = ['per_unit', 'graduated', 'volume'] as const;
const quantity = z.string().regex(/^\d{1,9}(\.\d{1,3})?$/, 'a decimal quantity with at most 3 decimals, like "10"');

export const PriceTierInput = z
  .object({
    upTo: quantity.nullable().describe('Last quantity of the tier (inclusive); null for the open last tier'),
    unitPriceMinor: money,
    flatFeeMinor: money.optional().describe('Charged once when the quantity reaches the tier'),
  })
  .strict();
export const PriceBookEntryInput = z
  .object({
    productId: id('prod'),
    scheme: z.enum(SCHEMES).default('per_unit').describe('graduated: each unit in its tier; volume: all units at the tier reached'),
    unitPriceMinor: money.optional().describe('For per_unit'),
    tiers: z.array(PriceTierInput).min(1).max(20).optional().describe('For graduated and volume'),
  })
  .strict();
const bookFields = {
  name: text(200).min(1, 'a name is required'),
  currency,
  pricesIncludeTax: z.boolean().default(false).describe('Prices include tax (gross); tax is split out of them'),
  isDefault: z.boolean().default(false).describe('The book for its currency when a quote names none'),
  validFrom: isoDate.nullable().optional(),
  validTo: isoDate.nullable().optional(),
};
export const PriceBookCreate = z.object({ ...bookFields, entries: z.array(PriceBookEntryInput).max(5000).default([]) }).strict();
export const PriceBookUpdate = z
  .object({ ...bookFields, pricesIncludeTax: z.boolean(), isDefault: z.boolean(), entries: z.array(PriceBookEntryInput).max(5000).describe('Replaces all entries') })
  .partial()
  .strict();
export const PriceBookQuery = z.object({ currency: z.string().optional(), active: z.enum(['true', 'false']).optional() }).strict();

const TierDto = z.object({ upTo: z.string().nullable(), unitPriceMinor: z.number().int(), flatFeeMinor: z.number().int() });
export const PriceBookEntryDto = z.object({
  productId: z.string(),
  sku: z.string(),
  productName: z.string(),
  scheme: z.enum(SCHEMES),
  unitPriceMinor: z.number().int().nullable(),
  tiers: z.array(TierDto).nullable(),
});
export const PriceBookDto = z.object({
  id: z.string(),
  name: z.string(),
  currency: z.string(),
  pricesIncludeTax: z.boolean(),
  isDefault: z.boolean(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  active: z.boolean(),
  entries: z.array(PriceBookEntryDto),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type PriceBookDto = z.infer<typeof PriceBookDto>;

type StoredTier = { upTo: string | null; unitPriceMinor: number; flatFeeMinor: number };

function schemeOf(e: PriceBookEntryTable): PriceScheme {
  if (e.scheme === 'per_unit') return { kind: 'per_unit', unitPrice: BigInt(e.unitPriceMinor ?? 0) };
  const tiers: PriceTier[] = (JSON.parse(e.tiers ?? '[]') as StoredTier[]).map((t) => ({
    upToMilli: t.upTo === null ? null : parseQty(t.upTo),
    unitPrice: BigInt(t.unitPriceMinor),
    flatFee: BigInt(t.flatFeeMinor ?? 0),
  }));
  return { kind: e.scheme as 'graduated' | 'volume', tiers };
}

async function entriesOf(ctx: Ctx, bookIds: readonly string[]) {
  if (!bookIds.length) return [];
  return ctx.db
    .selectFrom('priceBookEntries')
    .innerJoin('products', 'products.id', 'priceBookEntries.productId')
    .selectAll('priceBookEntries')
    .select(['products.sku', 'products.name as productName'])
    .where('priceBookEntries.priceBookId', 'in', [...bookIds])
    .orderBy('products.sku')
    .execute();
}

async function dtos(ctx: Ctx, books: readonly PriceBookTable[]): Promise<PriceBookDto[]> {
  const entries = await entriesOf(ctx, books.map((b) => b.id));
  return books.map((b) => ({
    ...b,
    pricesIncludeTax: !!b.pricesIncludeTax,
    isDefault: !!b.isDefault,
    active: !!b.active,
    entries: entries
      .filter((e) => e.priceBookId === b.id)
      .map((e) => ({
        productId: e.productId,
        sku: e.sku,
        productName: e.productName,
        scheme: e.scheme as (typeof SCHEMES)[number],
        unitPriceMinor: e.unitPriceMinor === null ? null : Number(e.unitPriceMinor),
        tiers: e.tiers ? (JSON.parse(e.tiers) as StoredTier[]) : null,
      })),
  }));
}

/** Checks entries (known products, one entry each, a price for the scheme, tiers that increase and end open). */
async function entryRows(ctx: Ctx, bookId: string, inputs: ReadonlyArray<z.infer<typeof PriceBookEntryInput>>): Promise<PriceBookEntryTable[]> {
  const ids = [...new Set(inputs.map((e) => e.productId))];
  const known = new Set(ids.length ? (await ctx.db.selectFrom('products').select('id').where('id', 'in', ids).execute()).map((p) => p.id) : []);
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const rows: PriceBookEntryTable[] = [];
  inputs.forEach((e, i) => {
    const at = `entries.${i}`;
    if (!known.has(e.productId)) errors.push({ path: `${at}.productId`, message: `product ${e.productId} does not exist`, code: 'unknown_reference' });
    if (seen.has(e.productId)) errors.push({ path: `${at}.productId`, message: 'the product has an entry already in this book', code: 'duplicate' });
    seen.add(e.productId);
    if (e.scheme === 'per_unit') {
      if (e.unitPriceMinor === undefined) errors.push({ path: `${at}.unitPriceMinor`, message: 'a per-unit price needs unitPriceMinor', code: 'required' });
      if (e.tiers) errors.push({ path: `${at}.tiers`, message: 'a per-unit price has no tiers', code: 'invalid' });
    } else {
      if (!e.tiers) errors.push({ path: `${at}.tiers`, message: `a ${e.scheme} price needs tiers`, code: 'required' });
      if (e.unitPriceMinor !== undefined) errors.push({ path: `${at}.unitPriceMinor`, message: 'a tiered price has its prices in the tiers', code: 'invalid' });
      if (e.tiers) {
        try {
          validateTiers(e.tiers.map((t) => ({ upToMilli: t.upTo === null ? null : parseQty(t.upTo), unitPrice: BigInt(t.unitPriceMinor), flatFee: BigInt(t.flatFeeMinor ?? 0) })));
        } catch (err) {
          if (err instanceof AppError && err.extra.fields) errors.push(...err.extra.fields.map((f) => ({ ...f, path: `${at}.${f.path}` })));
          else throw err;
        }
      }
    }
    rows.push({
      id: newId('pbe'),
      priceBookId: bookId,
      productId: e.productId,
      scheme: e.scheme,
      unitPriceMinor: e.scheme === 'per_unit' ? (e.unitPriceMinor ?? null) : null,
      tiers: e.scheme === 'per_unit' || !e.tiers ? null : JSON.stringify(e.tiers.map((t) => ({ upTo: t.upTo === null ? null : formatQty(parseQty(t.upTo)), unitPriceMinor: t.unitPriceMinor, flatFeeMinor: t.flatFeeMinor ?? 0 }))),
    });
  });
  if (errors.length) throw validationError(errors);
  return rows;
}

function checkValidity(from: string | null | undefined, to: string | null | undefined): void {
  if (from && to && to < from) throw fieldError('validTo', 'the book cannot end before it starts', 'invalid');
}

const DEFAULT_LOCK = 'price_book_default';

/**
 * Before `bookId` becomes the default of `currency`: the other default of the currency loses the flag
 * (with its event), in the same transaction. A unique partial index (migration 013) allows one
 * default per currency; {@link DEFAULT_LOCK}, taken before the books are read, makes two books saved
 * as default at once wait for each other (PostgreSQL; SQLite has one writer), so the later one wins
 * instead of failing on the index or on a stale version.
 */
async function takeDefault(tx: Ctx, bookId: string, currency: string): Promise<void> {
  await lockKey(tx, DEFAULT_LOCK);
  const others = await tx.db.selectFrom('priceBooks').selectAll().where('currency', '=', currency).where('isDefault', '=', 1).where('id', '!=', bookId).execute();
  for (const o of others) await updateRecord(tx, priceBookDef, o, { isDefault: 0 });
}

export async function createPriceBook(ctx: Ctx, input: z.input<typeof PriceBookCreate>): Promise<PriceBookDto> {
  const data = PriceBookCreate.parse(input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'pricing', 'write');
    checkValidity(data.validFrom, data.validTo);
    const now = nowIso();
    const row: PriceBookTable = {
      id: newId('pb'),
      name: data.name,
      currency: data.currency,
      pricesIncludeTax: data.pricesIncludeTax ? 1 : 0,
      isDefault: data.isDefault ? 1 : 0,
      validFrom: data.validFrom ?? null,
      validTo: data.validTo ?? null,
      active: 1,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    const entries = await entryRows(tx, row.id, data.entries);
    if (row.isDefault) await takeDefault(tx, row.id, row.currency);
    await insertRecord(tx, priceBookDef, row);
    if (entries.length) await tx.db.insertInto('priceBookEntries').values(entries).execute();
    return (await dtos(tx, [row]))[0]!;
  });
}

export async function listPriceBooks(ctx: Ctx, q: z.infer<typeof PriceBookQuery>): Promise<{ items: PriceBookDto[] }> {
  assertCan(ctx.user, 'pricing', 'read');
  let qb = ctx.db.selectFrom('priceBooks').selectAll().orderBy('currency').orderBy('name').orderBy('id');
  if (q.currency) qb = qb.where('currency', '=', q.currency);
  if (q.active) qb = qb.where('active', '=', q.active === 'true' ? 1 : 0);
  return { items: await dtos(ctx, await qb.execute()) };
}

async function load(ctx: Ctx, id: string): Promise<PriceBookTable> {
  const row = await ctx.db.selectFrom('priceBooks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('price book', id);
  return row;
}

export async function getPriceBook(ctx: Ctx, id: string): Promise<PriceBookDto> {
  assertCan(ctx.user, 'pricing', 'read');
  return (await dtos(ctx, [await load(ctx, id)]))[0]!;
}

/** Edits a book; `entries` replaces them all (an `entries_changed` event keeps before and after). */
export async function updatePriceBook(ctx: Ctx, id: string, input: unknown, expectedVersion?: number): Promise<PriceBookDto> {
  const data = PriceBookUpdate.parse(input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'pricing', 'write');
    if (data.isDefault || data.currency !== undefined) await lockKey(tx, DEFAULT_LOCK);
    const before = await load(tx, id);
    const patch: Partial<PriceBookTable> = {};
    if (data.name !== undefined) patch.name = data.name;
    if (data.currency !== undefined) patch.currency = data.currency;
    if (data.pricesIncludeTax !== undefined) patch.pricesIncludeTax = data.pricesIncludeTax ? 1 : 0;
    if (data.isDefault !== undefined) patch.isDefault = data.isDefault ? 1 : 0;
    if (data.validFrom !== undefined) patch.validFrom = data.validFrom;
    if (data.validTo !== undefined) patch.validTo = data.validTo;
    checkValidity(patch.validFrom ?? before.validFrom, patch.validTo ?? before.validTo);
    if (patch.isDefault ?? before.isDefault) await takeDefault(tx, before.id, patch.currency ?? before.currency);
    const after = await updateRecord(tx, priceBookDef, before, patch, { expectedVersion });
    if (data.entries) {
      const rows = await entryRows(tx, before.id, data.entries);
      const old = await entriesOf(tx, [before.id]);
      await tx.db.deleteFrom('priceBookEntries').where('priceBookId', '=', before.id).execute();
      if (rows.length) await tx.db.insertInto('priceBookEntries').values(rows).execute();
      const brief = (e: { productId: string; scheme: string; unitPriceMinor: number | null; tiers: string | null }) => ({ productId: e.productId, scheme: e.scheme, unitPriceMinor: e.unitPriceMinor, tiers: e.tiers });
      await recordEvent(tx, { entityType: 'pricing', entityId: before.id, action: 'entries_changed', before: { entries: old.map(brief) }, after: { entries: rows.map(brief) } });
    }
    return (await dtos(tx, [after]))[0]!;
  });
}

export async function setPriceBookActive(ctx: Ctx, id: string, active: boolean): Promise<PriceBookDto> {
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'pricing', 'write');
    const before = await load(tx, id);
    if (!!before.active === active)
      throw new AppError(409, 'invalid_transition', 'Invalid transition', `price book ${before.name} is already ${active ? 'active' : 'inactive'}`, {
        currentState: before.active ? 'active' : 'inactive',
        allowedActions: [before.active ? 'deactivate' : 'activate'],
      });
    const patch: Partial<PriceBookTable> = { active: active ? 1 : 0 };
    if (!active) patch.isDefault = 0;
    const after = await updateRecord(tx, priceBookDef, before, patch, { action: active ? 'activate' : 'deactivate' });
    return (await dtos(tx, [after]))[0]!;
  });
}

/** The active books of a currency with their entries, as the money library's findPrice takes them. */
export async function booksFor(ctx: Ctx, currency: string): Promise<PriceBook[]> {
  const books = await ctx.db.selectFrom('priceBooks').selectAll().where('currency', '=', currency).where('active', '=', 1).execute();
  if (!books.length) return [];
  const entries = await ctx.db.selectFrom('priceBookEntries').selectAll().where('priceBookId', 'in', books.map((b) => b.id)).execute();
  return books.map((b) => ({
    id: b.id,
    name: b.name,
    currency: b.currency,
    pricesIncludeTax: !!b.pricesIncludeTax,
    isDefault: !!b.isDefault,
    ...(b.validFrom ? { validFrom: b.validFrom } : {}),
    ...(b.validTo ? { validTo: b.validTo } : {}),
    entries: entries.filter((e) => e.priceBookId === b.id).map((e) => ({ productId: e.productId, scheme: schemeOf(e) })),
  }));
}

/** A book by id whatever its state (for a quote that names an inactive or foreign one: reported on `priceBookId`). */
export async function priceBookRow(ctx: Ctx, id: string): Promise<PriceBookTable | undefined> {
  return ctx.db.selectFrom('priceBooks').selectAll().where('id', '=', id).executeTakeFirst();
}
