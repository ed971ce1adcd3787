import { useTranslation } from 'react-i18next';
import { formatMoney, formatMoneyShort } from './money.ts';
import { normalizeLanguage } from '../i18n/index.ts';

export function intlLocale(lng: string): string {
  return normalizeLanguage(lng) === 'zh-CN' ? 'zh-CN' : 'en-US';
}

/** A business date `YYYY-MM-DD` shown as is in the user's locale (no time-zone shift). */
export function formatDate(value: string | null | undefined, locale: string): string {
  if (!value) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', ...(m ? { timeZone: 'UTC' } : {}) }).format(d);
}

/** An instant (ISO string) in the user's locale and time zone. */
export function formatDateTime(value: string | null | undefined, locale: string): string {
  if (!value) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** The local calendar day of an instant. */
export function formatDay(value: string | null | undefined, locale: string): string {
  if (!value) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric' }).format(d);
}

export function formatNumber(value: number | bigint, locale: string): string {
  return new Intl.NumberFormat(locale).format(value);
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
