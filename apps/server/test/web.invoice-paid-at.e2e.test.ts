// The invoice page in Chromium shows when a paid invoice was paid in full (migration 019's paid_at),
// and nothing of the kind on an invoice that is not (or no longer) paid.
import { afterEach, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { setClock } from '@openltc/core';
import { describeBrowser, useBrowserHarness } from './support/browser.ts';

const ADMIN = { name: 'Ada Admin', email: 'admin@example.com', password: 'change-me-now' };

describeBrowser('invoice paid date in Chromium', () => {
  const web = useBrowserHarness({ name: 'invoice-paid-at' });
  afterEach(() => setClock(null));

  it('shows "Paid in full" with the instant once paid, and drops it when the payment is reversed', async () => {
    const page: Page = await web.newPage({ viewport: { width: 1440, height: 900 } });
    const api = async (method: 'post' | 'get', url: string, data?: unknown) => {
      const r = await page.request[method](web.base + url, data === undefined ? {} : { data });
      if (r.status() >= 300) throw new Error(`${method} ${url} → ${r.status()} ${await r.text()}`);
      return r.json();
    };
    await api('post', '/api/v1/setup', { admin: ADMIN });
    await api('post', '/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password });
    const account = await api('post', '/api/v1/accounts', { name: '苏州结清客户有限公司' });
    setClock(() => new Date('2026-02-01T04:00:00Z'));
    const o = await api('post', '/api/v1/orders', { accountId: account.id, lines: [{ description: 'Service', quantity: '1', unitPriceMinor: 100_000, taxCode: 'VAT0' }] });
    await api('post', `/api/v1/orders/${o.id}/confirm`, {});
    const draft = await api('post', `/api/v1/orders/${o.id}/invoices`, {});
    const invoice = await api('post', `/api/v1/invoices/${draft.id}/issue`, {});
    setClock(() => new Date('2026-02-10T03:00:00Z'));
    const payment = await api('post', '/api/v1/payments', {
      accountId: account.id, amountMinor: 100_000, currency: 'CNY', receivedOn: '2026-02-10', method: 'bank_transfer',
      allocations: [{ invoiceId: invoice.id, amountMinor: 100_000 }],
    });
    setClock(null);
    expect((await api('get', `/api/v1/invoices/${invoice.id}`)).paidAt).toBe('2026-02-10T03:00:00.000Z');

    await page.goto(`${web.base}/invoices/${invoice.id}`);
    const fact = page.getByText('Paid in full', { exact: true });
    await fact.waitFor();
    // The instant is shown in the viewer's format; the day is there whatever the time zone.
    expect(await page.locator('.ant-descriptions').first().textContent()).toMatch(/2026.?0?2.?10|Feb(ruary)? 10|10 Feb/);

    await api('post', `/api/v1/payments/${payment.id}/reverse`, { reason: '银行退票 Returned by the bank' });
    expect((await api('get', `/api/v1/invoices/${invoice.id}`)).paidAt).toBeNull();
    await page.reload();
    await page.getByText('Outstanding', { exact: true }).first().waitFor();
    expect(await page.getByText('Paid in full', { exact: true }).count()).toBe(0);
  });
});
