/** Quantities are decimal strings with at most 3 decimals; compare and subtract them as integer thousandths. */
export function toMilli(q: string | null | undefined): bigint {
  const m = /^(\d+)(?:\.(\d{0,3}))?$/.exec(String(q ?? '0').trim());
  if (!m) return 0n;
  return BigInt(m[1]! + (m[2] ?? '').padEnd(3, '0'));
}

export function fromMilli(v: bigint): string {
  const neg = v < 0n;
  const s = (neg ? -v : v).toString().padStart(4, '0');
  const int = s.slice(0, -3);
  const frac = s.slice(-3).replace(/0+$/, '');
  return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}
