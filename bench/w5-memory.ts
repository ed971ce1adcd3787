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

  const server = await ServerProcess.start('app', db.serverEnv);
  try {
    await sleep(size.restMs);
    const rest = await server.memory();
    log(`W5 ${db.dialect}: at rest ${(rest.rss / MB).toFixed(0)} MB (bare ${(bareRest / MB).toFixed(0)} MB)`);
    const users = size.w1.users;
    const http = new Client(server.port, users);
    const cat = await seedCatalog(db);
    const actors = await signIn(db, http, users);
    await server.resetPeak();
    const load = await cycleLoad(http, actors, cat, users, size.w5Cycles, size.w1.maxSeconds);
    const after = await server.memory();
    http.close();
    log(`W5 ${db.dialect}: peak under W1 ${(after.peak / MB).toFixed(0)} MB over ${load.cycles} cycles (${load.cyclesPerSec.toFixed(1)} cycles/s)`);
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
        afterLoadRssMB: after.rss / MB,
        bareRestMB: bareRest / MB,
        load: { users, cycles: load.cycles, seconds: load.ms / 1000, cyclesPerSec: load.cyclesPerSec },
      },
    };
  } finally {
    await server.stop();
  }
}
