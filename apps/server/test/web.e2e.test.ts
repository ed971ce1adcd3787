// The web app in a real browser: Debian's Chromium driven by playwright-core against the real
// server (built web app in apps/web/dist, SQLite in a temp folder, 127.0.0.1 on a free port), through
// the shared harness in support/browser.ts. The test command builds apps/web when the build is stale;
// this file builds nothing itself. Set LTC_SCREENSHOT_DIR to keep screenshots of the key screens.
import fs from 'node:fs';
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeBrowser, useBrowserHarness } from './support/browser.ts';

const ADMIN = { name: 'Ada Admin', email: 'admin@example.com', password: 'change-me-now' };

describeBrowser('web app in Chromium', () => {
  const web = useBrowserHarness({ name: 'e2e' });
  /** Chromium with a fresh profile (own user-data-dir, cookies, localStorage) and the given browser language. */
  const newPage = (locale: string) => web.newPage({ locale });
  const shot = (page: Page, name: string) => web.shot(page, name);

  async function createLeadAndConvert(
    page: Page,
    t: Record<string, string>,
    lead: { name: string; company: string },
    amount: string,
  ) {
    await page.getByRole('menuitem', { name: t.leads }).click();
    await page.getByTestId('new-lead').click();
    await page.locator('#name').fill(lead.name);
    await page.locator('#company').fill(lead.company);
    await page.locator('#source').fill('web');
    await page.getByTestId('save').click();
    await expect.poll(() => page.url()).toMatch(/\/leads\/lead_[0-9A-Z]+$/);
    await page.locator('[data-status="new"]').waitFor();
    await page.getByRole('button', { name: t.qualify, exact: true }).click();
    await page.locator('[data-status="qualified"]').waitFor();
    await page.getByRole('button', { name: t.convert, exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await expect.poll(() => dialog.locator('#accountName').inputValue()).toBe(lead.company);
    await dialog.locator('#amount').fill(amount);
    await dialog.locator('#convert-submit').click();
    await expect.poll(() => page.url()).toMatch(/\/opportunities\/opp_[0-9A-Z]+$/);
  }

  /** The status tag next to the page title (the lead-to-cash thread shows tags of its own). */
  const headerStatus = (page: Page) =>
    page.locator(
      'xpath=//h3/ancestor::div[contains(concat(" ", @class, " "), " ant-space ")][1]//*[@data-status]',
    );

  interface CashWords {
    editLines: string;
    save: string;
    toOrder: string;
    ship: string;
    invoiceRest: string;
    recordPayment: string;
    approved: string;
    paid: string;
    total: string;
    /** When given, the order comes from a contract: quote → contract → legal review → approve → signed → order. */
    contract?: { toContract: string; sign: string; signedBy: string };
  }

  /**
   * From a draft quote on screen to cash, by clicks only: a catalog line, submit, approve (the
   * administrator may), send, accept, win the deal, order, confirm, ship everything, deliver,
   * invoice what is not billed, issue, record the full payment; the invoice is paid, the order 100 %.
   */
  async function quoteToCash(page: Page, w: CashWords, product: string) {
    const quoteUrl = page.url();
    await page.getByRole('button', { name: w.editLines }).click();
    const lines = page.getByRole('dialog');
    // The product picker of the first line (the dialog also has price book and tax code selects).
    await lines
      .locator('.ant-select')
      .filter({ has: page.locator('#lines_0_productId') })
      .click();
    await page.locator('.ant-select-item-option').filter({ hasText: product }).click();
    await expect
      .poll(() => lines.locator('#lines_0_description').inputValue(), { timeout: 10_000 })
      .toBe(product);
    await lines.locator('#lines_0_quantity').fill('2');
    await lines.getByRole('button', { name: w.save }).click();
    await lines.waitFor({ state: 'hidden' });
    await page.getByText(w.total).first().waitFor();
    for (const [action, status] of [
      ['submit', 'submitted'],
      ['approve', 'approved'],
      ['send', 'sent'],
      ['accept', 'accepted'],
    ] as const) {
      await page.locator(`[data-action="${action}"]`).click();
      await headerStatus(page)
        .and(page.locator(`[data-status="${status}"]`))
        .waitFor();
      if (status === 'approved') await headerStatus(page).getByText(w.approved).waitFor();
    }
    // The deal is won on its own page (which lists no quotes), then the browser's Back returns to the quote.
    await page.locator('.ant-descriptions a[href^="/opportunities/"]').click();
    await page.locator('[data-action="win"]').click();
    await headerStatus(page).and(page.locator('[data-status="won"]')).waitFor();
    await page.goBack();
    expect(page.url()).toBe(quoteUrl);
    if (w.contract) {
      // The contract path: drafted from the accepted quote, reviewed and approved by legal (the
      // administrator may), signed by the customer, then the order comes from the signed contract.
      await page.getByRole('button', { name: w.contract.toContract }).click();
      await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/\/contracts\/[a-z]+_[0-9A-Z]+$/);
      for (const [action, status] of [
        ['submit', 'in_review'],
        ['approve', 'approved'],
      ] as const) {
        await page.locator(`[data-action="${action}"]`).click();
        await headerStatus(page)
          .and(page.locator(`[data-status="${status}"]`))
          .waitFor();
      }
      await page.locator('[data-action="sign"]').click();
      const sign = page.getByRole('dialog');
      await sign.locator('#signedBy').fill(w.contract.signedBy);
      await sign.getByRole('button', { name: w.contract.sign }).click();
      await headerStatus(page).and(page.locator('[data-status="signed"]')).waitFor();
      await page.getByText(w.contract.signedBy).first().waitFor();
    }
    await page.getByRole('button', { name: w.toOrder }).click();
    await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/\/orders\/ord?_[0-9A-Z]+$/);
    await page.locator('[data-action="confirm"]').click();
    await headerStatus(page).and(page.locator('[data-status="confirmed"]')).waitFor();
    await page.getByRole('button', { name: new RegExp(`${w.ship}$`) }).click();
    const ship = page.getByRole('dialog');
    await ship.getByText(product).waitFor();
    await ship.getByRole('button', { name: w.ship, exact: true }).click();
    await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/\/deliveries\/[a-z]+_[0-9A-Z]+$/);
    await page.locator('[data-action="deliver"]').click();
    await headerStatus(page).and(page.locator('[data-status="delivered"]')).waitFor();
    await page.locator('.ant-descriptions a[href^="/orders/"]').click();
    await page.getByRole('button', { name: w.invoiceRest }).click();
    await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/\/invoices\/[a-z]+_[0-9A-Z]+$/);
    await page.locator('[data-action="issue"]').click();
    await headerStatus(page).and(page.locator('[data-status="issued"]')).waitFor();
    await page.getByRole('button', { name: w.recordPayment }).click();
    const pay = page.getByRole('dialog');
    await expect
      .poll(() => pay.locator('#amount').inputValue(), { timeout: 10_000 })
      .toMatch(/^22,?600(\.00)?$/);
    await pay.getByRole('button', { name: w.save }).click();
    await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/\/payments\/[a-z]+_[0-9A-Z]+$/);
    await page.locator('a[href^="/invoices/"]').first().click();
    await headerStatus(page).getByText(w.paid, { exact: true }).waitFor();
    await page.locator('.ant-descriptions a[href^="/orders/"]').click();
    await headerStatus(page).and(page.locator('[data-status="fulfilled"]')).waitFor();
    await expect
      .poll(
        () =>
          page
            .locator('.ant-progress[aria-valuenow]')
            .evaluateAll((els) => els.map((e) => e.getAttribute('aria-valuenow'))),
        { timeout: 10_000 },
      )
      .toEqual(['100', '100', '100']);
  }

  it('first run, a lead from creation to the pipeline board, in English', async () => {
    const page = await newPage('en-US');
    await page.goto(web.base + '/');
    await expect.poll(() => page.url()).toBe(`${web.base}/setup`);
    await page.getByText('Welcome to OpenLTC').waitFor();
    await shot(page, 'setup-en');
    await page.locator('#name').fill(ADMIN.name);
    await page.locator('#email').fill(ADMIN.email);
    await page.locator('#password').fill(ADMIN.password);
    await page.locator('#confirm').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create administrator and sign in' }).click();
    await page.getByText(`Welcome, ${ADMIN.name}`).waitFor();
    const menu = page.getByTestId('side-menu');
    for (const item of ['Home', 'Leads', 'Opportunities', 'Accounts', 'Contacts', 'Settings'])
      await menu.getByText(item, { exact: true }).waitFor();

    await createLeadAndConvert(
      page,
      { leads: 'Leads', qualify: 'Qualify', convert: 'Convert' },
      { name: 'Wang Fang', company: 'Yunqi Technology' },
      '120,000.50',
    );
    // 120,000.50 yuan = 12,000,050 fen, exactly.
    await page.getByText('CN¥120,000.50').first().waitFor();
    await shot(page, 'opportunity-en');

    // Opportunity → quote: the quote page shows its lifecycle actions and the lead-to-cash thread.
    await page.getByRole('button', { name: 'Create quote' }).click();
    await expect.poll(() => page.url()).toMatch(/\/quotes\/quo?_[0-9A-Z]+$/);
    await page.getByRole('heading', { name: /^Quote .+ v1$/ }).waitFor();
    await page.locator('[data-status="draft"]').first().waitFor();
    await page.getByRole('button', { name: 'Submit for approval' }).waitFor();
    await page.getByTestId('thread').getByText('Wang Fang').first().waitFor();
    await page.getByTestId('side-menu').getByText('Quotes', { exact: true }).waitFor();

    await page.getByRole('menuitem', { name: 'Leads' }).click();
    const table = page.getByTestId('leads-table');
    await table.getByText('Wang Fang').waitFor();
    await table.getByText('Converted').waitFor();
    await page.getByRole('menuitem', { name: 'Opportunities' }).click();
    const card = page.getByTestId('kanban-card').filter({ hasText: 'Yunqi Technology' });
    await card.waitFor();
    const columns = page.getByTestId('kanban-column');
    await expect.poll(() => columns.count()).toBe(4);
    await expect.poll(() => columns.nth(0).getByTestId('kanban-card').count()).toBe(1);
    await columns.nth(0).getByText('Weighted').waitFor();
    // Qualification stage: 10 % of 120,000.50 = 12,000.05
    await columns.nth(0).getByText('CN¥12,000.05').first().waitFor();

    // Drag the deal to the next stage: the server takes the move (If-Match) and the board follows.
    await card.dragTo(columns.nth(1));
    await expect.poll(() => columns.nth(1).getByTestId('kanban-card').count()).toBe(1);
    await page
      .getByText(/moved to/)
      .first()
      .waitFor();
    const opp = await web.handle.db
      .selectFrom('opportunities')
      .select(['stageId', 'version', 'probability'])
      .executeTakeFirstOrThrow();
    expect(opp.version).toBe(2);
    expect(opp.probability).toBe(25);
    await shot(page, 'kanban-en');

    await page.getByRole('menuitem', { name: 'Home' }).click();
    await page.getByTestId('pipeline-chart').waitFor();
    // Key figures of this quarter: the open deal is in the weighted pipeline, whose card opens the list behind it.
    await page.locator('[data-kpi="weightedPipeline"]').getByText('1 open deals').waitFor();
    await page.getByTestId('kpi-chart').waitFor();
    await page
      .getByTestId('my-opportunities')
      .getByRole('link', { name: 'Yunqi Technology' })
      .first()
      .waitFor();
    await shot(page, 'home-en');

    // Lead to cash: the quote gets a catalog line and goes all the way to a paid invoice.
    // (The product comes from the API: setting up the catalog is not part of the walk.)
    const product = await page.request.post(`${web.base}/api/v1/products`, {
      data: {
        sku: 'GW-EN',
        name: 'Edge Gateway',
        kind: 'goods',
        unit: 'pc',
        listPriceMinor: 1_000_000,
        taxRate: '0.13',
      },
    });
    expect(product.status()).toBe(201);
    await page.getByRole('menuitem', { name: 'Quotes' }).click();
    await page.getByRole('cell', { name: /v1$/ }).first().click();
    await page.locator('[data-status="draft"]').first().waitFor();
    await quoteToCash(
      page,
      {
        editLines: 'Edit lines',
        save: 'Save',
        toOrder: 'Create order',
        ship: 'Ship',
        invoiceRest: 'Invoice what is not billed',
        recordPayment: 'Record payment',
        approved: 'Approved',
        paid: 'Paid',
        total: 'CN¥22,600.00',
      },
      'Edge Gateway',
    );
    await shot(page, 'paid-order-en');

    // The language switch in the header changes every string and is remembered.
    await page.getByTestId('language-switch').click();
    await page.getByText('简体中文', { exact: true }).click();
    await page.getByTestId('side-menu').getByText('线索', { exact: true }).waitFor();
    expect(await page.evaluate(() => (globalThis as any).localStorage.getItem('openltc.language'))).toBe(
      'zh-CN',
    );
    expect(web.errors(page)).toEqual([]);
  }, 180_000);

  it('the same path in Chinese, and a session that expires returns the user where they were', async () => {
    const page = await newPage('zh-CN');
    await page.goto(web.base + '/leads');
    await expect.poll(() => page.url()).toContain('/login?next=%2Fleads');
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await page.locator('#email').fill(ADMIN.email);
    await page.locator('#password').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('登录失败').waitFor();
    await page.locator('#password').fill(ADMIN.password);
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.url()).toBe(`${web.base}/leads`);
    await page.getByRole('button', { name: '新建线索' }).waitFor();

    await createLeadAndConvert(
      page,
      { leads: '线索', qualify: '验证通过', convert: '转化' },
      { name: '王芳', company: '上海云启科技有限公司' },
      '88000',
    );
    await page.getByText('¥88,000.00').first().waitFor();
    await page.getByText('进行中').first().waitFor();
    await page.getByText('动态').first().waitFor();
    await shot(page, 'opportunity-zh');

    await page.getByRole('menuitem', { name: '商机' }).click();
    await page.getByTestId('kanban-card').filter({ hasText: '上海云启科技有限公司' }).waitFor();
    await page.getByText('加权金额').first().waitFor();
    await shot(page, 'kanban-zh');

    // The same walk to cash in Chinese, from the deal on the board (product from the API, as above).
    const product = await page.request.post(`${web.base}/api/v1/products`, {
      data: {
        sku: 'GW-ZH',
        name: '边缘网关',
        kind: 'goods',
        unit: '台',
        listPriceMinor: 1_000_000,
        taxRate: '0.13',
      },
    });
    expect(product.status()).toBe(201);
    await page
      .getByTestId('kanban-card')
      .filter({ hasText: '上海云启科技有限公司' })
      .getByRole('link')
      .first()
      .click();
    await page.getByRole('button', { name: '创建报价' }).click();
    await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/\/quotes\/quo?_[0-9A-Z]+$/);
    await quoteToCash(
      page,
      {
        editLines: '编辑明细',
        save: '保存',
        toOrder: '生成订单',
        ship: '发货',
        invoiceRest: '为未开票部分开票',
        recordPayment: '登记回款',
        approved: '已批准',
        paid: '已结清',
        total: '¥22,600.00',
        contract: { toContract: '生成合同', sign: '登记签署', signedBy: '赵敏（客户采购部）' },
      },
      '边缘网关',
    );
    await shot(page, 'paid-order-zh');
    // The paid order came from the signed contract, which came from the quote.
    const fromContract = await web.handle.db
      .selectFrom('orders')
      .innerJoin('contracts', 'contracts.id', 'orders.contractId')
      .select(['contracts.status', 'contracts.signedBy', 'contracts.quoteId'])
      .execute();
    expect(fromContract).toHaveLength(1);
    expect(fromContract[0]).toMatchObject({ status: 'signed', signedBy: '赵敏（客户采购部）' });
    expect(fromContract[0]!.quoteId).toBeTruthy();

    // Editing: leaving with unsaved changes asks first; a stale save explains the conflict and keeps the typing.
    await page.getByRole('menuitem', { name: '线索' }).click();
    await page.getByTestId('new-lead').click();
    await page.locator('#name').fill('李雷');
    await page.getByTestId('save').click();
    await page.locator('[data-status="new"]').waitFor();
    const leadUrl = page.url();
    const leadId = leadUrl.split('/').pop()!;
    await page.getByTestId('edit').click();
    await page.locator('#company').fill('北京星河数据有限公司');
    await page.getByRole('menuitem', { name: '客户' }).click();
    await page.locator('.ant-modal-confirm-title', { hasText: '不保存就离开？' }).waitFor();
    await page.getByRole('button', { name: '留在此页' }).click();
    expect(page.url()).toBe(`${leadUrl}/edit`);
    const other = await page.request.patch(`${web.base}/api/v1/leads/${leadId}`, {
      data: { title: '采购总监' },
      headers: { 'if-match': 'W/"1"' },
    });
    expect(other.status()).toBe(200);
    await page.getByTestId('save').click();
    await page.getByTestId('conflict-alert').getByText('您编辑期间，他人已保存了此记录').waitFor();
    expect(await page.locator('#company').inputValue()).toBe('北京星河数据有限公司');
    await page.getByRole('button', { name: '将我的修改应用到最新版本' }).click();
    expect(await page.locator('#title').inputValue()).toBe('采购总监');
    await page.getByTestId('save').click();
    await expect.poll(() => page.url()).toBe(leadUrl);
    await page.getByText('北京星河数据有限公司').first().waitFor();
    await page.getByText('采购总监').first().waitFor();

    // The session ends on the server: the next call answers 401 and the app asks to sign in again.
    await web.handle.db.deleteFrom('sessions').execute();
    await page.getByRole('menuitem', { name: '客户' }).click();
    await page.getByText('登录已过期').waitFor();
    expect(page.url()).toContain('next=%2Faccounts');
    await page.locator('#email').fill(ADMIN.email);
    await page.locator('#password').fill(ADMIN.password);
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.url()).toBe(`${web.base}/accounts`);
    await page.getByText('上海云启科技有限公司').first().waitFor();
    await shot(page, 'accounts-zh');
    expect(web.errors(page)).toEqual([]);
  }, 180_000);

  it('global search, the approvals inbox, what a sales rep may not do that an administrator may (issue, credit note), and CSV export', async () => {
    const { request } = await import('playwright-core');
    type Api = Awaited<ReturnType<typeof request.newContext>>;
    const signIn = async (email: string, password: string): Promise<Api> => {
      const ctx = await request.newContext({ baseURL: web.base });
      expect((await ctx.post('/api/v1/auth/login', { data: { email, password } })).status()).toBe(200);
      return ctx;
    };
    const call = async (ctx: Api, url: string, data: object = {}) => {
      const res = await ctx.post(url, { data });
      if (!res.ok()) throw new Error(`POST ${url}: ${res.status()} ${await res.text()}`);
      return res.json();
    };
    // A team with a manager and a rep; the rep's lead, and two quotes: one waits for approval,
    // the other goes on to an order and a draft invoice.
    const admin = await signIn(ADMIN.email, ADMIN.password);
    const team = await call(admin, '/api/v1/teams', { name: '华东销售' });
    const pw = 'secret-pass-1';
    await call(admin, '/api/v1/users', {
      email: 'mia@example.com',
      name: 'Mia Manager',
      password: pw,
      role: 'sales_manager',
      teamId: team.id,
      locale: 'zh-CN',
    });
    await call(admin, '/api/v1/users', {
      email: 'rex@example.com',
      name: 'Rex Rep',
      password: pw,
      role: 'sales_rep',
      teamId: team.id,
      locale: 'en',
    });
    const rep = await signIn('rex@example.com', pw);
    const manager = await signIn('mia@example.com', pw);
    await call(rep, '/api/v1/leads', { name: '赵磊', company: '杭州星辰数据有限公司', source: 'web' });
    const product = await call(admin, '/api/v1/products', {
      sku: 'SRV-E2E',
      name: 'Cloud Server',
      kind: 'goods',
      unit: '台',
      listPriceMinor: 1_000_000,
      taxRate: '0.13',
    });
    const account = await call(rep, '/api/v1/accounts', { name: 'Hangzhou Xingchen Data', currency: 'CNY' });
    const quoteFor = async (name: string) => {
      const opp = await call(rep, '/api/v1/opportunities', {
        name,
        accountId: account.id,
        amountMinor: 2_260_000,
        currency: 'CNY',
      });
      const q = await call(rep, `/api/v1/opportunities/${opp.id}/quotes`, {
        lines: [{ productId: product.id, quantity: '2' }],
      });
      await call(rep, `/api/v1/quotes/${q.id}/submit`);
      return q;
    };
    const waiting = await quoteFor('Xingchen ERP');
    const sold = await quoteFor('Xingchen CRM');
    await call(manager, `/api/v1/quotes/${sold.id}/approve`);
    await call(rep, `/api/v1/quotes/${sold.id}/send`);
    await call(rep, `/api/v1/quotes/${sold.id}/accept`);
    const order = await call(manager, `/api/v1/quotes/${sold.id}/order`);
    await call(manager, `/api/v1/orders/${order.id}/confirm`);
    const invoice = await call(admin, `/api/v1/orders/${order.id}/invoices`);
    for (const c of [admin, rep, manager]) await c.dispose();

    // The rep: Ctrl+K finds the lead and Enter opens it; no approvals menu; a draft invoice shows
    // no "Issue", no credit note and no payment; the leads list exports as CSV with translated headers.
    const page = await newPage('en-US');
    await page.request.post(`${web.base}/api/v1/auth/login`, {
      data: { email: 'rex@example.com', password: pw },
    });
    await page.goto(web.base + '/');
    await page.getByTestId('header-search').waitFor();
    await page.keyboard.press('Control+k');
    await page.getByTestId('search-input').fill('赵磊');
    await page.getByTestId('search-hit').filter({ hasText: '杭州星辰数据有限公司' }).waitFor();
    await shot(page, 'search-en');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toMatch(/\/leads\/lead_[0-9A-Z]+$/);
    await page.getByRole('heading', { name: '赵磊' }).waitFor();
    const menu = page.getByTestId('side-menu');
    await menu.getByText('Invoices', { exact: true }).waitFor();
    expect(await menu.getByText('Approvals').count()).toBe(0);
    await page.goto(`${web.base}/invoices/${invoice.id}`);
    await page.getByRole('heading', { name: 'Draft invoice' }).waitFor();
    await page.getByTestId('thread').waitFor();
    expect(await page.locator('[data-action="issue"]').count()).toBe(0);
    expect(await page.locator('[data-action="cancel"]').count()).toBe(0);
    expect(await page.getByTestId('credit-note').count()).toBe(0);

    await page.getByRole('menuitem', { name: 'Leads' }).click();
    await page.getByTestId('leads-table').getByText('赵磊').waitFor();
    await page.getByTestId('export-button').click();
    const download = page.waitForEvent('download');
    await page.getByText('CSV (.csv)').click();
    const csv = fs.readFileSync((await (await download).path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const [header, first] = csv.slice(1).split('\r\n');
    expect(header).toBe('Name,Company,Email,Phone,Status,Source,Region,Score,Owner,Created');
    expect(first).toMatch(/^赵磊,杭州星辰数据有限公司,,,New,/);
    // The column chooser hides a column, and the choice outlives a reload (kept on the server: web.list-columns).
    const leadsTable = page.getByTestId('leads-table');
    await leadsTable.getByRole('columnheader', { name: 'Email' }).waitFor();
    await page.getByTestId('columns-button').click();
    await page.getByRole('checkbox', { name: 'Email' }).uncheck();
    await expect.poll(() => leadsTable.getByRole('columnheader', { name: 'Email' }).count()).toBe(0);
    await page.reload();
    await leadsTable.getByText('赵磊').waitFor();
    expect(await leadsTable.getByRole('columnheader', { name: 'Email' }).count()).toBe(0);
    expect(web.errors(page)).toEqual([]);

    // An administrator may: issue the draft, then credit it in full — the credit note is listed on
    // the invoice, which owes nothing any more.
    const fin = await newPage('en-US');
    await fin.request.post(`${web.base}/api/v1/auth/login`, {
      data: { email: ADMIN.email, password: ADMIN.password },
    });
    await fin.goto(`${web.base}/invoices/${invoice.id}`);
    await fin.locator('[data-action="issue"]').click();
    await fin.getByRole('heading', { name: /^Invoice INV-\d{4}-\d{6}$/ }).waitFor();
    await fin.getByTestId('credit-note').click();
    const dialog = fin.getByRole('dialog');
    await dialog.locator('#reason').fill('Wrong quantity ordered');
    await dialog.getByRole('button', { name: 'Credit note' }).click();
    const credits = fin.getByTestId('credit-notes');
    await credits.getByText(/^CN-\d{4}-\d{6}$/).waitFor();
    await credits.getByText('Wrong quantity ordered').waitFor();
    await fin.locator('[data-status="paid"]').first().waitFor();
    expect(web.errors(fin)).toEqual([]);

    // The manager (in Chinese): the inbox shows the submitted quote; approving it takes it away.
    const mgr = await newPage('zh-CN');
    await mgr.request.post(`${web.base}/api/v1/auth/login`, {
      data: { email: 'mia@example.com', password: pw },
    });
    await mgr.goto(web.base + '/');
    await mgr.getByTestId('approvals-badge').getByText('1').waitFor();
    await mgr.getByRole('menuitem', { name: /待审批/ }).click();
    const row = mgr
      .getByTestId('approvals-table')
      .getByRole('row')
      .filter({ hasText: `${waiting.number} v1` });
    await row.getByText('¥22,600.00').waitFor();
    await shot(mgr, 'approvals-zh');
    await row.locator('[data-action="approve"]').click();
    await mgr.getByText('没有待您处理的事项').waitFor();
    expect(await mgr.getByTestId('approvals-badge').count()).toBe(0);
    const approved = await web.handle.db
      .selectFrom('quotes')
      .select('status')
      .where('id', '=', waiting.id)
      .executeTakeFirstOrThrow();
    expect(approved.status).toBe('approved');
    expect(web.errors(mgr)).toEqual([]);
  }, 120_000);
});
