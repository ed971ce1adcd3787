#!/usr/bin/env node
// `npm start`: build the web app if it is missing or stale, then run the server (API + web app).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ensureWebBuild } from './web-build.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
if (!process.env.LTC_WEB_DIR && ensureWebBuild() !== 0)
  console.warn('web app: the build failed; the server starts with the API only (see the errors above).');

const require = createRequire(path.join(root, 'package.json'));
const tsxCli = path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'cli.mjs');
const child = spawn(process.execPath, [tsxCli, path.join(root, 'apps/server/src/main.ts'), ...process.argv.slice(2)], {
  cwd: process.cwd(),
  stdio: 'inherit',
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
