import { AppError, fieldError } from '../platform/errors.ts';
import { roundDiv, type Fraction, type RoundingMode } from '../platform/money.ts';

/**
 * An amount of money: integer minor units (fen, cents, yen, fils) of one ISO 4217 currency.
 *
 * `minor` is a bigint, not a number:
 * - it is exact at any size (ledger totals, qty × price × rate intermediates), where a number stops
 *   being exact above 2^53;
 * - JavaScript refuses to mix bigint with number (`1n + 0.5` throws a TypeError) and bigint division
 *   truncates, so a float cannot slip into an amount path unnoticed: every rounding is an explicit
 *   call with a rounding mode;
 * - it maps one to one onto the database's int8.
 * Storage and the JSON API use safe-integer numbers or decimal strings at the edge
 * (`toMinorNumber`, `formatMoney`); calculations stay in bigint.
 */
export interface Money {
  readonly minor: bigint;
  readonly currency: string;
}

/**
 * Minor-unit exponents (decimal places) of the currencies we know, from ISO 4217. Currencies not in
 * the table are refused rather than guessed: adding one is a one-line change here.
 */
export const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = Object.freeze({
  CNY: 2,
  HKD: 2,
  MOP: 2,
  TWD: 2,
  USD: 2,
  EUR: 2,
  GBP: 2,
  CHF: 2,
  CAD: 2,
  AUD: 2,
  NZD: 2,
  SGD: 2,
  MYR: 2,
  THB: 2,
  INR: 2,
  RUB: 2,
  AED: 2,
  SAR: 2,
  SEK: 2,
  NOK: 2,
  DKK: 2,
  PLN: 2,
  CZK: 2,
  MXN: 2,
  BRL: 2,
  ZAR: 2,
  JPY: 0,
  KRW: 0,
  VND: 0,
  CLP: 0,
  ISK: 0,
  KWD: 3,
  BHD: 3,
  OMR: 3,
  JOD: 3,
  TND: 3,
  LYD: 3,
  IQD: 3,
});

export const currencyMismatch = (a: string, b: string, what = 'combine') =>
  new AppError(422, 'currency_mismatch', 'Currency mismatch', `cannot ${what} ${a} and ${b} amounts without a conversion`, {
    currencies: [a, b],
  });

/** The number of decimal places of a currency's minor unit (CNY 2, JPY 0, KWD 3). */
export function currencyExponent(currency: string): number {
  const e = CURRENCY_EXPONENTS[currency];
  if (e === undefined) throw fieldError('currency', `${currency} is not a supported ISO 4217 currency`, 'unknown_currency');
  return e;
}

/** Builds a Money, checking the currency and that a number amount is a safe integer. */
export function money(minor: bigint | number, currency: string): Money {
  currencyExponent(currency);
  if (typeof minor === 'number') {
    if (!Number.isSafeInteger(minor)) throw fieldError('amountMinor', `${minor} is not a whole number of minor units`, 'invalid_amount');
    return { minor: BigInt(minor), currency };
  }
  return { minor, currency };
}

export const zeroMoney = (currency: string): Money => money(0n, currency);

function same(a: Money, b: Money, what: string): void {
  if (a.currency !== b.currency) throw currencyMismatch(a.currency, b.currency, what);
}

export function addMoney(a: Money, b: Money): Money {
  same(a, b, 'add');
  return { minor: a.minor + b.minor, currency: a.currency };
}

export function subtractMoney(a: Money, b: Money): Money {
  same(a, b, 'subtract');
  return { minor: a.minor - b.minor, currency: a.currency };
}

export function negateMoney(a: Money): Money {
  return { minor: -a.minor, currency: a.currency };
}

export function absMoney(a: Money): Money {
  return a.minor < 0n ? negateMoney(a) : a;
}

/** −1, 0 or 1; refuses to compare different currencies. */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  same(a, b, 'compare');
  return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
}

/** True when both amounts are equal; refuses to compare different currencies. */
export function equalMoney(a: Money, b: Money): boolean {
  return compareMoney(a, b) === 0;
}

export const isZeroMoney = (a: Money) => a.minor === 0n;
export const isNegativeMoney = (a: Money) => a.minor < 0n;

/** The sum of amounts of one currency; an empty list sums to zero in `currency`. */
export function sumMoney(items: readonly Money[], currency: string): Money {
  let total = zeroMoney(currency);
  for (const m of items) total = addMoney(total, m);
  return total;
}

/** amount × num / den, rounded once with `mode` (for rates, quantities, proportions). */
export function multiplyMoney(a: Money, factor: Fraction, mode: RoundingMode = 'half_up'): Money {
  return { minor: roundDiv(a.minor * factor.num, factor.den, mode), currency: a.currency };
}

