/**
 * The trimmed row a list asks the API for (`fields=a,b,c`): the API fields its columns read, plus
 * what its row links and actions need. The server always adds `id` and `version`. Every column of the
 * list is asked for, hidden ones too: showing a hidden column then needs no new request of every row,
 * and the first request need not wait for the user's column layout.
 */
export interface FieldColumn {
  key: string;
  /** The API fields the column reads (for display, sorting and export of what is loaded); default: its key. */
  fields?: readonly string[];
}

/** The `fields` parameter for these columns and `extra` fields, each name once, in column order. */
export function listFields(columns: readonly FieldColumn[], extra: readonly string[] = []): string {
  const names: string[] = [];
  for (const c of columns) for (const f of c.fields ?? [c.key]) if (!names.includes(f)) names.push(f);
  for (const f of extra) if (!names.includes(f)) names.push(f);
  return names.join(',');
}
