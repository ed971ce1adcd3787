import { z } from 'zod';

/** Shared zod pieces for API inputs. Every object schema is `.strict()`: unknown fields are refused. */
export const id = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}_[0-9A-Z]{26}$`), `an id starting with ${prefix}_`);
export const isoDate = z.iso.date();
export const money = z.number().int('an integer amount in minor units (fen)').min(0).max(Number.MAX_SAFE_INTEGER);
export const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code like CNY');
export const rate = z.string().regex(/^\d{1,3}(\.\d{1,6})?$/, 'a decimal rate like 0.13');
export const qty = z.union([z.string(), z.number()]).transform(String);
export const text = (max = 200) => z.string().trim().max(max);
export const reason = z.string().trim().min(1, 'a reason is required').max(500);

/** Common list query: cursor, limit, sort, free text. */
export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional().describe('rows per page: 50 by default, at most 1000'),
  cursor: z.string().max(500).optional(),
  sort: z.string().max(50).optional(),
  q: z.string().max(100).optional(),
  fields: z
    .string()
    .max(2000)
    .optional()
    .describe(
      'a trimmed row: a comma list of the item fields to return, e.g. `name,status,ownerId`; `id` and `version` always come; a name the list does not return answers 400 unknown_field. Default: every field',
    ),
});
