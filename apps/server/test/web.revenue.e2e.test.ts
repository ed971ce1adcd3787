// The revenue screens in a real browser (Debian's Chromium through playwright-core, as web.e2e.test.ts):
// finance sees last month's revenue scheduled but not closed, closes it from the Revenue page, and
// the month turns closed with its recognised amount, deferred and unbilled balances; the order page
// shows each obligation's schedule; the Chinese menu names the page.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as core from '@openltc/core';
import { describeBrowser, useBrowserHarness } from './support/browser.ts';

const ADMIN = { name: 'Ada Admin', email: 'admin@example.com', password: 'change-me-now' };
const PW = 'secret-pass-1';

/** "¥1,234.56" as the web app formats minor units in English. */
const yuan = (minor: number) =>
  `¥${(minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

describeBrowser('revenue screens in Chromium', () => {
  const web = useBrowserHarness({ name: 'revenue' });
  let orderId = '';
  let lastMonth = '';

  const call = (cookie: string, method: string, url: string, body?: unknown) =>
    web.call(cookie, method as 'GET', url, body);
  const signIn = (email: string, password: string) => web.signIn(email, password);

  beforeAll(async () => {
    expect(
      (await web.app.inject({ method: 'POST', url: '/api/v1/setup', payload: { admin: ADMIN } })).statusCode,
    ).toBe(201);
    const admin = await signIn(ADMIN.email, ADMIN.password);
    await call(admin, 'POST', '/api/v1/users', {
      email: 'fin@example.com',
      name: 'Fiona Finance',
      password: PW,
      role: 'finance',
      locale: 'en',
    });
    await call(admin, 'POST', '/api/v1/users', {
      email: 'cai@example.com',
      name: '蔡会计',
      password: PW,
      role: 'finance',
      locale: 'zh-CN',
    });
    // Last month: an appliance delivered and a year of support, billed in full.
    const today = core.today();
    lastMonth = core.previousPeriod(today.slice(0, 7));
    const hw = await call(admin, 'POST', '/api/v1/products', {
      sku: 'E2E-HW',
      name: 'Appliance 一体机',
      kind: 'goods',
      unit: '台',
      listPriceMinor: 300_000,
      taxRate: '0.13',
    });
    const sup = await call(admin, 'POST', '/api/v1/products', {
      sku: 'E2E-SUP',
      name: 'Support 支持',
      kind: 'service',
      unit: '年',
      listPriceMinor: 120_000,
      taxRate: '0.06',
    });
    const account = await call(admin, 'POST', '/api/v1/accounts', {
      name: '苏州云帆有限公司',
      currency: 'CNY',
    });
    core.setClock(() => new Date(`${lastMonth}-05T04:00:00Z`));
    try {
      const o = await call(admin, 'POST', '/api/v1/orders', {
        accountId: account.id,
        lines: [
          {
            productId: hw.id,
            description: 'Appliance 一体机',
            quantity: '1',
            unitPriceMinor: 300_000,
            taxRate: '0.13',
          },
          {
            productId: sup.id,
            description: 'Support 支持',
            quantity: '1',
            unitPriceMinor: 100_000,
            taxRate: '0.06',
          },
        ],
      });
      orderId = o.id;
      await call(admin, 'POST', `/api/v1/orders/${o.id}/confirm`, {});
      const d = await call(admin, 'POST', `/api/v1/orders/${o.id}/deliveries`, {
        lines: [{ orderLineId: o.lines[0].id, quantity: '1' }],
      });
      await call(admin, 'POST', `/api/v1/deliveries/${d.id}/deliver`, {});
      const inv = await call(admin, 'POST', `/api/v1/orders/${o.id}/invoices`, {});
      await call(admin, 'POST', `/api/v1/invoices/${inv.id}/issue`, {});
    } finally {
      core.setClock(null);
    }
  });

  afterAll(() => core.setClock(null));

  const pageAs = (email: string, locale: string): Promise<Page> =>
    web.newPage({ locale, login: { email, password: PW } });

  it('finance closes last month from the Revenue page and sees it recognised, with the deferred balance', async () => {
    const page = await pageAs('fin@example.com', 'en-US');
    await page.goto(`${web.base}/finance/revenue?from=${lastMonth}&to=${lastMonth}`);
    const row = page.getByTestId('revenue-table').locator('tr', { hasText: lastMonth });
    await row.getByText('Open').waitFor();
    const fin = await signIn('fin@example.com', PW);
    const before = await call(fin, 'GET', `/api/v1/revenue/report?from=${lastMonth}&to=${lastMonth}`);
    const scheduled = before.byPeriod[0].scheduledMinor;
    expect(scheduled).toBeGreaterThan(0);
    await expect.poll(() => row.textContent()).toContain(yuan(scheduled));

    await page.getByTestId('revenue-close').click();
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    await row.getByText('Closed').waitFor();
    const after = await call(fin, 'GET', `/api/v1/revenue/report?from=${lastMonth}&to=${lastMonth}`);
    const p = after.byPeriod[0];
    expect([p.closed, p.recognisedMinor, p.scheduledMinor]).toEqual([true, scheduled, 0]);
    await expect.poll(() => row.textContent()).toContain(yuan(p.deferredMinor));
    expect(p.deferredMinor).toBe(400_000 - scheduled);
    // Nothing left to close: the button is gone.
    await expect.poll(() => page.getByTestId('revenue-close').count()).toBe(0);
    expect(web.errors(page)).toEqual([]);
  });

  it('operations enter cumulative progress on the order page and the schedule follows', async () => {
    const admin = await signIn(ADMIN.email, ADMIN.password);
    await call(admin, 'POST', '/api/v1/users', {
      email: 'ops@example.com',
      name: 'Oscar Ops',
      password: PW,
      role: 'operations',
      locale: 'en',
    });
    const proj = await call(admin, 'POST', '/api/v1/products', {
      sku: 'E2E-PRJ',
      name: 'Implementation 实施',
      kind: 'service',
      unit: '项',
      listPriceMinor: 500_000,
      revenueMethod: 'percent_complete',
      taxRate: '0.06',
    });
    const account = await call(admin, 'POST', '/api/v1/accounts', {
      name: '无锡智造有限公司',
      currency: 'CNY',
    });
    const o = await call(admin, 'POST', '/api/v1/orders', {
      accountId: account.id,
      lines: [
        {
          productId: proj.id,
          description: 'Implementation 实施',
          quantity: '1',
          unitPriceMinor: 500_000,
          taxRate: '0.06',
        },
      ],
    });
    await call(admin, 'POST', `/api/v1/orders/${o.id}/confirm`, {});
    const page = await pageAs('ops@example.com', 'en-US');
    await page.goto(`${web.base}/orders/${o.id}`);
    const card = page.getByTestId('order-revenue');
    await card.getByTestId('obligation-edit-1').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('progress-input').fill('140');
    await dialog.getByText('A percent from 0 to 100').waitFor();
    await dialog.getByTestId('progress-input').fill('40.5');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved').waitFor();
    // 40.5 % of ¥5,000 = ¥2,025.00, scheduled today (amounts in the table without the sign; the title names CNY)
    await expect.poll(() => card.locator('tr.ant-table-row').first().textContent()).toContain('2,025.00');
    expect(await card.textContent()).toContain('Revenue schedule · CNY');
    const r = await call(admin, 'GET', `/api/v1/orders/${o.id}/revenue`);
    expect(r.obligations[0].progress).toEqual([{ date: core.today(), progress: '0.405' }]);
    expect(r.obligations[0].scheduledMinor).toBe(202_500);
    expect(web.errors(page)).toEqual([]);
  });

  it('the order page shows each obligation with its schedule; the Chinese menu names the page', async () => {
    const page = await pageAs('cai@example.com', 'zh-CN');
    await page.goto(`${web.base}/orders/${orderId}`);
    const card = page.getByTestId('order-revenue');
    await card.getByText('交付时点').waitFor();
    await card.getByText('在服务期内按日分摊', { exact: false }).waitFor();
    await card.locator('.ant-table-row-expand-icon').nth(1).click();
    await card.getByText('已确认').first().waitFor();
    await card.getByText('已排期').first().waitFor();
    await page.getByRole('menuitem', { name: '收入确认' }).click();
    await expect.poll(() => page.url()).toContain('/finance/revenue');
    expect(web.errors(page)).toEqual([]);
  });
});
