// List columns in Chromium (shared harness in support/browser.ts): hidden columns and column order are
// kept on the server per user and list, so a second browser of the same user shows the same table;
// a saved view keeps its columns and applying it restores them; what a browser kept in localStorage
// before is moved to the server once; the chooser's move buttons are labelled in Chinese too.
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeBrowser, useBrowserHarness } from './support/browser.ts';

// What the functions passed to page.evaluate use runs in the browser; this file is compiled without the DOM library.
declare const localStorage: any;

const ADMIN = { name: 'Ada Admin', email: 'admin@example.com', password: 'change-me-now' };
const PW = 'secret-pass-1';
const REX = { email: 'rex@example.com', password: PW };

describeBrowser('list columns kept on the server in Chromium', () => {
  let liId = '';
  const web = useBrowserHarness({
    name: 'list-columns',
    admin: ADMIN,
    seed: async (w) => {
      const team = await w.call(w.adminCookie, 'POST', '/api/v1/teams', { name: '华东销售' });
      await w.call(w.adminCookie, 'POST', '/api/v1/users', {
        email: REX.email,
        name: 'Rex Rep',
        password: PW,
        role: 'sales_rep',
        teamId: team.id,
        locale: 'en',
      });
      liId = (
        await w.call(w.adminCookie, 'POST', '/api/v1/users', {
          email: 'li@example.com',
          name: '李娜',
          password: PW,
          role: 'sales_rep',
          teamId: team.id,
          locale: 'zh-CN',
        })
      ).id;
      const rex = await w.signIn(REX.email, PW);
      await w.call(rex, 'POST', '/api/v1/leads', {
        name: '周杰',
        company: '南京数智有限公司',
        email: 'zhou@nj.cn',
        phone: '13900000001',
      });
      const li = await w.signIn('li@example.com', PW);
      await w.call(li, 'POST', '/api/v1/leads', {
        name: '吴昊',
        company: '苏州云帆有限公司',
        phone: '13900000002',
      });
    },
  });

  const headers = (page: Page) =>
    page
      .getByTestId('leads-table')
      .locator('thead th')
      .evaluateAll((ths) => ths.map((th) => (th.textContent ?? '').trim()).filter(Boolean));
  const layout = async (email: string) => {
    const cookie = await web.signIn(email, PW);
    return web.call(cookie, 'GET', '/api/v1/saved-views/layouts/leads');
  };

  it('hides and reorders columns, finds them so in another browser, and a saved view brings them back', async () => {
    const page = await web.newPage({ login: REX });
    await page.goto(`${web.base}/leads`);
    await page.getByTestId('leads-table').getByText('周杰').waitFor();
    expect((await headers(page)).slice(0, 4)).toEqual(['Name', 'Company', 'Email', 'Phone']);
    await page.getByTestId('columns-button').click();
    await page.getByRole('checkbox', { name: 'Email' }).uncheck();
    await page.getByRole('button', { name: 'Move Company up' }).click();
    await expect.poll(async () => (await headers(page)).slice(0, 3)).toEqual(['Company', 'Name', 'Phone']);
    await web.shot(page, 'list-columns-en');
    await expect.poll(async () => (await layout(REX.email)).hidden).toEqual(['email']);
    expect((await layout(REX.email)).order.slice(0, 2)).toEqual(['company', 'name']);

    // Another browser (fresh profile, nothing in localStorage): the same columns.
    const other = await web.newPage({ login: REX });
    await other.goto(`${web.base}/leads`);
    await other.getByTestId('leads-table').getByText('周杰').waitFor();
    await expect.poll(async () => (await headers(other)).slice(0, 3)).toEqual(['Company', 'Name', 'Phone']);

    // Saved as a view, then the layout reset: all columns back in the list's order; applying the view restores its columns.
    await page.keyboard.press('Escape');
    await page.getByTestId('views-button').click();
    await page.getByText('Save current view…').click();
    await page.getByTestId('view-name').fill('Compact');
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    const views = await web.call(await web.signIn(REX.email, PW), 'GET', '/api/v1/saved-views?list=leads');
    expect(views.items[0].columns.slice(0, 3)).toEqual(['company', 'name', 'phone']);
    expect(views.items[0].columns).not.toContain('email');
    await page.getByTestId('columns-button').click();
    await page.getByRole('button', { name: 'Reset columns' }).click();
    await expect
      .poll(async () => (await headers(page)).slice(0, 4))
      .toEqual(['Name', 'Company', 'Email', 'Phone']);
    await expect.poll(async () => (await layout(REX.email)).order).toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByTestId('views-button').click();
    await page.locator('[data-testid="saved-view"][data-view="Compact"]').click();
    await expect.poll(async () => (await headers(page)).slice(0, 3)).toEqual(['Company', 'Name', 'Phone']);
    await expect.poll(async () => (await layout(REX.email)).hidden).toEqual(['email']);
    expect(web.errors(page)).toEqual([]);
    expect(web.errors(other)).toEqual([]);
  });

  it('moves the columns a browser kept before to the server once; the move buttons are labelled in Chinese', async () => {
    const page = await web.newPage({ locale: 'zh-CN', login: { email: 'li@example.com', password: PW } });
    // What this browser kept before layouts lived on the server: the phone column hidden.
    await page.goto(`${web.base}/login`);
    await page.evaluate(
      (id) => localStorage.setItem(`openltc.columns.${id}.leads`, JSON.stringify(['phone'])),
      liId,
    );
    await page.goto(`${web.base}/leads`);
    await page.getByTestId('leads-table').getByText('吴昊').waitFor();
    await expect.poll(async () => (await layout('li@example.com')).hidden).toEqual(['phone']);
    await expect.poll(async () => (await headers(page)).includes('电话')).toBe(false);
    expect(await page.evaluate((id) => localStorage.getItem(`openltc.columns.${id}.leads`), liId)).toBeNull();
    await page.getByTestId('columns-button').click();
    await page.getByRole('button', { name: '下移 公司' }).waitFor();
    await page.getByRole('button', { name: '上移 公司' }).click();
    await expect
      .poll(async () => (await layout('li@example.com')).order.slice(0, 2))
      .toEqual(['company', 'name']);
    await web.shot(page, 'list-columns-zh');
    expect(web.errors(page)).toEqual([]);
  });
});
