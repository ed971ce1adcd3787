import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { DatabaseHandle } from './index.ts';

/**
 * The SQLite WAL checkpoint off the request thread. By default SQLite runs a checkpoint inside the
 * commit that grows the WAL past 1,000 pages: that commit copies the pages into the database file and
 * fsyncs it, 8–15 ms during which a server's event loop answers nobody (1 % of commits in the W1
 * profile). With a checkpointer the request connection never checkpoints (`wal_autocheckpoint = 0`);
 * a worker thread with its own connection runs `PRAGMA wal_checkpoint(PASSIVE)` on a timer (the
 * pattern better-sqlite3 documents). PASSIVE never waits for a reader or the writer, so it cannot
 * stall the server; the writer starts the WAL again from its beginning once everything is copied.
 *
 * The WAL cannot grow without bound: when a PASSIVE pass leaves more than `restartFrames` frames
 * (readers kept the checkpoint from finishing), the thread runs a RESTART checkpoint, which waits
 * (busy_timeout) for the readers and makes the next writer start over; `journal_size_limit` then
 * truncates the file. If the thread dies, the request connection checkpoints by itself again.
 */
export interface CheckpointerOptions {
  /** How often the thread checkpoints (default 500 ms). */
  intervalMs?: number;
  /** WAL frames left after a PASSIVE pass that make the thread force a RESTART (default 16,384 ≈ 64 MB). */
  restartFrames?: number;
  /** Called with the thread's error if it stops unexpectedly (SQLite then checkpoints on commit again). */
  onError?: (err: Error) => void;
}

export interface CheckpointStats {
  /** Checkpoint passes run so far. */
  passes: number;
  /** Frames in the WAL and frames copied into the database, at the last pass. */
  log: number;
  checkpointed: number;
  /** RESTART checkpoints forced because PASSIVE passes could not keep up. */
  restarts: number;
}

export interface Checkpointer {
  /** Ask the thread for a pass now and wait for its result. */
  checkpointNow(): Promise<CheckpointStats>;
  /** Stops the thread and gives checkpoints back to the request connection. */
  stop(): Promise<void>;
}

/** SQLite's default: a checkpoint in the commit that grows the WAL past this many pages. */
const AUTOCHECKPOINT_PAGES = 1000;
/** The WAL file is truncated to this size after a checkpoint restarts it. */
const JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;

// Plain CommonJS, so the thread needs no TypeScript loader; better-sqlite3 comes by its resolved path.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 5000');
db.pragma('journal_size_limit = ' + workerData.journalSizeLimit);
const stats = { passes: 0, log: 0, checkpointed: 0, restarts: 0 };
function pass() {
  const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
  stats.passes++;
  stats.log = r.log;
  stats.checkpointed = r.checkpointed;
  if (r.log - r.checkpointed > workerData.restartFrames) {
    db.pragma('wal_checkpoint(RESTART)');
    stats.restarts++;
  }
  return stats;
}
const timer = setInterval(pass, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'now') parentPort.postMessage({ stats: pass() });
  else if (m === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
`;

/**
 * Starts the checkpoint thread for a SQLite file database (nothing to do for PostgreSQL or ':memory:').
 * Started and stopped with the server; the CLI and tests that do not start it keep SQLite's own
 * checkpoints.
 */
export function startCheckpointer(handle: DatabaseHandle, opts: CheckpointerOptions = {}): Checkpointer | null {
  const sqlite = handle.sqlite;
  if (!sqlite || handle.location === ':memory:' || sqlite.memory) return null;
  const worker = new Worker(THREAD, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      file: handle.location,
      intervalMs: opts.intervalMs ?? 500,
      restartFrames: opts.restartFrames ?? 16_384,
      journalSizeLimit: JOURNAL_SIZE_LIMIT,
    },
  });
  worker.unref();
  sqlite.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
  sqlite.pragma('wal_autocheckpoint = 0');
  let stopped = false;
  const giveBack = () => {
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  };
  const waiting: Array<{ resolve: (s: CheckpointStats) => void; reject: (e: Error) => void }> = [];
  worker.on('message', (m: { stats: CheckpointStats }) => waiting.shift()?.resolve(m.stats));
  const failed = (err: Error) => {
    if (stopped) return;
    stopped = true;
    giveBack();
    for (const w of waiting.splice(0)) w.reject(err);
    opts.onError?.(err);
  };
  worker.on('error', failed);
  worker.on('exit', (code) => failed(new Error(`the WAL checkpoint thread exited (code ${code})`)));
  return {
    checkpointNow() {
      if (stopped) return Promise.reject(new Error('the WAL checkpoint thread is stopped'));
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        worker.postMessage('now');
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      giveBack();
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('stop');
      await exited;
      for (const w of waiting.splice(0)) w.reject(new Error('the WAL checkpoint thread stopped'));
    },
  };
}
