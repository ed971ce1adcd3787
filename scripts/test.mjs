#!/usr/bin/env node
// The whole test suite, as `npm test` runs it: typecheck, lint, then every test on SQLite and on
// a throwaway PostgreSQL cluster that this script starts on 127.0.0.1 and removes afterwards.
// Set LTC_TEST_PG_URL to use a PostgreSQL server of your own instead. In CI PostgreSQL is required.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startPostgres } from './pg-cluster.mjs';
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
