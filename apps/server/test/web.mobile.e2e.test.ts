// The web app on a phone (390×844, touch): a sales rep completes a task from "my tasks" on home,
// opens a lead from the drawer menu and the card list, logs a call in two taps, and moves a deal
// to another stage with the stage picker. Debian's Chromium driven by playwright-core against the
// real server, like web.e2e.test.ts. Set LTC_SCREENSHOT_DIR to keep the phone screenshots.
import path from 'node:path';
import { expect, it } from 'vitest';
import type { APIRequestContext } from 'playwright-core';
import { describeBrowser, SHOTS, useBrowserHarness } from './support/browser.ts';

// What the functions passed to page.evaluate use runs in the browser; this file is compiled without the DOM library.
declare const document: any;
declare function getComputedStyle(el: unknown): any;

const PW = 'secret-pass-1';

describeBrowser('web app on a phone', () => {
  const web = useBrowserHarness({ name: 'mobile' });

  async function call(api: APIRequestContext, method: 'GET' | 'POST', url: string, data?: object) {
    const res = method === 'GET' ? await api.get(url) : await api.post(url, { data: data ?? {} });
    if (!res.ok()) throw new Error(`${method} ${url}: ${res.status()} ${await res.text()}`);
    return res.json();
  }

  it('a rep completes a task on home, logs a call on a lead in two taps and moves a deal’s stage', async () => {
    const { request } = await import('playwright-core');
    // The company: an administrator, a team, a rep with a lead, a deal and two tasks (one overdue).
    const setup = await request.newContext({ baseURL: web.base });
    await call(setup, 'POST', '/api/v1/setup', {
      admin: { email: 'admin@example.com', name: 'Ada Admin', password: PW, locale: 'en' },
    });
    await call(setup, 'POST', '/api/v1/auth/login', { email: 'admin@example.com', password: PW });
    const team = await call(setup, 'POST', '/api/v1/teams', { name: 'East 华东' });
    await call(setup, 'POST', '/api/v1/users', {
      email: 'rex@example.com',
      name: 'Rex Rep',
      password: PW,
      role: 'sales_rep',
      teamId: team.id,
      locale: 'en',
    });
    await setup.dispose();
    const rep = await request.newContext({ baseURL: web.base });
    await call(rep, 'POST', '/api/v1/auth/login', { email: 'rex@example.com', password: PW });
    const lead = await call(rep, 'POST', '/api/v1/leads', {
      name: 'Zhao Lei',
      company: 'Hangzhou Xingchen Data',
      phone: '+86 138 0000 0000',
    });
    const account = await call(rep, 'POST', '/api/v1/accounts', { name: 'Suzhou Lianhe', currency: 'CNY' });
    const opp = await call(rep, 'POST', '/api/v1/opportunities', {
      name: 'Lianhe CRM rollout',
      accountId: account.id,
      amountMinor: 12_000_000,
      currency: 'CNY',
    });
    const hour = 3_600_000;
    const overdue = await call(rep, 'POST', '/api/v1/activities', {
      type: 'task',
      parentType: 'lead',
      parentId: lead.id,
      subject: 'Send the proposal',
      dueAt: new Date(Date.now() - 20 * hour).toISOString(),
    });
    await call(rep, 'POST', '/api/v1/activities', {
      type: 'task',
      parentType: 'opportunity',
      parentId: opp.id,
      subject: 'Book the demo',
      dueAt: new Date(Date.now() + 72 * hour).toISOString(),
    });

    const page = await web.newPage({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      login: { email: 'rex@example.com', password: PW },
    });
    const noSideways = async () =>
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // Home: my tasks, overdue first; the side menu is not on screen (a drawer instead).
    await page.goto(web.base + '/');
    const tasks = page.getByTestId('my-tasks');
    await tasks.getByTestId('tasks-overdue').getByText('Send the proposal').waitFor();
    await expect.poll(() => tasks.getByTestId('tasks-upcoming').getByText('Book the demo').count()).toBe(1);
    // My pipeline: the deal's stage counts one deal of ¥120,000.00.
    const myStage = page.getByTestId('my-pipeline').getByTestId(`my-stage-${opp.stageId}`);
    await expect.poll(() => myStage.textContent()).toMatch(/deals: 1\D.*120,000\.00/);
    expect(await page.getByTestId('side-menu').count()).toBe(0);
    await noSideways();
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'phone-home-en.png') });
    // Completed in place: it leaves the list.
    await tasks.getByTestId(`activity-${overdue.id}`).getByRole('checkbox').tap();
    await expect.poll(() => tasks.getByText('Send the proposal').count()).toBe(0);
    expect((await call(rep, 'GET', `/api/v1/activities/${overdue.id}`)).status).toBe('done');

    // Menu drawer → Leads → the lead's card → the lead.
    await page.getByTestId('menu-button').tap();
    await page.getByTestId('nav-drawer').getByRole('menuitem', { name: 'Leads' }).tap();
    await expect.poll(() => page.url()).toBe(`${web.base}/leads`);
    const card = page.locator('tr.ant-table-row', { hasText: 'Zhao Lei' });
    await card.waitFor();
    // A card, not a table row: the header row is hidden and the row is a block.
    expect(await card.evaluate((el) => getComputedStyle(el).display)).toBe('block');
    await noSideways();
    await card.getByRole('link', { name: 'Zhao Lei' }).tap();
    await expect.poll(() => page.url()).toBe(`${web.base}/leads/${lead.id}`);

    // Log a call in two taps: the floating "Log call" button (reachable without scrolling), then "Save"
    // (outcome "Connected" is preselected); here a third tap picks another outcome.
    const panel = page.getByTestId('activity-panel');
    await page.getByTestId('quick-log-call').tap();
    await panel.getByTestId('activity-form').waitFor();
    expect(await page.getByTestId('quick-log-call').count()).toBe(0);
    await panel.getByTestId('outcome-chips').getByText('Left message').tap();
    if (SHOTS) {
      await panel.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(SHOTS, 'phone-log-call-en.png') });
    }
    await panel.getByTestId('activity-save').tap();
    await panel.getByTestId('activity-list').getByText('Left message').waitFor();
    const calls = await call(rep, 'GET', `/api/v1/activities?parentType=lead&parentId=${lead.id}&type=call`);
    expect(calls.items).toHaveLength(1);
    expect(calls.items[0]).toMatchObject({ outcome: 'left_message', subject: 'Call', ownerName: 'Rex Rep' });
    expect((await call(rep, 'GET', `/api/v1/leads/${lead.id}`)).lastActivityAt).toBe(
      calls.items[0].occurredAt,
    );
    await noSideways();
    // A note added by mistake is deleted (confirmed) within the window; the call stays.
    await panel.getByTestId('log-note').tap();
    await panel.getByTestId('activity-save').tap();
    const note = panel.getByTestId('activity-list').locator('.ant-list-item', { hasText: 'Note' });
    await note.waitFor();
    await note.getByTestId('delete-activity').tap();
    await page.locator('.ant-popconfirm').getByRole('button', { name: 'Delete' }).tap();
    await note.waitFor({ state: 'detached' });
    expect(
      (await call(rep, 'GET', `/api/v1/activities?parentType=lead&parentId=${lead.id}&type=note`)).items,
    ).toEqual([]);

    // Move the deal with the stage picker (no dragging on a phone).
    await page.goto(`${web.base}/opportunities/${opp.id}`);
    const pipelines = await call(rep, 'GET', '/api/v1/pipelines');
    const stages = pipelines
      .find((p: any) => p.id === opp.pipelineId)
      .stages.filter((s: any) => s.kind === 'open');
    const next = stages[stages.findIndex((s: any) => s.id === opp.stageId) + 1];
    await page.getByTestId('stage-picker').tap();
    await page.locator('.ant-select-item-option', { hasText: next.name }).tap();
    await expect
      .poll(async () => (await call(rep, 'GET', `/api/v1/opportunities/${opp.id}`)).stageId)
      .toBe(next.id);
    await noSideways();
    expect(web.errors(page)).toEqual([]);

    // A tablet keeps the normal layout: the side menu (collapsed to icons in portrait), tables, no sideways scrolling.
    for (const width of [768, 1024]) {
      await page.setViewportSize({ width, height: width === 768 ? 1024 : 768 });
      await page.goto(web.base + '/leads');
      await page.getByTestId('side-menu').waitFor();
      expect(await page.getByTestId('menu-button').count()).toBe(0);
      const row = page.locator('tr.ant-table-row', { hasText: 'Zhao Lei' });
      expect(await row.evaluate((el) => getComputedStyle(el).display)).toBe('table-row');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    }
    // Reschedule a task from home (tablet size): the picker's "Now", then Save; the task is due now.
    await page.goto(web.base + '/');
    const demo = page.getByTestId('my-tasks').locator('.ant-list-item', { hasText: 'Book the demo' });
    const before = (
      await call(rep, 'GET', `/api/v1/activities?type=task&status=open&assigneeId=me`)
    ).items.find((a: any) => a.subject === 'Book the demo');
    await demo.getByTestId('reschedule').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Due').click();
    await page.locator('.ant-picker-now-btn').click(); // picks now and closes the picker
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(async () => (await call(rep, 'GET', `/api/v1/activities/${before.id}`)).version)
      .toBe(before.version + 1);
    const after = await call(rep, 'GET', `/api/v1/activities/${before.id}`);
    expect(Math.abs(Date.parse(after.dueAt) - Date.now())).toBeLessThan(5 * 60_000);
    // The account's panel gathers its opportunity's task, naming the opportunity.
    await page.goto(`${web.base}/accounts/${account.id}`);
    const accPanel = page.getByTestId('activity-panel');
    await accPanel
      .locator('.ant-list-item', { hasText: 'Book the demo' })
      .getByRole('link', { name: 'Opportunity: Lianhe CRM rollout' })
      .waitFor();
    await rep.dispose();
  }, 60_000);
});
