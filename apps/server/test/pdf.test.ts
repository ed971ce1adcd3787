import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import { today } from '@openltc/core';
import { readPdf } from '@openltc/core/documents/pdf-text.ts';
import { dealFor, product } from './support/quote-fixtures.ts';

const pdfText = async (body: Buffer) => (await readPdf(body)).text.join('\n');

describe.each(DIALECTS)('quote and invoice PDFs over HTTP (%s)', (dialect) => {
  let t: TestApp;
  let rep: TestUser;
  let manager: TestUser;
  let outsider: TestUser;
  let ops: TestUser;
  let fin: TestUser;
  let accountId: string;
  let quoteId: string;
  let quoteNumber: string;

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const east = await t.team('East 华东');
    const west = await t.team('West 华西');
    rep = await t.user('sales_rep', east, 'Rep Li');
    manager = await t.user('sales_manager', east, 'Mgr Wang');
    outsider = await t.user('sales_rep', west, 'Rep Zhou');
    ops = await t.user('operations', null, 'Ops Zhao');
    fin = await t.user('finance', null, 'Fin Qian');
    await t.handle.db.updateTable('legalEntities').set({ name: '云栈科技有限公司', taxId: '91310000MA1FL5XXXX' }).execute();
    const { account, opportunity } = await dealFor(t, rep, '杭州星河智能制造股份有限公司');
    accountId = account.id;
    await ok(t.as(rep, 'PATCH', `/api/v1/accounts/${accountId}`, { taxId: '91330100MA27YYYYYY', address: '浙江省杭州市滨江区江南大道 1000 号' }));
    const p = await product(t, ops, { name: '云栈企业版 年度订阅', listPriceMinor: 123_456, taxRate: '0.13' });
    // 2 × ¥1,234.56 = ¥2,469.12 + 13 % ¥320.99 (320.9856 rounded half up) = ¥2,790.11
    const q = await ok(t.as(rep, 'POST', `/api/v1/opportunities/${opportunity.id}/quotes`, { lines: [{ productId: p.id, quantity: '2' }] }), 201);
    expect(q.totalMinor).toBe(279_011);
    quoteId = q.id;
    quoteNumber = q.number;
  });
  afterAll(() => t.stop());

  it('serves a quote as a PDF in Chinese for a Chinese-speaking user, with the font embedded and the total in capitals', async () => {
    const t0 = performance.now();
    const r = await t.as(rep, 'GET', `/api/v1/quotes/${quoteId}/pdf`);
    const ms = performance.now() - t0;
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.headers['content-disposition']).toBe(`inline; filename="${quoteNumber}-v1.pdf"`);
    expect(quoteNumber).toMatch(/^QT-\d{4}-\d{6}$/);
    expect(r.headers['content-language']).toBe('zh-CN');
    const body = r.rawPayload;
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(body.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
    expect(body.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansHans-Regular/);
    const text = await pdfText(body);
    for (const s of [
      '云栈科技有限公司',
      '报价单',
      quoteNumber,
      '杭州星河智能制造股份有限公司',
      '91330100MA27YYYYYY',
      '浙江省杭州市滨江区江南大道 1000 号',
      '云栈企业版 年度订阅',
      '1,234.56',
      '2,469.12',
      '320.99',
      '¥2,790.11',
      '人民币贰仟柒佰玖拾元壹角壹分',
      'Rep Li',
      // Not yet approved.
      'DRAFT 草稿',
    ])
      expect(text).toContain(s);
    expect(ms).toBeLessThan(5000);
  });

  it('answers in English with ?lang=en, and by default for a user whose locale is English', async () => {
    const r = await t.as(rep, 'GET', `/api/v1/quotes/${quoteId}/pdf?lang=en`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-language']).toBe('en');
    const text = await pdfText(r.rawPayload);
    for (const s of ['QUOTATION', 'Net total', 'CNY 2,790.11', '杭州星河智能制造股份有限公司']) expect(text).toContain(s);
    for (const s of ['报价单', '人民币']) expect(text).not.toContain(s);

    await t.handle.db.updateTable('users').set({ locale: 'en' }).where('id', '=', manager.id).execute();
    const m = await t.as(manager, 'GET', `/api/v1/quotes/${quoteId}/pdf`);
    expect(m.statusCode).toBe(200);
    expect(m.headers['content-language']).toBe('en');
    expect(await pdfText(m.rawPayload)).toContain('QUOTATION');
    const zh = await t.as(manager, 'GET', `/api/v1/quotes/${quoteId}/pdf?lang=zh-CN`);
    expect(zh.headers['content-language']).toBe('zh-CN');
    expect(await pdfText(zh.rawPayload)).toContain('人民币贰仟柒佰玖拾元壹角壹分');
  });

  it('is the same file for the same quote version, and a revision gets its own name', async () => {
    const a = await t.as(rep, 'GET', `/api/v1/quotes/${quoteId}/pdf?lang=zh-CN`);
    const b = await t.as(rep, 'GET', `/api/v1/quotes/${quoteId}/pdf?lang=zh-CN`);
    expect(a.rawPayload.equals(b.rawPayload)).toBe(true);

    const v2 = await ok(t.as(rep, 'POST', `/api/v1/quotes/${quoteId}/revise`, {}), 201);
    const r = await t.as(rep, 'GET', `/api/v1/quotes/${v2.id}/pdf`);
    expect(r.headers['content-disposition']).toBe(`inline; filename="${quoteNumber}-v2.pdf"`);
    expect(await pdfText(r.rawPayload)).toContain('第 2 版');
    expect(await pdfText((await t.as(rep, 'GET', `/api/v1/quotes/${quoteId}/pdf`)).rawPayload)).toContain('SUPERSEDED 已作废');
    quoteId = v2.id;
  });

  it('follows the visibility of the quote: 404 outside the scope, 401 without signing in', async () => {
    expect((await t.as(outsider, 'GET', `/api/v1/quotes/${quoteId}`)).statusCode).toBe(404);
    const r = await t.as(outsider, 'GET', `/api/v1/quotes/${quoteId}/pdf`);
    expect(r.statusCode).toBe(404);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json().code).toBe('not_found');
    expect(r.body).not.toContain('%PDF');
    expect((await t.as(null, 'GET', `/api/v1/quotes/${quoteId}/pdf`)).statusCode).toBe(401);
    expect((await t.as(rep, 'GET', '/api/v1/quotes/quo_01ARZ3NDEKTSV4RRFFQ69G5FAV/pdf')).statusCode).toBe(404);
    expect((await t.as(manager, 'GET', `/api/v1/quotes/${quoteId}/pdf`)).statusCode).toBe(200);
  });

  it('validates lang (422) and refuses unknown query parameters', async () => {
    for (const url of [`/api/v1/quotes/${quoteId}/pdf?lang=fr`, `/api/v1/quotes/${quoteId}/pdf?lang=zh`, `/api/v1/quotes/${quoteId}/pdf?format=a5`, '/api/v1/invoices/inv_01ARZ3NDEKTSV4RRFFQ69G5FAV/pdf?lang=de']) {
      const r = await t.as(rep, 'GET', url);
      expect(r.statusCode, url).toBe(422);
      expect(r.json().code).toBe('validation_failed');
    }
  });

  it('serves an invoice: a draft watermarked, then issued with its number, VAT by rate, paid and outstanding', async () => {
    // 10 × ¥3,000.00 at 6 % and 3 × ¥333.33 at 13 %: ¥30,000.00 + ¥1,800.00 and ¥999.99 + ¥130.00 = ¥32,929.99.
    const lines = [
      { description: '软件许可 Licence', quantity: '10', unitPriceMinor: 300_000, taxRate: '0.06' },
      { description: '服务器 Server', quantity: '3', unitPriceMinor: 33_333, taxRate: '0.13' },
    ];
    const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId, lines }), 201);
    await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
    const draft = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, {}), 201);
    expect(draft.totalMinor).toBe(3_292_999);

    let r = await t.as(fin, 'GET', `/api/v1/invoices/${draft.id}/pdf`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.headers['content-disposition']).toBe(`inline; filename="INV-DRAFT-${draft.id}.pdf"`);
    let text = await pdfText(r.rawPayload);
    for (const s of ['DRAFT 草稿', '发票', '尚未开具', o.number, '¥32,929.99', '人民币叁万贰仟玖佰贰拾玖元玖角玖分']) expect(text).toContain(s);
    expect(text).not.toContain('已收款');

    const issued = await ok(t.as(fin, 'POST', `/api/v1/invoices/${draft.id}/issue`, {}));
    await ok(
      t.as(fin, 'POST', '/api/v1/payments', {
        accountId,
        amountMinor: 1_000_000,
        currency: 'CNY',
        receivedOn: today(),
        method: 'bank_transfer',
        allocations: [{ invoiceId: draft.id, amountMinor: 1_000_000 }],
      }),
      201,
    );
    r = await t.as(fin, 'GET', `/api/v1/invoices/${draft.id}/pdf`);
    expect(r.headers['content-disposition']).toBe(`inline; filename="${issued.number}.pdf"`);
    text = await pdfText(r.rawPayload);
    for (const s of [issued.number, '增值税汇总', '13%', '999.99', '130.00', '1,129.99', '6%', '30,000.00', '1,800.00', '31,800.00', '已收款', '¥10,000.00', '未收款', '¥22,929.99', '人民币叁万贰仟玖佰贰拾玖元玖角玖分'])
      expect(text).toContain(s);
    expect(text).not.toContain('DRAFT');

    const en = await pdfText((await t.as(fin, 'GET', `/api/v1/invoices/${draft.id}/pdf?lang=en`)).rawPayload);
    for (const s of ['INVOICE', issued.number, 'VAT summary', 'Balance due', 'CNY 22,929.99']) expect(en).toContain(s);
    expect(en).not.toContain('人民币');

    // The same answer as GET for each caller: whoever cannot see the invoice gets 404, not a PDF.
    for (const u of [fin, rep, outsider, manager]) {
      const get = (await t.as(u, 'GET', `/api/v1/invoices/${draft.id}`)).statusCode;
      const pdf = await t.as(u, 'GET', `/api/v1/invoices/${draft.id}/pdf`);
      expect(pdf.statusCode, u.email).toBe(get);
      if (get === 404) expect(pdf.json().code).toBe('not_found');
    }
    expect((await t.as(outsider, 'GET', `/api/v1/invoices/${draft.id}/pdf`)).statusCode).toBe(404);
  });

  it('lists both endpoints in the OpenAPI document with the lang parameter', async () => {
    const doc = (await t.as(null, 'GET', '/api/openapi.json')).json();
    for (const p of ['/api/v1/quotes/{id}/pdf', '/api/v1/invoices/{id}/pdf']) {
      const lang = doc.paths[p]?.get?.parameters.find((x: any) => x.name === 'lang');
      expect(lang, p).toBeTruthy();
      expect(lang.schema.enum).toEqual(['zh-CN', 'en']);
    }
  });
});
