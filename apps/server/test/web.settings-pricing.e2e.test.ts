// Settings → Tax codes and Settings → Price books in Chromium, then a quote priced with them:
// a new tax code, a default price book with graduated tiers, and a quote with a tiered line, a line
// under the new code and a document discount, checking the totals the page shows.
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeBrowser, useBrowserHarness } from './support/browser.ts';

const ADMIN = { name: 'Ada Admin', email: 'admin@example.com', password: 'change-me-now' };

describeBrowser('settings: tax codes and price books in Chromium', () => {
  const web = useBrowserHarness({ name: 'pricing' });
  const newPage = (): Promise<Page> => web.newPage({ viewport: { width: 1360, height: 900 } });

  /** Picks an option of the antd Select whose input has this id (typing to search when asked). */
  async function choose(page: Page, id: string, option: string, search?: string) {
    await page.locator(`#${id}`).click({ force: true });
    if (search) await page.locator(`#${id}`).fill(search);
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: option })
      .first()
      .click();
  }

  it('creates a tax code and a tiered price book, then builds a quote with them and shows exact totals', async () => {
    const page = await newPage();
    const api = async (method: 'post' | 'get', url: string, data?: unknown) => {
      const r = await page.request[method](web.base + url, data === undefined ? {} : { data });
      if (r.status() >= 300) throw new Error(`${method} ${url} → ${r.status()} ${await r.text()}`);
      return r.json();
    };
    await api('post', '/api/v1/setup', { admin: ADMIN });
    await api('post', '/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password });
    const seat = await api('post', '/api/v1/products', {
      sku: 'SEAT-1',
      name: 'Seat licence',
      kind: 'digital',
      unit: 'seat',
      listPriceMinor: 12_000,
      taxCode: 'VAT6',
    });
    const account = await api('post', '/api/v1/accounts', { name: 'Yunqi Technology' });
    const opp = await api('post', '/api/v1/opportunities', {
      name: 'Yunqi seats',
      accountId: account.id,
      amountMinor: 100_000,
    });
    const quote = await api('post', `/api/v1/opportunities/${opp.id}/quotes`, {});

    // Settings → Tax codes: the seeded China VAT codes, and a new 5 % service code.
    await page.goto(`${web.base}/settings?tab=tax-codes`);
    await page.getByTestId('tax-rate-VAT13').waitFor();
    expect(await page.getByTestId('tax-rate-VAT13').textContent()).toBe('13%');
    await page.getByTestId('new-tax-code').click();
    await page.getByTestId('tax-code-code').fill('SVC5');
    await page.getByTestId('tax-code-name').fill('Service levy 5%');
    await page.locator('#components_0_rate').fill('5');
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('tax-rate-SVC5').waitFor();
    expect(await page.getByTestId('tax-rate-SVC5').textContent()).toBe('5%');

    // Settings → Price books: a default CNY book, seats in graduated tiers (1–10 at ¥100, then ¥80).
    await page.getByRole('tab', { name: 'Price books' }).click();
    await page.getByTestId('new-price-book').click();
    await page.getByTestId('price-book-name').fill('Standard 2026');
    await page.getByTestId('price-book-default').check();
    await page.getByTestId('add-entry').click();
    await choose(page, 'entries_0_productId', 'Seat licence', 'Seat');
    await choose(page, 'entries_0_scheme', 'Graduated tiers');
    await page.getByTestId('add-tier-0').click();
    await page.getByTestId('add-tier-0').click();
    await page.locator('#entries_0_tiers_0_upTo').fill('10');
    await page.locator('#entries_0_tiers_0_price').fill('100');
    await page.locator('#entries_0_tiers_1_price').fill('80');
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'Standard 2026', exact: true }).waitFor();
    const books = await api('get', '/api/v1/price-books');
    expect(books.items[0]).toMatchObject({
      isDefault: true,
      entries: [
        {
          productId: seat.id,
          scheme: 'graduated',
          tiers: [
            { upTo: '10', unitPriceMinor: 10_000 },
            { upTo: null, unitPriceMinor: 8_000 },
          ],
        },
      ],
    });

    // The quote: 15 seats from the book, ¥1,000.00 of setup under SVC5, ¥100.00 off the document.
    await page.goto(`${web.base}/quotes/${quote.id}`);
    await page.getByTestId('edit-quote-lines').click();
    const dialog = page.getByRole('dialog');
    await choose(page, 'lines_0_productId', 'Seat licence', 'Seat');
    await expect.poll(() => dialog.locator('#lines_0_description').inputValue()).toBe('Seat licence');
    await dialog.locator('#lines_0_quantity').fill('15');
    await page.getByTestId('add-quote-line').click();
    await dialog.locator('#lines_1_description').fill('Setup');
    await dialog.locator('#lines_1_unitPrice').fill('1000');
    await choose(page, 'lines_1_taxCode', 'SVC5');
    await choose(page, 'discountKind', 'Amount off');
    await dialog.locator('#discountValue').fill('100');
    expect(await page.getByTestId('quote-tax-basis').textContent()).toBe('Prices without tax');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // Seats 10 × ¥100 + 5 × ¥80 = ¥1,400.00 (VAT6); setup ¥1,000.00 (SVC5). ¥100.00 spread 1,400 : 1,000
    // → ¥58.33 and ¥41.67; nets ¥1,341.67 and ¥958.33; VAT ¥80.50 + ¥47.92 = ¥128.42; total ¥2,428.42.
    await expect.poll(async () => page.getByTestId('grand-total').textContent()).toContain('2,428.42');
    expect(await page.getByTestId('quote-book-name').textContent()).toBe('Standard 2026');
    expect(await page.getByTestId('quote-document-discount').textContent()).toContain('100.00');
    await page.getByRole('cell', { name: 'SVC5 · 5%', exact: true }).waitFor();
    const saved = await api('get', `/api/v1/quotes/${quote.id}`);
    expect([saved.netMinor, saved.taxMinor, saved.totalMinor]).toEqual([230_000, 12_842, 242_842]);
    expect(saved.lines.map((l: any) => [l.taxCode, l.docDiscountMinor])).toEqual([
      ['VAT6', 5_833],
      ['SVC5', 4_167],
    ]);
  }, 60_000);
});
