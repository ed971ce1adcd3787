import type { LegalEntityTable, TaxCodeTable } from '@openltc/db';
import { z } from 'zod';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso } from '../platform/clock.ts';
import { AppError, conflict, fieldError, notFound } from '../platform/errors.ts';
import { assertCan } from '../platform/permissions.ts';
import { recordEvent } from '../platform/events.ts';
import { id, text } from '../platform/schema.ts';
import { insertRecord, updateRecord, type RecordDef } from '../platform/records.ts';
import { CN_VAT_CODES, validateTaxCode, type TaxKind } from '../money/tax.ts';
import { DEFAULT_TAX_ROUNDING, type TaxRoundingLevel } from '../money/rounding.ts';
import { legalEntityFor } from '../billing/legal-entities.ts';
import { effectiveRate, type TaxCodeFacts, type TaxComponent } from './document-pricing.ts';

/**
 * Tax codes of a legal entity: a code (VAT13) with one or more tax components and the effective
 * rate they make. Seeded with China VAT for each legal entity on first use; deactivated, never
 * deleted (documents keep the code and rate they were priced with, so history never changes).
 */
export const taxCodeDef: RecordDef<'taxCodes'> = {
  entity: 'pricing',
  table: 'taxCodes',
  sortable: { code: 'code' },
  filters: {},
  search: ['code', 'name'],
  scoped: false,
};

const KINDS = ['standard', 'reduced', 'zero', 'exempt', 'small_scale'] as const;
const componentRate = z.string().regex(/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/, 'a decimal between 0 and 1 like 0.13');

export const TaxComponentInput = z
  .object({ name: text(100).min(1, 'a name is required'), rate: componentRate, compound: z.boolean().default(false) })
  .strict();

export const TaxCodeCreate = z
  .object({
    legalEntityId: id('le').optional().describe('Defaults to the first legal entity'),
    code: z
      .string()
      .regex(/^[A-Z0-9][A-Z0-9_.-]{0,31}$/, 'capital letters, digits, _ . or -, like VAT13')
      .describe('Unique per legal entity; never changes'),
    name: text(200).min(1, 'a name is required'),
    region: z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'a country (CN) or subdivision (CN-SH) code').optional(),
    kind: z.enum(KINDS),
    rate: componentRate.optional().describe('Shorthand for one component at this rate'),
    components: z.array(TaxComponentInput).min(1).max(3).optional().describe('Levied in order; a compound one on the net plus the ones before'),
  })
  .strict();
export const TaxCodeUpdate = z
  .object({
    name: text(200).min(1),
    region: z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/),
    kind: z.enum(KINDS),
    rate: componentRate,
    components: z.array(TaxComponentInput).min(1).max(3),
  })
  .partial()
  .strict();
export const TaxCodeQuery = z
  .object({ legalEntityId: id('le').optional(), active: z.enum(['true', 'false']).optional() })
  .strict();
export const TaxRoundingUpdate = z
  .object({ legalEntityId: id('le').optional(), taxRounding: z.enum(['line', 'document']) })
  .strict();

