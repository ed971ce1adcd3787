// The shared harness of the browser tests: the real server (built web app in apps/web/dist, SQLite in a
// temp folder, 127.0.0.1 on a free port) and Debian's Chromium driven by playwright-core, with no
// browser download. One call inside a describe block sets it all up and tears it down:
//
//   const web = useBrowserHarness({ name: 'billing', admin: ADMIN });
//   it('…', async () => { const page = await web.newPage({ login: ADMIN }); await page.goto(web.base + '/'); … });
//
// Options: the first administrator created (or none, for tests that walk the first-run screen), the
// demo company loaded, a seed function run once the server listens. Each page gets a fresh Chromium
// profile (own cookies and localStorage). When a test fails, every open page is saved as a PNG into
// LTC_FAILURE_DIR (default: a folder in the system temp dir) and the path is printed. Set
// LTC_SCREENSHOT_DIR to keep the screenshots the tests take of key screens (`web.shot`), and
// LTC_TEST_WEB_DIR to serve another build than apps/web/dist (e.g. a copy that a rebuild cannot
// replace halfway through a run).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import type { DatabaseHandle } from '@openltc/db';
import { buildApp } from '@openltc/server/app';
import { loadConfig } from '@openltc/server/config';
import { openDatabase } from '@openltc/server/runtime';
import type { DemoOptions } from '../../src/demo/demo.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const ROOT = path.resolve(import.meta.dirname, '../../../..');
export const WEB_DIST = process.env.LTC_TEST_WEB_DIR ?? path.join(ROOT, 'apps/web/dist');
export const SHOTS = process.env.LTC_SCREENSHOT_DIR;
export const FAILURE_DIR = process.env.LTC_FAILURE_DIR ?? path.join(os.tmpdir(), 'ltc-e2e-failures');
export const haveChromium = fs.existsSync(CHROMIUM);
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

if (!haveChromium && !process.env.CI)
  console.warn(
    `\n! web e2e skipped: ${CHROMIUM} not found (install the Debian packages chromium and fonts-noto-cjk to run it)\n`,
  );

/** describe() that is skipped on a machine without Chromium, except in CI where Chromium is required. */
export const describeBrowser = describe.skipIf(!haveChromium && !process.env.CI);

export interface Credentials {
  email: string;
  password: string;
}
export interface AdminSpec extends Credentials {
  name: string;
  locale?: 'en' | 'zh-CN';
}

export interface HarnessOptions {
  /** Part of the temp folder's name, to tell the runs apart. */
  name: string;
  /** The first administrator, created through POST /api/v1/setup; without it the app is on its first-run screen. */
  admin?: AdminSpec;
  /** Load the demo company (through the same loader as the first-run screen's checkbox); needs `admin`. */
  demo?: boolean | Omit<DemoOptions, 'log'>;
  /** Runs once after the server listens (and after setup), e.g. to create the test's records. */
  seed?: (web: BrowserHarness) => Promise<void>;
}

