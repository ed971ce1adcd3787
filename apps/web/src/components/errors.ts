import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { isApiError, type FieldProblem } from '../api/client.ts';

/** The known problem codes have their own sentence; anything else shows the server's title. */
export function problemTitle(t: TFunction, e: unknown): string {
  if (isApiError(e)) return t(`problem.${e.code}`, { defaultValue: e.title || t('problem.unknown') });
  return t('problem.unknown');
}

/** The server's detail (English); for a network failure our own sentence. */
export function problemDetail(t: TFunction, e: unknown): string {
  if (isApiError(e)) return e.status === 0 ? t('problem.networkDetail') : e.detail;
  return e instanceof Error ? e.message : String(e);
}

/** One line for a toast. */
export function problemMessage(t: TFunction, e: unknown): string {
  const title = problemTitle(t, e);
  const detail = problemDetail(t, e);
  return detail && detail !== title ? `${title}: ${detail}` : title;
}

/** A field problem's message: English keeps the server's precise words, Chinese translates by code. */
export function fieldMessage(t: TFunction, lang: string, f: FieldProblem): string {
  if (lang.startsWith('en') || !f.code) return f.message;
  return t(`fieldError.${f.code}`, { defaultValue: f.message });
}

/**
 * Puts the API's per-field errors on the form's fields. Returns the problems that match no
 * field (shown in the form's alert instead).
 */
export function applyFieldErrors(
  form: FormInstance,
  e: unknown,
  t: TFunction,
  lang: string,
  fieldOf: (path: string) => string | null = (p) => p,
): FieldProblem[] {
  if (!isApiError(e)) return [];
  const known = new Set(Object.keys(form.getFieldsValue(true) as Record<string, unknown>));
  const rest: FieldProblem[] = [];
  const byField = new Map<string, string[]>();
  for (const f of e.fields) {
    const name = fieldOf(f.path);
    if (name && known.has(name)) byField.set(name, [...(byField.get(name) ?? []), fieldMessage(t, lang, f)]);
    else rest.push(f);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return rest;
}
