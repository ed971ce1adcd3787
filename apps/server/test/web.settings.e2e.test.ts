// Settings screens in a real browser (Debian's Chromium through playwright-core, as web.e2e.test.ts):
// an administrator edits a pipeline (probability, stage gate, order) and the board follows; a number
// series gets a new format; a sales rep shares a saved view with the team and a teammate uses it
// read-only; views kept in the browser's localStorage move to the server on first load.
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeBrowser, useBrowserHarness } from './support/browser.ts';

const ADMIN = { name: 'Ada Admin', email: 'admin@example.com', password: 'change-me-now' };
const PW = 'secret-pass-1';

describeBrowser('settings screens in Chromium', () => {
  const web = useBrowserHarness({ name: 'settings' });
  let rep1Id = '';

  const call = (cookie: string, method: string, url: string, body?: unknown) =>
    web.call(cookie, method as 'GET', url, body);
  const signIn = (email: string, password: string) => web.signIn(email, password);

  beforeAll(async () => {
    expect(
      (await web.app.inject({ method: 'POST', url: '/api/v1/setup', payload: { admin: ADMIN } })).statusCode,
    ).toBe(201);
    const admin = await signIn(ADMIN.email, ADMIN.password);
    const team = await call(admin, 'POST', '/api/v1/teams', { name: '华东销售' });
    rep1Id = (
      await call(admin, 'POST', '/api/v1/users', {
        email: 'rex@example.com',
        name: 'Rex Rep',
        password: PW,
        role: 'sales_rep',
        teamId: team.id,
        locale: 'en',
      })
    ).id;
    await call(admin, 'POST', '/api/v1/users', {
      email: 'li@example.com',
      name: '李娜',
      password: PW,
      role: 'sales_rep',
      teamId: team.id,
      locale: 'zh-CN',
    });
    const rep = await signIn('rex@example.com', PW);
    const account = await call(rep, 'POST', '/api/v1/accounts', { name: 'Gate Test Co', currency: 'CNY' });
    await call(rep, 'POST', '/api/v1/opportunities', {
      name: 'Gate deal',
      accountId: account.id,
      amountMinor: 1_000_000,
    });
    await call(rep, 'POST', '/api/v1/leads', { name: '周杰', company: '南京数智有限公司' });
  });

  const pageAs = (email: string, password: string, locale: string): Promise<Page> =>
    web.newPage({ locale, login: { email, password } });

  const stages = async () => {
    const p = await web.handle.db.selectFrom('pipelineStages').selectAll().orderBy('sortOrder').execute();
    return p;
  };

  it('an administrator edits a pipeline and a number series; the board follows and the stage gate holds', async () => {
    const page = await pageAs(ADMIN.email, ADMIN.password, 'en-US');
    await page.goto(`${web.base}/settings?tab=pipelines`);
    const table = page.getByTestId('stages-table');
    await table.getByText('Proposal 方案报价').waitFor();

    // Probability of "Proposal": 50 → 55 %.
    const prob = page.getByRole('spinbutton', { name: 'Default probability of Proposal 方案报价' });
    await prob.fill('55');
    await prob.press('Enter');
    await expect
      .poll(async () => (await stages()).find((s) => s.name.startsWith('Proposal'))?.probability)
      .toBe(55);
    // Stage gate on "Negotiation": a contact is required to enter it.
    await page.getByRole('combobox', { name: 'Fields required to enter Negotiation 商务谈判' }).click();
    await page.locator('.ant-select-item-option').filter({ hasText: 'Contact' }).click();
    await expect
      .poll(async () => (await stages()).find((s) => s.name.startsWith('Negotiation'))?.requiredFields)
      .toBe('["contactId"]');
    await page.keyboard.press('Escape');
    // "Needs analysis" moves up to first place.
    await page.getByRole('button', { name: 'Move Needs analysis 需求分析 up' }).click();
    await expect.poll(async () => (await stages())[0]?.name).toBe('Needs analysis 需求分析');

    // The board shows the new order, and a deal without a contact cannot enter "Negotiation".
    await page.getByRole('menuitem', { name: 'Opportunities' }).click();
    const columns = page.getByTestId('kanban-column');
    await expect.poll(() => columns.nth(0).textContent()).toContain('Needs analysis');
    const card = page.getByTestId('kanban-card').filter({ hasText: 'Gate Test Co' });
    await card.waitFor();
    await card.dragTo(columns.nth(3));
    await page.getByText('“Negotiation 商务谈判” needs: Contact').waitFor();
    const opp = await web.handle.db
      .selectFrom('opportunities')
      .innerJoin('pipelineStages', 'pipelineStages.id', 'opportunities.stageId')
      .select('pipelineStages.name')
      .executeTakeFirstOrThrow();
    expect(opp.name).toBe('Qualification 验证');

    // Number series: invoices get the prefix FP and a month in the number.
    await page.goto(`${web.base}/settings?tab=number-series`);
    const settings = page.getByTestId('number-series-settings');
    await settings.getByText(/^INV-\d{4}-000001$/).waitFor();
    await page.getByTestId('edit-series-invoice').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('series-prefix').fill('FP');
    await dialog.getByTestId('series-date-part').click();
    await page.locator('.ant-select-item-option').filter({ hasText: 'year + month' }).click();
    await dialog
      .getByTestId('series-preview')
      .getByText(/FP-\d{6}-000001/)
      .waitFor();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await settings.getByText(/^FP-\d{6}-000001$/).waitFor();
    expect(web.errors(page)).toEqual([]);
  }, 40_000);

  it('a rep shares a saved view with the team; a teammate uses it read-only; views in localStorage move to the server', async () => {
    const rex = await pageAs('rex@example.com', PW, 'en-US');
    await rex.goto(`${web.base}/leads?status=new&sort=name`);
    await rex.getByTestId('leads-table').getByText('周杰').waitFor();
    await rex.getByTestId('views-button').click();
    await rex.getByText('Save current view…').click();
    const dialog = rex.getByRole('dialog');
    await dialog.getByTestId('view-name').fill('New leads A–Z');
    await dialog.getByTestId('view-sharing').getByText('My team').click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await rex.getByText('View “New leads A–Z” saved').waitFor();
    await expect.poll(() => rex.getByTestId('views-button').textContent()).toContain('New leads A–Z');
    const saved = await web.handle.db
      .selectFrom('savedViews')
      .selectAll()
      .where('userId', '=', rep1Id)
      .executeTakeFirstOrThrow();
    expect(saved).toMatchObject({ listKey: 'leads', name: 'New leads A–Z', sharing: 'team', sort: 'name' });
    expect(JSON.parse(saved.filters)).toEqual({ status: 'new' });

    // The teammate, in Chinese, with a view this browser kept from before: it moves to the server.
    const li = await pageAs('li@example.com', PW, 'zh-CN');
    const liId = (
      await web.handle.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'li@example.com')
        .executeTakeFirstOrThrow()
    ).id;
    await li.addInitScript(
      ([key]) =>
        (globalThis as any).localStorage.setItem(
          key,
          JSON.stringify([{ name: '已验证', query: 'status=qualified', hidden: ['email'] }]),
        ),
      [`openltc.views.${liId}.leads`],
    );
    await li.goto(`${web.base}/leads`);
    await li.getByTestId('leads-table').getByText('周杰').waitFor();
    await expect
      .poll(
        async () =>
          (
            await web.handle.db.selectFrom('savedViews').select('name').where('userId', '=', liId).execute()
          ).map((v) => v.name),
        { timeout: 10_000 },
      )
      .toEqual(['已验证']);
    expect(
      await li.evaluate((k) => (globalThis as any).localStorage.getItem(k), `openltc.views.${liId}.leads`),
    ).toBeNull();
    await li.getByTestId('views-button').click();
    const shared = li.locator('[data-testid="saved-view"][data-view="New leads A–Z"]');
    await shared.getByText('Rex Rep 共享').waitFor();
    // Read-only: no delete on the shared view, delete on the migrated own one.
    expect(await shared.getByText('删除').count()).toBe(0);
    await li.locator('[data-testid="saved-view"][data-view="已验证"]').getByText('删除').waitFor();
    await shared.click();
    await expect.poll(() => new URL(li.url()).searchParams.get('status')).toBe('new');
    expect(new URL(li.url()).searchParams.get('sort')).toBe('name');
    // The API refuses the teammate's edit too.
    const edit = await li.request.patch(`${web.base}/api/v1/saved-views/${saved.id}`, {
      data: { name: 'mine' },
    });
    expect(edit.status()).toBe(403);
    expect(web.errors(rex)).toEqual([]);
    expect(web.errors(li)).toEqual([]);
  }, 40_000);
});