export const TaxCodeDto = z.object({
  id: z.string(),
  legalEntityId: z.string(),
  code: z.string(),
  name: z.string(),
  region: z.string(),
  kind: z.enum(KINDS),
  components: z.array(z.object({ name: z.string(), rate: z.string(), compound: z.boolean() })),
  rate: z.string().describe('Effective rate of the components together'),
  active: z.boolean(),
  used: z.boolean().describe('Some document line was priced with it (then its rate can no longer change)'),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type TaxCodeDto = z.infer<typeof TaxCodeDto>;

export function taxCodeFacts(r: TaxCodeTable): TaxCodeFacts {
  return { id: r.id, code: r.code, name: r.name, kind: r.kind as TaxKind, components: JSON.parse(r.components) as TaxComponent[], rate: r.rate, active: !!r.active };
}

function dto(r: TaxCodeTable, used: boolean): TaxCodeDto {
  const f = taxCodeFacts(r);
  return { ...r, kind: f.kind, components: f.components, active: f.active, used };
}

/** Library code ids → the code shipped: CN-VAT-13 → VAT13, CN-VAT-EXEMPT → VATEX, CN-VAT-SS-3 → SS3. */
const SEED_CODE: Record<string, string> = {
  'CN-VAT-13': 'VAT13',
  'CN-VAT-9': 'VAT9',
  'CN-VAT-6': 'VAT6',
  'CN-VAT-0': 'VAT0',
  'CN-VAT-EXEMPT': 'VATEX',
  'CN-VAT-SS-3': 'SS3',
  'CN-VAT-SS-1': 'SS1',
};

/**
 * Seeds the China VAT catalog (the money library's CN_VAT_CODES) for a legal entity that has no tax
 * code yet — every entity, as the product ships for Chinese companies; an entity elsewhere deactivates
 * them and adds its own. Safe to run concurrently: the unique (legal entity, code) index keeps one of each.
 */
export async function ensureTaxCodes(ctx: Pick<Ctx, 'db'>, le: LegalEntityTable): Promise<void> {
  const any = await ctx.db.selectFrom('taxCodes').select('id').where('legalEntityId', '=', le.id).limit(1).executeTakeFirst();
  if (any) return;
  const now = nowIso();
  for (const c of CN_VAT_CODES) {
    await ctx.db
      .insertInto('taxCodes')
      .values({
        id: newId('taxc'),
        legalEntityId: le.id,
        code: SEED_CODE[c.id] ?? c.id,
        name: c.name,
        region: c.region,
        kind: c.kind,
        components: JSON.stringify([{ name: c.name, rate: c.rate, compound: false }]),
        rate: c.rate,
        active: 1,
        createdAt: now,
        updatedAt: now,
        version: 1,
      })
      .onConflict((oc) => oc.columns(['legalEntityId', 'code']).doNothing())
      .execute();
  }
}

/** Every tax code of a legal entity (seeded first if need be), active or not, by code. */
export async function taxCodesOf(ctx: Pick<Ctx, 'db'>, legalEntityId: string | null | undefined): Promise<{ le: LegalEntityTable; codes: TaxCodeFacts[] }> {
  const le = await legalEntityFor(ctx.db, legalEntityId);
  await ensureTaxCodes(ctx, le);
  const rows = await ctx.db.selectFrom('taxCodes').selectAll().where('legalEntityId', '=', le.id).orderBy('code').execute();
  return { le, codes: rows.map(taxCodeFacts) };
}

export function taxRoundingOf(le: LegalEntityTable): TaxRoundingLevel {
  return le.taxRounding === 'document' ? 'document' : DEFAULT_TAX_ROUNDING;
}

/** Whether any document line was priced with these codes. */
async function usedCodes(ctx: Ctx, ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const used = new Set<string>();
  for (const table of ['quoteLines', 'orderLines', 'invoiceLines', 'creditNoteLines'] as const) {
    const rows = await ctx.db.selectFrom(table).select('taxCodeId').distinct().where('taxCodeId', 'in', [...ids]).execute();
    for (const r of rows) if (r.taxCodeId) used.add(r.taxCodeId);
  }
  return used;
}

/** Components from a create/update body: `components`, or one component at `rate` named like the code. */
function componentsOf(data: { rate?: string | undefined; components?: TaxComponent[] | undefined }, name: string): TaxComponent[] | undefined {
  if (data.rate !== undefined && data.components !== undefined) throw fieldError('rate', 'send either rate or components, not both', 'invalid');
  if (data.components) return data.components.map((c) => ({ name: c.name, rate: c.rate, compound: !!c.compound }));
  if (data.rate !== undefined) return [{ name, rate: data.rate, compound: false }];
  return undefined;
}

/** Checks each component with the money library's validateTaxCode and returns the effective rate. */
function checkComponents(code: string, kind: TaxKind, region: string, components: readonly TaxComponent[]): string {
  components.forEach((c, i) => {
    try {
      validateTaxCode({ id: `${code}#${i}`, name: c.name, rate: c.rate, region, kind, compound: c.compound });
    } catch (e) {
      if (e instanceof AppError && e.extra.fields) throw fieldError(`components.${i}.rate`, e.extra.fields[0]!.message, e.extra.fields[0]!.code);
      throw e;
    }
  });
  if (components[0]?.compound) throw fieldError('components.0.compound', 'the first component has nothing before it to compound on', 'invalid');
  const rate = effectiveRate(components);
  if (!/^\d{1,3}(\.\d{1,8})?$/.test(rate)) throw fieldError('components', `the effective rate ${rate} has more than 8 decimals`, 'invalid_rate');
  return rate;
}

export async function listTaxCodes(ctx: Ctx, q: z.infer<typeof TaxCodeQuery>): Promise<{ items: TaxCodeDto[]; legalEntityId: string; taxRounding: TaxRoundingLevel }> {
  assertCan(ctx.user, 'pricing', 'read');
  const le = await legalEntityFor(ctx.db, q.legalEntityId);
  // A read seeds only the first time (in a transaction of its own); afterwards it writes nothing.
  if (!(await ctx.db.selectFrom('taxCodes').select('id').where('legalEntityId', '=', le.id).limit(1).executeTakeFirst()))
    await inTx(ctx, (tx) => ensureTaxCodes(tx, le));
  let rows = await ctx.db.selectFrom('taxCodes').selectAll().where('legalEntityId', '=', le.id).orderBy('code').execute();
  if (q.active) rows = rows.filter((r) => !!r.active === (q.active === 'true'));
  const used = await usedCodes(ctx, rows.map((r) => r.id));
  return { items: rows.map((r) => dto(r, used.has(r.id))), legalEntityId: le.id, taxRounding: taxRoundingOf(le) };
}

async function load(ctx: Ctx, id: string): Promise<TaxCodeTable> {
  const row = await ctx.db.selectFrom('taxCodes').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('tax code', id);
  return row;
}

export async function getTaxCode(ctx: Ctx, id: string): Promise<TaxCodeDto> {
  assertCan(ctx.user, 'pricing', 'read');
  const row = await load(ctx, id);
  return dto(row, (await usedCodes(ctx, [row.id])).has(row.id));
}

export async function createTaxCode(ctx: Ctx, input: z.input<typeof TaxCodeCreate>): Promise<TaxCodeDto> {
  const data = TaxCodeCreate.parse(input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'pricing', 'write');
    const { le, codes } = await taxCodesOf(tx, data.legalEntityId);
    if (codes.some((c) => c.code === data.code)) throw conflict('tax_code_taken', `legal entity ${le.name} already has tax code ${data.code}`, { field: 'code' });
    const components = componentsOf(data, data.name);
    if (!components) throw fieldError('rate', 'send a rate or the components', 'required');
    const region = data.region ?? le.country;
    const rate = checkComponents(data.code, data.kind, region, components);
    const now = nowIso();
    const row: TaxCodeTable = {
      id: newId('taxc'),
      legalEntityId: le.id,
      code: data.code,
      name: data.name,
      region,
      kind: data.kind,
      components: JSON.stringify(components),
      rate,
      active: 1,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    return dto(await insertRecord(tx, taxCodeDef, row), false);
  });
}

/**
 * Edits a code. Name and region always; kind, rate and components only while no document line was
 * priced with it (409 `tax_code_used`): a used code keeps its meaning — deactivate it and make a new one.
 */
export async function updateTaxCode(ctx: Ctx, id: string, input: unknown, expectedVersion?: number): Promise<TaxCodeDto> {
  const data = TaxCodeUpdate.parse(input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'pricing', 'write');
    const before = await load(tx, id);
    const used = (await usedCodes(tx, [before.id])).has(before.id);
    const patch: Partial<TaxCodeTable> = {};
    if (data.name !== undefined) patch.name = data.name;
    if (data.region !== undefined) patch.region = data.region;
    const components = componentsOf(data, data.name ?? before.name);
    if (components || data.kind !== undefined) {
      if (used)
        throw conflict('tax_code_used', `tax code ${before.code} is on document lines; its rate and kind cannot change — deactivate it and create a new code`, {
          field: components ? 'components' : 'kind',
        });
      const kind = (data.kind ?? before.kind) as TaxKind;
      const comps = components ?? (JSON.parse(before.components) as TaxComponent[]);
      patch.rate = checkComponents(before.code, kind, data.region ?? before.region, comps);
      patch.kind = kind;
      patch.components = JSON.stringify(comps);
    }
    const after = await updateRecord(tx, taxCodeDef, before, patch, { expectedVersion });
    return dto(after, used);
  });
}

