/** Form helpers shared by the record editors. */

/** Trimmed text, or null when empty (the API's "no value"). */
export function textOrNull(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  const s = String(v).trim();
  return s ? s : null;
}

/** Copies the listed keys as trimmed-text-or-null. */
export function textFields(values: Record<string, unknown>, keys: string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const k of keys) out[k] = textOrNull(values[k]);
  return out;
}

/** A record's nullable text fields as form values ('' for null). */
export function formText<T extends object>(rec: T, keys: Array<keyof T & string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) out[k] = (rec[k] as unknown as string | null) ?? '';
  return out;
}
