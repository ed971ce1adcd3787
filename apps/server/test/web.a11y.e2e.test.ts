// Accessibility audit of the key screens: axe-core (from node_modules, injected into the page — no
// download) runs in Debian's Chromium on sign-in, home, the leads list, a lead, the opportunity
// board, a quote and an invoice, at desktop size and on a phone, and the test fails on any
// serious or critical WCAG 2.1 A/AA violation. Also checks the keyboard: the sign-in form is
// filled and sent with Tab and Enter, Escape closes the search, focus is visible.
import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import type { APIRequestContext, Page } from 'playwright-core';
import { describeBrowser, useBrowserHarness } from './support/browser.ts';

// What the functions passed to page.evaluate use runs in the browser; this file is compiled without the DOM library.
declare const document: any;
declare const window: any;
declare function getComputedStyle(el: unknown): any;
type HTMLElement = any;

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PW = 'secret-pass-1';

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

describeBrowser('accessibility of the key screens (axe-core)', () => {
  const ids: Record<string, string> = {};
  const web = useBrowserHarness({
    name: 'a11y',
    seed: async () => {
      const base = web.base;
      // A small company: a lead, a deal with a quote, an order and a draft invoice, and a task.
      const { request } = await import('playwright-core');
      const api = await request.newContext({ baseURL: base });
      const call = async (c: APIRequestContext, url: string, data: object = {}) => {
        const res = await c.post(url, { data });
        if (!res.ok()) throw new Error(`POST ${url}: ${res.status()} ${await res.text()}`);
        return res.json();
      };
      await call(api, '/api/v1/setup', {
        admin: { email: 'admin@example.com', name: 'Ada Admin', password: PW, locale: 'en' },
      });
      await call(api, '/api/v1/auth/login', { email: 'admin@example.com', password: PW });
      const lead = await call(api, '/api/v1/leads', {
        name: '赵磊',
        company: '杭州星辰数据有限公司',
        source: 'web',
      });
      const product = await call(api, '/api/v1/products', {
        sku: 'SRV-A11Y',
        name: 'Cloud Server',
        kind: 'goods',
        unit: '台',
        listPriceMinor: 1_000_000,
        taxRate: '0.13',
      });
      const account = await call(api, '/api/v1/accounts', {
        name: 'Hangzhou Xingchen Data',
        currency: 'CNY',
      });
      const opp = await call(api, '/api/v1/opportunities', {
        name: 'Xingchen CRM',
        accountId: account.id,
        amountMinor: 2_260_000,
        currency: 'CNY',
      });
      const quote = await call(api, `/api/v1/opportunities/${opp.id}/quotes`, {
        lines: [{ productId: product.id, quantity: '2' }],
      });
      await call(api, `/api/v1/quotes/${quote.id}/submit`);
      await call(api, `/api/v1/quotes/${quote.id}/approve`);
      await call(api, `/api/v1/quotes/${quote.id}/send`);
      await call(api, `/api/v1/quotes/${quote.id}/accept`);
      const order = await call(api, `/api/v1/quotes/${quote.id}/order`);
      await call(api, `/api/v1/orders/${order.id}/confirm`);
      const invoice = await call(api, `/api/v1/orders/${order.id}/invoices`);
      await call(api, '/api/v1/activities', {
        type: 'call',
        parentType: 'lead',
        parentId: lead.id,
        subject: '首次电话',
        outcome: 'connected',
      });
      await call(api, '/api/v1/activities', {
        type: 'task',
        parentType: 'lead',
        parentId: lead.id,
        subject: 'Send the proposal',
        dueAt: new Date(Date.now() - 3_600_000).toISOString(),
      });
      await api.dispose();
      Object.assign(ids, { lead: lead.id, quote: quote.id, invoice: invoice.id });
    },
  });

  const newPage = (viewport: { width: number; height: number }, mobile = false): Promise<Page> =>
    web.newPage({ viewport, ...(mobile ? { isMobile: true, hasTouch: true } : {}) });

  /** Serious and critical WCAG 2.1 A/AA violations on the page as it is now. */
  async function audit(page: Page): Promise<string[]> {
    await page.waitForTimeout(300); // let animations settle (axe reads computed colours)
    if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
    const violations = (await page.evaluate(() =>
      (window as any).axe
        .run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
          resultTypes: ['violations'],
        })
        .then((r: any) => r.violations),
    )) as Violation[];
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help} — ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(' | ')}`,
      );
  }

  const SCREENS: Array<{ name: string; url: () => string; ready: (p: Page) => Promise<unknown> }> = [
    {
      name: 'home',
      url: () => '/',
      ready: (p) => p.getByTestId('my-tasks').getByText('Send the proposal').waitFor(),
    },
    {
      name: 'leads list',
      url: () => '/leads',
      ready: (p) => p.locator('tr.ant-table-row').first().waitFor(),
    },
    {
      name: 'lead',
      url: () => `/leads/${ids.lead}`,
      ready: (p) => p.getByTestId('activity-panel').getByText('首次电话').waitFor(),
    },
    {
      name: 'opportunity board',
      url: () => '/opportunities',
      ready: (p) => p.getByText('Xingchen CRM').first().waitFor(),
    },
    {
      name: 'quote',
      url: () => `/quotes/${ids.quote}`,
      ready: (p) => p.getByText('Cloud Server').first().waitFor(),
    },
    {
      name: 'invoice',
      url: () => `/invoices/${ids.invoice}`,
      ready: (p) => p.getByText('Cloud Server').first().waitFor(),
    },
  ];

  for (const size of [
    { label: 'desktop', viewport: { width: 1360, height: 860 }, mobile: false },
    { label: 'phone', viewport: { width: 390, height: 844 }, mobile: true },
  ])
    it(`has no serious or critical violations on the key screens (${size.label})`, async () => {
      const page = await newPage(size.viewport, size.mobile);
      const found: Record<string, string[]> = {};
      await page.goto(web.base + '/login');
      await page.locator('#email').waitFor();
      found.login = await audit(page);
      await page.request.post(`${web.base}/api/v1/auth/login`, {
        data: { email: 'admin@example.com', password: PW },
      });
      for (const s of SCREENS) {
        await page.goto(web.base + s.url());
        await s.ready(page);
        found[s.name] = await audit(page);
      }
      expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
    }, 60_000);

  it('works by keyboard: sign in with Tab and Enter, visible focus, Escape closes the search', async () => {
    const page = await newPage({ width: 1280, height: 800 });
    await page.goto(web.base + '/login');
    await page.locator('#email').focus();
    await page.keyboard.type('admin@example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PW);
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    await page.getByTestId('my-tasks').waitFor();
    // Tab moves focus onto something that shows it (an outline or a box shadow).
    await page.keyboard.press('Tab');
    const shown = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return false;
      const cs = getComputedStyle(el);
      return (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none';
    });
    expect(shown).toBe(true);
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    // Focus goes into the search box, so typing searches at once and Escape closes it.
    await expect
      .poll(() => page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]')))
      .toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  }, 30_000);
});
