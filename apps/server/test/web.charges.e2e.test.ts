// Dunning charges in Chromium: finance pays a late fee from a payment's unallocated money on the
// invoice page, and waives another with a reason on the customer page; the API then shows them paid
// and waived.
import { afterEach, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { setClock } from '@openltc/core';
import { describeBrowser, useBrowserHarness } from './support/browser.ts';

const ADMIN = { name: 'Ada Admin', email: 'admin@example.com', password: 'change-me-now' };

describeBrowser('dunning charges: pay and waive in Chromium', () => {
  const web = useBrowserHarness({ name: 'charges' });
  afterEach(() => setClock(null));

  it('pays a charge from a payment on the invoice page and waives the unpaid rest of a partly paid one on the customer page', async () => {
    const page: Page = await web.newPage({ viewport: { width: 1440, height: 900 } });
    const api = async (method: 'post' | 'get', url: string, data?: unknown) => {
      const r = await page.request[method](web.base + url, data === undefined ? {} : { data });
      if (r.status() >= 300) throw new Error(`${method} ${url} → ${r.status()} ${await r.text()}`);
      return r.json();
    };
    await api('post', '/api/v1/setup', { admin: ADMIN });
    await api('post', '/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password });
    const account = await api('post', '/api/v1/accounts', { name: '无锡滞纳客户有限公司' });
    // Two ¥1,000.00 invoices issued on 1 Jan 2026, due on 11 Jan; dunned on 12 and 27 Jan: a ¥50.00 fee each.
    const invoices = [];
    setClock(() => new Date('2026-01-01T04:00:00Z'));
    for (const n of [1, 2]) {
      const o = await api('post', '/api/v1/orders', { accountId: account.id, lines: [{ description: `Service ${n}`, quantity: '1', unitPriceMinor: 100_000, taxCode: 'VAT0' }] });
      await api('post', `/api/v1/orders/${o.id}/confirm`, {});
      const draft = await api('post', `/api/v1/orders/${o.id}/invoices`, { paymentTermsDays: 10 });
      invoices.push(await api('post', `/api/v1/invoices/${draft.id}/issue`, {}));
    }
    setClock(null);
    await api('post', '/api/v1/collections/runs', { runDate: '2026-01-12' });
    await api('post', '/api/v1/collections/runs', { runDate: '2026-01-27' });
    const [c1] = (await api('get', `/api/v1/dunning-charges?invoiceId=${invoices[0].id}`)).items;
    const [c2] = (await api('get', `/api/v1/dunning-charges?invoiceId=${invoices[1].id}`)).items;
    expect([c1.totalMinor, c2.totalMinor]).toEqual([5_000, 5_000]);
    const payment = await api('post', '/api/v1/payments', { accountId: account.id, amountMinor: 5_000, currency: 'CNY', receivedOn: '2026-01-28', method: 'bank_transfer' });

    // The invoice page: Pay → choose the payment (the amount is proposed) → the charge is paid.
    await page.goto(`${web.base}/invoices/${invoices[0].id}`);
    await page.getByTestId(`pay-charge-${c1.number}`).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('#paymentId').click({ force: true });
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: payment.number }).first().click();
    expect(await dialog.locator('#amount').inputValue()).toBe('50.00');
    await dialog.getByRole('button', { name: 'Pay' }).click();
    await page.getByTestId('dunning-charges').getByText('Paid', { exact: true }).waitFor();
    expect((await api('get', `/api/v1/dunning-charges?invoiceId=${invoices[0].id}`)).items[0]).toMatchObject({ status: 'paid', outstandingMinor: 0 });

    // The customer page: ¥20.00 of the other charge paid; Waive rest → a reason → the unpaid ¥30.00
    // waived (no more actions on it), shown as paid and waived.
    const part = await api('post', '/api/v1/payments', { accountId: account.id, amountMinor: 2_000, currency: 'CNY', receivedOn: '2026-01-28', method: 'bank_transfer' });
    await api('post', `/api/v1/payments/${part.id}/charge-allocations`, { allocations: [{ chargeId: c2.id, amountMinor: 2_000 }] });
    await page.goto(`${web.base}/accounts/${account.id}`);
    await expect.poll(() => page.getByTestId(`waive-charge-${c2.number}`).textContent()).toBe('Waive rest');
    await page.getByTestId(`waive-charge-${c2.number}`).click();
    await page.getByRole('dialog').getByText(`Waive the unpaid CN¥30.00 of charge ${c2.number} (CN¥20.00 paid)`).waitFor();
    await page.getByRole('dialog').locator('#reason').fill('首次逾期，免除滞纳金余额');
    await web.shot(page, 'charge-waive-rest-en');
    await page.getByRole('dialog').getByRole('button', { name: 'Waive rest' }).click();
    await page.getByTestId('dunning-charges').getByText('Waived', { exact: true }).waitFor();
    expect(await page.getByTestId(`charge-waived-rest-${c2.number}`).textContent()).toBe("CN¥20.00 paid, CN¥30.00 waived");
    expect(await page.getByTestId(`waive-charge-${c2.number}`).count()).toBe(0);
    await web.shot(page, 'charge-waived-rest-en');
    expect((await api('get', `/api/v1/dunning-charges?invoiceId=${invoices[1].id}`)).items[0]).toMatchObject({
      status: 'waived',
      waiveReason: '首次逾期，免除滞纳金余额',
      paidMinor: 2_000,
      waivedMinor: 3_000,
      outstandingMinor: 0,
    });
  });
});
