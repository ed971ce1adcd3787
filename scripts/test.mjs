#!/usr/bin/env node
// The whole test suite, as `npm test` runs it: typecheck, lint, then every test on SQLite and on
// a throwaway PostgreSQL cluster that this script starts on 127.0.0.1 and removes afterwards.
// Set LTC_TEST_PG_URL to use a PostgreSQL server of your own instead. In CI PostgreSQL is required.
import { spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { ensureWebBuild } from './web-build.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick'); // skip typecheck and lint
const vitestArgs = args.filter((a) => a !== '--quick');

function run(cmd, cmdArgs, env = process.env) {
  console.log(`\n$ ${cmd} ${cmdArgs.join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', cwd: root, env });
  return r.status ?? 1;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function findPgBin() {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return null;
  const versions = fs.readdirSync(base).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = path.join(base, v, 'bin');
    if (fs.existsSync(path.join(bin, 'initdb'))) return bin;
  }
  return null;
}

async function startPostgres() {
  const bin = findPgBin();
  if (!bin) return null;
  const isRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ltc-pg-'));
  const data = path.join(dir, 'data');
  const sock = path.join(dir, 'sock');
  fs.mkdirSync(sock);
  // PostgreSQL refuses to run as root: run it as the postgres system user that Debian's package creates.
  const as = (cmd, a) => (isRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...a]] : [path.join(bin, cmd), a]);
  if (isRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const port = await freePort();
  const [c1, a1] = as('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  execFileSync(c1, a1, { stdio: 'ignore' });
  const opts = `-p ${port} -k ${sock} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const [c2, a2] = as('pg_ctl', ['-D', data, '-o', opts, '-l', path.join(dir, 'log'), '-w', 'start']);
  execFileSync(c2, a2, { stdio: 'ignore' });
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      const [c3, a3] = as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      try {
        execFileSync(c3, a3, { stdio: 'ignore' });
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

let pg = null;
let code = 0;
try {
  if (!quick) {
    code =
      run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']) ||
      run('npx', ['tsc', '-p', 'apps/web/tsconfig.json', '--noEmit']) ||
      run('npx', ['eslint', '.']);
    if (code) {
      console.log('\nTests: 0 passed, 1 failed (typecheck or lint)');
      process.exit(code);
    }
  }
  const env = { ...process.env, TZ: 'UTC' };
  if (!env.LTC_TEST_PG_URL) {
    pg = await startPostgres();
    if (pg) env.LTC_TEST_PG_URL = pg.url;
    else if (process.env.CI) {
      console.error('PostgreSQL is required in CI (install the Debian package postgresql).');
      process.exit(1);
    } else console.warn('\n! PostgreSQL not found: running the suite on SQLite only (install postgresql to run both).');
  }
  console.log(`databases: sqlite${env.LTC_TEST_PG_URL ? ' + postgres' : ''}`);
  // The browser test serves apps/web/dist: build it first when it is missing or stale.
  if (ensureWebBuild() !== 0) {
    console.log('\nTests: 0 passed, 1 failed (web app build)');
    code = 1;
  } else code = run('npx', ['vitest', 'run', ...vitestArgs], env);
} finally {
  pg?.stop();
}
process.exit(code);
