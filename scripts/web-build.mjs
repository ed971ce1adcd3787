// Builds the web app (apps/web → apps/web/dist) when the build is missing or older than its sources.
// Used by `npm start` and by the test command (the browser test needs a current build).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const web = path.join(root, 'apps/web');
const dist = path.join(web, 'dist', 'index.html');
const SOURCES = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json', 'tsconfig.json'];

function newestMtime(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const e of fs.readdirSync(p)) max = Math.max(max, newestMtime(path.join(p, e)));
  return max;
}

export function webBuildIsStale() {
  if (!fs.existsSync(dist)) return true;
  const built = fs.statSync(dist).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(web, s)) > built);
}

/** Runs `vite build` in apps/web if needed. Returns 0 on success (or nothing to do). */
export function ensureWebBuild({ force = false } = {}) {
  if (!fs.existsSync(path.join(web, 'package.json'))) return 0;
  if (!force && !webBuildIsStale()) return 0;
  const require = createRequire(path.join(web, 'package.json'));
  let viteBin;
  try {
    viteBin = path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  } catch {
    console.error('web app: vite is not installed (run npm install)');
    return 1;
  }
  console.log('web app: building apps/web …');
  const started = Date.now();
  // Always a production build: called from the test runner (NODE_ENV=test) vite would bundle React's
  // development build (StrictMode mounting every page twice, its checks on every render), and the
  // benchmark, which reuses a current build, would measure that.
  const r = spawnSync(process.execPath, [viteBin, 'build', '--logLevel', 'warn'], {
    cwd: web,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status === 0) console.log(`web app: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return r.status ?? 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  process.exit(ensureWebBuild({ force: process.argv.includes('--force') }));
}
