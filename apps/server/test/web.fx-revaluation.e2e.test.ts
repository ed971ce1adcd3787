// Settings → FX rates, period-end revaluation of every legal entity in Chromium: the entity is picked
// in the dialog, the runs of all entities are listed (a month with nothing in a foreign currency shows
// as checked, not as an empty posting), and the table fits 1440 px without scrolling sideways.
import { afterEach, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { newId, setClock } from '@openltc/core';
import { describeBrowser, useBrowserHarness } from './support/browser.ts';

// Evaluated in the page (the test's own compile has no DOM types).
declare const document: any;
declare const window: any;

const ADMIN = { name: 'Ada Admin', email: 'admin@example.com', password: 'change-me-now' };
const HK = { id: newId('le'), name: 'Yunzhan Hong Kong Ltd 云栈科技（香港）有限公司' };

describeBrowser('FX revaluation of every legal entity in Chromium', () => {
  const web = useBrowserHarness({
    name: 'fx-revaluation',
    admin: ADMIN,
    seed: async (w) => {
      await w.handle.db
        .insertInto('legalEntities')
        .values({ id: HK.id, name: HK.name, country: 'HK', currency: 'HKD', timezone: 'Asia/Hong_Kong', roundingMode: 'half_up', taxId: null, createdAt: '2099-01-01T00:00:00.000Z' })
        .execute();
      const c = w.adminCookie;
      const account = await w.call(c, 'POST', '/api/v1/accounts', { name: 'Pacific Trading Ltd 太平洋贸易' });
      await w.call(c, 'PUT', '/api/v1/fx-rates', { base: 'USD', quote: 'CNY', rate: '7.10', effectiveDate: '2026-03-01' });
      setClock(() => new Date('2026-03-10T04:00:00Z'));
      const o = await w.call(c, 'POST', '/api/v1/orders', { accountId: account.id, currency: 'USD', lines: [{ description: 'Licence', quantity: '1', unitPriceMinor: 40_000, taxRate: '0' }] });
      await w.call(c, 'POST', `/api/v1/orders/${o.id}/confirm`, {});
      const draft = await w.call(c, 'POST', `/api/v1/orders/${o.id}/invoices`, {});
      await w.call(c, 'POST', `/api/v1/invoices/${draft.id}/issue`, {});
      await w.call(c, 'PUT', '/api/v1/fx-rates', { base: 'USD', quote: 'CNY', rate: '7.20', effectiveDate: '2026-03-31' });
      setClock(() => new Date('2026-04-02T04:00:00Z'));
      // March of the first entity revalued already; the HK entity's March is done from the page.
      await w.call(c, 'POST', '/api/v1/fx/revaluations', { period: '2026-03' });
      setClock(null);
    },
  });
  afterEach(() => setClock(null));

  const noSideScroll = (page: Page) =>
    page.evaluate(() => {
      const body = document.querySelector('[data-testid="fx-revaluations"] .ant-table-content, [data-testid="fx-revaluations"] .ant-table-body');
      return { doc: document.documentElement.scrollWidth <= window.innerWidth, table: body ? body.scrollWidth <= body.clientWidth + 1 : false };
    });

  it('revalues the chosen entity and lists the runs of all; nothing to revalue shows as a check; fits 1440 px', async () => {
    const page = await web.newPage({ login: ADMIN, viewport: { width: 1440, height: 900 } });
    await page.goto(`${web.base}/settings?tab=fx-rates`);
    const section = page.getByTestId('fx-revaluations');
    await section.getByTestId('fx-revaluation-2026-03').first().waitFor();
    expect(await section.getByText('My Company').count()).toBeGreaterThan(0);

    await page.getByTestId('fx-revalue').click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('#fx-revalue-entity').click({ force: true });
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: 'Hong Kong' }).click();
    await page.getByTestId('fx-revalue-period').click();
    await page.getByTestId('fx-revalue-period').fill('2026-03');
    await page.getByTestId('fx-revalue-period').press('Enter');
    await dialog.getByRole('button', { name: 'Revalue month' }).click();
    await page.getByText(`${HK.name} 2026-03 checked: nothing in a foreign currency to revalue, nothing posted`).waitFor();

    // Both entities' March, the HK one as a check with nothing posted, the first with its net.
    await section.getByTestId('fx-revaluation-nothing-2026-03').waitFor();
    expect(await section.locator('tbody tr.ant-table-row').count()).toBe(2);
    expect(await section.getByTestId('fx-revaluation-net-2026-03').textContent()).toContain('40.00');
    expect(await section.getByText(HK.name).count()).toBe(1);
    const runs = await web.call(web.adminCookie, 'GET', '/api/v1/fx/revaluations');
    expect(runs.items.map((r: any) => [r.legalEntityId === HK.id, r.outcome, r.entries]).sort()).toEqual([
      [false, 'revalued', 2],
      [true, 'nothing_to_revalue', 0],
    ]);
    expect(await noSideScroll(page)).toEqual({ doc: true, table: true });
    await web.shot(page, 'fx-revaluations-1440');

    // Filtered to one entity; the first entity's run opens on its item.
    await section.getByTestId('fx-revaluation-filter').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: 'My Company' }).click();
    await section.getByTestId('fx-revaluation-nothing-2026-03').waitFor({ state: 'detached' });
    await section.locator('tbody tr.ant-table-row button.ant-table-row-expand-icon').first().click();
    await section.getByText('Receivable', { exact: true }).waitFor();
    expect(await noSideScroll(page)).toEqual({ doc: true, table: true });
    await web.shot(page, 'fx-revaluations-1440-lines');
    expect(web.errors(page)).toEqual([]);
  });
});
