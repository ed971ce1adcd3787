import type { Dialect } from '@openltc/db';
import { startPostgres } from '../scripts/pg-cluster.mjs';
import { SIZES, type SizeName } from './lib/sizes.ts';
import { printTable, writeRecord, type Figure, type RunRecord } from './lib/report.ts';
import { commitInfo, loadAverage, machineInfo } from './lib/machine.ts';
import { runW1 } from './w1-api-cycle.ts';
import { runW2 } from './w2-import.ts';
import { runW3 } from './w3-billing-run.ts';
import { prepareDataset, runW4, type Prepared } from './w4-lists.ts';
import { runW5 } from './w5-memory.ts';
import { runW6 } from './w6-web.ts';

export const WORKLOADS = ['W1', 'W2', 'W3', 'W4', 'W5', 'W6'] as const;
export type Workload = (typeof WORKLOADS)[number];

/** What the budget asks for that this harness cannot measure yet, and why (no figures are made up). */
export const NOT_MEASURED: Array<{ workload: string; reason: string }> = [];

export interface BenchOptions {
  size: SizeName;
  only: Workload[];
  dbs: Dialect[];
  /** A PostgreSQL server where databases may be created; without one a throwaway cluster is started. */
  pgUrl?: string | undefined;
  outDir: string;
  log?: (m: string) => void;
}

export async function runBench(o: BenchOptions): Promise<{ record: RunRecord; file: string }> {
  const log = o.log ?? ((m: string) => console.log(m));
  const size = SIZES[o.size];
  let cluster: { url: string; stop(): void } | null = null;
  let pgUrl = o.pgUrl;
  if (o.dbs.includes('postgres') && !pgUrl) {
    // Durable enough to be fair to SQLite in WAL mode with synchronous=NORMAL: fsync on, commits not
    // waiting for the WAL flush.
    cluster = await startPostgres({ fsync: 'on', full_page_writes: 'on', synchronous_commit: 'off', shared_buffers: '256MB' });
    if (!cluster) throw new Error('PostgreSQL is not installed (Debian package postgresql); run with --db sqlite or set LTC_BENCH_PG_URL');
    pgUrl = cluster.url;
  }
  try {
    const { commit, dirty } = commitInfo();
    const record: RunRecord = {
      date: new Date().toISOString(),
      commit,
      dirty,
      size: size.name,
      machine: await machineInfo(o.dbs.includes('postgres') ? pgUrl : undefined),
      runs: [],
      figures: [],
      notMeasured: NOT_MEASURED,
    };
    const measure = async (workload: string, db: Dialect, fn: () => Promise<{ figures: Figure[]; details: unknown }>) => {
      const loadBefore = loadAverage();
      const startedAt = new Date().toISOString();
      const t = performance.now();
      const res = await fn();
      record.figures.push(...res.figures);
      record.runs.push({ workload, db, startedAt, seconds: (performance.now() - t) / 1000, loadBefore, loadAfter: loadAverage(), details: res.details });
    };
    for (const db of o.dbs) {
      if (o.only.includes('W1')) await measure('W1', db, () => runW1(db, pgUrl, size, log));
      if (o.only.includes('W2')) await measure('W2', db, () => runW2(db, pgUrl, size, log));
      if (o.only.includes('W3')) await measure('W3', db, () => runW3(db, pgUrl, size, log));
      if (o.only.includes('W4') || o.only.includes('W5')) {
        let prepared: Prepared | null = null;
        try {
          prepared = await prepareDataset(db, pgUrl, size, log);
          log(`W4 ${db}: data set ready in ${prepared.setupSeconds.toFixed(1)} s`);
          const p = prepared;
          if (o.only.includes('W4')) await measure('W4', db, () => runW4(p, size, log));
          if (o.only.includes('W5')) await measure('W5', db, () => runW5(p, size, log));
        } finally {
          await prepared?.db.drop();
        }
      }
      if (o.only.includes('W6')) await measure('W6', db, () => runW6(db, pgUrl, size, log));
    }
    const file = writeRecord(o.outDir, record);
    return { record, file };
  } finally {
    cluster?.stop();
  }
}

export { printTable };