export interface PageOptions {
  /** The browser language (navigator.language), e.g. 'en-US' or 'zh-CN'. Default 'en-US'. */
  locale?: string;
  viewport?: { width: number; height: number };
  isMobile?: boolean;
  hasTouch?: boolean;
  deviceScaleFactor?: number;
  /** Sign in before the first page load (the session cookie lands in this profile). */
  login?: Credentials;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export class BrowserHarness {
  dir = '';
  handle!: DatabaseHandle;
  app!: FastifyInstance;
  /** http://127.0.0.1:<port> */
  base = '';
  /** The session cookie of the first administrator (when `admin` was given). */
  adminCookie = '';
  private readonly contexts: BrowserContext[] = [];
  private readonly pageErrors = new WeakMap<Page, string[]>();

  constructor(readonly options: HarnessOptions) {}

  async start(): Promise<void> {
    if (!fs.existsSync(path.join(WEB_DIST, 'index.html')))
      throw new Error(
        'apps/web/dist is missing: run `node scripts/web-build.mjs` (npm test does it for you)',
      );
    if (!haveChromium) throw new Error(`${CHROMIUM} is required in CI (Debian package chromium)`);
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `ltc-web-${this.options.name}-`));
    const cfg = loadConfig({
      LTC_DATA_DIR: this.dir,
      LTC_WEB_DIR: WEB_DIST,
      LTC_WORKER: 'off',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      PORT: '0',
    } as NodeJS.ProcessEnv);
    this.handle = await openDatabase(cfg);
    this.app = await buildApp({ handle: this.handle, config: cfg, logger: false });
    await this.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = this.app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no port');
    this.base = `http://127.0.0.1:${addr.port}`;
    if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });
    const { admin, demo, seed } = this.options;
    if (demo && !admin) throw new Error('the demo company needs an administrator (option admin)');
    if (admin) {
      const res = await this.app.inject({ method: 'POST', url: '/api/v1/setup', payload: { admin } });
      if (res.statusCode !== 201) throw new Error(`setup: ${res.statusCode} ${res.body}`);
      this.adminCookie = await this.signIn(admin.email, admin.password);
      if (demo) {
        const { loadDemoData } = await import('../../src/demo/demo.ts');
        await loadDemoData(this.handle, demo === true ? {} : demo);
      }
    }
    if (seed) await seed(this);
  }

  async stop(): Promise<void> {
    for (const c of this.contexts.splice(0)) await c.close().catch(() => undefined);
    await this.app?.close();
    await this.handle?.close();
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Signs in through the API (in-process) and returns the session cookie ("name=value"). */
  async signIn(email: string, password: string): Promise<string> {
    const res = await this.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password },
    });
    if (res.statusCode !== 200) throw new Error(`login ${email}: ${res.statusCode} ${res.body}`);
    return String(res.headers['set-cookie']).split(';')[0]!;
  }

  /** An API call (in-process) as the holder of this cookie; throws on any status of 300 and above. */
  async call<T = any>(
    cookie: string,
    method: Method,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const res = await this.app.inject({
      method,
      url,
      headers: { cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      payload: body !== undefined ? JSON.stringify(body) : undefined,
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return (res.body ? res.json() : undefined) as T;
  }

  /** Chromium with a fresh profile (own user-data-dir, cookies, localStorage), optionally signed in. */
  async newPage(opts: PageOptions = {}): Promise<Page> {
    const { chromium } = await import('playwright-core');
    const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(this.dir, 'profile-')), {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      locale: opts.locale ?? 'en-US',
      viewport: opts.viewport ?? { width: 1360, height: 860 },
      ...(opts.isMobile !== undefined ? { isMobile: opts.isMobile } : {}),
      ...(opts.hasTouch !== undefined ? { hasTouch: opts.hasTouch } : {}),
      ...(opts.deviceScaleFactor !== undefined ? { deviceScaleFactor: opts.deviceScaleFactor } : {}),
      timezoneId: 'Asia/Shanghai',
    });
    this.contexts.push(ctx);
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    this.pageErrors.set(page, errors);
    if (opts.login) await this.login(page, opts.login);
    return page;
  }

  /** Signs this page's browser profile in (the session cookie is set for the app's origin). */
  async login(page: Page, who: Credentials): Promise<void> {
    const res = await page.request.post(`${this.base}/api/v1/auth/login`, {
      data: { email: who.email, password: who.password },
    });
    if (res.status() !== 200) throw new Error(`login ${who.email}: ${res.status()} ${await res.text()}`);
  }

  /** Uncaught errors thrown in the page's JavaScript since it was opened. */
  errors(page: Page): string[] {
    return this.pageErrors.get(page) ?? [];
  }

  /** Keeps a screenshot of a key screen when LTC_SCREENSHOT_DIR is set. */
  async shot(page: Page, name: string): Promise<void> {
    if (!SHOTS) return;
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  }

  /** Saves every open page as a PNG (called when a test fails); returns the files written. */
  async captureFailure(testName: string): Promise<string[]> {
    const slug = testName
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 80);
    const files: string[] = [];
    fs.mkdirSync(FAILURE_DIR, { recursive: true });
    let n = 0;
    for (const ctx of this.contexts)
      for (const page of ctx.pages()) {
        if (page.isClosed()) continue;
        const file = path.join(FAILURE_DIR, `${this.options.name}-${slug}-${++n}.png`);
        try {
          await page.screenshot({ path: file, timeout: 5_000 });
          files.push(`${file} (${page.url()})`);
        } catch {
          // a page that cannot be drawn any more: nothing to keep
        }
      }
    return files;
  }
}

/**
 * Registers the harness's hooks in the current describe block (start before the first test, a
 * screenshot of every page when a test fails, teardown after the last) and returns it; its fields are
 * set once the tests run.
 */
export function useBrowserHarness(options: HarnessOptions): BrowserHarness {
  const web = new BrowserHarness(options);
  beforeAll(() => web.start());
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    const files = await web.captureFailure(task.name);
    if (files.length)
      console.warn(`\n! screenshots of the failed test "${task.name}":\n  ${files.join('\n  ')}\n`);
  });
  afterAll(() => web.stop());
  return web;
}
