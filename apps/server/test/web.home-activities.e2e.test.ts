// Home and activities in Chromium (shared harness in support/browser.ts): the home chart's pipeline
// chooser (the default pipeline preselected, the choice kept on the server for the user: the same after a reload and in another browser), activities in the
// global search (Ctrl/Cmd+K opens the record they are on) and the text filter of a record's activities,
// in English and in Chinese; a role that may not read leads finds none of a lead's activities.
import { expect, it } from 'vitest';
import { describeBrowser, useBrowserHarness } from './support/browser.ts';

// What the functions passed to page.evaluate use runs in the browser; this file is compiled without the DOM library.
declare const localStorage: any;

const ADMIN = { name: 'Ada Admin', email: 'admin@example.com', password: 'change-me-now' };
const PW = 'secret-pass-1';

describeBrowser('home pipeline chooser and activity search in Chromium', () => {
  let leadId = '';
  let renewalsId = '';
  const web = useBrowserHarness({
    name: 'home-activities',
    admin: ADMIN,
    seed: async (w) => {
      const admin = w.adminCookie;
      const team = await w.call(admin, 'POST', '/api/v1/teams', { name: '华东销售' });
      await w.call(admin, 'POST', '/api/v1/users', {
        email: 'li@example.com',
        name: '李娜',
        password: PW,
        role: 'sales_rep',
        teamId: team.id,
        locale: 'zh-CN',
      });
      await w.call(admin, 'POST', '/api/v1/users', {
        email: 'fin@example.com',
        name: 'Fiona Finance',
        password: PW,
        role: 'finance',
        locale: 'en',
      });
      renewalsId = (await w.call(admin, 'POST', '/api/v1/pipelines', { name: 'Renewals 续约' })).id;
      const rep = await w.signIn('li@example.com', PW);
      const account = await w.call(rep, 'POST', '/api/v1/accounts', {
        name: '苏州云帆有限公司',
        currency: 'CNY',
      });
      await w.call(rep, 'POST', '/api/v1/opportunities', {
        name: 'Yunfan MES',
        accountId: account.id,
        amountMinor: 50_000_000,
      });
      const lead = await w.call(rep, 'POST', '/api/v1/leads', {
        name: '赵磊',
        company: '杭州星辰数据有限公司',
      });
      leadId = lead.id;
      await w.call(rep, 'POST', '/api/v1/activities', {
        type: 'call',
        parentType: 'lead',
        parentId: lead.id,
        subject: '预算确认 Budget call',
        outcome: 'connected',
      });
      await w.call(rep, 'POST', '/api/v1/activities', {
        type: 'meeting',
        parentType: 'lead',
        parentId: lead.id,
        subject: '产品演示 Demo',
        notes: '客户关心交付周期',
      });
      await w.call(rep, 'POST', '/api/v1/activities', {
        type: 'note',
        parentType: 'lead',
        parentId: lead.id,
        subject: '名片已交换',
      });
    },
  });

  it('chooses the pipeline of the home chart (default first, remembered), finds a call by Ctrl+K and filters the lead’s activities', async () => {
    const page = await web.newPage({ locale: 'en-US', login: ADMIN });
    await page.goto(web.base + '/');
    const card = page.getByTestId('pipeline-card');
    const chooser = card.getByTestId('pipeline-chooser');
    // The default pipeline is preselected and its chart drawn.
    await expect
      .poll(() => chooser.locator('.ant-select-selection-item').textContent())
      .toMatch(/\(default\)$/);
    await card.getByTestId('pipeline-chart').waitFor();
    await web.shot(page, 'home-pipeline-chooser-en');
    // Another pipeline: it has no open deals yet.
    await chooser.click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: 'Renewals 续约' })
      .click();
    await card.getByText('No open opportunities yet').waitFor();
    expect(await card.getByTestId('pipeline-chart').count()).toBe(0);
    // Remembered: after a reload the chart still shows that pipeline.
    await page.reload();
    await expect
      .poll(() => page.getByTestId('pipeline-chooser').locator('.ant-select-selection-item').textContent())
      .toBe('Renewals 续约');
    await page.getByTestId('pipeline-card').getByText('No open opportunities yet').waitFor();
    // Kept on the server for this user: another browser (a fresh profile) shows the same pipeline.
    const me = await web.call(web.adminCookie, 'GET', '/api/v1/me/preferences');
    expect([me.homePipelineId, me.version]).toEqual([renewalsId, 1]);
    const other = await web.newPage({ locale: 'en-US', login: ADMIN });
    await other.goto(web.base + '/');
    await expect
      .poll(() => other.getByTestId('pipeline-chooser').locator('.ant-select-selection-item').textContent())
      .toBe('Renewals 续约');
    expect(await other.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('openltc.home.pipeline.')))).toEqual([]);
    await other.close();

    // Ctrl+K: the call is found by a word of its subject, shown with the lead it is on; Enter opens the lead.
    await page.keyboard.press('Control+k');
    await page.getByTestId('search-input').fill('budget');
    const hit = page.getByTestId('search-hit').filter({ hasText: '预算确认 Budget call' });
    await hit.waitFor();
    expect(await hit.getByTestId('search-hit-parent').textContent()).toBe('Call on Lead 赵磊');
    await page.getByRole('group', { name: 'Activities' }).waitFor();
    await web.shot(page, 'search-activities-en');
    await hit.click();
    await expect.poll(() => page.url()).toBe(`${web.base}/leads/${leadId}`);

    // The lead's activities, filtered by the server on subject and notes.
    const panel = page.getByTestId('activity-panel');
    await panel.getByText('名片已交换').waitFor();
    await panel.getByLabel('Search subject and notes').fill('交付');
    await expect.poll(() => panel.getByTestId('activity-list').locator('.ant-list-item').count()).toBe(1);
    await panel.getByText('产品演示 Demo').waitFor();
    await panel.getByLabel('Search subject and notes').fill('nothing-like-this');
    await panel.getByText('No activity matches “nothing-like-this”').waitFor();
    await panel.getByLabel('Search subject and notes').fill('');
    await expect.poll(() => panel.getByTestId('activity-list').locator('.ant-list-item').count()).toBe(3);
    expect(web.errors(page)).toEqual([]);
  });

  it('in Chinese a rep finds the call under 活动; finance, who may not read leads, finds no activity', async () => {
    const rep = await web.newPage({ locale: 'zh-CN', login: { email: 'li@example.com', password: PW } });
    await rep.goto(web.base + '/');
    await expect
      .poll(() => rep.getByTestId('pipeline-chooser').locator('.ant-select-selection-item').textContent())
      .toMatch(/\(默认\)$/);
    await rep.keyboard.press('Control+k');
    await rep.getByTestId('search-input').fill('预算');
    const hit = rep.getByTestId('search-hit').filter({ hasText: '预算确认 Budget call' });
    await hit.waitFor();
    await rep.getByRole('group', { name: '活动' }).waitFor();
    expect(await hit.getByTestId('search-hit-parent').textContent()).toBe('线索 赵磊 的电话');
    await web.shot(rep, 'search-activities-zh');
    await rep.keyboard.press('Escape');
    // "My pipeline" shows the same pipeline: the rep's deal in the default one; choosing 续约 there
    // moves the chart too, and the rep has no deal in it.
    const mine = rep.getByTestId('my-pipeline');
    await expect.poll(() => mine.textContent()).toContain('¥500,000.00');
    await mine.getByTestId('my-pipeline-chooser').click();
    await rep
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: 'Renewals 续约' })
      .click();
    await mine.getByText('您目前没有进行中的商机').waitFor();
    await expect
      .poll(() => rep.getByTestId('pipeline-chooser').locator('.ant-select-selection-item').textContent())
      .toBe('Renewals 续约');
    expect(web.errors(rep)).toEqual([]);

    const fin = await web.newPage({ locale: 'en-US', login: { email: 'fin@example.com', password: PW } });
    await fin.goto(web.base + '/');
    await fin.getByRole('heading', { name: 'Welcome, Fiona Finance' }).waitFor(); // the shortcut listens once the app is up
    await fin.keyboard.press('Control+k');
    await fin.getByTestId('search-input').fill('预算');
    await fin.getByText('Nothing found for').or(fin.getByTestId('search-hit')).first().waitFor();
    expect(await fin.getByRole('group', { name: 'Activities' }).count()).toBe(0);
    expect(web.errors(fin)).toEqual([]);
  });
});
