// The demo company in Chromium (shared harness in support/browser.ts, demo loaded small): its quotes
// are priced from its CNY list price book, which the quote page names, and the quote builder offers
// the price books of the quote's currency; Settings → Price books lists the CNY and USD lists.
import { expect, it } from 'vitest';
import { describeBrowser, useBrowserHarness } from './support/browser.ts';

const ADMIN = { name: 'Ada Admin', email: 'admin@example.com', password: 'change-me-now' };

describeBrowser('the demo company in Chromium', () => {
  const web = useBrowserHarness({ name: 'demo', admin: ADMIN, demo: { leads: 150 } });

  it('names the demo price book on its quotes and lists the CNY and USD books in the settings', async () => {
    const quotes = await web.call(web.adminCookie, 'GET', '/api/v1/quotes?limit=5');
    expect(quotes.items.length).toBeGreaterThan(0);
    const page = await web.newPage({ locale: 'zh-CN', login: ADMIN });
    await page.goto(`${web.base}/quotes/${quotes.items[0].id}`);
    await expect
      .poll(() => page.getByTestId('quote-book-name').textContent())
      .toBe('2026 标准价目表 Standard list (CNY)');
    await web.shot(page, 'demo-quote-price-book-zh');
    await page.goto(`${web.base}/settings?tab=price-books`);
    await page.getByText('2026 标准价目表 Standard list (CNY)').first().waitFor();
    await page.getByText('Export list 2026 (USD)').first().waitFor();
    expect(web.errors(page)).toEqual([]);
  });
});
