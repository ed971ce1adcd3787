/**
 * Money in the UI: amounts travel as integer minor units (fen) and are never multiplied or
 * divided as floats. Formatting splits the integer with BigInt and hands Intl an exact decimal
 * string; parsing turns the typed decimal string into minor units with string math only.
 */

const digitsCache = new Map<string, number>();

/** Minor-unit digits of a currency (CNY 2, JPY 0), from Intl. */
export function currencyDigits(currency: string): number {
  let d = digitsCache.get(currency);
  if (d === undefined) {
    try {
      d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      d = 2;
    }
    digitsCache.set(currency, d);
  }
  return d;
}

/** Exact decimal string of a minor-unit amount: 1234567 fen → "12345.67". */
export function minorToDecimal(amountMinor: number | bigint | string, digits = 2): string {
  let v = BigInt(amountMinor);
  const neg = v < 0n;
  if (neg) v = -v;
  const s = v.toString().padStart(digits + 1, '0');
  const int = s.slice(0, s.length - digits);
  const frac = digits ? `.${s.slice(s.length - digits)}` : '';
  return `${neg ? '-' : ''}${int}${frac}`;
}

/** Formats minor units as currency in the user's locale, e.g. 12000000 CNY → "¥120,000.00". */
export function formatMoney(amountMinor: number | bigint | string | null | undefined, currency = 'CNY', locale = 'zh-CN'): string {
  if (amountMinor === null || amountMinor === undefined || amountMinor === '') return '—';
  const digits = currencyDigits(currency);
  const decimal = minorToDecimal(amountMinor, digits);
  try {
    // Intl formats a numeric string exactly (no float conversion); one formatter per locale and currency.
    const key = `c|${locale}|${currency}`;
    let nf = amountFormats.get(key);
    if (!nf) amountFormats.set(key, (nf = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits })));
    return nf.format(decimal as unknown as number);
  } catch {
    return `${currency} ${decimal}`;
  }
}

/**
 * Minor units as a grouped decimal without the currency sign, exactly (e.g. 12000050 CNY in zh-CN →
 * "120,000.50"): for tables whose heading names the currency once.
 */
export function formatAmount(amountMinor: number | bigint | string, currency = 'CNY', locale = 'zh-CN'): string {
  const digits = currencyDigits(currency);
  const decimal = minorToDecimal(amountMinor, digits);
  return amountFormat(locale, digits).format(decimal as unknown as number);
}

const amountFormats = new Map<string, Intl.NumberFormat>();
function amountFormat(locale: string, digits: number): Intl.NumberFormat {
  const key = `${locale}|${digits}`;
  let nf = amountFormats.get(key);
  if (!nf) amountFormats.set(key, (nf = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits })));
  return nf;
}

/** Short form for chart axes: whole major units, grouped, no decimals ("¥120,000"). */
export function formatMoneyShort(amountMinor: number | bigint, currency = 'CNY', locale = 'zh-CN'): string {
  const digits = currencyDigits(currency);
  const whole = minorToDecimal(amountMinor, digits).split('.')[0]!;
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(
      whole as unknown as number,
    );
  } catch {
    return `${currency} ${whole}`;
  }
}

export type ParseResult = { ok: true; minor: number } | { ok: false; reason: 'empty' | 'format' | 'precision' | 'range' };

/**
 * Parses what a user typed in major units ("120,000.5", "¥ 3 000") into minor units using
 * string math: "120000.5" with 2 digits → "12000050" → 12000050.
 */
export function parseMajorToMinor(input: string, digits = 2): ParseResult {
  const s = input.replace(/[\s,，_¥￥$]/g, '');
  if (!s) return { ok: false, reason: 'empty' };
  const m = /^(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) return { ok: false, reason: 'format' };
  const int = m[1]!;
  const frac = m[2] ?? '';
  if (frac.length > digits) return { ok: false, reason: 'precision' };
  const minor = BigInt(int + frac.padEnd(digits, '0'));
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: 'range' };
  return { ok: true, minor: Number(minor) };
}

/** Sums minor-unit amounts exactly. */
export function sumMinor(values: Iterable<number>): bigint {
  let t = 0n;
  for (const v of values) t += BigInt(v);
  return t;
}

/** A decimal rate string as a percentage, by moving the point: "0.13" → "13", "0.065" → "6.5". */
export function rateToPercent(rate: string | null | undefined): string {
  if (rate === null || rate === undefined || rate === '') return '—';
  const m = /^(\d+)(?:\.(\d*))?$/.exec(rate.trim());
  if (!m) return rate;
  const frac = (m[2] ?? '').padEnd(2, '0');
  const int = (m[1]! + frac.slice(0, 2)).replace(/^0+(?=\d)/, '');
  const rest = frac.slice(2).replace(/0+$/, '');
  return rest ? `${int}.${rest}` : int;
}

/** A percentage the user typed as a decimal rate string: "13" → "0.13", "6.5" → "0.065". */
export function percentToRate(percent: string): string | null {
  const m = /^(\d{1,3})(?:\.(\d{0,4}))?$/.exec(percent.trim());
  if (!m) return null;
  const digits = (m[1]!.padStart(3, '0') + (m[2] ?? '')).replace(/0+$/, '');
  if (!digits) return '0';
  const int = digits.slice(0, 1);
  const frac = digits.slice(1);
  return frac ? `${int}.${frac}` : int;
}
