import fs from 'node:fs';
import path from 'node:path';
import { round } from './stats.ts';

/**
 * One figure of a run, beside the ceiling measured in the same run (when there is one) and the
 * target it is held to. `better` says which way is good, so the ratio reads "share of the ceiling"
 * for throughput and "times the ceiling" for latency.
 */
export interface Figure {
  workload: string;
  db: string;
  name: string;
  value: number;
  unit: string;
  better: 'higher' | 'lower';
  ceiling?: { name: string; value: number } | undefined;
  /** value / ceiling.value */
  ratio?: number | undefined;
  /** The budget: on the ratio (`ratio ≥ 0.5`) or on the value (`value < 50`). */
  target?: { on: 'ratio' | 'value'; op: '>=' | '<'; limit: number } | undefined;
  met?: boolean | undefined;
  note?: string | undefined;
}

export function figure(f: Omit<Figure, 'ratio' | 'met'>): Figure {
  const ratio = f.ceiling && f.ceiling.value > 0 ? f.value / f.ceiling.value : undefined;
  let met: boolean | undefined;
  if (f.target) {
    const v = f.target.on === 'ratio' ? ratio : f.value;
    if (v !== undefined && Number.isFinite(v)) met = f.target.op === '>=' ? v >= f.target.limit : v < f.target.limit;
  }
  return { ...f, ratio, met };
}

function fmt(v: number | undefined, unit = ''): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  return `${v.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

export function targetText(f: Figure): string {
  if (!f.target) return '';
  const what = f.target.on === 'ratio' ? 'ratio' : '';
  const unit = f.target.on === 'value' ? ` ${f.unit}` : '';
  return `${what}${what ? ' ' : ''}${f.target.op === '>=' ? '≥' : '<'} ${f.target.limit}${unit}`;
}

/** The rows of the table: figure, ceiling, ratio, target, met. */
export function tableRows(figures: readonly Figure[]): string[][] {
  return figures.map((f) => [
    f.workload,
    f.db,
    f.name,
    fmt(f.value, f.unit),
    f.ceiling ? `${fmt(f.ceiling.value, f.unit)} (${f.ceiling.name})` : '',
    f.ratio === undefined ? '' : f.ratio >= 0.01 ? f.ratio.toFixed(2) : f.ratio.toPrecision(2),
    targetText(f),
    f.met === undefined ? '' : f.met ? 'yes' : 'NO',
  ]);
}

const HEAD = ['workload', 'db', 'figure', 'value', 'ceiling (same run)', 'ratio', 'target', 'met'];

export function printTable(figures: readonly Figure[], out: (s: string) => void = console.log): void {
  const rows = [HEAD, ...tableRows(figures)];
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)));
  const line = (r: string[]) => r.map((c, i) => c + ' '.repeat(widths[i]! - [...c].length)).join('  ');
  out(line(rows[0]!));
  out(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) out(line(r));
}

/** The same table in Markdown, for RESULTS.md. */
export function markdownTable(figures: readonly Figure[]): string {
  const rows = tableRows(figures);
  return [`| ${HEAD.join(' | ')} |`, `|${HEAD.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export interface RunRecord {
  date: string;
  commit: string;
  dirty: boolean;
  size: string;
  machine: Record<string, unknown>;
  /** Load average and what each workload saw, per database. */
  runs: Array<{ workload: string; db: string; startedAt: string; seconds: number; loadBefore: number[]; loadAfter: number[]; details: unknown }>;
  figures: Figure[];
  notMeasured: Array<{ workload: string; reason: string }>;
}

/** Writes the record as JSON (atomically: a .tmp file renamed) and returns the path. */
export function writeRecord(dir: string, rec: RunRecord): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${rec.date.slice(0, 10)}-${rec.commit.slice(0, 10)}-${rec.size}.json`);
  const clean = JSON.parse(JSON.stringify(rec, (_k, v) => (typeof v === 'number' ? round(v, 3) : v)));
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(clean, null, 2) + '\n');
  fs.renameSync(`${file}.tmp`, file);
  return file;
}
