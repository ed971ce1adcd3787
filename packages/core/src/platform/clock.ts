/** The current instant as an ISO string; tests may replace the clock. */
let override: (() => Date) | null = null;
export const nowIso = (): string => (override ? override() : new Date()).toISOString();
export const today = (tz = 'Asia/Shanghai'): string => businessDate(new Date(nowIso()), tz);
export function setClock(fn: (() => Date) | null): void {
  override = fn;
}
/** The business date (YYYY-MM-DD) of an instant in a time zone. */
// Building an Intl formatter is costly (it showed in request profiles); one per time zone is kept.
// Formatting is costly too (a request asks for today's date several times): the last answer is kept per
// time zone for its minute. Since 1980 every zone's offset is whole minutes, so a day starts at a minute
// boundary and one minute has one business date; earlier instants are always formatted.
const formatters = new Map<string, { f: Intl.DateTimeFormat; minute: number; date: string }>();
const SINCE = Date.UTC(1980, 0, 1);
export function businessDate(d: Date, tz = 'Asia/Shanghai'): string {
  let e = formatters.get(tz);
  if (!e) {
    e = { f: new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }), minute: NaN, date: '' };
    formatters.set(tz, e);
  }
  const ms = d.getTime();
  if (!(ms >= SINCE)) return e.f.format(d);
  const minute = Math.floor(ms / 60_000);
  if (minute !== e.minute) {
    e.date = e.f.format(d);
    e.minute = minute;
  }
  return e.date;
}
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
