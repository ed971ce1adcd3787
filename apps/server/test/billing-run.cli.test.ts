import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@openltc/db';
import { createAccount, createOrder, setSchedule, SYSTEM, transitionOrder, type Ctx } from '@openltc/core';
import { loadConfig } from '@openltc/server/config';
import { openDatabase } from '@openltc/server/runtime';

/**
 * `ltc billing run` as an operator runs it, against a SQLite data folder: a run killed with SIGKILL in
 * the middle (a real process death, not a simulated one) and run again leaves every due item with
 * exactly one invoice and the invoice numbers without a gap; a third run bills nothing.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = 'apps/server/src/cli.ts';
const ORDERS = 40;
const ITEMS = ORDERS * 4;

describe('ltc billing run (SQLite, killed and restarted)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ltc-billing-cli-'));
    env = { ...process.env, LTC_DATA_DIR: dir, LOG_LEVEL: 'silent', NODE_NO_WARNINGS: '1' };
    for (const k of ['DATABASE_URL', 'SMTP_URL', 'PORT', 'HOST', 'LTC_WORKER']) delete env[k];
    handle = await openDatabase(loadConfig(env));
    const ctx: Ctx = { db: handle.db, dialect: handle.dialect, user: SYSTEM, requestId: 'seed' };
    const acc = await createAccount(ctx, { name: '无锡计费客户有限公司' });
    for (let i = 0; i < ORDERS; i++) {
      const o = await createOrder(ctx, { accountId: acc.id, lines: [{ description: `服务 Service ${i}`, quantity: '1', unitPriceMinor: 100_001 + i, taxRate: '0.06' }] });
      await transitionOrder(ctx, o.id, 'confirm');
      await setSchedule(ctx, o.id, { items: ['2026-01-10', '2026-04-10', '2026-07-10', '2026-10-10'].map((billDate, k) => ({ kind: 'payment_plan' as const, description: `第${k + 1}期`, percent: '25', billDate })) });
    }
  }, 60_000);
  afterAll(async () => {
    await handle?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const ltc = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env, timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
      ),
    );

  async function state() {
    const items = await handle.db.selectFrom('billingScheduleItems').select(['id', 'status', 'invoiceId']).execute();
    const invoices = await handle.db.selectFrom('invoices').select(['id', 'number']).where('number', 'is not', null).execute();
    return { items, invoices };
  }

  it('finishes what a killed run left, bills each item once, with gap-free numbers', async () => {
    // 1. Chunks of one item, killed once three chunks have committed.
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'billing', 'run', '--as-of', '2026-12-31', '--chunk-size', '1'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const exited = new Promise<string | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    child.stdout!.on('data', (c) => {
      out += c;
      if (/chunk 3:/.test(out)) child.kill('SIGKILL');
    });
    expect(await exited).toBe('SIGKILL');
    const mid = await state();
    const billedWhenKilled = mid.items.filter((i) => i.status === 'invoiced').length;
    expect(billedWhenKilled).toBeGreaterThanOrEqual(3);
    expect(billedWhenKilled).toBeLessThan(ITEMS);
    expect(mid.invoices.length).toBe(billedWhenKilled);

    // 2. Run again: the rest, and only the rest.
    const again = await ltc(['billing', 'run', '--as-of', '2026-12-31', '--chunk-size', '50']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`completed; ${ITEMS - billedWhenKilled} invoice(s)`);
    const end = await state();
    expect(end.items.every((i) => i.status === 'invoiced' && i.invoiceId)).toBe(true);
    expect(new Set(end.items.map((i) => i.invoiceId)).size).toBe(ITEMS);
    expect(end.invoices.length).toBe(ITEMS);
    const seq = end.invoices.map((i) => Number(i.number!.split('-').at(-1))).sort((a, b) => a - b);
    expect(seq).toEqual(Array.from({ length: ITEMS }, (_, k) => k + 1));
    // The killed run is still `running` in the table (its process died); the finished one completed.
    const runs = await handle.db.selectFrom('billingRuns').selectAll().orderBy('startedAt').execute();
    expect(runs.map((r) => r.status)).toEqual(['running', 'completed']);
    expect(Number(runs[0]!.invoicesCreated)).toBe(billedWhenKilled);

    // 3. Nothing left: a third run bills nothing; a bad date is refused with exit code 1.
    const third = await ltc(['billing', 'run', '--as-of', '2026-12-31']);
    expect(third.stdout).toContain('completed; 0 invoice(s)');
    expect((await ltc(['billing', 'run', '--as-of', '2026-13-01'])).code).toBe(1);
  }, 120_000);
});