/**
 * Splits `total` into parts proportional to non-negative `weights` by the largest-remainder method:
 * each part is the floor of its exact share, and the units left over go to the largest remainders
 * (ties to the earlier part). The parts add up to the total exactly and each is within one unit of
 * its exact share. Negative totals split like their absolute value, negated. All-zero weights split
 * evenly.
 */
export function allocateMinor(total: bigint, weights: readonly bigint[]): bigint[] {
  if (!weights.length) {
    if (total !== 0n) throw new AppError(422, 'nothing_to_allocate_to', 'Nothing to allocate to', `cannot allocate ${total} to no parts`);
    return [];
  }
  if (weights.some((w) => w < 0n)) throw new AppError(422, 'negative_weight', 'Negative weight', 'allocation weights cannot be negative');
  let w = weights;
  let sum = w.reduce((a, b) => a + b, 0n);
  if (sum === 0n) {
    w = weights.map(() => 1n);
    sum = BigInt(w.length);
  }
  const sign = total < 0n ? -1n : 1n;
  const abs = total * sign;
  const base = w.map((x) => (abs * x) / sum);
  let left = abs - base.reduce((a, b) => a + b, 0n);
  const order = w.map((x, i) => ({ i, r: (abs * x) % sum })).sort((a, b) => (b.r > a.r ? 1 : b.r < a.r ? -1 : a.i - b.i));
  for (const { i } of order) {
    if (left <= 0n) break;
    base[i]! += 1n;
    left -= 1n;
  }
  return base.map((b) => b * sign);
}

/**
 * Hands a rounded total back to parts whose exact values are `exactNums[i] / den` (all ≥ 0): each
 * part gets the floor of its exact value, and the units still missing go to the largest fractional
 * remainders (ties to the earlier part). So every part is the floor or the ceiling of its exact value
 * and the parts add up to the total. The total must lie between Σ floors and Σ ceilings, which holds
 * whenever it is the sum of the exact values rounded once with any mode.
 */
export function distributeRounded(total: bigint, exactNums: readonly bigint[], den: bigint): bigint[] {
  if (den <= 0n) throw new RangeError('the denominator must be positive');
  if (exactNums.some((x) => x < 0n)) throw new RangeError('exact values must not be negative');
  const base = exactNums.map((x) => x / den);
  let left = total - base.reduce((a, b) => a + b, 0n);
  const fractional = exactNums.filter((x) => x % den !== 0n).length;
  if (left < 0n || left > BigInt(fractional)) throw new RangeError(`${total} is not a rounding of the sum of the exact values`);
  const order = exactNums.map((x, i) => ({ i, r: x % den })).sort((a, b) => (b.r > a.r ? 1 : b.r < a.r ? -1 : a.i - b.i));
  for (const { i } of order) {
    if (left <= 0n) break;
    base[i]! += 1n;
    left -= 1n;
  }
  return base;
}

/** allocateMinor on a Money: the parts are Money of the same currency and add up to it. */
export function allocateMoney(total: Money, weights: readonly bigint[]): Money[] {
  return allocateMinor(total.minor, weights).map((minor) => ({ minor, currency: total.currency }));
}

const AMOUNT_RE = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal string in the currency's major unit ("1234.56" CNY → 123456n) exactly. Refuses
 * more decimals than the currency has (no silent rounding), exponents, group separators and blanks.
 */
export function parseMoney(s: string, currency: string, path = 'amount'): Money {
  const exp = currencyExponent(currency);
  const m = AMOUNT_RE.exec(s);
  if (!m) throw fieldError(path, `"${s}" is not a decimal amount like 1234.56`, 'invalid_amount');
  const frac = m[3] ?? '';
  if (frac.length > exp)
    throw fieldError(path, `"${s}" has ${frac.length} decimals; ${currency} has ${exp}`, 'too_many_decimals');
  const minor = BigInt(m[2]! + frac.padEnd(exp, '0'));
  return { minor: m[1] ? -minor : minor, currency };
}

export interface FormatOptions {
  /** Group thousands with a comma: 1,234,567.89. */
  grouping?: boolean;
  /** Append " CNY". */
  withCurrency?: boolean;
}

/** Formats exactly in the major unit: 123456n CNY → "1234.56", JPY keeps no decimals. */
export function formatMoney(a: Money, opts: FormatOptions = {}): string {
  const exp = currencyExponent(a.currency);
  const neg = a.minor < 0n;
  const digits = (neg ? -a.minor : a.minor).toString().padStart(exp + 1, '0');
  let whole = digits.slice(0, digits.length - exp);
  const frac = digits.slice(digits.length - exp);
  if (opts.grouping) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = `${neg ? '-' : ''}${whole}${exp ? `.${frac}` : ''}`;
  return opts.withCurrency ? `${text} ${a.currency}` : text;
}

