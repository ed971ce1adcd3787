// The order page's billing schedule editor in Chromium (shared harness in support/browser.ts): finance
// plans a confirmed order's billing as an advance on a date and a milestone on acceptance; the API's
// checks show at the fields (a payment-plan item without its bill date) and above the table (the
// percentages do not add up to 100); saved, the schedule lists both items with their amounts; operations
// is not offered the editor; the editor speaks Chinese to a Chinese finance user.
import { expect, it } from 'vitest';
import { describeBrowser, useBrowserHarness } from './support/browser.ts';

const ADMIN = { name: 'Ada Admin', email: 'admin@example.com', password: 'change-me-now' };
const PW = 'secret-pass-1';

describeBrowser('billing schedule editor in Chromium', () => {
  let orderId = '';
  let otherOrderId = '';
  const web = useBrowserHarness({
    name: 'schedule-editor',
    admin: ADMIN,
    seed: async (w) => {
      const admin = w.adminCookie;
      await w.call(admin, 'POST', '/api/v1/users', {
        email: 'fin@example.com',
        name: 'Fiona Finance',
        password: PW,
        role: 'finance',
        locale: 'en',
      });
      await w.call(admin, 'POST', '/api/v1/users', {
        email: 'cai@example.com',
        name: '蔡会计',
        password: PW,
        role: 'finance',
        locale: 'zh-CN',
      });
      await w.call(admin, 'POST', '/api/v1/users', {
        email: 'ops@example.com',
        name: 'Oscar Ops',
        password: PW,
        role: 'operations',
        locale: 'en',
      });
      const account = await w.call(admin, 'POST', '/api/v1/accounts', {
        name: '苏州云帆有限公司',
        currency: 'CNY',
      });
      for (const n of [1, 2]) {
        const o = await w.call(admin, 'POST', '/api/v1/orders', {
          accountId: account.id,
          lines: [
            { description: `MES 项目 ${n}`, quantity: '1', unitPriceMinor: 1_000_000, taxRate: '0.06' },
          ],
        });
        await w.call(admin, 'POST', `/api/v1/orders/${o.id}/confirm`, {});
        if (n === 1) orderId = o.id;
        else otherOrderId = o.id;
      }
    },
  });

  it('finance adds an advance and an acceptance milestone; the API’s checks show at the fields; operations gets no editor', async () => {
    const page = await web.newPage({ login: { email: 'fin@example.com', password: PW } });
    await page.goto(`${web.base}/orders/${orderId}`);
    const card = page.getByTestId('billing-schedule');
    // No schedule yet: the order is billed by hand.
    const byHand = page.getByText('Invoice what is not billed');
    await byHand.waitFor();
    await card.getByTestId('edit-schedule').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('No items: add a payment-plan item or a milestone').waitFor();
    // Item 1: an advance (30 %) billed on a date; item 2 (60 %) first made a payment-plan item without a date.
    await dialog.getByTestId('schedule-add').click();
    await dialog.getByLabel('Description 1').fill('预付款 Advance');
    await dialog.getByLabel('Percent 1').fill('30');
    await dialog.getByLabel('Bill date 1').fill('2026-12-15');
    await page.keyboard.press('Enter');
    await dialog.getByTestId('schedule-add').click();
    await dialog.getByLabel('Description 2').fill('验收款 Acceptance');
    await dialog.getByLabel('Percent 2').fill('60');
    const pick = async (label: string, option: string) => {
      await dialog.getByRole('combobox', { name: label }).click({ force: true });
      await page
        .locator('.ant-select-dropdown:visible .ant-select-item-option')
        .filter({ hasText: option })
        .click();
    };
    await pick('Kind 2', 'Payment plan');
    await dialog.getByRole('button', { name: 'Save schedule' }).click();
    // The server's words at the field of the item that lacks its date.
    await dialog.getByText('a payment-plan item needs its bill date').waitFor();
    await web.shot(page, 'schedule-editor-field-error-en');
    // Made a milestone on acceptance (+30 days): the plan is refused as a whole (90 %, not 100 %), above
    // the table; nothing typed is lost.
    await pick('Kind 2', 'Milestone');
    await pick('Due 2', 'When the order is accepted');
    await dialog.getByLabel('Days after 2').fill('30');
    await dialog.getByRole('button', { name: 'Save schedule' }).click();
    await expect
      .poll(() => dialog.getByTestId('schedule-editor-error').textContent())
      .toContain('the percentages add up to 90%, not 100%');
    expect(await dialog.getByLabel('Description 2').inputValue()).toBe('验收款 Acceptance');
    await dialog.getByLabel('Percent 2').fill('70');
    await expect
      .poll(() => dialog.getByTestId('schedule-editor-total').textContent())
      .toBe('Total 100% (must be 100%)');
    await dialog.getByRole('button', { name: 'Save schedule' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The schedule: ¥10,600.00 split 30 / 70.
    await card.getByText('预付款 Advance').waitFor();
    await expect.poll(() => card.locator('tbody tr').count()).toBe(2);
    const rows = await card
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => (tr.textContent ?? '').replace(/\s+/g, ' ')));
    expect(rows[0]).toContain('¥3,180.00 (30%)');
    expect(rows[1]).toContain('¥7,420.00 (70%)');
    expect(rows[1]).toContain('When the order is accepted + 30 days');
    const cookie = await web.signIn('fin@example.com', PW);
    const schedule = await web.call(cookie, 'GET', `/api/v1/orders/${orderId}/billing-schedule`);
    expect(
      schedule.items.map((i: any) => [i.kind, i.percent, i.amountMinor, i.billDate, i.trigger, i.offsetDays]),
    ).toEqual([
      ['payment_plan', '30', 318_000, '2026-12-15', 'date', 0],
      ['milestone', '70', 742_000, null, 'order_accepted', 30],
    ]);
    // Billed by its schedule now: billing by hand (which the server refuses) is no longer offered.
    await expect.poll(() => byHand.count()).toBe(0);
    // Edited again: the advance moves to another day (the editor opens with the saved items).
    await card.getByTestId('edit-schedule').click();
    await expect.poll(() => dialog.getByLabel('Description 1').inputValue()).toBe('预付款 Advance');
    await web.shot(page, 'schedule-editor-en');
    await dialog.getByLabel('Bill date 1').fill('2026-12-20');
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'Save schedule' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect
      .poll(
        async () =>
          (await web.call(cookie, 'GET', `/api/v1/orders/${orderId}/billing-schedule`)).items[0].billDate,
      )
      .toBe('2026-12-20');
    // The editor sent each row's item id: the items stayed the same items.
    const again = await web.call(cookie, 'GET', `/api/v1/orders/${orderId}/billing-schedule`);
    expect(again.items.map((i: any) => i.id)).toEqual(schedule.items.map((i: any) => i.id));
    expect(web.errors(page)).toEqual([]);

    // Operations (who reads orders but may not write invoices) sees the schedule, not the editor.
    const rep = await web.newPage({ login: { email: 'ops@example.com', password: PW } });
    await rep.goto(`${web.base}/orders/${orderId}`);
    await rep.getByTestId('billing-schedule').getByText('预付款 Advance').waitFor();
    expect(await rep.getByTestId('edit-schedule').count()).toBe(0);
  });

  it('speaks Chinese to a Chinese finance user', async () => {
    const page = await web.newPage({ locale: 'zh-CN', login: { email: 'cai@example.com', password: PW } });
    await page.goto(`${web.base}/orders/${otherOrderId}`);
    await page.getByTestId('billing-schedule').getByRole('button', { name: '编辑开票计划' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('没有条目：请添加回款节点或里程碑').waitFor();
    await dialog.getByRole('button', { name: '添加条目' }).click();
    await dialog.getByText('合计 0%（须为 100%）').waitFor();
    await web.shot(page, 'schedule-editor-zh');
    expect(web.errors(page)).toEqual([]);
  });
});
