import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, startCheckpointer, type DatabaseHandle } from './index.ts';

const PAGE = 4096;
const walSize = (h: DatabaseHandle) => {
  try {
    return fs.statSync(`${h.location}-wal`).size;
  } catch {
    return 0;
  }
};
/** About `mb` MB of new pages in one transaction. */
function write(h: DatabaseHandle, mb: number) {
  const ins = h.sqlite!.prepare('insert into blobs (b) values (randomblob(4000))');
  h.sqlite!.transaction(() => {
    for (let i = 0; i < (mb * 1024 * 1024) / PAGE; i++) ins.run();
  })();
}

describe('the WAL checkpoint thread (SQLite)', () => {
  let dir: string;
  let h: DatabaseHandle;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ltc-ckpt-'));
    h = createDatabase({ dataDir: dir });
    h.sqlite!.exec('create table blobs (id integer primary key, b blob)');
  });
  afterEach(async () => {
    await h.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('takes checkpoints off the request connection and keeps the WAL bounded', async () => {
    // Without the thread, SQLite's own checkpoint in the commit keeps the WAL near 1,000 pages.
    expect(h.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    const ckpt = startCheckpointer(h, { intervalMs: 60_000 })!;
    expect(ckpt).not.toBeNull();
    expect(h.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(0);

    // 8 MB in one commit: the request connection copies nothing into the database file (no
    // checkpoint in the commit; with SQLite's default the file would now hold the 8 MB).
    write(h, 8);
    expect(fs.statSync(h.location).size).toBeLessThan(1024 * 1024);
    expect(walSize(h)).toBeGreaterThan(8 * 1024 * 1024);
    await ckpt.checkpointNow();
    expect(fs.statSync(h.location).size).toBeGreaterThan(8 * 1024 * 1024);

    // Twenty more rounds, each checkpointed by the thread: the WAL starts over instead of growing.
    for (let i = 0; i < 20; i++) {
      write(h, 2);
      const s = await ckpt.checkpointNow();
      expect(s.checkpointed).toBe(s.log);
    }
    expect(walSize(h)).toBeLessThan(12 * 1024 * 1024);
    expect(h.sqlite!.prepare('select count(*) as n from blobs').get()).toEqual({ n: ((8 + 40) * 1024 * 1024) / PAGE });

    await ckpt.stop();
    // Stopped with the server: the connection checkpoints by itself again (the CLI's behaviour).
    expect(h.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await expect(ckpt.checkpointNow()).rejects.toThrow(/stopped/);
  });

  it('forces a RESTART when a reader held the PASSIVE pass back, and passes on its own timer', async () => {
    const ckpt = startCheckpointer(h, { intervalMs: 60_000, restartFrames: 100 })!;
    await ckpt.checkpointNow(); // the thread is up
    const reader = new SQLite(h.location);
    try {
      // A reader on an old snapshot: a PASSIVE checkpoint may not copy frames past its snapshot, so
      // the thread runs RESTART, which waits (busy_timeout) until the reader lets go. The release
      // is timed, so on a loaded machine the pass may come after it: then no RESTART was needed and
      // the scenario is tried again.
      let restarts = 0;
      for (let attempt = 0; attempt < 5 && restarts === 0; attempt++) {
        write(h, 1);
        reader.exec('begin');
        reader.prepare('select count(*) from blobs').get();
        write(h, 1);
        const pass = ckpt.checkpointNow();
        setTimeout(() => reader.exec('commit'), 300);
        const s = await pass;
        restarts = s.restarts;
        if (reader.inTransaction) reader.exec('commit');
        expect(s.checkpointed).toBeLessThanOrEqual(s.log);
      }
      expect(restarts).toBeGreaterThanOrEqual(1);
      // Everything is copied once the reader is gone.
      const done = await ckpt.checkpointNow();
      expect(done.checkpointed).toBe(done.log);
    } finally {
      reader.close();
      await ckpt.stop();
    }
    // The timer passes without being asked (passes counted beyond the ones asked for).
    const timed = startCheckpointer(h, { intervalMs: 20 })!;
    try {
      const first = (await timed.checkpointNow()).passes;
      let asked = 1;
      let byTimer = 0;
      for (let i = 0; i < 100 && byTimer < 3; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const s = await timed.checkpointNow();
        asked++;
        byTimer = s.passes - first - (asked - 1);
      }
      expect(byTimer).toBeGreaterThanOrEqual(3);
    } finally {
      await timed.stop();
    }
  });

  it('does nothing for an in-memory database', () => {
    const mem = createDatabase({ sqliteFile: ':memory:' });
    expect(startCheckpointer(mem)).toBeNull();
    void mem.close();
  });
});
