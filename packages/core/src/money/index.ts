// Pure money calculations (no I/O): amounts, rounding, tax, pricing, FX, aging and DSO, dunning,
// revenue recognition and the journal. See docs/MONEY.md for the rules.
//
// The Money constructor is exported as `moneyOf` here (the package root already has a `money`
// schema helper); inside the domain, import `money` from './money.ts' directly.
export {
  type Money,
  type FormatOptions,
  type CapitalOptions,
  money as moneyOf,
  CURRENCY_EXPONENTS,
  currencyMismatch,
  currencyExponent,
  zeroMoney,
  addMoney,
  subtractMoney,
  negateMoney,
  absMoney,
  compareMoney,
  equalMoney,
  isZeroMoney,
  isNegativeMoney,
  sumMoney,
  multiplyMoney,
  allocateMinor,
  distributeRounded,
  allocateMoney,
  parseMoney,
  formatMoney,
  toMinorNumber,
  moneyToJson,
  moneyFromJson,
  rmbCapital,
} from './money.ts';
export * from './rounding.ts';
export * from './dates.ts';
export * from './tax.ts';
export * from './pricing.ts';
export * from './fx.ts';
export * from './aging.ts';
export * from './dunning.ts';
export * from './revenue.ts';
export * from './journal.ts';
