/** Progress as the server keeps it (a decimal 0–1, "0.405") and as people type it (a percent, "40.5"), converted exactly on the digits. */

/** "40" or "40.5" (percent) → "0.4" / "0.405", exactly, by moving the decimal point; null when not a percent 0–100 with up to 4 decimals. */
export function percentToDecimal(s: string): string | null {
  const m = /^(\d{1,3})(?:\.(\d{1,4}))?$/.exec(s.trim());
  if (!m) return null;
  const digits = (m[1]! + (m[2] ?? '')).replace(/^0+(?=\d)/, '');
  const scale = (m[2] ?? '').length + 2;
  const padded = digits.padStart(scale + 1, '0');
  const int = padded.slice(0, padded.length - scale);
  const frac = padded.slice(padded.length - scale).replace(/0+$/, '');
  if (Number(int) > 1 || (Number(int) === 1 && frac)) return null;
  return frac ? `${int}.${frac}` : int;
}

/** "0.405" → "40.5", exactly. */
export function percentOf(decimal: string): string {
  const [i, f = ''] = decimal.split('.');
  const g = f.padEnd(2, '0');
  const whole = `${i}${g.slice(0, 2)}`.replace(/^0+(?=\d)/, '');
  const rest = g.slice(2);
  return rest ? `${whole}.${rest}` : whole;
}
