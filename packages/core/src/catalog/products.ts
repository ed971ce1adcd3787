import type { ProductTable } from '@openltc/db';
import { z } from 'zod';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso } from '../platform/clock.ts';
import { AppError, conflict, fieldError } from '../platform/errors.ts';
import { taxCodesOf } from '../pricing/tax-codes.ts';
import { codeForRate, sameRate } from '../pricing/document-pricing.ts';
import { assertCan } from '../platform/permissions.ts';
import { insertRecord, listVisible, loadVisible, updateRecord, type ListQuery } from '../platform/records.ts';
import { ProductCreate, ProductUpdate, type PRODUCT_KINDS, type ProductDto } from './product.schema.ts';
import { productDef } from './defs.ts';

export function productDto(p: ProductTable): ProductDto {
  return { ...p, taxCode: p.taxCode ?? null, kind: p.kind as (typeof PRODUCT_KINDS)[number], active: !!p.active };
}

/**
 * A product's default tax code and rate, checked against the first legal entity's codes: a code
 * given must be active there and sets the rate (a rate given too must match); a rate alone takes the
 * active code with that rate (compatibility rule), or none when no code has it.
 */
async function taxDefaults(ctx: Ctx, taxCode: string | null | undefined, taxRate: string | undefined): Promise<{ taxCode: string | null; taxRate: string }> {
  const { codes } = await taxCodesOf(ctx, null);
  if (taxCode) {
    const c = codes.find((x) => x.code === taxCode);
    if (!c) throw fieldError('taxCode', `tax code ${taxCode} does not exist`, 'unknown_reference');
    if (!c.active) throw fieldError('taxCode', `tax code ${taxCode} is inactive`, 'inactive');
    if (taxRate !== undefined && !sameRate(taxRate, c.rate)) throw fieldError('taxRate', `tax code ${c.code} has the rate ${c.rate}, not ${taxRate}`, 'tax_rate_mismatch');
    return { taxCode: c.code, taxRate: c.rate };
  }
  if (taxRate === undefined) throw fieldError('taxCode', 'a product needs a default tax code (or a tax rate)', 'required');
  return { taxCode: taxCode === null ? null : (codeForRate(codes, taxRate)?.code ?? null), taxRate };
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
      const tax = await taxDefaults(tx, data.taxCode, data.taxRate);
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
        ...tax,
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
        else if (k !== 'taxCode' && k !== 'taxRate') (patch as any)[k] = v;
      }
      if (data.taxCode !== undefined || data.taxRate !== undefined) Object.assign(patch, await taxDefaults(tx, data.taxCode, data.taxRate));
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
