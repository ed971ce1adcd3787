// Lead import in a real browser (Debian's Chromium via playwright-core) against the real server:
// upload a CSV with a bad row and a duplicate, check the detected mapping, import, read the result,
// download the error report, and see the score reasons on an imported lead.
import fs from 'node:fs';
import { expect, it } from 'vitest';
import { describeBrowser, useBrowserHarness } from './support/browser.ts';

describeBrowser('lead import in Chromium', () => {
  const web = useBrowserHarness({
    name: 'import',
    admin: { name: '管理员 Admin', email: 'admin@example.com', password: 'change-me-now' },
    seed: async () => {
      const call = (method: 'GET' | 'POST', url: string, body?: unknown) =>
        web.call(web.adminCookie, method, url, body);
      await call('POST', '/api/v1/lead-scoring/rules', {
        name: '展会来源',
        field: 'source',
        operator: 'eq',
        value: '展会',
        points: 20,
      });
      await call('POST', '/api/v1/lead-scoring/rules', {
        name: '有邮箱',
        field: 'email',
        operator: 'present',
        points: 5,
      });
      await call('POST', '/api/v1/leads', { name: '老客户 刘洋', email: 'liu.yang@old.cn' });
    },
  });

  const call = (method: 'GET' | 'POST', url: string, body?: unknown) =>
    web.call(web.adminCookie, method, url, body);

  it('imports a CSV with one bad row and one duplicate, and offers the error report', async () => {
    const page = await web.newPage({
      locale: 'zh-CN',
      viewport: { width: 1360, height: 900 },
      login: { email: 'admin@example.com', password: 'change-me-now' },
    });

    await page.goto(`${web.base}/leads`);
    await page.getByTestId('import-leads').click();
    await expect.poll(() => page.url()).toMatch(/\/leads\/import$/);
    const csv =
      '\ufeff姓名,公司,手机,邮箱,来源\n张伟,星河制造,13900000001,zhang.wei@xinghe.cn,展会\n李娜,蓝海科技,13900000002,not-an-email,官网\n刘洋,旧公司,,LIU.YANG@old.cn,展会\n王芳,云栈科技,13900000004,,展会\n';
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: '展会线索.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-preview').waitFor();
    await expect.poll(() => page.getByTestId('import-detected').textContent()).toContain('4');
    // The detected mapping, editable: 手机 → phone, 邮箱 → email.
    await expect.poll(() => page.getByTestId('map-手机').first().textContent()).toBe('电话');
    await expect.poll(() => page.getByTestId('map-邮箱').first().textContent()).toBe('邮箱');
    await expect
      .poll(() => page.getByTestId('import-preview').textContent())
      .toContain('zhang.wei@xinghe.cn');
    await page.getByTestId('import-start').click();

    const result = page.getByTestId('import-result');
    await result.waitFor();
    await expect.poll(() => result.textContent()).toMatch(/新建2更新0重复1错误1/);
    const issues = page.getByTestId('import-issues');
    await expect.poll(() => issues.textContent()).toContain('已有相同邮箱的线索');
    await expect.poll(() => issues.textContent()).toContain('老客户 刘洋');
    await expect.poll(() => issues.textContent()).toMatch(/3错误邮箱/);

    const [dl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('import-report').click(),
    ]);
    expect(dl.suggestedFilename()).toBe('展会线索-errors.csv');
    const report = fs.readFileSync((await dl.path())!, 'utf8');
    expect(report.split('\r\n').filter(Boolean)).toHaveLength(3);
    expect(report).toContain('李娜,蓝海科技,13900000002,not-an-email,官网,3,error,');
    expect(report).toContain('LIU.YANG@old.cn');

    // An imported lead shows its score and why.
    const json = await call('GET', '/api/v1/leads?q=张伟');
    await page.goto(`${web.base}/leads/${json.items[0].id}`);
    await expect.poll(() => page.getByTestId('lead-score').textContent()).toBe('25');
    await expect.poll(() => page.getByTestId('score-reasons').textContent()).toBe('展会来源 +20有邮箱 +5');
    expect(web.errors(page)).toEqual([]);
  }, 60_000);

  it('takes what a column may fill from the server: while it cannot be read the page says so and offers a retry', async () => {
    const page = await web.newPage({
      locale: 'zh-CN',
      viewport: { width: 1360, height: 900 },
      login: { email: 'admin@example.com', password: 'change-me-now' },
    });
    const schemaUrl = '**/api/v1/leads/import/schema';
    await page.route(schemaUrl, (r) =>
      r.fulfill({
        status: 500,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500, code: 'internal' }),
      }),
    );
    await page.goto(`${web.base}/leads/import`);
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: '规模.csv', mimeType: 'text/csv', buffer: Buffer.from('姓名,员工数,来源\n赵敏,500,官网\n') });
    await page.getByTestId('import-preview').waitFor();
    const alert = page.getByRole('alert').filter({ hasText: '重试' });
    await alert.waitFor();
    expect(await page.getByTestId('import-start').isDisabled()).toBe(true);

    await page.unroute(schemaUrl);
    await alert.getByRole('button', { name: '重试' }).click();
    // The server's labels: a lead field and the suggested custom field.
    await expect.poll(() => page.getByTestId('map-来源').first().textContent(), { timeout: 10_000 }).toBe('来源');
    await expect.poll(() => page.getByTestId('map-员工数').first().textContent()).toBe('公司规模（自定义字段 employees）');
    expect(await page.getByTestId('import-start').isDisabled()).toBe(false);
    await page.getByTestId('map-姓名').first().click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '不导入' }).click();
    await expect.poll(() => page.getByTestId('import-missing').textContent()).toContain('名称');
    expect(await page.getByTestId('import-start').isDisabled()).toBe(true);
    expect(web.errors(page)).toEqual([]);
  }, 60_000);

  it('offers the scoring operators the server serves, each with the value it takes', async () => {
    const page = await web.newPage({
      locale: 'zh-CN',
      viewport: { width: 1360, height: 900 },
      login: { email: 'admin@example.com', password: 'change-me-now' },
    });
    await page.goto(`${web.base}/settings?tab=lead-scoring`);
    await page.getByTestId('scoring-add').click();
    const modal = page.locator('.ant-modal:visible');
    await modal.locator('#name').fill('渠道属于展会或官网');
    const pick = async (id: string, option: string) => {
      await modal.locator(`.ant-form-item:has(#${id}) .ant-select-selector`).click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: option }).first().click();
    };
    await pick('operator', '已填写');
    expect(await modal.locator('#value').count()).toBe(0);
    await pick('operator', '属于');
    await expect.poll(() => modal.textContent()).toContain('多个值用逗号分隔');
    await modal.locator('#value').fill('展会，官网');
    await modal.locator('#points').fill('15');
    await page.locator('.ant-modal-footer:visible .ant-btn-primary').click();
    const rules = page.getByTestId('scoring-rules');
    await expect.poll(() => rules.textContent(), { timeout: 10_000 }).toContain('渠道属于展会或官网');
    await expect.poll(() => rules.textContent()).toContain('属于 展会 / 官网');
    const saved = (await call('GET', '/api/v1/lead-scoring/rules')).items.find((r: any) => r.name === '渠道属于展会或官网');
    expect(saved).toMatchObject({ field: 'source', operator: 'in', value: ['展会', '官网'], points: 15 });
    expect(web.errors(page)).toEqual([]);
  }, 60_000);
});
