import { useTranslation } from 'react-i18next';
import { formatMoney, formatMoneyShort } from './money.ts';
import { normalizeLanguage } from '../i18n/index.ts';

export function intlLocale(lng: string): string {
  return normalizeLanguage(lng) === 'zh-CN' ? 'zh-CN' : 'en-US';
}

// Intl formatters cost far more to build than to use: one per locale and style, built on first use
// (a long list formats a date in every row it draws).
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function dtf(locale: string, style: 'date' | 'dateUtc' | 'dateTime'): Intl.DateTimeFormat {
  const key = `d|${locale}|${style}`;
  let f = formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    const opts: Intl.DateTimeFormatOptions =
      style === 'dateTime' ? { dateStyle: 'medium', timeStyle: 'short' } : { year: 'numeric', month: 'short', day: 'numeric', ...(style === 'dateUtc' ? { timeZone: 'UTC' } : {}) };
    formatters.set(key, (f = new Intl.DateTimeFormat(locale, opts)));
  }
  return f;
}

/** A business date `YYYY-MM-DD` shown as is in the user's locale (no time-zone shift). */
export function formatDate(value: string | null | undefined, locale: string): string {
  if (!value) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return dtf(locale, m ? 'dateUtc' : 'date').format(d);
}

/** An instant (ISO string) in the user's locale and time zone. */
export function formatDateTime(value: string | null | undefined, locale: string): string {
  if (!value) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return dtf(locale, 'dateTime').format(d);
}

/** The local calendar day of an instant. */
export function formatDay(value: string | null | undefined, locale: string): string {
  if (!value) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return dtf(locale, 'date').format(d);
}

export function formatNumber(value: number | bigint, locale: string): string {
  let f = formatters.get(`n|${locale}`) as Intl.NumberFormat | undefined;
  if (!f) formatters.set(`n|${locale}`, (f = new Intl.NumberFormat(locale)));
  return f.format(value);
}

/** Formatters bound to the current UI language. */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = intlLocale(i18n.resolvedLanguage ?? i18n.language);
  return {
    locale,
    money: (minor: number | bigint | null | undefined, currency = 'CNY') => formatMoney(minor, currency, locale),
    moneyShort: (minor: number | bigint, currency = 'CNY') => formatMoneyShort(minor, currency, locale),
    date: (v: string | null | undefined) => formatDate(v, locale),
    dateTime: (v: string | null | undefined) => formatDateTime(v, locale),
    day: (v: string | null | undefined) => formatDay(v, locale),
    number: (v: number | bigint) => formatNumber(v, locale),
  };
}
