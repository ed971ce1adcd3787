import { CURRENCY_EXPONENTS } from '../money/money.ts';

/** The languages a document can be printed in. */
export const DOCUMENT_LOCALES = ['zh-CN', 'en'] as const;
export type DocLocale = (typeof DOCUMENT_LOCALES)[number];

export const isDocLocale = (s: string | null | undefined): s is DocLocale => (DOCUMENT_LOCALES as readonly string[]).includes(s ?? '');

/** Decimal places of a currency; amounts in a currency the money table does not list are stored in hundredths. */
export const exponentOf = (currency: string): number => CURRENCY_EXPONENTS[currency] ?? 2;

/** Digits grouped by thousands with commas: "1234567" → "1,234,567". */
export function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Minor units as a grouped decimal in the major unit, exactly (bigint, no float): 2182100 CNY → "21,821.00". */
export function formatNumber(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`not a whole number of minor units: ${minor}`);
  const exp = exponentOf(currency);
  const big = BigInt(minor);
  const neg = big < 0n;
  const digits = (neg ? -big : big).toString().padStart(exp + 1, '0');
  const whole = groupThousands(digits.slice(0, digits.length - exp));
  const frac = digits.slice(digits.length - exp);
  return `${neg ? '-' : ''}${whole}${exp ? `.${frac}` : ''}`;
}

const ZH_SYMBOLS: Readonly<Record<string, string>> = { CNY: '¥', USD: 'US$', EUR: '€', GBP: '£', HKD: 'HK$', JPY: 'JP¥' };

/**
 * An amount for a document: in Chinese with the currency sign (¥21,821.00), in English with the
 * ISO code (CNY 21,821.00), which reads unambiguously to a foreign customer. A minus sign leads.
 */
export function formatAmount(minor: number, currency: string, locale: DocLocale): string {
  const n = formatNumber(minor, currency);
  const neg = n.startsWith('-');
  const abs = neg ? n.slice(1) : n;
  const sign = neg ? '-' : '';
  if (locale === 'zh-CN') {
    const sym = ZH_SYMBOLS[currency];
    return sym ? `${sign}${sym}${abs}` : `${sign}${currency} ${abs}`;
  }
  return `${sign}${currency} ${abs}`;
}

/** A decimal rate as a percentage, by moving the decimal point (no float): "0.13" → "13%", "0.125" → "12.5%". */
export function formatPercent(rate: string): string {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(rate.trim());
  if (!m) throw new RangeError(`not a decimal rate: ${rate}`);
  const frac = m[2] ?? '';
  const whole = (m[1]! + frac.padEnd(2, '0').slice(0, 2)).replace(/^0+(?=\d)/, '');
  const rest = frac.slice(2).replace(/0+$/, '');
  return `${whole}${rest ? `.${rest}` : ''}%`;
}

/** A decimal quantity with its whole part grouped: "12000.5" → "12,000.5". */
export function formatQuantity(qty: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(qty.trim());
  if (!m) return qty;
  return `${m[1]}${groupThousands(m[2]!)}${m[3] ?? ''}`;
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A business date (YYYY-MM-DD): 2026年1月15日 in Chinese, 15 Jan 2026 in English. */
export function formatDate(date: string, locale: DocLocale): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const [y, mo, d] = [m[1]!, Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return locale === 'zh-CN' ? `${y}年${mo}月${d}日` : `${d} ${EN_MONTHS[mo - 1]} ${y}`;
}
