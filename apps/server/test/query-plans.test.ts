import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as core from '@openltc/core';
import type { Ctx } from '@openltc/core';
import { DIALECTS, PG_URL } from '@openltc/testing';
import { freshBenchDb, type BenchDb } from '../../../bench/lib/db.ts';
import { generateDataset, type Dataset } from '../../../bench/lib/bulk.ts';
import {
  HOT_QUERIES,
  KPI_CALLS,
  contexts,
  kpiFiguresOf,
  kpiPeriod,
  type Actor,
  type HotQuery,
  type Picks,
} from '../../../bench/lib/hot-queries.ts';
import { captureQueries, explain, type Plan } from '../../../bench/lib/plans.ts';
import { SIZES } from '../../../bench/lib/sizes.ts';

/**
 * The hot list queries (the ones the W4 benchmark times at a million leads) read through indexes:
 * every statement their use case sends is explained, and none may read a whole table. On PostgreSQL
 * sequential scans are priced out for the EXPLAIN, so on this small data set a sequential scan still
 * appears only where no index can serve.
 */
describe.each(DIALECTS)('query plans of the hot lists (%s)', (dialect) => {
  let db: BenchDb;
  let data: Dataset;
  let ctxs: Record<Actor, Ctx>;

  beforeAll(async () => {
    db = await freshBenchDb(dialect, PG_URL, 3);
    data = await generateDataset(db, SIZES.small.data);
    ctxs = await contexts(data, { db: db.handle.db, dialect, requestId: null });
  });
  afterAll(() => db?.drop());

  async function plans(q: HotQuery): Promise<Plan[]> {
    const picks: Picks = { data, one: (list) => data.sample[list][0]! };
    const ctx = ctxs[q.as];
    const prepared = q.prepare ? await q.prepare(ctx, picks) : {};
    const statements = await captureQueries(ctx, (c) => q.run(c, picks, prepared));
    expect(statements.length).toBeGreaterThan(0);
    return Promise.all(statements.map((s) => explain(db.handle.db, dialect, s)));
  }

  it.each(HOT_QUERIES.filter((q) => q.indexed).map((q) => [q.name, q] as const))(
    '%s: no full table scan',
    async (_name, q) => {
      for (const p of await plans(q)) expect(p.fullScans, `${p.sql}\n${p.lines.join('\n')}`).toEqual([]);
    },
  );

  // The key figures (GET /analytics/kpis) read through indexes too, except the organisation's
  // settings (legal_entities, a handful of rows). The period columns the figures start from are
  // indexed by migration 012 (bench/RESULTS.md, W4 key figures).
  const KPI_SCANS_ALLOWED: Record<string, string> = {
    legal_entities: 'settings: one row per legal entity',
  };
  it.each(KPI_CALLS.map((k) => [`${k.name} [${k.as}]`, k] as const))(
    'key figures, %s: no full table scan but the known ones',
    async (_name, k) => {
      const ctx = ctxs[k.as];
      const statements = await captureQueries(ctx, (c) => core.computeKpis(c, kpiPeriod(k.period)));
      expect(statements.length).toBeGreaterThan(3);
      const unexpected: string[] = [];
      for (const st of statements) {
        const p = await explain(db.handle.db, dialect, st);
        for (const t of p.fullScans)
          if (!(t in KPI_SCANS_ALLOWED))
            unexpected.push(`${t} (${kpiFiguresOf(st.sql)})\n    ${p.lines.join('\n    ')}`);
      }
      expect(unexpected).toEqual([]);
    },
  );

  // The statements the key figures spend their time in at a million leads read only an index made for
  // them by migration 015 (bench/RESULTS.md, W4 at large): each is named here with the index it must use
  // on SQLite, which has no statistics to choose by (the application does not run ANALYZE).
  const KPI_INDEXES: Array<[figure: string, index: RegExp]> = [
    ['leadsCreated', /leads_converted_kpi_idx/],
    ['winRate', /opps_closed_kpi_idx/],
    ['openPipeline', /opps_open_pipeline_idx/],
    ['orderFulfilmentDays', /orders_fulfilled_kpi_idx/],
    ['deliveryCycleDays', /deliveries_accepted_kpi_idx/],
    ['invoiced', /invoices_issued_kpi_idx/],
    ['leadToCashDays', /invoices_paid_kpi_idx/],
    ['cashCollected', /payments_received_kpi_idx/],
  ];
  it.each(KPI_CALLS.filter((k) => k.as !== 'rep').map((k) => [`${k.name} [${k.as}]`, k] as const))(
    'key figures, %s: each hot statement reads its covering index',
    async (_name, k) => {
      const statements = await captureQueries(ctxs[k.as], (c) => core.computeKpis(c, kpiPeriod(k.period)));
      const plansByFigure = new Map<string, string[]>();
      for (const st of statements) {
        const fig = kpiFiguresOf(st.sql);
        const p = await explain(db.handle.db, dialect, st);
        plansByFigure.set(fig, [...(plansByFigure.get(fig) ?? []), ...p.lines]);
      }
      for (const [figure, index] of KPI_INDEXES) {
        const entry = [...plansByFigure].find(([fig]) => fig.split(', ').includes(figure));
        if (!entry) {
          // Finance may not read leads: the figure is not computed at all.
          expect(k.as === 'finance' && figure === 'leadsCreated', `${figure} missing for ${k.as}`).toBe(true);
          continue;
        }
        // PostgreSQL chooses by its statistics: on this small data set another index of the table may be
        // cheaper, so there the figure must be index-served (no sequential scan is checked above).
        if (dialect === 'sqlite') expect(entry[1].join('\n'), `${figure}`).toMatch(index);
        else expect(entry[1].join('\n'), `${figure}`).toMatch(/Index (Only )?Scan|Bitmap Index Scan/);
      }
    },
  );

  it('the check sees a full scan where there is no index (sort by score)', async () => {
    const q = HOT_QUERIES.find((x) => !x.indexed && x.name.includes('score'))!;
    const [p] = await plans(q);
    expect(p!.fullScans).toContain('leads');
  });
});
