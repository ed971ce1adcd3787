import { setTimeout as sleep } from 'node:timers/promises';
import { ServerProcess } from './lib/server.ts';
import { Client } from './lib/http.ts';
import { figure, type Figure } from './lib/report.ts';
import { cycleLoad, seedCatalog, signIn } from './w1-api-cycle.ts';
import type { Prepared } from './w4-lists.ts';
import type { Size } from './lib/sizes.ts';

/**
 * W5 — the server's resident memory (RSS) over the W4 data set: at rest after start-up, and the peak
 * while W1's cycle runs against it (sampled every 25 ms inside the server process). Beside it: a bare
 * server of the same framework at rest, what Node and Fastify cost before any of our code.
 */
const MB = 1024 * 1024;

export async function runW5(p: Prepared, size: Size, log: (m: string) => void): Promise<{ figures: Figure[]; details: Record<string, unknown> }> {
  const { db } = p;
  const bare = await ServerProcess.start('bare', {});
  await sleep(size.restMs);
  const bareRest = (await bare.memory()).rss;
  await bare.stop();

  // The job worker runs in the server (as `npm start` runs it): a daily job that starts while W5 measures
  // (the dunning run's first pass over a data set's years of overdue invoices, say) is memory of the
  // server too, so the jobs the worker held during each measurement are named beside the figures.
  const since = new Date().toISOString();
  const busyJobs = async () =>
    (await db.handle.db
      .selectFrom('jobs')
      .select(['type', 'status', 'attempts'])
      .where('updatedAt', '>=', since) // claimed, run or finished by this server (not a stale lease)
      .where('type', '<>', 'email.send')
      .execute()).map((j) => `${j.type} (${j.status}, attempt ${j.attempts})`);
  const server = await ServerProcess.start('app', db.serverEnv);
  try {
    await sleep(size.restMs);
    const rest = await server.memory();
    const jobsAtRest = await busyJobs();
    log(`W5 ${db.dialect}: at rest ${(rest.rss / MB).toFixed(0)} MB (bare ${(bareRest / MB).toFixed(0)} MB)${jobsAtRest.length ? `; worker jobs: ${jobsAtRest.join(', ')}` : ''}`);
    const users = size.w1.users;
    const http = new Client(server.port, users);
    const cat = await seedCatalog(db);
    const actors = await signIn(db, http, users);
    await server.resetPeak();
    const load = await cycleLoad(http, actors, cat, users, size.w5Cycles, size.w1.maxSeconds);
    const after = await server.memory();
    const jobsUnderLoad = await busyJobs();
    http.close();
    const at = after.atPeak;
    log(
      `W5 ${db.dialect}: peak under W1 ${(after.peak / MB).toFixed(0)} MB over ${load.cycles} cycles (${load.cyclesPerSec.toFixed(1)} cycles/s); ` +
        `at the peak V8 heap ${(at.heapUsed / MB).toFixed(0)} used of ${(at.heapTotal / MB).toFixed(0)} MB, external ${(at.external / MB).toFixed(0)} MB` +
        (jobsUnderLoad.length ? `; worker jobs: ${jobsUnderLoad.join(', ')}` : ''),
    );
    const figures = [
      figure({
        workload: 'W5',
        db: db.dialect,
        name: 'server RSS at rest (W4 data set)',
        value: rest.rss / MB,
        unit: 'MB',
        better: 'lower',
        ceiling: { name: 'bare Fastify server', value: bareRest / MB },
        target: { on: 'value', op: '<', limit: 300 },
      }),
      figure({
        workload: 'W5',
        db: db.dialect,
        name: `server RSS peak under W1 (${users} users)`,
        value: after.peak / MB,
        unit: 'MB',
        better: 'lower',
        ceiling: { name: 'bare Fastify server', value: bareRest / MB },
        target: { on: 'value', op: '<', limit: 300 },
      }),
    ];
    return {
      figures,
      details: {
        startupRssMB: server.startupRss / MB,
        restRssMB: rest.rss / MB,
        restHeapUsedMB: rest.heapUsed / MB,
        peakUnderLoadMB: after.peak / MB,
        atPeakMB: Object.fromEntries(Object.entries(after.atPeak).map(([k, v]) => [k, v / MB])),
        restHeapTotalMB: rest.heapTotal / MB,
        afterLoadRssMB: after.rss / MB,
        bareRestMB: bareRest / MB,
        load: { users, cycles: load.cycles, seconds: load.ms / 1000, cyclesPerSec: load.cyclesPerSec },
        worker: process.env.LTC_WORKER ?? 'on',
        jobsAtRest,
        jobsUnderLoad,
      },
    };
  } finally {
    await server.stop();
  }
}
