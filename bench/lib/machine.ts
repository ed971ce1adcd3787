import os from 'node:os';
import { execFileSync } from 'node:child_process';
import SQLite from 'better-sqlite3';
import pg from 'pg';

export function commitInfo(): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
    return { commit, dirty };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}

export const loadAverage = (): number[] => os.loadavg().map((v) => Number(v.toFixed(2)));

/** What the figures depend on: cores, memory, Node, SQLite and PostgreSQL versions. */
export async function machineInfo(pgUrl: string | undefined): Promise<Record<string, unknown>> {
  const cpus = os.cpus();
  const mem = new SQLite(':memory:');
  const sqliteVersion = (mem.prepare('select sqlite_version() as v').get() as { v: string }).v;
  mem.close();
  let postgresVersion: string | null = null;
  if (pgUrl) {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    postgresVersion = (await c.query('show server_version')).rows[0].server_version;
    await c.end();
  }
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model ?? 'unknown',
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    sqlite: sqliteVersion,
    postgres: postgresVersion,
    loadAverageAtStart: loadAverage(),
  };
}
