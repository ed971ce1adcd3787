// Lead import in a real browser (Debian's Chromium via playwright-core) against the real server:
// upload a CSV with a bad row and a duplicate, check the detected mapping, import, read the result,
// download the error report, and see the score reasons on an imported lead.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { BrowserContext } from 'playwright-core';
import type { DatabaseHandle } from '@openltc/db';
import { buildApp } from '@openltc/server/app';
import { loadConfig } from '@openltc/server/config';
import { openDatabase } from '@openltc/server/runtime';

const CHROMIUM = '/usr/bin/chromium';
const WEB_DIST = path.resolve(import.meta.dirname, '../../../apps/web/dist');
const haveChromium = fs.existsSync(CHROMIUM);

describe.skipIf(!haveChromium && !process.env.CI)('lead import in Chromium', () => {
  let dir: string;
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  let base: string;
  let ctx: BrowserContext | undefined;
  let cookie = '';

  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(base + url, {
      method,
      headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return { res, json: (await res.json()) as any };
  };

  beforeAll(async () => {
    if (!fs.existsSync(path.join(WEB_DIST, 'index.html')))
      throw new Error('apps/web/dist is missing: run `node scripts/web-build.mjs`');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ltc-web-import-'));
    const cfg = loadConfig({
      LTC_DATA_DIR: dir,
      LTC_WEB_DIR: WEB_DIST,
      LTC_WORKER: 'off',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      PORT: '0',
    } as NodeJS.ProcessEnv);
    handle = await openDatabase(cfg);
    app = await buildApp({ handle, config: cfg, logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no port');
    base = `http://127.0.0.1:${addr.port}`;
    const { res } = await call('POST', '/api/v1/setup', {
      admin: { name: '管理员 Admin', email: 'admin@example.com', password: 'change-me-now' },
    });
    cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
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
  });

  afterAll(async () => {
    await ctx?.close().catch(() => undefined);
    await app?.close();
    await handle?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports a CSV with one bad row and one duplicate, and offers the error report', async () => {
    const { chromium } = await import('playwright-core');
    ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(dir, 'profile-')), {
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-sync',
      ],
      locale: 'zh-CN',
      viewport: { width: 1360, height: 900 },
      acceptDownloads: true,
    });
    const [name, value] = cookie.split(';')[0]!.split('=');
    await ctx.addCookies([{ name: name!, value: value!, url: base }]);
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await page.goto(`${base}/leads`);
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
    const { json } = await call('GET', '/api/v1/leads?q=张伟');
    await page.goto(`${base}/leads/${json.items[0].id}`);
    await expect.poll(() => page.getByTestId('lead-score').textContent()).toBe('25');
    await expect.poll(() => page.getByTestId('score-reasons').textContent()).toBe('展会来源 +20有邮箱 +5');
    expect(errors).toEqual([]);
  }, 60_000);
});
