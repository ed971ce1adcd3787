import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDatabase, migrateToLatest, type DatabaseHandle, type Dialect } from '@openltc/db';
import { ensureDefaultPipeline, ensureLegalEntity } from '@openltc/core';

/**
 * A fresh, migrated database for one workload: a SQLite file in a temporary folder, or a database of
 * its own on the PostgreSQL server. `serverEnv` is what a server process needs to open the same data.
 */
export interface BenchDb {
  dialect: Dialect;
  handle: DatabaseHandle;
  /** Temporary folder: the SQLite file and the server's session secret live here. */
  dir: string;
  /** PostgreSQL: the database URL. */
  url?: string;
  serverEnv: Record<string, string>;
  drop(): Promise<void>;
}

export async function freshBenchDb(dialect: Dialect, pgUrl: string | undefined, poolSize = 10): Promise<BenchDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ltc-bench-'));
  let handle: DatabaseHandle;
  let url: string | undefined;
  let name: string | undefined;
  if (dialect === 'sqlite') {
    handle = createDatabase({ dataDir: dir });
  } else {
    if (!pgUrl) throw new Error('PostgreSQL was asked for but no server is available');
    name = `ltc_bench_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(pgUrl);
    u.pathname = `/${name}`;
    url = u.toString();
    handle = createDatabase({ databaseUrl: url, poolSize });
  }
  await migrateToLatest(handle);
  await ensureDefaultPipeline(handle.db);
  await ensureLegalEntity(handle.db);
  const serverEnv: Record<string, string> = { LTC_DATA_DIR: dir, ...(url ? { DATABASE_URL: url } : {}) };
  let dropped = false;
  return {
    dialect,
    handle,
    dir,
    ...(url ? { url } : {}),
    serverEnv,
    async drop() {
      if (dropped) return;
      dropped = true;
      await handle.close();
      if (name && pgUrl) {
        const c = new pg.Client({ connectionString: pgUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
