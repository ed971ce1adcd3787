/** Percentiles of durations (nearest rank), in the unit they were recorded in. */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(samples: readonly number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN, mean };
}

/** Collects durations by name. */
export class Recorder {
  readonly samples = new Map<string, number[]>();
  add(name: string, ms: number): void {
    let a = this.samples.get(name);
    if (!a) this.samples.set(name, (a = []));
    a.push(ms);
  }
  summaries(): Record<string, Summary> {
    return Object.fromEntries([...this.samples].map(([k, v]) => [k, summarize(v)]));
  }
}

export const round = (v: number, digits = 2): number => (Number.isFinite(v) ? Number(v.toFixed(digits)) : v);
