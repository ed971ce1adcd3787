import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import { dealFor, product } from './support/quote-fixtures.ts';

/**
 * Tax codes per legal entity and price books, wired into quotes, orders, invoices, credit notes and
 * the journal, on both databases.
 */
describe.each(DIALECTS)('tax codes and price books (%s)', (dialect) => {
  let t: TestApp;
  let admin: TestUser, fin: TestUser, rep: TestUser, manager: TestUser, ops: TestUser;
  let opportunityId: string;

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const east = await t.team('East 华东');
    admin = await t.user('admin', null, 'Admin');
    fin = await t.user('finance', null, 'Fin Qian');
    ops = await t.user('operations', null, 'Ops Zhao');
    rep = await t.user('sales_rep', east, 'Rep Li');
    manager = await t.user('sales_manager', east, 'Manager Wang');
    opportunityId = (await dealFor(t, rep)).opportunity.id;
  });
  afterAll(() => t.stop());

  const codes = async () => (await ok(t.as(rep, 'GET', '/api/v1/tax-codes'))).items as any[];
  const quote = (body: Record<string, unknown>) => t.as(rep, 'POST', `/api/v1/opportunities/${opportunityId}/quotes`, body);
  const setRounding = (taxRounding: 'line' | 'document') => ok(t.as(fin, 'PUT', '/api/v1/tax-rounding', { taxRounding }));

  /** Quote → accepted → order → confirmed → invoice (draft) with the given lines. */
  async function invoiceFor(body: Record<string, unknown>) {
    const q = await ok(quote(body), 201);
    await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/submit`, {}));
    await ok(t.as(manager, 'POST', `/api/v1/quotes/${q.id}/approve`, {}));
    await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/send`, {}));
    await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/accept`, {}));
    const order = await ok(t.as(ops, 'POST', `/api/v1/quotes/${q.id}/order`, {}), 201);
    await ok(t.as(ops, 'POST', `/api/v1/orders/${order.id}/confirm`, {}));
    const inv = await ok(t.as(fin, 'POST', `/api/v1/orders/${order.id}/invoices`, {}), 201);
    return { q, order, inv };
  }

  it('seeds China VAT for the legal entity: 13, 9, 6, 0 %, exempt, small-scale 3 and 1 %', async () => {
    const list = await codes();
    expect(list.map((c) => [c.code, c.rate, c.kind, c.active])).toEqual([
      ['SS1', '0.01', 'small_scale', true],
      ['SS3', '0.03', 'small_scale', true],
      ['VAT0', '0', 'zero', true],
      ['VAT13', '0.13', 'standard', true],
      ['VAT6', '0.06', 'reduced', true],
      ['VAT9', '0.09', 'reduced', true],
      ['VATEX', '0', 'exempt', true],
    ]);
    const again = await codes();
    expect(again.length).toBe(7);
  });

  it('lets finance create a compound code, refuses a rep, and never lets a used code change its rate', async () => {
    const refused = await t.as(rep, 'POST', '/api/v1/tax-codes', { code: 'X1', name: 'x', kind: 'standard', rate: '0.1' });
    expect(refused.statusCode).toBe(403);
    const gst = await ok(
      t.as(fin, 'POST', '/api/v1/tax-codes', {
        code: 'GSTQST',
        name: 'GST 5% + QST 9.975%',
        region: 'CA-QC',
        kind: 'standard',
        components: [
          { name: 'GST', rate: '0.05' },
          { name: 'QST', rate: '0.09975', compound: true },
        ],
      }),
      201,
    );
    expect(gst).toMatchObject({ rate: '0.1547375', used: false, active: true });
    const dup = await t.as(fin, 'POST', '/api/v1/tax-codes', { code: 'GSTQST', name: 'again', kind: 'standard', rate: '0.05' });
    expect(dup.statusCode).toBe(409);
    const exemptAt6 = await t.as(fin, 'POST', '/api/v1/tax-codes', { code: 'BAD', name: 'bad', kind: 'exempt', rate: '0.06' });
    expect(exemptAt6.statusCode).toBe(422);
    expect(exemptAt6.json().errors[0]).toMatchObject({ path: 'components.0.rate', code: 'invalid_rate' });

    // ¥1,000.00 at 5 % GST (¥50.00) then 9.975 % QST on ¥1,050.00 (¥104.74): ¥154.74.
    const q = await ok(quote({ lines: [{ description: 'Service', quantity: '1', unitPriceMinor: 100_000, taxCode: 'GSTQST' }] }), 201);
    expect(q.lines[0]).toMatchObject({ taxCode: 'GSTQST', taxCodeId: gst.id, taxRate: '0.1547375', taxMinor: 15_474 });
    const patched = await t.as(fin, 'PATCH', `/api/v1/tax-codes/${gst.id}`, { rate: '0.1' });
    expect(patched.statusCode).toBe(409);
    expect(patched.json().code).toBe('tax_code_used');
    await ok(t.as(fin, 'PATCH', `/api/v1/tax-codes/${gst.id}`, { name: 'GST+QST Québec' }));
    await ok(t.as(fin, 'POST', `/api/v1/tax-codes/${gst.id}/deactivate`, {}));
    const inactive = await quote({ lines: [{ description: 'Service', quantity: '1', unitPriceMinor: 100_000, taxCode: 'GSTQST' }] });
    expect(inactive.statusCode).toBe(422);
    expect(inactive.json().errors[0]).toMatchObject({ path: 'lines.0.taxCode', code: 'inactive' });
    // The quote priced before keeps its code and rate.
    expect((await ok(t.as(rep, 'GET', `/api/v1/quotes/${q.id}`))).lines[0]).toMatchObject({ taxCode: 'GSTQST', taxRate: '0.1547375', taxMinor: 15_474 });
  });

  it('records the tax code on quote, order, invoice and credit-note lines; a bare taxRate resolves by the compatibility rule', async () => {
    const p6 = await product(t, admin, { taxCode: 'VAT6', taxRate: undefined, listPriceMinor: 50_000 });
    expect(p6).toMatchObject({ taxCode: 'VAT6', taxRate: '0.06' });
    const legacy = await product(t, admin, { listPriceMinor: 10_000 }); // taxRate 0.13 only
    expect(legacy.taxCode).toBe('VAT13');
    const { inv } = await invoiceFor({
      lines: [
        { productId: p6.id, quantity: '2' },
        { productId: legacy.id, quantity: '1' },
        { description: 'Export 出口', quantity: '1', unitPriceMinor: 20_000, taxRate: '0' },
        { description: 'Training 培训 (exempt)', quantity: '1', unitPriceMinor: 30_000, taxCode: 'VATEX' },
      ],
    });
    expect(inv.lines.map((l: any) => [l.taxCode, l.taxRate, l.taxMinor])).toEqual([
      ['VAT6', '0.06', 6_000],
      ['VAT13', '0.13', 1_300],
      ['VAT0', '0', 0],
      ['VATEX', '0', 0],
    ]);
    const issued = await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/issue`, {}));

    // The journal posts revenue and VAT output per tax code: VAT0 and VATEX apart although both are 0 %.
    const entry = (await ok(t.as(fin, 'GET', `/api/v1/ledger/entries?sourceId=${inv.id}&limit=10`))).items[0];
    // (Revenue or deferred revenue, as revenue recognition decides; the split per code is the same.)
    const legs = entry.lines.filter((l: any) => l.accountRole !== 'ar').map((l: any) => [l.accountRole === 'vatOutput' ? 'vat' : 'net', l.creditMinor, l.memo]);
    expect(legs).toEqual([
      ['net', 20_000, 'net at 0% VAT0'],
      ['net', 30_000, 'net at 0% VATEX'],
      ['net', 100_000, 'net at 6%'],
      ['net', 10_000, 'net at 13%'],
      ['vat', 6_000, 'VAT 6%'],
      ['vat', 1_300, 'VAT 13%'],
    ]);

    const cn = await ok(t.as(fin, 'POST', `/api/v1/invoices/${issued.id}/credit-notes`, { reason: '退货 Return', lines: [{ invoiceLineId: issued.lines[0].id, quantity: '1' }] }), 201);
    expect(cn.lines[0]).toMatchObject({ taxCode: 'VAT6', taxRate: '0.06', netMinor: 50_000, taxMinor: 3_000 });

    const unknown = await quote({ lines: [{ description: 'Old rate', quantity: '1', unitPriceMinor: 100, taxRate: '0.17' }] });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0]).toMatchObject({ path: 'lines.0.taxRate', code: 'unknown_tax_rate' });
    const manual = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId: inv.accountId, lines: [{ description: 'Manual', quantity: '1', unitPriceMinor: 1_000, taxRate: '0.09' }] }), 201);
    expect(manual.lines[0]).toMatchObject({ taxCode: 'VAT9', taxMinor: 90 });
  });

  it('refuses to issue an invoice with a line that has no tax code, naming the line (422 tax_code_required)', async () => {
    const p = await product(t, admin, { taxCode: 'VAT13', listPriceMinor: 1_000 });
    const { inv } = await invoiceFor({ lines: [{ productId: p.id, quantity: '1' }, { productId: p.id, quantity: '2' }] });
    // A draft from before tax codes: its second line has a rate no code carries.
    await t.handle.db.updateTable('invoiceLines').set({ taxCodeId: null, taxCode: null, taxRate: '0.17' }).where('id', '=', inv.lines[1].id).execute();
    const res = await t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/issue`, {});
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'tax_code_required', errors: [{ path: 'lines.1.taxCode', code: 'tax_code_required' }] });
    const after = await ok(t.as(fin, 'GET', `/api/v1/invoices/${inv.id}`));
    expect([after.status, after.number]).toEqual(['draft', null]);

    // An order line from before tax codes, at a rate a code has, gets that code when it is invoiced.
    const { order, inv: second } = await invoiceFor({ lines: [{ productId: p.id, quantity: '1' }] });
    await ok(t.as(fin, 'POST', `/api/v1/invoices/${second.id}/cancel`, {}));
    await t.handle.db.updateTable('orderLines').set({ taxCodeId: null, taxCode: null }).where('orderId', '=', order.id).execute();
    const again = await ok(t.as(fin, 'POST', `/api/v1/orders/${order.id}/invoices`, {}), 201);
    expect(again.lines[0]).toMatchObject({ taxCode: 'VAT13', taxRate: '0.13' });
    await ok(t.as(fin, 'POST', `/api/v1/invoices/${again.id}/issue`, {}));
  });

  it('rounds tax per line by default and per document when the legal entity says so (they differ by a fen)', async () => {
    // Three lines of ¥10.05 at 6 %: per line 0.603 → ¥0.60 each = ¥1.80; per document 30.15 × 6 % = 1.809 → ¥1.81.
    const lines = [1, 2, 3].map((n) => ({ description: `咨询 ${n}`, quantity: '1', unitPriceMinor: 1_005, taxCode: 'VAT6' }));
    const perLine = await ok(quote({ lines }), 201);
    expect([perLine.netMinor, perLine.taxMinor, perLine.totalMinor]).toEqual([3_015, 180, 3_195]);
    await setRounding('document');
    try {
      const perDoc = await ok(quote({ lines }), 201);
      expect([perDoc.netMinor, perDoc.taxMinor, perDoc.totalMinor]).toEqual([3_015, 181, 3_196]);
      expect(perDoc.lines.map((l: any) => l.taxMinor)).toEqual([61, 60, 60]);
      expect((await codes()).length).toBeGreaterThan(0);
      expect((await ok(t.as(rep, 'GET', '/api/v1/tax-codes'))).taxRounding).toBe('document');
    } finally {
      await setRounding('line');
    }
    expect((await t.as(rep, 'PUT', '/api/v1/tax-rounding', { taxRounding: 'document' })).statusCode).toBe(403);
  });

  it('prices a quote from the default book with graduated tiers, spreads a document discount, and bills it in full', async () => {
    const seat = await product(t, admin, { name: '席位 Seat', taxCode: 'VAT6', taxRate: undefined, listPriceMinor: 12_000 });
    const book = await ok(
      t.as(fin, 'POST', '/api/v1/price-books', {
        name: '2026 标准价 Standard',
        currency: 'CNY',
        isDefault: true,
        entries: [
          {
            productId: seat.id,
            scheme: 'graduated',
            tiers: [
              { upTo: '10', unitPriceMinor: 10_000 },
              { upTo: null, unitPriceMinor: 8_000 },
            ],
          },
        ],
      }),
      201,
    );
    expect(book.entries[0]).toMatchObject({ sku: seat.sku, scheme: 'graduated', tiers: [{ upTo: '10', unitPriceMinor: 10_000, flatFeeMinor: 0 }, { upTo: null, unitPriceMinor: 8_000, flatFeeMinor: 0 }] });
    const bad = await t.as(fin, 'POST', '/api/v1/price-books', { name: 'bad', currency: 'CNY', entries: [{ productId: seat.id, scheme: 'volume', tiers: [{ upTo: '5', unitPriceMinor: 1 }] }] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].path).toBe('entries.0.tiers.0.upToMilli');

    // 15 seats: 10 × ¥100 + 5 × ¥80 = ¥1,400.00; 10 % off the line → ¥1,260.00; plus a typed line of ¥333.33.
    // Document discount ¥100.00 spread 126,000 : 33,333 → 7,908.0 and 2,091.9 → 7,908 + 2,092.
    const q = await ok(
      quote({
        documentDiscount: { amountMinor: 10_000 },
        lines: [
          { productId: seat.id, quantity: '15', discountRate: '0.1' },
          { description: '实施 Setup', quantity: '1', unitPriceMinor: 33_333, taxCode: 'VAT6' },
        ],
      }),
      201,
    );
    expect(q).toMatchObject({ priceBookId: book.id, pricesIncludeTax: false, documentDiscount: { amountMinor: 10_000 }, documentDiscountMinor: 10_000 });
    expect(q.lines.map((l: any) => [l.listAmountMinor, l.discountMinor, l.docDiscountMinor, l.netMinor, l.taxMinor])).toEqual([
      [140_000, 14_000, 7_908, 118_092, 7_086],
      [33_333, 0, 2_092, 31_241, 1_874],
    ]);
    expect(q.netMinor).toBe(140_000 - 14_000 + 33_333 - 10_000);
    expect(q.totalMinor).toBe(q.lines.reduce((a: number, l: any) => a + l.totalMinor, 0));

    // A rep may read books but not write them.
    expect((await t.as(rep, 'GET', '/api/v1/price-books')).statusCode).toBe(200);
    expect((await t.as(rep, 'PATCH', `/api/v1/price-books/${book.id}`, { name: 'x' })).statusCode).toBe(403);

    // Orders and invoices copy the priced lines; a partial invoice of a tiered line bills in proportion.
    await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/submit`, {}));
    await ok(t.as(manager, 'POST', `/api/v1/quotes/${q.id}/approve`, {}));
    await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/send`, {}));
    await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/accept`, {}));
    const order = await ok(t.as(ops, 'POST', `/api/v1/quotes/${q.id}/order`, {}), 201);
    expect(order.lines.map((l: any) => [l.taxCode, l.netMinor, l.taxMinor])).toEqual([
      ['VAT6', 118_092, 7_086],
      ['VAT6', 31_241, 1_874],
    ]);
    await ok(t.as(ops, 'POST', `/api/v1/orders/${order.id}/confirm`, {}));
    const part = await ok(t.as(fin, 'POST', `/api/v1/orders/${order.id}/invoices`, { lines: [{ orderLineId: order.lines[0].id, quantity: '5' }] }), 201);
    expect(part.lines[0]).toMatchObject({ taxCode: 'VAT6', netMinor: 39_364, taxMinor: 2_362 }); // 118,092 × 5/15, 7,086 × 5/15
    const rest = await ok(t.as(fin, 'POST', `/api/v1/orders/${order.id}/invoices`, {}), 201);
    expect(part.lines[0].netMinor + rest.lines[0].netMinor).toBe(118_092);
    expect(part.totalMinor + rest.totalMinor).toBe(q.totalMinor);

    await ok(t.as(fin, 'POST', `/api/v1/price-books/${book.id}/deactivate`, {}));
  });

  it('splits prices that include tax (价税分离) and refuses a chosen book without the product', async () => {
    const box = await product(t, admin, { name: '一体机 Appliance', taxCode: 'VAT13', listPriceMinor: 90_000 });
    const other = await product(t, admin, { name: '其他 Other', taxCode: 'VAT13' });
    const gross = await ok(
      t.as(fin, 'POST', '/api/v1/price-books', { name: '含税价 Retail (tax incl.)', currency: 'CNY', pricesIncludeTax: true, entries: [{ productId: box.id, unitPriceMinor: 113_000 }] }),
      201,
    );
    // ¥1,130.00 × 3 = ¥3,390.00 with 13 % VAT: net = 3,390 ÷ 1.13 = ¥3,000.00, tax ¥390.00.
    const q = await ok(quote({ priceBookId: gross.id, lines: [{ productId: box.id, quantity: '3' }] }), 201);
    expect(q).toMatchObject({ priceBookId: gross.id, pricesIncludeTax: true, netMinor: 300_000, taxMinor: 39_000, totalMinor: 339_000 });
    // ¥99.99 with tax: net round(9,999 ÷ 1.13) = 8,849, tax 1,150 — the gross is kept to the fen.
    const odd = await ok(quote({ priceBookId: gross.id, lines: [{ productId: box.id, quantity: '1', unitPriceMinor: 9_999 }] }), 201);
    expect([odd.netMinor, odd.taxMinor, odd.totalMinor]).toEqual([8_849, 1_150, 9_999]);
    const missing = await quote({ priceBookId: gross.id, lines: [{ productId: other.id, quantity: '1' }] });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors[0]).toMatchObject({ path: 'lines.0.productId', code: 'no_price' });
    // Editing the lines keeps the chosen book.
    const edited = await ok(t.as(rep, 'PATCH', `/api/v1/quotes/${q.id}`, { lines: [{ productId: box.id, quantity: '1' }] }));
    expect(edited).toMatchObject({ priceBookId: gross.id, totalMinor: 113_000, netMinor: 100_000 });
  });
});
