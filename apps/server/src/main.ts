import { startCheckpointer } from '@openltc/db';
import { loadConfig } from './config.ts';
import { buildApp } from './app.ts';
import { createWorker, openDatabase } from './runtime.ts';

/** `npm start`: migrate, serve the API and the web app, and run the job worker in-process. */
async function main() {
  const cfg = loadConfig();
  const handle = await openDatabase(cfg);
  // SQLite: the WAL checkpoint runs in a thread of its own, never inside a request's commit.
  const checkpointer = startCheckpointer(handle, { onError: (err) => app.log.error({ err }, 'WAL checkpoint thread stopped; SQLite checkpoints on commit again') });
  const app = await buildApp({ handle, config: cfg });
  const worker = cfg.worker ? createWorker(handle, cfg, (m) => app.log.warn(m)) : null;
  worker?.start();
  const shutdown = async (sig: string) => {
    app.log.info(`${sig}: shutting down`);
    await worker?.stop();
    await app.close();
    await checkpointer?.stop();
    await handle.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: cfg.port, host: cfg.host });
  app.log.info(`OpenLTC on http://localhost:${cfg.port} (database: ${handle.dialect} ${handle.location})`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
