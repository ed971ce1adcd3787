// Invoice requests (开票申请) in a real browser: a sales rep asks for an invoice from the order page,
// finance approves it from the request page, and the invoice it made is issued with a number.
// Debian's Chromium driven by playwright-core against the real server (built web app, SQLite).
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createAccount, createOrder, createTeam, createUser, SYSTEM, transitionOrder } from '@openltc/core';
import { describeBrowser, useBrowserHarness } from './support/browser.ts';

const PW = 'correct horse battery';

describeBrowser('invoice requests in Chromium', () => {
  let orderId: string;
  const web = useBrowserHarness({
    name: 'billing',
    seed: async () => {
      // The data: the East team's rep owns a confirmed order; finance decides invoice requests.
      const sys = { db: web.handle.db, dialect: web.handle.dialect, user: SYSTEM, requestId: 'e2e' };
      await createUser(sys, {
        email: 'admin@example.com',
        name: 'Ada Admin',
        password: PW,
        role: 'admin',
        teamId: null,
      });
      const east = await createTeam(sys, 'East 华东');
      const rep = await createUser(sys, {
        email: 'rep@example.com',
        name: 'Rep Li',
        password: PW,
        role: 'sales_rep',
        teamId: east.id,
      });
      await createUser(sys, {
        email: 'fin@example.com',
        name: 'Fin Qian',
        password: PW,
        role: 'finance',
        teamId: null,
      });
      const account = await createAccount(sys, { name: '苏州开票客户有限公司', ownerId: rep.id });
      const order = await createOrder(sys, {
        accountId: account.id,
        lines: [{ description: '软件许可 Licence', quantity: '4', unitPriceMinor: 250_000, taxRate: '0.06' }],
      });
      // An order made by operations for the rep's deal: owned by the rep and the East team.
      await web.handle.db
        .updateTable('orders')
        .set({ ownerId: rep.id, teamId: east.id })
        .where('id', '=', order.id)
        .execute();
      await transitionOrder(sys, order.id, 'confirm');
      orderId = order.id;
    },
  });

  const signedIn = (email: string): Promise<Page> =>
    web.newPage({ viewport: { width: 1360, height: 900 }, login: { email, password: PW } });

  /** The status tag next to the page title (the thread card shows tags of its own). */
  const headerStatus = (page: Page) =>
    page.locator(
      'xpath=//h3/ancestor::div[contains(concat(" ", @class, " "), " ant-space ")][1]//*[@data-status]',
    );

  it('a rep requests an invoice, finance approves it, the invoice appears issued', async () => {
    // The rep, on the order: Request invoice → title data → Send to finance.
    const rep = await signedIn('rep@example.com');
    await rep.goto(`${web.base}/orders/${orderId}`);
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
    await expect
      .poll(async () => (await rep.getByTestId('request-invoice').textContent()) ?? '')
      .toBe(number);
  }, 40_000);
});
