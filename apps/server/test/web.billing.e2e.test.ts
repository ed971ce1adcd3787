// Invoice requests (开票申请) in a real browser: a sales rep asks for an invoice from the order page,
// finance approves it from the request page, and the invoice it made is issued with a number.
// Debian's Chromium driven by playwright-core against the real server (built web app, SQLite).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import type { DatabaseHandle } from '@openltc/db';
import { createAccount, createOrder, createTeam, createUser, SYSTEM, transitionOrder } from '@openltc/core';
import { buildApp } from '@openltc/server/app';
import { loadConfig } from '@openltc/server/config';
import { openDatabase } from '@openltc/server/runtime';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(import.meta.dirname, '../../..');
const WEB_DIST = path.join(ROOT, 'apps/web/dist');
const haveChromium = fs.existsSync(CHROMIUM);
const PW = 'correct horse battery';

describe.skipIf(!haveChromium && !process.env.CI)('invoice requests in Chromium', () => {
  let dir: string;
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  let base: string;
  let orderId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) throw new Error('apps/web/dist is missing: run `node scripts/web-build.mjs` (npm test does it for you)');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ltc-web-billing-'));
    const cfg = loadConfig({ LTC_DATA_DIR: dir, LTC_WEB_DIR: WEB_DIST, LTC_WORKER: 'off', LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0' } as NodeJS.ProcessEnv);
    handle = await openDatabase(cfg);
    app = await buildApp({ handle, config: cfg, logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no port');
    base = `http://127.0.0.1:${addr.port}`;
    // The data: the East team's rep owns a confirmed order; finance decides invoice requests.
    const sys = { db: handle.db, dialect: handle.dialect, user: SYSTEM, requestId: 'e2e' };
    await createUser(sys, { email: 'admin@example.com', name: 'Ada Admin', password: PW, role: 'admin', teamId: null });
    const east = await createTeam(sys, 'East 华东');
    const rep = await createUser(sys, { email: 'rep@example.com', name: 'Rep Li', password: PW, role: 'sales_rep', teamId: east.id });
    await createUser(sys, { email: 'fin@example.com', name: 'Fin Qian', password: PW, role: 'finance', teamId: null });
    const account = await createAccount(sys, { name: '苏州开票客户有限公司', ownerId: rep.id });
    const order = await createOrder(sys, { accountId: account.id, lines: [{ description: '软件许可 Licence', quantity: '4', unitPriceMinor: 250_000, taxRate: '0.06' }] });
    // An order made by operations for the rep's deal: owned by the rep and the East team.
    await handle.db.updateTable('orders').set({ ownerId: rep.id, teamId: east.id }).where('id', '=', order.id).execute();
    await transitionOrder(sys, order.id, 'confirm');
    orderId = order.id;
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await app?.close();
    await handle?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function signedIn(email: string): Promise<Page> {
    const { chromium } = await import('playwright-core');
    const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(dir, 'profile-')), {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      locale: 'en-US',
      viewport: { width: 1360, height: 900 },
      timezoneId: 'Asia/Shanghai',
    });
    contexts.push(ctx);
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.setDefaultTimeout(15_000);
    expect((await page.request.post(`${base}/api/v1/auth/login`, { data: { email, password: PW } })).status()).toBe(200);
    return page;
  }

  /** The status tag next to the page title (the thread card shows tags of its own). */
  const headerStatus = (page: Page) => page.locator('xpath=//h3/ancestor::div[contains(concat(" ", @class, " "), " ant-space ")][1]//*[@data-status]');

  it('a rep requests an invoice, finance approves it, the invoice appears issued', async () => {
    // The rep, on the order: Request invoice → title data → Send to finance.
    const rep = await signedIn('rep@example.com');
    await rep.goto(`${base}/orders/${orderId}`);
    await rep.getByRole('button', { name: 'Request invoice' }).click();
    const dialog = rep.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByLabel('Quantity 1').fill('3');
    await dialog.locator('#buyerName').fill('苏州开票客户有限公司');
    await dialog.locator('#buyerTaxId').fill('91320500MA1E2E0001');
    await dialog.locator('#buyerAddressPhone').fill('苏州市工业园区星湖街 1 号 0512-66666666');
    await dialog.locator('#buyerBankAccount').fill('中国银行苏州分行 5301 0000 0001');
    await dialog.getByRole('button', { name: 'Send to finance' }).click();
    await expect.poll(() => rep.url()).toMatch(/\/invoice-requests\/irq_[0-9A-Z]+$/);
    await expect.poll(() => headerStatus(rep).getAttribute('data-status')).toBe('pending');
    const requestUrl = rep.url();
    // The rep may not approve: the button is not offered.
    expect(await rep.getByRole('button', { name: 'Approve and issue' }).count()).toBe(0);

    // Finance, on the request: Approve and issue.
    const fin = await signedIn('fin@example.com');
    await fin.goto(requestUrl);
    await fin.getByRole('button', { name: 'Approve and issue' }).click();
    await expect.poll(() => headerStatus(fin).getAttribute('data-status')).toBe('approved');
    const invoiceLink = fin.getByTestId('request-invoice');
    await expect.poll(() => invoiceLink.textContent()).toMatch(/^INV-\d{4}-\d{6}$/);
    const number = await invoiceLink.textContent();
    await invoiceLink.click();
    await expect.poll(() => fin.url()).toMatch(/\/invoices\/inv_[0-9A-Z]+$/);
    await expect.poll(() => headerStatus(fin).getAttribute('data-status')).toBe('issued');
    await expect.poll(() => fin.locator('h3').first().textContent()).toContain(number!);
    // 3 of 4 licences: ¥7,500.00 + 6 % VAT = ¥7,950.00, and the rep sees the request approved.
    await rep.reload();
    await expect.poll(() => headerStatus(rep).getAttribute('data-status')).toBe('approved');
    await expect.poll(async () => (await rep.getByTestId('request-invoice').textContent()) ?? '').toBe(number);
  }, 40_000);
});
