import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS, PG_URL } from '@openltc/testing';
import { newId } from '@openltc/core';
import { runBench, WORKLOADS } from './bench.ts';
import { CHROMIUM } from './w6-web.ts';
import { ID_PATTERN, idAt } from './lib/ids.ts';

/**
 * The benchmarks at tiny size, so they never rot: every workload runs on each database and yields
 * well-formed figures and a JSON record. Nothing here looks at how fast anything was.
 */
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ltc-bench-smoke-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('benchmarks, tiny size', () => {
  it('bulk data carries ids in the application format', () => {
    const app = newId('lead');
    const bulk = idAt('lead', Date.now());
    expect(bulk).toHaveLength(app.length);
    expect(bulk.match(ID_PATTERN)).toEqual([bulk]);
    expect(app.match(ID_PATTERN)).toEqual([app]);
    expect(idAt('lead', Date.parse('2025-01-01')) < idAt('lead', Date.parse('2026-01-01'))).toBe(true);
  });

  // W6 drives Chromium; where it is not installed the other workloads still run.
  const workloads = fs.existsSync(CHROMIUM) || process.env.CI ? [...WORKLOADS] : WORKLOADS.filter((w) => w !== 'W6');

  it.each(DIALECTS)('every workload runs on %s and gives well-formed figures', async (dialect) => {
    const { record, file } = await runBench({ size: 'tiny', only: workloads, dbs: [dialect], pgUrl: PG_URL, outDir: out, log: () => undefined });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ size: 'tiny', commit: expect.any(String) });
    expect(record.machine).toMatchObject({ cores: expect.any(Number), node: process.version, sqlite: expect.any(String) });
    expect(record.runs.map((r) => r.workload)).toEqual(workloads);
    for (const n of record.notMeasured) expect(n.reason.length).toBeGreaterThan(0);
    for (const w of workloads) expect(record.figures.filter((f) => f.workload === w).length).toBeGreaterThan(0);
    for (const f of record.figures) {
      expect(f.db).toBe(dialect);
      expect(Number.isFinite(f.value) && f.value > 0, `${f.workload} ${f.name}: ${f.value}`).toBe(true);
      if (f.ceiling) expect(Number.isFinite(f.ceiling.value) && f.ceiling.value > 0, `${f.name} ceiling`).toBe(true);
      if (f.ceiling) expect(f.ratio).toBeCloseTo(f.value / f.ceiling.value, 6);
      if (f.target) expect(typeof f.met).toBe('boolean');
    }
    // W4 times every dashboard figure: the KPI call's statements, each attributed to the figures it feeds.
    const kpis = record.figures.filter((f) => f.workload === 'W4' && f.name.startsWith('KPIs, this quarter [admin]')).map((f) => f.name);
    for (const k of ['the whole call', 'leadConversionRate', 'opportunitiesCreated', 'winRate', 'weightedPipeline', 'orderFulfilmentDays', 'deliveryCycleDays', 'invoiced', 'leadToCashDays', 'cashCollected'])
      expect(kpis.some((n) => n.includes(k)), k).toBe(true);
    expect(kpis.filter((n) => n.includes('other:'))).toEqual([]);
    // The W1 cycle wrote every document type, and the raw-driver ceiling replays exactly those rows.
    const w1 = record.runs.find((r) => r.workload === 'W1')!.details as any;
    const tables = new Set((w1.template as any[]).flatMap((s) => s.transactions.flat().map((op: string) => op.split(' ')[1])));
    for (const t of ['leads', 'accounts', 'opportunities', 'quotes', 'contracts', 'orders', 'deliveries', 'invoices', 'payments', 'payment_allocations', 'events'])
      expect(tables.has(t), t).toBe(true);
    expect(w1.rawDriver.cycles).toBeGreaterThan(0);
    // The W3 billing run billed every item, and the run killed in its child process and restarted left
    // each item with exactly one invoice and the number series without a gap.
    const w3 = record.runs.find((r) => r.workload === 'W3')!.details as any;
    expect(w3.afterRun).toMatchObject({ invoiced: w3.items, duplicates: 0, orphans: 0, gaps: 0, exact: true });
    expect(w3.killRestart.final).toMatchObject({ invoiced: w3.items, duplicates: 0, orphans: 0, gaps: 0, exact: true });
    expect(w3.killRestart.childFinished).toBe(false);
    // The W2 import accounted for every row of its file: created, duplicate or error.
    const w2 = record.runs.find((r) => r.workload === 'W2')!.details as any;
    expect(w2.created + w2.duplicates + w2.errors).toBe(w2.rows);
    expect(w2.duplicates).toBeGreaterThan(0);
    expect(w2.errors).toBeGreaterThan(0);
    expect(w2.rawRows).toBe(w2.created);
    // The second ceiling rewrote everything the import wrote: a lead and its event per created row, an issue or more per other row.
    expect(w2.rawAllRows).toBeGreaterThanOrEqual(2 * w2.created + w2.duplicates + w2.errors);
    // Six workloads with server and browser child processes: about 3 minutes per database at a load
    // average of 18 on 2 cores, far beyond the suite's default minute.
  }, 600_000);
});
