import { z } from 'zod';
import { currency, listQuery, money, text } from '../platform/schema.ts';

export const PRODUCT_KINDS = ['goods', 'service', 'digital'] as const;

/**
 * A rate between 0 and 1 as an exact decimal string ("0.13" = 13 %): tax rates and discounts.
 * Trailing zeros are dropped ("0.130" → "0.13") so equal rates are stored alike.
 */
export const fraction = z
  .string()
  .regex(/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/, 'a decimal between 0 and 1 like 0.13')
  .transform((s) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s));

const fields = {
  sku: text(64)
    .min(1, 'a SKU is required')
    .regex(/^[\w.\-/]+$/, 'letters, digits, _ . - or / without spaces'),
  name: text(200).min(1, 'a name is required'),
  description: text(5000).nullable().optional(),
  kind: z.enum(PRODUCT_KINDS),
  unit: text(20).min(1, 'a unit such as 台, 套 or hour is required'),
  listPriceMinor: money,
  currency: currency.default('CNY'),
  taxRate: fraction.optional().describe("Default: the rate of taxCode; alone, it picks the first legal entity's active code with this rate"),
  taxCode: z.string().max(32).nullable().optional().describe('The default tax code, e.g. VAT13 (resolved in the legal entity of each document)'),
  active: z.boolean().default(true),
  // Revenue recognition (revenue/rules.ts): standalone selling price per unit (default: the list
  // price), the method (default: services ratable, goods and digital on delivery), the service term.
  sspMinor: money.nullable().optional().describe('standalone selling price per unit (IFRS 15.77); null: the list price'),
  revenueMethod: z.enum(['delivery', 'acceptance', 'ratable', 'milestone', 'percent_complete']).nullable().optional().describe('null: ratable for services, on delivery otherwise'),
  serviceMonths: z.number().int().min(1).max(120).nullable().optional().describe('ratable: default service term in months (null: 12)'),
};

export const ProductCreate = z.object(fields).strict();
export const ProductUpdate = z
  .object({ ...fields, currency: currency, active: z.boolean() })
  .partial()
  .strict();
export const ProductQuery = listQuery
  .extend({
    active: z
      .enum(['true', 'false'])
      .transform((v) => (v === 'true' ? 1 : 0))
      .optional(),
    kind: z.enum(PRODUCT_KINDS).optional(),
    currency: z.string().optional(),
  })
  .strict();

export const ProductDto = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  kind: z.enum(PRODUCT_KINDS),
  unit: z.string(),
  listPriceMinor: z.number().int(),
  currency: z.string(),
  taxRate: z.string(),
  taxCode: z.string().nullable(),
  active: z.boolean(),
  sspMinor: z.number().int().nullable().optional(),
  revenueMethod: z.string().nullable().optional(),
  serviceMonths: z.number().int().nullable().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type ProductDto = z.infer<typeof ProductDto>;
