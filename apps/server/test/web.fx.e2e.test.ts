// Settings → FX rates, the payment page's realised FX and the invoice page's dunning charges, in
// Debian's Chromium against the real server (built web app, SQLite in a temp folder).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import type { DatabaseHandle } from '@openltc/db';
import { setClock } from '@openltc/core';
import { buildApp } from '@openltc/server/app';
import { loadConfig } from '@openltc/server/config';
import { openDatabase } from '@openltc/server/runtime';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(import.meta.dirname, '../../..');
const WEB_DIST = path.join(ROOT, 'apps/web/dist');
const haveChromium = fs.existsSync(CHROMIUM);
const ADMIN = { name: 'Ada Admin', email: 'admin@example.com', password: 'change-me-now' };

describe.skipIf(!haveChromium && !process.env.CI)('FX rates, realised FX and dunning charges in Chromium', () => {
  let dir: string;
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  let base: string;
  let admin = '';
  const contexts: BrowserContext[] = [];

  async function call(method: string, url: string, body?: unknown) {
    const res = await app.inject({ method: method as any, url, headers: { cookie: admin, ...(body ? { 'content-type': 'application/json' } : {}) }, payload: body ? JSON.stringify(body) : undefined });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  }

  beforeAll(async () => {
    if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) throw new Error('apps/web/dist is missing: run `node scripts/web-build.mjs` (npm test does it for you)');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ltc-web-fx-'));
    const cfg = loadConfig({ LTC_DATA_DIR: dir, LTC_WEB_DIR: WEB_DIST, LTC_WORKER: 'off', LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0' } as NodeJS.ProcessEnv);
    handle = await openDatabase(cfg);
    app = await buildApp({ handle, config: cfg, logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no port');
    base = `http://127.0.0.1:${addr.port}`;
    expect((await app.inject({ method: 'POST', url: '/api/v1/setup', payload: { admin: ADMIN } })).statusCode).toBe(201);
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: ADMIN.email, password: ADMIN.password } });
    admin = String(res.headers['set-cookie']).split(';')[0]!;
  });

  afterAll(async () => {
    setClock(null);
    for (const c of contexts) await c.close().catch(() => undefined);
    await app?.close();
    await handle?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function pageAs(locale: string): Promise<Page> {
    const { chromium } = await import('playwright-core');
    const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(dir, 'profile-')), {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      locale,
      viewport: { width: 1360, height: 860 },
      timezoneId: 'Asia/Shanghai',
    });
    contexts.push(ctx);
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    (page as any).errors = errors;
    expect((await page.request.post(`${base}/api/v1/auth/login`, { data: { email: ADMIN.email, password: ADMIN.password } })).status()).toBe(200);
    return page;
  }
  const rates = () => handle.db.selectFrom('fxRates').select(['base', 'quote', 'rate', 'effectiveDate']).orderBy('effectiveDate').orderBy('base').execute();

  it('pastes a block (a bad line refused, nothing saved), adds a rate, filters by pair; shows realised FX on a payment and dunning charges on an invoice', async () => {
    const page = await pageAs('en-US');
    await page.goto(`${base}/settings?tab=fx-rates`);
    const screen = page.getByTestId('fx-rates');
    await screen.getByText('No exchange rates yet').waitFor();

    await page.getByTestId('fx-paste').click();
    await page.getByTestId('fx-paste-text').fill('base,quote,rate,date\nUSD,CNY,7.1000,2026-03-01\nEUR,CNY,7,8,2026-03-01');
    await page.getByRole('dialog').getByRole('button', { name: 'Import' }).click();
    await page.getByRole('dialog').getByText('text.line3.effectiveDate').waitFor();
    expect(await rates()).toEqual([]);
    await page.getByTestId('fx-paste-text').fill('base,quote,rate,date\nUSD,CNY,7.1000,2026-03-01\nEUR,CNY,7.8,2026-03-01');
    await page.getByRole('dialog').getByRole('button', { name: 'Import' }).click();
    await page.getByText('2 created, 0 updated, 0 unchanged').waitFor();
    await screen.getByTestId('fx-rate-USD-CNY-2026-03-01').getByText('7.1').waitFor();

    await page.getByTestId('fx-add').click();
    await page.getByTestId('fx-base').fill('usd');
    await page.getByTestId('fx-rate-input').fill('7.2000');
    await page.getByTestId('fx-date').click();
    await page.getByTestId('fx-date').fill('2026-03-10');
    await page.getByTestId('fx-date').press('Enter');
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await screen.getByTestId('fx-rate-USD-CNY-2026-03-10').getByText('7.2').waitFor();
    expect(await rates()).toEqual([
      { base: 'EUR', quote: 'CNY', rate: '7.8', effectiveDate: '2026-03-01' },
      { base: 'USD', quote: 'CNY', rate: '7.1', effectiveDate: '2026-03-01' },
      { base: 'USD', quote: 'CNY', rate: '7.2', effectiveDate: '2026-03-10' },
    ]);
    await page.getByTestId('fx-pair-filter').fill('CNY/EUR');
    await expect.poll(() => screen.locator('tbody tr.ant-table-row').count()).toBe(1);

    // A USD invoice issued at 7.1 and paid at 7.2: the payment page shows a realised gain of ¥40.00.
    const acc = await call('POST', '/api/v1/accounts', { name: 'Pacific Trading Ltd' });
    const order = await call('POST', '/api/v1/orders', { accountId: acc.id, currency: 'USD', lines: [{ description: 'Licence', quantity: '1', unitPriceMinor: 40_000, taxRate: '0' }] });
    await call('POST', `/api/v1/orders/${order.id}/confirm`, {});
    const draft = await call('POST', `/api/v1/orders/${order.id}/invoices`, { paymentTermsDays: 10 });
    setClock(() => new Date('2026-03-02T04:00:00Z'));
    const inv = await call('POST', `/api/v1/invoices/${draft.id}/issue`, {});
    setClock(null);
    const pay = await call('POST', '/api/v1/payments', { accountId: acc.id, amountMinor: 40_000, currency: 'USD', receivedOn: '2026-03-10', method: 'bank_transfer', allocations: [{ invoiceId: inv.id, amountMinor: 40_000 }] });
    await page.goto(`${base}/payments/${pay.id}`);
    await page.getByText('Realised FX gain').waitFor();
    expect(await page.getByTestId('payment-fx-result').textContent()).toContain('40.00');

    // Another $400.00 invoice still open at the end of March: revalued from this page at the March
    // closing rate 7.2 (booked ¥2,840.00 at 7.1, ¥2,880.00 at the closing rate: net gain ¥40.00).
    const o3 = await call('POST', '/api/v1/orders', { accountId: acc.id, currency: 'USD', lines: [{ description: 'Licence', quantity: '1', unitPriceMinor: 40_000, taxRate: '0' }] });
    await call('POST', `/api/v1/orders/${o3.id}/confirm`, {});
    const d3 = await call('POST', `/api/v1/orders/${o3.id}/invoices`, { paymentTermsDays: 30 });
    setClock(() => new Date('2026-03-02T04:00:00Z'));
    await call('POST', `/api/v1/invoices/${d3.id}/issue`, {});
    setClock(null);
    await page.goto(`${base}/settings?tab=fx-rates`);
    await page.getByTestId('fx-revaluations').getByText('No revaluations yet').waitFor();
    await page.getByTestId('fx-revalue').click();
    await page.getByTestId('fx-revalue-period').click();
    await page.getByTestId('fx-revalue-period').fill('2026-03');
    await page.getByTestId('fx-revalue-period').press('Enter');
    await page.getByRole('dialog').getByRole('button', { name: 'Revalue month' }).click();
    await page.getByText('2026-03 revalued: 1 item(s), net').waitFor();
    expect(await page.getByTestId('fx-revaluation-net-2026-03').textContent()).toContain('40.00');

    // An overdue CNY invoice dunned at level 2: its fee shows on the invoice page, in Chinese too.
    const o2 = await call('POST', '/api/v1/orders', { accountId: acc.id, lines: [{ description: 'Service', quantity: '1', unitPriceMinor: 100_000, taxRate: '0' }] });
    await call('POST', `/api/v1/orders/${o2.id}/confirm`, {});
    const d2 = await call('POST', `/api/v1/orders/${o2.id}/invoices`, { paymentTermsDays: 10 });
    setClock(() => new Date('2026-03-01T04:00:00Z'));
    const late = await call('POST', `/api/v1/invoices/${d2.id}/issue`, {});
    setClock(null);
    await call('POST', '/api/v1/collections/runs', { runDate: '2026-03-12' });
    await call('POST', '/api/v1/collections/runs', { runDate: '2026-03-26' });
    await page.goto(`${base}/invoices/${late.id}`);
    const card = page.getByTestId('dunning-charges');
    await card.getByText('Dunning fees and interest').waitFor();
    await card.getByText(/^DC-2026-\d{6}$/).waitFor();
    expect(await card.textContent()).toContain('50.00');
    const zh = await pageAs('zh-CN');
    await zh.goto(`${base}/settings?tab=fx-rates`);
    await zh.getByRole('tab', { name: '汇率' }).waitFor();
    expect([(page as any).errors, (zh as any).errors]).toEqual([[], []]);
  }, 60_000);
});
