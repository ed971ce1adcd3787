// A server process for the benchmarks, started by server.ts: the real application as `npm start`
// runs it (same configuration from the environment, job worker included), or a bare route of the same
// framework. It listens on 127.0.0.1 on a free port, tells its parent the port, samples its own
// resident memory and answers the parent's questions about it.
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig } from '@openltc/server/config';

// Sampling RSS 40 times a second costs the server 2–5 % of its CPU (W1 profiles), counted in its CPU per
// cycle: W1, which reports CPU and not memory, turns it off (BENCH_RSS_SAMPLE_MS=0); W5 keeps it.
// At each new peak the whole breakdown is taken too (V8 heap, memory outside it — Buffers of the
// database driver's rows and sockets), so a peak can be told apart: JavaScript objects or I/O buffers.
let peak = process.memoryUsage.rss();
let peakAt = process.memoryUsage();
const sample = () => {
  const rss = process.memoryUsage.rss();
  if (rss > peak) {
    peak = rss;
    peakAt = process.memoryUsage();
  }
};
const sampleMs = Number(process.env.BENCH_RSS_SAMPLE_MS ?? 25);
const sampler = sampleMs > 0 ? setInterval(sample, sampleMs) : undefined;

async function start(): Promise<{ app: FastifyInstance; stop: () => Promise<void> }> {
  const cfg = { ...loadConfig(process.env), host: '127.0.0.1', port: 0 };
  if (process.env.BENCH_SERVER === 'bare') {
    // The same framework with the same logger settings, one route, no database.
    const app = Fastify({ logger: { level: cfg.logLevel } });
    app.post('/bare', async (req) => ({ ok: true, id: 'lead_01JD3Z0000000000000000000', received: req.body }));
    return { app, stop: () => app.close() };
  }
  if (process.env.BENCH_SERVER === 'raw-http') {
    // W1's third ceiling: the raw driver's writes of each call behind a bare route (raw-http.ts).
    const { rawHttpServer } = await import('./raw-http.ts');
    return rawHttpServer(cfg.logLevel, process.env.BENCH_RAW_TEMPLATE!);
  }
  // Loaded only here, so the bare server carries none of the application's code.
  const { buildApp } = await import('@openltc/server/app');
  const { createWorker, openDatabase } = await import('@openltc/server/runtime');
  const { startCheckpointer } = await import('@openltc/db');
  const handle = await openDatabase(cfg);
  const checkpointer = startCheckpointer(handle);
  const app = await buildApp({ handle, config: cfg });
  const worker = cfg.worker ? createWorker(handle, cfg) : null;
  worker?.start();
  return {
    app,
    stop: async () => {
      await worker?.stop();
      await app.close();
      await checkpointer?.stop();
      await handle.close();
    },
  };
}

const { app, stop } = await start();
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.send!({ type: 'ready', port, rss: process.memoryUsage().rss });

process.on('message', (m: { type: string }) => {
  if (m.type === 'memory') {
    sample();
    const now = process.memoryUsage();
    const { rss: _rss, ...atPeak } = peakAt;
    process.send!({ type: 'memory', rss: now.rss, peak, heapUsed: now.heapUsed, heapTotal: now.heapTotal, external: now.external, atPeak });
  } else if (m.type === 'cpu') {
    const c = process.cpuUsage();
    process.send!({ type: 'cpu', ms: (c.user + c.system) / 1000 });
  } else if (m.type === 'reset-peak') {
    peakAt = process.memoryUsage();
    peak = peakAt.rss;
    process.send!({ type: 'reset-peak' });
  } else if (m.type === 'stop') {
    if (sampler) clearInterval(sampler);
    void stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  }
});
