// A long list in Chromium (shared harness in support/browser.ts): 1,701 leads at 500 a page. From 400
// rows the list draws only the rows in view (VirtualRows); it loads pages ahead of the reader but only
// two pages beyond the last row in view; sorting by a header works by mouse and by keyboard; scrolled
// to the end, every row is loaded and the last one is in view; the column chooser applies to it.
import { expect, it } from 'vitest';
import { newId } from '@openltc/core';
import { describeBrowser, useBrowserHarness } from './support/browser.ts';

const ADMIN = { name: 'Ada Admin', email: 'admin@example.com', password: 'change-me-now' };
const COUNT = 1701;
const SCROLL_TO_END = `(() => { const el = document.querySelector('[data-testid="leads-table"] .ltc-vtable'); el.scrollTop = el.scrollHeight; })()`;
const ROWS = `Number(document.querySelector('[data-testid="rows-shown"]')?.getAttribute('data-count'))`;

describeBrowser('a long list in Chromium', () => {
  const web = useBrowserHarness({
    name: 'long-list',
    admin: ADMIN,
    seed: async (w) => {
      // One lead through the API, then copies of its row (the list reads rows; how they were made does not matter here).
      const first = await w.call(w.adminCookie, 'POST', '/api/v1/leads', {
        name: 'Bulk 0000',
        company: 'Template Co.',
      });
      const row = await w.handle.db
        .selectFrom('leads')
        .selectAll()
        .where('id', '=', first.id)
        .executeTakeFirstOrThrow();
      const t0 = Date.parse(row.createdAt);
      for (let start = 1; start < COUNT; start += 200) {
        const chunk = [];
        for (let i = start; i < Math.min(COUNT, start + 200); i++)
          chunk.push({
            ...row,
            id: newId('lead'),
            name: `Bulk ${String(i).padStart(4, '0')}`,
            email: `bulk${i}@example.com`,
            createdAt: new Date(t0 - i * 1000).toISOString(),
          });
        await w.handle.db.insertInto('leads').values(chunk).execute();
      }
    },
  });

  it('draws only the rows in view, loads two pages ahead, sorts by mouse and keyboard, and reaches the last row', async () => {
    const page = await web.newPage({ login: ADMIN, viewport: { width: 1440, height: 900 } });
    await page.goto(`${web.base}/leads?limit=500&sort=name`);
    const table = page.getByTestId('leads-table');
    const box = table.locator('.ltc-vtable');
    await box.waitFor();
    await table.getByText('Bulk 0000', { exact: true }).waitFor();
    // Pages ahead of the reader at the top: 500 in view, then two more pages — and no further.
    await expect.poll(() => page.evaluate(ROWS)).toBe(1500);
    await page.waitForTimeout(1500);
    expect(await page.evaluate(ROWS)).toBe(1500);
    expect(await box.getAttribute('aria-rowcount')).toBe('1501');
    // Only the rows in view (and a few around them) are in the page.
    const drawn = await box.locator('[role="row"][data-row-index]').count();
    expect(drawn).toBeGreaterThan(10);
    expect(drawn).toBeLessThan(60);

    // Sort by name descending: a click on the header ascends (already), the keyboard's Enter descends.
    const nameHeader = box.getByRole('columnheader', { name: 'Name' });
    expect(await nameHeader.getAttribute('aria-sort')).toBe('ascending');
    await nameHeader.getByRole('button').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('-name');
    await expect.poll(() => box.locator('[data-row-index="0"]').textContent()).toContain('Bulk 1700');
    expect(await nameHeader.getAttribute('aria-sort')).toBe('descending');

    // Scrolled to the end, again and again: every lead is loaded and the last one is in view.
    for (let i = 0; i < 10 && Number(await page.evaluate(ROWS)) < COUNT; i++) {
      await page.evaluate(SCROLL_TO_END);
      await page.waitForTimeout(300);
    }
    await expect.poll(() => page.evaluate(ROWS)).toBe(COUNT);
    await page.evaluate(SCROLL_TO_END);
    const last = box.locator(`[data-row-index="${COUNT - 1}"]`);
    await last.waitFor();
    expect(await last.textContent()).toContain('Bulk 0000');
    const inView = await page.evaluate(`(() => {
      const box = document.querySelector('[data-testid="leads-table"] .ltc-vtable');
      const row = box.querySelector('[data-row-index="${COUNT - 1}"]');
      const a = box.getBoundingClientRect(), b = row.getBoundingClientRect();
      return b.top >= a.top && b.bottom <= a.bottom + 0.5;
    })()`);
    expect(inView).toBe(true);
    await page.getByText('All loaded', { exact: true }).waitFor();

    // The column chooser applies to the long list too.
    await box.getByRole('columnheader', { name: 'Email' }).waitFor();
    await page.getByTestId('columns-button').click();
    await page.getByRole('checkbox', { name: 'Email' }).uncheck();
    await expect.poll(() => box.getByRole('columnheader', { name: 'Email' }).count()).toBe(0);
    expect(web.errors(page)).toEqual([]);
  }, 120_000);
});
