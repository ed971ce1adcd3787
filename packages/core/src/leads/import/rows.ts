import type { z } from 'zod';
import { LeadCreate } from '../lead.schema.ts';
import type { ImportTarget } from './mapping.ts';

/**
 * The per-row work of an import without zod on the common path. A row becomes the object
 * `POST /leads` would get (`rowObject`); `isValidLeadRow` decides, by hand-written checks of the
 * mapped fields, whether `LeadCreate` would accept it unchanged. Only rows it refuses go through
 * `LeadCreate.safeParse`, so a bad row gets exactly the API's issues (codes, messages, order), and a
 * good row is the very object zod would have returned (every check is a test, no transform changes
 * a trimmed cell). The limits come from the schema itself; tests hold the two to the same verdict.
 */
export type LeadFields = z.output<typeof LeadCreate>;

/** Row cells → the object `POST /leads` would get: trimmed, empty cells left out, custom fields grouped. */
export function rowObject(
  cells: readonly string[],
  targets: ReadonlyArray<ImportTarget | null>,
): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  let custom: Record<string, string> | undefined;
  for (let j = 0; j < targets.length; j++) {
    const t = targets[j];
    if (!t) continue;
    const v = cells[j]?.trim();
    if (!v) continue;
    if (t.startsWith('customFields.')) (custom ??= {})[t.slice(13)] = v;
    else o[t] = v;
  }
  if (custom) o.customFields = custom;
  return o;
}

/** The innermost string schema of a field (under `.nullable().optional()`). */
export function stringSchema(field: string): { maxLength: number | null; pattern: RegExp | undefined } {
  let s = (LeadCreate.shape as Record<string, any>)[field];
  while (s && typeof s.unwrap === 'function' && s._zod?.def?.type !== 'string') s = s.unwrap();
  if (!s || s._zod?.def?.type !== 'string') throw new Error(`lead field ${field} is not a string`);
  return { maxLength: s.maxLength ?? null, pattern: s._zod.def.pattern };
}

const TEXT_FIELDS = [
  'name',
  'company',
  'title',
  'region',
  'industry',
  'source',
  'campaign',
  'notes',
] as const;
const MAX = new Map<string, number>(TEXT_FIELDS.map((f) => [f, stringSchema(f).maxLength ?? Infinity]));
const email = stringSchema('email');
const EMAIL_MAX = email.maxLength ?? Infinity;
const EMAIL_PATTERN = email.pattern!;
/** `lead.schema.ts`: a phone number of digits, spaces, +, - or (), 5–30 characters. */
const PHONE = /^[+0-9 ()-]{5,30}$/;

/**
 * Whether `LeadCreate` accepts a row object as it is (values trimmed and non-empty, as `rowObject`
 * makes them). False means "let zod say why": a false is never wrong, only slower; a true where zod
 * would refuse is a defect, which the parity tests look for.
 */
export function isValidLeadRow(o: Record<string, unknown>): boolean {
  if (typeof o.name !== 'string') return false;
  for (const k in o) {
    const v = o[k];
    if (k === 'customFields') continue; // strings by construction: the record accepts them
    if (typeof v !== 'string') return false;
    if (k === 'email') {
      if (v.length > EMAIL_MAX || !EMAIL_PATTERN.test(v)) return false;
    } else if (k === 'phone') {
      if (!PHONE.test(v)) return false;
    } else {
      const max = MAX.get(k);
      if (max === undefined || v.length > max) return false;
    }
  }
  return true;
}

export type RowCheck =
  { ok: true; data: LeadFields } | { ok: false; issues: Array<{ field: string; message: string }> };

/** The API's verdict on one row object: its data, or its issues (one per field, the first). */
export function checkWithSchema(o: Record<string, unknown>): RowCheck {
  const parsed = LeadCreate.safeParse(o);
  if (parsed.success) return { ok: true, data: parsed.data };
  const seen = new Set<string>();
  const issues: Array<{ field: string; message: string }> = [];
  for (const iss of parsed.error.issues) {
    const field = iss.path.map(String).join('.') || '';
    if (seen.has(field)) continue;
    seen.add(field);
    issues.push({ field, message: iss.message });
  }
  return { ok: false, issues };
}

/** The fast verdict: the hand-written check, and the schema only for the rows it refuses. */
export function checkRow(o: Record<string, unknown>): RowCheck {
  return isValidLeadRow(o) ? { ok: true, data: o as LeadFields } : checkWithSchema(o);
}