export async function setTaxCodeActive(ctx: Ctx, id: string, active: boolean): Promise<TaxCodeDto> {
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'pricing', 'write');
    const before = await load(tx, id);
    if (!!before.active === active)
      throw conflict('invalid_transition', `tax code ${before.code} is already ${active ? 'active' : 'inactive'}`, {
        currentState: before.active ? 'active' : 'inactive',
        allowedActions: [before.active ? 'deactivate' : 'activate'],
      });
    const after = await updateRecord(tx, taxCodeDef, before, { active: active ? 1 : 0 }, { action: active ? 'activate' : 'deactivate' });
    return dto(after, (await usedCodes(tx, [after.id])).has(after.id));
  });
}

/** Sets where a legal entity rounds tax: per line (default) or once per document and tax code. */
export async function setTaxRounding(ctx: Ctx, input: z.input<typeof TaxRoundingUpdate>): Promise<{ legalEntityId: string; taxRounding: TaxRoundingLevel }> {
  const data = TaxRoundingUpdate.parse(input);
  return inTx(ctx, async (tx) => {
    assertCan(tx.user, 'pricing', 'write');
    const le = await legalEntityFor(tx.db, data.legalEntityId);
    const before = taxRoundingOf(le);
    if (before !== data.taxRounding) {
      await tx.db.updateTable('legalEntities').set({ taxRounding: data.taxRounding }).where('id', '=', le.id).execute();
      await recordEvent(tx, { entityType: 'legal_entity', entityId: le.id, action: 'tax_rounding', before: { taxRounding: before }, after: { taxRounding: data.taxRounding } });
    }
    return { legalEntityId: le.id, taxRounding: data.taxRounding };
  });
}
