import { Input } from 'antd';
import type { Rule } from 'antd/es/form';
import type { TFunction } from 'i18next';
import { currencyDigits, parseMajorToMinor } from '../lib/money.ts';

/** Typed in major units (yuan) as text; converted to minor units with string math on submit. */
export function MoneyInput({ currency = 'CNY', ...rest }: { currency?: string; value?: string; onChange?: (e: unknown) => void; id?: string; placeholder?: string }) {
  const symbol = currency === 'CNY' ? '¥' : currency;
  return <Input inputMode="decimal" prefix={symbol} suffix={currency} autoComplete="off" {...rest} />;
}

export function moneyRules(t: TFunction, currency = 'CNY', required = false): Rule[] {
  return [
    {
      validator: (_r, v: string | undefined) => {
        if (v === undefined || v === null || String(v).trim() === '') return required ? Promise.reject(new Error(t('validation.required'))) : Promise.resolve();
        const r = parseMajorToMinor(String(v), currencyDigits(currency));
        if (r.ok) return Promise.resolve();
        return Promise.reject(new Error(t(`validation.money.${r.reason}`, { digits: currencyDigits(currency) })));
      },
    },
  ];
}

/** Form text → minor units (undefined when empty or invalid; validation has already run). */
export function toMinor(v: unknown, currency = 'CNY'): number | undefined {
  if (v === undefined || v === null || String(v).trim() === '') return undefined;
  const r = parseMajorToMinor(String(v), currencyDigits(currency));
  return r.ok ? r.minor : undefined;
}
