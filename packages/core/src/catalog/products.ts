import type { ProductTable } from '@openltc/db';
import { z } from 'zod';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso } from '../platform/clock.ts';
import { AppError, conflict } from '../platform/errors.ts';
import { assertCan } from '../platform/permissions.ts';
import { insertRecord, listVisible, loadVisible, updateRecord, type ListQuery } from '../platform/records.ts';
import { ProductCreate, ProductUpdate, type PRODUCT_KINDS, type ProductDto } from './product.schema.ts';
import { productDef } from './defs.ts';

export function productDto(p: ProductTable): ProductDto {
  return { ...p, kind: p.kind as (typeof PRODUCT_KINDS)[number], active: !!p.active };
}

const skuTaken = (sku: string) => conflict('sku_taken', `another product already has SKU ${sku}`, { field: 'sku' });

async function assertSkuFree(ctx: Ctx, sku: string, exceptId?: string): Promise<void> {
  let q = ctx.db.selectFrom('products').select('id').where('sku', '=', sku);
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw skuTaken(sku);
}

/** Two concurrent creates can both pass the pre-check; the unique index decides, reported the same way. */
async function mapUniqueViolation<T>(sku: string | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (sku && !(e instanceof AppError) && /unique/i.test(String((e as Error)?.message))) throw skuTaken(sku);
    throw e;
  }
}

export async function createProduct(ctx: Ctx, input: z.input<typeof ProductCreate>): Promise<ProductDto> {
  const data = ProductCreate.parse(input);
  return mapUniqueViolation(data.sku, () =>
    inTx(ctx, async (tx) => {
      assertCan(tx.user, 'product', 'write');
      await assertSkuFree(tx, data.sku);
      const now = nowIso();
      const row: ProductTable = {
        id: newId('prod'),
        sku: data.sku,
        name: data.name,
        description: data.description ?? null,
        kind: data.kind,
        unit: data.unit,
        listPriceMinor: data.listPriceMinor,
        currency: data.currency,
        taxRate: data.taxRate,
        active: data.active ? 1 : 0,
        sspMinor: data.sspMinor ?? null,
        revenueMethod: data.revenueMethod ?? null,
        serviceMonths: data.serviceMonths ?? null,
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      return productDto(await insertRecord(tx, productDef, row));
    }),
  );
}

export async function getProduct(ctx: Ctx, id: string): Promise<ProductDto> {
  return productDto(await loadVisible(ctx, productDef, id));
}

export async function listProducts(ctx: Ctx, q: ListQuery) {
  const page = await listVisible(ctx, productDef, q);
  return { ...page, items: page.items.map(productDto) };
}

/** Edits a product. Products are never deleted (quotes and orders point at them): set `active: false`. */
export async function updateProduct(ctx: Ctx, id: string, input: unknown, expectedVersion?: number): Promise<ProductDto> {
  const data = ProductUpdate.parse(input);
  return mapUniqueViolation(data.sku, () =>
    inTx(ctx, async (tx) => {
      const before = await loadVisible(tx, productDef, id, 'write');
      if (data.sku !== undefined && data.sku !== before.sku) await assertSkuFree(tx, data.sku, before.id);
      const patch: Partial<ProductTable> = {};
      for (const [k, v] of Object.entries(data)) {
        if (k === 'active') patch.active = v ? 1 : 0;
        else (patch as any)[k] = v;
      }
      return productDto(await updateRecord(tx, productDef, before, patch, { expectedVersion }));
    }),
  );
}

/** activate / deactivate as named actions, so the timeline says what happened. */
export async function setProductActive(ctx: Ctx, id: string, active: boolean): Promise<ProductDto> {
  return inTx(ctx, async (tx) => {
    const before = await loadVisible(tx, productDef, id, 'write');
    if (!!before.active === active)
      throw conflict('invalid_transition', `product ${before.sku} is already ${active ? 'active' : 'inactive'}`, {
        currentState: before.active ? 'active' : 'inactive',
        allowedActions: [before.active ? 'deactivate' : 'activate'],
      });
    const row = await updateRecord(tx, productDef, before, { active: active ? 1 : 0 }, { action: active ? 'activate' : 'deactivate' });
    return productDto(row);
  });
}
