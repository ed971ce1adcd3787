import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '@openltc/db';
import { createLead, createUser, SYSTEM, type Ctx } from '@openltc/core';
import { buildApp } from '@openltc/server/app';
import { loadConfig } from '@openltc/server/config';
import { freePort, startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';

/**
 * The `ltc` command line and the server entry point, run as real child processes against a
 * temporary SQLite data folder, exactly as an operator runs them.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = 'apps/server/src/cli.ts';

let dir: string;
let env: NodeJS.ProcessEnv;

function baseEnv(dataDir: string): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, LTC_DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_NO_WARNINGS: '1' };
  for (const k of ['DATABASE_URL', 'SMTP_URL', 'PORT', 'HOST', 'LTC_WORKER', 'SESSION_SECRET']) delete e[k];
  return e;
}

function ltc(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CLI, ...args],
      { cwd: ROOT, env: { ...env, ...extraEnv }, timeout: 20_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

/** Starts a long-running process; resolves its exit code when stopped with SIGTERM. */
function launch(args: string[], extraEnv: NodeJS.ProcessEnv) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return {
    output: () => out,
    async stop(): Promise<number | null> {
      child.kill('SIGTERM');
      const code = await exited;
      clearTimeout(killer);
      return code;
    },
  };
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('ltc command line (SQLite)', () => {
  let handle: DatabaseHandle;
  let smtp: SmtpSink;
  const ctx = (): Ctx => ({ db: handle.db, dialect: handle.dialect, user: SYSTEM, requestId: null });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ltc-cli-'));
    env = baseEnv(dir);
    smtp = await startSmtpSink();
  });
  afterAll(async () => {
    await handle?.close();
    await smtp.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('migrate creates the database in LTC_DATA_DIR', async () => {
    const r = await ltc(['migrate']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.trim()).toBe(`database is up to date (sqlite ${path.join(dir, 'openltc.db')})`);
    handle = createDatabase({ dataDir: dir });
    const applied = await handle.db.withoutPlugins().selectFrom('schema_migrations' as any).select('name' as any).execute();
    expect(applied.length).toBeGreaterThan(0);
  });

  it('user create makes a user, and explains bad input with exit code 1', async () => {
    const r = await ltc(['user', 'create', '--email', 'Admin@Example.com', '--name', '管理员', '--password', 'correct horse battery']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^created admin admin@example\.com \(usr_\w+\)\n$/);
    const u = await handle.db.selectFrom('users').select(['name', 'role', 'locale']).where('email', '=', 'admin@example.com').executeTakeFirstOrThrow();
    expect(u).toEqual({ name: '管理员', role: 'admin', locale: 'zh-CN' });

    const [badRole, shortPw, taken] = await Promise.all([
      ltc(['user', 'create', '--email', 'x@example.com', '--name', 'X', '--password', 'long enough pw', '--role', 'boss']),
      ltc(['user', 'create', '--email', 'y@example.com', '--name', 'Y', '--password', 'short', '--role', 'sales_rep']),
      ltc(['user', 'create', '--email', 'admin@example.com', '--name', 'Again', '--password', 'long enough pw']),
    ]);
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toContain('role must be one of admin, marketing, sales_rep, sales_manager, legal, operations, finance, viewer');
    expect(shortPw.code).toBe(1);
    expect(shortPw.stderr.trim()).toBe('password: at least 8 characters');
    expect(taken.code).toBe(1);
    expect(taken.stderr.trim()).toBe('a user with email admin@example.com already exists');
    for (const r2 of [badRole, shortPw, taken]) expect(r2.stderr).not.toMatch(/\n\s+at /); // no stack traces
    const emails = (await handle.db.selectFrom('users').select('email').execute()).map((x) => x.email);
    expect(emails).toEqual(['admin@example.com']);
  });

  it('token create prints a token that authenticates against the same database', async () => {
    const [r, nobody] = await Promise.all([
      ltc(['token', 'create', '--email', 'ADMIN@example.com', '--name', 'ci']),
      ltc(['token', 'create', '--email', 'nobody@example.com']),
    ]);
    expect(r.code).toBe(0);
    const token = r.stdout.trim();
    expect(token).toMatch(/^ltc_\S{20,}$/);

    const app = await buildApp({ handle, config: loadConfig({ LTC_DATA_DIR: dir, LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv), logger: false });
    try {
      const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
      expect(me.statusCode).toBe(200);
      expect(me.json().user).toMatchObject({ email: 'admin@example.com', name: '管理员', role: 'admin', via: 'token' });
      const forged = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}x` } });
      expect(forged.statusCode).toBe(401);
    } finally {
      await app.close();
    }

    expect(nobody.code).toBe(1);
    expect(nobody.stderr.trim()).toBe('user with email nobody@example.com does not exist or is not visible to you');
    expect(nobody.stdout).toBe('');
  });

  it('backup copies the open database into a valid SQLite file', async () => {
    // The source stays open here, with a write just before the backup.
    await handle.db.updateTable('users').set({ locale: 'en' }).where('email', '=', 'admin@example.com').execute();
    const file = path.join(dir, 'backups', 'copy.db');
    const r = await ltc(['backup', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^backed up \\d+ pages to ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n$`));
    const copy = new SQLite(file, { readonly: true, fileMustExist: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.prepare('select email, locale from users').all()).toEqual([{ email: 'admin@example.com', locale: 'en' }]);
      expect((copy.prepare('select count(*) as n from api_tokens').get() as { n: number }).n).toBe(1);
    } finally {
      copy.close();
    }
  });

  it('ltc worker sends queued email and stops cleanly on SIGTERM', async () => {
    const rep = await createUser(ctx(), { email: 'rep@example.com', name: '李雷', password: 'correct horse battery', role: 'sales_rep' });
    const lead = await createLead(ctx(), { name: 'CLI Lead', company: '命令行公司', ownerId: rep.id });
    const worker = launch([CLI, 'worker'], { SMTP_URL: smtp.url, MAIL_FROM: 'OpenLTC <ltc@example.com>' });
    const [m] = await smtp.waitFor(1, 15_000).catch((e) => {
      throw new Error(`${e.message}; worker said: ${worker.output()}`);
    });
    expect(m!.envelopeTo).toEqual(['rep@example.com']);
    expect(m!.subject).toBe('新线索分配给您：CLI Lead (命令行公司) / New lead assigned to you: CLI Lead (命令行公司)');
    expect(m!.text).toContain(`/leads/${lead.id}`);
    await until('the job to be done', async () =>
      (await handle.db.selectFrom('jobs').select('status').executeTakeFirst())?.status === 'done',
    );
    expect(await worker.stop()).toBe(0);
    expect(worker.output()).toMatch(/worker wrk_\w+ running on sqlite/);
  });

  it('the server runs the worker in-process unless LTC_WORKER=off', async () => {
    const rep = await handle.db.selectFrom('users').select('id').where('email', '=', 'rep@example.com').executeTakeFirstOrThrow();
    await createLead(ctx(), { name: 'Server Lead', ownerId: rep.id });
    const port = await freePort();
    const server = launch(['apps/server/src/main.ts'], { PORT: String(port), HOST: '127.0.0.1', SMTP_URL: smtp.url });
    try {
      const health = await until('the server to answer', async () => {
        const r = await fetch(`http://127.0.0.1:${port}/api/health`);
        return r.ok ? r.json() : undefined;
      });
      expect(health).toMatchObject({ status: 'ok', database: 'sqlite' });
      const all = await smtp.waitFor(2, 15_000);
      expect(all[1]!.subject).toContain('Server Lead');
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(loadConfig({ LTC_WORKER: 'off' } as NodeJS.ProcessEnv).worker).toBe(false);
    expect(loadConfig({} as NodeJS.ProcessEnv).worker).toBe(true);
  });
});

describe('ltc money commands on the demo company', () => {
  let demoDir: string;
  beforeAll(() => {
    demoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ltc-cli-demo-'));
  });
  afterAll(() => fs.rmSync(demoDir, { recursive: true, force: true }));
  const run = (args: string[]) => ltc(args, { LTC_DATA_DIR: demoDir });

  it('loads the demo, reconciles the books, prints aging and the trial balance, and dunning twice creates nothing twice', async () => {
    const demo = await run(['demo', '--leads', '150']);
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toContain('demo1234');

    const rec = await run(['ledger', 'reconcile']);
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.stdout).toContain('reconciled: every difference is 0');

    const tb = await run(['ledger', 'trial-balance']);
    const total = tb.stdout.split('\n').find((l) => l.trim().startsWith('total'))!;
    const [debit, credit] = total.trim().split(/\s+/).slice(1, 3);
    expect(debit).toBe(credit);

    const aging = await run(['aging']);
    expect(aging.code, aging.stderr).toBe(0);
    expect(aging.stdout).toMatch(/over 90 days past due/);

    const first = await run(['dunning']);
    const second = await run(['dunning']);
    expect(first.code, first.stderr).toBe(0);
    expect(second.stdout).toMatch(/: 0 new notice\(s\)/);

    const csv = await run(['ledger', 'export', '--format', 'csv']);
    expect(csv.stdout.split('\n')[0]).toMatch(/^date,entry_id,line_no,account_code/);
    expect((await run(['ledger', 'export', '--from', '2026-13-01'])).code).toBe(1);
  }, 90_000);
});
