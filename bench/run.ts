// `npm run bench [-- --size small|medium|large] [--only W1,W2,W4,W5,W6] [--db sqlite,postgres]`
// Runs the workloads, prints each figure beside the ceiling measured in the same run, and writes the
// whole record as JSON to bench/results/. Load goes to 127.0.0.1 only, bounded in count and time.
// PostgreSQL: LTC_BENCH_PG_URL (a server where databases may be created), else a throwaway cluster.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { NOT_MEASURED, WORKLOADS, printTable, runBench, type Workload } from './bench.ts';
import { SIZES, type SizeName } from './lib/sizes.ts';
import type { Dialect } from '@openltc/db';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'medium' },
    only: { type: 'string', default: WORKLOADS.join(',') },
    db: { type: 'string', default: 'sqlite,postgres' },
    out: { type: 'string', default: path.join(path.dirname(new URL(import.meta.url).pathname), 'results') },
  },
});
const size = values.size as SizeName;
if (!(size in SIZES)) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}`);
const only = values.only!.split(',').map((s) => s.trim().toUpperCase()) as Workload[];
for (const w of only) if (!WORKLOADS.includes(w)) throw new Error(`--only: ${w} is not a workload this harness runs (${WORKLOADS.join(', ')})`);
const dbs = values.db!.split(',').map((s) => s.trim()) as Dialect[];
for (const d of dbs) if (d !== 'sqlite' && d !== 'postgres') throw new Error(`--db: ${d} is neither sqlite nor postgres`);

const { record, file } = await runBench({ size, only, dbs, pgUrl: process.env.LTC_BENCH_PG_URL, outDir: values.out! });
const m = record.machine;
console.log(`\nOpenLTC benchmarks — ${record.date} — commit ${record.commit.slice(0, 10)}${record.dirty ? ' (uncommitted changes)' : ''} — size ${record.size}`);
console.log(`${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, SQLite ${m.sqlite}${m.postgres ? `, PostgreSQL ${m.postgres}` : ''}`);
for (const r of record.runs) console.log(`  ${r.workload} ${r.db}: ${r.seconds.toFixed(0)} s, load average ${r.loadBefore.join(' ')} → ${r.loadAfter.join(' ')}`);
console.log('');
printTable(record.figures);
if (NOT_MEASURED.length) console.log('\nNot measurable yet:');
for (const n of NOT_MEASURED) console.log(`  ${n.workload}: ${n.reason}`);
console.log(`\nwritten: ${path.relative(process.cwd(), file)}`);
// The pg pool of a closed handle may keep the event loop alive a moment; the work is done.
process.exit(0);