/** The amount as a safe-integer number for storage or JSON; refuses what a number cannot hold exactly. */
export function toMinorNumber(a: Money): number {
  const n = Number(a.minor);
  if (!Number.isSafeInteger(n)) throw new AppError(422, 'amount_out_of_range', 'Amount out of range', `${a.minor} minor units do not fit a safe integer`);
  return n;
}

/** A JSON-safe shape: the minor units as a decimal string. */
export function moneyToJson(a: Money): { minor: string; currency: string } {
  return { minor: a.minor.toString(), currency: a.currency };
}

export function moneyFromJson(j: { minor: string | number; currency: string }): Money {
  if (typeof j.minor === 'number') return money(j.minor, j.currency);
  if (!/^-?\d+$/.test(j.minor)) throw fieldError('minor', `"${j.minor}" is not a whole number of minor units`, 'invalid_amount');
  return money(BigInt(j.minor), j.currency);
}

// ---------------------------------------------------------------------------------------------
// 人民币大写 (Chinese capital amounts)
// ---------------------------------------------------------------------------------------------

const CN_DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const CN_POS = ['', '拾', '佰', '仟'];
const CN_SECTIONS = ['', '万', '亿', '万亿'];
/** 10^16 yuan: four sections of four digits (…万亿) is as far as the notation goes unambiguously. */
const CN_MAX_YUAN = 10n ** 16n;

export interface CapitalOptions {
  /** Write 整 after 角 too (壹元贰角整). The rules say it "may be omitted"; default false. */
  zhengAfterJiao?: boolean;
  /** Prefix 人民币 (required on bills when the form does not print it). Default false. */
  prefix?: boolean;
}

/** One four-digit section (1..9999) in capitals; zeros inside collapse to a single 零. */
function capitalSection(n: number): string {
  const ds = String(n).padStart(4, '0');
  let out = '';
  let pendingZero = false;
  let started = false;
  for (let i = 0; i < 4; i++) {
    const d = ds.charCodeAt(i) - 48;
    if (d === 0) {
      if (started) pendingZero = true;
      continue;
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    started = true;
    out += CN_DIGITS[d]! + CN_POS[3 - i]!;
  }
  return out;
}

function capitalYuan(yuan: bigint): string {
  const sections: number[] = [];
  for (let y = yuan; y > 0n; y /= 10000n) sections.push(Number(y % 10000n));
  let out = '';
  let zeroGap = false;
  for (let i = sections.length - 1; i >= 0; i--) {
    const s = sections[i]!;
    if (s === 0) {
      zeroGap = out !== '';
      continue;
    }
    // A gap of zeros before a non-zero digit: an empty section above, or a section starting below 1000.
    if (out !== '' && (zeroGap || s < 1000)) out += '零';
    zeroGap = false;
    out += capitalSection(s) + CN_SECTIONS[i]!;
  }
  return out;
}

/**
 * The amount in Chinese capitals (中文大写金额) following the People's Bank of China rules for
 * filling in bills and settlement vouchers (《正确填写票据和结算凭证的基本规定》):
 * - digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟万亿, 元角分; 拾 always carries its digit (壹拾);
 * - an amount ending at 元 ends with 整; one ending at 角 may omit it (default: omitted); one with 分
 *   never has it;
 * - zeros between digits are written as one 零 (¥1409.50 → 壹仟肆佰零玖元伍角, ¥6007.14 →
 *   陆仟零柒元壹角肆分);
 * - when the 元 digit (or a run ending at the 万 or 元 digit) is zero but the next digit is not, the
 *   rules allow the 零 either way; we write none (¥1680.32 → 壹仟陆佰捌拾元叁角贰分,
 *   ¥107000.53 → 壹拾万柒仟元伍角叁分);
 * - when 角 is zero and 分 is not, 零 follows 元 (¥325.04 → 叁佰贰拾伍元零肆分);
 * - zero is 零元整; a negative amount is prefixed 负.
 */
export function rmbCapital(amount: Money, opts: CapitalOptions = {}): string {
  if (amount.currency !== 'CNY') throw currencyMismatch(amount.currency, 'CNY', 'write in RMB capitals');
  const neg = amount.minor < 0n;
  const abs = neg ? -amount.minor : amount.minor;
  const yuan = abs / 100n;
  if (yuan >= CN_MAX_YUAN) throw fieldError('amount', 'amounts of 10^16 yuan or more have no capital notation', 'amount_out_of_range');
  const jiao = Number((abs / 10n) % 10n);
  const fen = Number(abs % 10n);
  let out = capitalYuan(yuan);
  if (out) out += '元';
  if (!jiao && !fen) out = (out || '零元') + '整';
  else {
    if (jiao) out += CN_DIGITS[jiao]! + '角';
    else if (out) out += '零';
    if (fen) out += CN_DIGITS[fen]! + '分';
    else if (opts.zhengAfterJiao) out += '整';
  }
  return (opts.prefix ? '人民币' : '') + (neg ? '负' : '') + out;
}
