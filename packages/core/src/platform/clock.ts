/** The current instant as an ISO string; tests may replace the clock. */
let override: (() => Date) | null = null;
export const nowIso = (): string => (override ? override() : new Date()).toISOString();
export const today = (tz = 'Asia/Shanghai'): string => businessDate(new Date(nowIso()), tz);
export function setClock(fn: (() => Date) | null): void {
  override = fn;
}
/** The business date (YYYY-MM-DD) of an instant in a time zone. */
// Building an Intl formatter is costly (it showed in request profiles); one per time zone is kept.
const formatters = new Map<string, Intl.DateTimeFormat>();
export function businessDate(d: Date, tz = 'Asia/Shanghai'): string {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(tz, f);
  }
  return f.format(d);
}
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
