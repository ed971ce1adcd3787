import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import { today } from '@openltc/core';

describe.each(DIALECTS)('credit notes over HTTP (%s)', (dialect) => {
  let t: TestApp;
  let ops: TestUser;
  let fin: TestUser;
  let rep: TestUser;
  let outsider: TestUser;
  let accountId: string;

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const east = await t.team('East 华东');
    const west = await t.team('West 华西');
    ops = await t.user('operations', null, 'Ops Zhao');
    fin = await t.user('finance', null, 'Fin Qian');
    rep = await t.user('sales_rep', east, 'Rep Li');
    outsider = await t.user('sales_rep', west, 'Rep West');
    accountId = (await ok(t.as(rep, 'POST', '/api/v1/accounts', { name: '上海云启科技有限公司' }), 201)).id;
  });
  afterAll(() => t.stop());

  const count = async (table: 'creditNotes' | 'creditNoteLines' | 'refunds' | 'paymentAllocations' | 'events' | 'numberSeries') =>
    Number((await t.handle.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  /** 10 licences × ¥3,000 at 6% and 3 servers × ¥333.33 at 13%: ¥31,800.00 + ¥1,129.99 = ¥32,929.99. */
  const LINES = [
    { description: '软件许可 Licence', quantity: '10', unitPriceMinor: 300_000, taxRate: '0.06' },
    { description: '服务器 Server', quantity: '3', unitPriceMinor: 33_333, taxRate: '0.13' },
  ];
  const TOTAL = 3_292_999;

  async function issuedInvoice(lines = LINES, account = accountId) {
    const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId: account, lines }), 201);
    await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
    const inv = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, {}), 201);
    return ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/issue`, {}));
  }
  const getInvoice = (id: string) => ok(t.as(fin, 'GET', `/api/v1/invoices/${id}`));
  const pay = (amountMinor: number, allocations: Array<{ invoiceId: string; amountMinor: number }> = [], account = accountId) =>
    ok(t.as(fin, 'POST', '/api/v1/payments', { accountId: account, amountMinor, currency: 'CNY', receivedOn: today(), method: 'bank_transfer', allocations }), 201);

  it('credits a whole unpaid invoice: each line exactly, numbered at issue, the invoice settled with nothing to pay', async () => {
    const inv = await issuedInvoice();
    const draft = await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/credit-notes`, { reason: '客户取消 Customer cancelled' }), 201);
    expect(draft).toMatchObject({ status: 'draft', number: null, invoiceId: inv.id, invoiceNumber: inv.number, totalMinor: TOTAL, settlement: 'balance', allowedActions: ['issue', 'cancel'] });
    expect(draft.lines.map((l: any) => [l.invoiceLineId, l.quantity, l.netMinor, l.taxMinor, l.totalMinor])).toEqual(
      inv.lines.map((l: any) => [l.id, l.quantity, l.netMinor, l.taxMinor, l.totalMinor]),
    );
    // A draft does not lower what is owed yet.
    expect(await getInvoice(inv.id)).toMatchObject({ status: 'issued', creditedMinor: 0, outstandingMinor: TOTAL });

    const cn = await ok(t.as(fin, 'POST', `/api/v1/credit-notes/${draft.id}/issue`, {}));
    const year = today('Asia/Shanghai').slice(0, 4);
    expect(cn.number).toMatch(new RegExp(`^CN-${year}-\\d{6}$`));
    expect(cn).toMatchObject({ status: 'issued', issueDate: today('Asia/Shanghai'), appliedMinor: TOTAL, toBalanceMinor: 0, refundedMinor: 0, refunds: [], allowedActions: [] });
    expect(await getInvoice(inv.id)).toMatchObject({ status: 'paid', paidMinor: 0, creditedMinor: TOTAL, outstandingMinor: 0 });

    const tl = await ok(t.as(fin, 'GET', `/api/v1/invoices/${inv.id}/timeline`));
    expect(tl.items.map((e: any) => e.action)).toEqual(['created', 'issue', 'credit_note_drafted', 'credited', 'pay']);
    expect(tl.items.at(-1)).toMatchObject({ before: { status: 'issued' }, after: { status: 'paid' } });
    const ctl = await ok(t.as(fin, 'GET', `/api/v1/credit-notes/${cn.id}/timeline`));
    expect(ctl.items.map((e: any) => e.action)).toEqual(['created', 'issue']);

    // Nothing left to credit, nothing left to pay; the issued credit note never changes.
    const again = await t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/credit-notes`, { reason: 'again' });
    expect([again.statusCode, again.json().code]).toEqual([409, 'nothing_to_credit']);
    const payIt = await t.as(fin, 'POST', '/api/v1/payments', { accountId, amountMinor: 100, currency: 'CNY', receivedOn: today(), method: 'cash', allocations: [{ invoiceId: inv.id, amountMinor: 100 }] });
    expect(payIt.json().code).toBe('invoice_not_payable');
    for (const action of ['issue', 'cancel']) {
      const r = await t.as(fin, 'POST', `/api/v1/credit-notes/${cn.id}/${action}`, {});
      expect([r.statusCode, r.json().code]).toEqual([409, 'invalid_transition']);
    }

    // The thread shows the credit note under its invoice.
    const tr = await ok(t.as(fin, 'GET', `/api/v1/trace/invoices/${inv.id}`));
    expect(tr.nodes.find((n: any) => n.id === cn.id)).toMatchObject({ type: 'credit_note', number: cn.number, amountMinor: TOTAL, status: 'issued' });
    expect(tr.edges).toContainEqual({ from: `invoice:${inv.id}`, to: `credit_note:${cn.id}`, kind: 'credited' });
    expect(tr.nodes.find((n: any) => n.id === inv.id).figures).toMatchObject({ creditedMinor: TOTAL, outstandingMinor: 0 });
    const fromCn = await ok(t.as(fin, 'GET', `/api/v1/trace/credit-notes/${cn.id}`));
    expect(fromCn.nodes.map((n: any) => n.type)).toEqual(expect.arrayContaining(['order', 'invoice', 'credit_note']));
  });

  it('refuses credit above what is left, line by line, writing nothing; drafts reserve, cancelling frees', async () => {
    const inv = await issuedInvoice();
    const [lic, srv] = inv.lines.map((l: any) => l.id);
    const first = await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/credit-notes`, { reason: '退货 3 套 Returned 3', lines: [{ invoiceLineId: lic, quantity: '3' }] }), 201);
    expect(first.lines.map((l: any) => [l.quantity, l.netMinor, l.taxMinor])).toEqual([['3', 900_000, 54_000]]);
    const before = await Promise.all([count('creditNotes'), count('creditNoteLines'), count('events'), count('numberSeries')]);
    const over = await t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/credit-notes`, {
      reason: 'too much',
      lines: [
        { invoiceLineId: srv, quantity: '3' },
        { invoiceLineId: lic, quantity: '7.001' },
        { invoiceLineId: srv, quantity: '0.5' },
      ],
    });
    expect(over.statusCode).toBe(409);
    expect(over.headers['content-type']).toContain('application/problem+json');
    const p = over.json();
    expect(p.code).toBe('credit_exceeds_invoice');
    expect(p.errors.map((e: any) => [e.path, e.code])).toEqual([
      ['lines.1.quantity', 'credit_exceeds_invoice'],
      ['lines.2.quantity', 'credit_exceeds_invoice'],
    ]);
    expect(p.errors[0].message).toContain('only 7 left to credit on line 1');
    expect(p.errors[1].message).toContain('only 0 left to credit on line 2');
    const byAmount = await t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/credit-notes`, { reason: 'too much', amountMinor: TOTAL - 954_000 + 1 });
    expect([byAmount.statusCode, byAmount.json().code, byAmount.json().errors[0].path]).toEqual([409, 'credit_exceeds_invoice', 'amountMinor']);
    expect(byAmount.json().errors[0].message).toContain('only 23389.99 CNY left to credit');
    const both = await t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/credit-notes`, { reason: 'x', amountMinor: 1, lines: [{ invoiceLineId: lic, quantity: '1' }] });
    expect([both.statusCode, both.json().code]).toEqual([422, 'validation_failed']);
    const unknownLine = await t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/credit-notes`, { reason: 'x', lines: [{ invoiceLineId: 'iln_01M80000000000000000000000', quantity: '1' }] });
    expect([unknownLine.statusCode, unknownLine.json().errors[0].code]).toEqual([422, 'unknown_reference']);
    const noReason = await t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/credit-notes`, {});
    expect([noReason.statusCode, noReason.json().errors[0].path]).toEqual([422, 'reason']);
    expect(await Promise.all([count('creditNotes'), count('creditNoteLines'), count('events'), count('numberSeries')])).toEqual(before);

    // The rest of the invoice, by default: exactly what is left of each line.
    const rest = await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/credit-notes`, { reason: 'rest' }), 201);
    expect(rest.lines.map((l: any) => [l.quantity, l.totalMinor])).toEqual([['7', 2_226_000], ['3', 112_999]]);
    expect(first.totalMinor + rest.totalMinor).toBe(TOTAL);
    await ok(t.as(fin, 'POST', `/api/v1/credit-notes/${first.id}/cancel`, {}));
    const again = await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/credit-notes`, { reason: 'again', lines: [{ invoiceLineId: lic, quantity: '3' }], issue: true }), 201);
    expect(again).toMatchObject({ status: 'issued', totalMinor: 954_000 });
    expect(await getInvoice(inv.id)).toMatchObject({ status: 'issued', creditedMinor: 954_000, outstandingMinor: TOTAL - 954_000 });
  });

  it('credits part of a partly paid invoice: what is owed goes down, the invoice stays partially paid', async () => {
    const inv = await issuedInvoice();
    await pay(1_000_000, [{ invoiceId: inv.id, amountMinor: 1_000_000 }]);
    const srv = inv.lines[1];
    const cn = await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/credit-notes`, { reason: '1 台服务器损坏 One server damaged', lines: [{ invoiceLineId: srv.id, quantity: '1' }], issue: true }), 201);
    expect(cn.lines.map((l: any) => [l.quantity, l.netMinor, l.taxMinor])).toEqual([['1', 33_333, 4_333]]);
    expect(cn).toMatchObject({ totalMinor: 37_666, appliedMinor: 37_666, toBalanceMinor: 0, refundedMinor: 0 });
    expect(await getInvoice(inv.id)).toMatchObject({ status: 'partially_paid', paidMinor: 1_000_000, creditedMinor: 37_666, outstandingMinor: TOTAL - 1_000_000 - 37_666 });

    // Two more partial credits of the same line end exactly on it, with the rounding remainder.
    const c2 = await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/credit-notes`, { reason: 'b', lines: [{ invoiceLineId: srv.id, quantity: '1' }], issue: true }), 201);
    const c3 = await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/credit-notes`, { reason: 'c', lines: [{ invoiceLineId: srv.id, quantity: '1' }], issue: true }), 201);
    expect([cn, c2, c3].map((c) => c.lines[0].taxMinor)).toEqual([4_333, 4_334, 4_333]);
    expect(cn.totalMinor + c2.totalMinor + c3.totalMinor).toBe(srv.totalMinor);
    // Paying what is left settles it; a credit note and payments together.
    await pay(TOTAL - 1_000_000 - srv.totalMinor, [{ invoiceId: inv.id, amountMinor: TOTAL - 1_000_000 - srv.totalMinor }]);
    expect(await getInvoice(inv.id)).toMatchObject({ status: 'paid', outstandingMinor: 0 });
  });

  it('turns credit beyond what is owed into customer credit on the payment, allocatable to a later invoice', async () => {
    const acc = (await ok(t.as(rep, 'POST', '/api/v1/accounts', { name: '杭州预付客户 Prepaid Co' }), 201)).id;
    const inv = await issuedInvoice(LINES, acc);
    const p = await pay(TOTAL, [{ invoiceId: inv.id, amountMinor: TOTAL }], acc);
    const cn = await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/credit-notes`, { reason: '价格调整 Price concession', amountMinor: 500_000, issue: true }), 201);
    expect(cn).toMatchObject({ totalMinor: 500_000, appliedMinor: 0, toBalanceMinor: 500_000, refundedMinor: 0 });
    // Split over the lines by what was left on each, tax in proportion; no quantity.
    expect(cn.lines.map((l: any) => l.quantity)).toEqual(['0', '0']);
    expect(cn.lines.reduce((s: number, l: any) => s + l.totalMinor, 0)).toBe(500_000);
    const after = await getInvoice(inv.id);
    expect(after).toMatchObject({ status: 'paid', paidMinor: TOTAL - 500_000, creditedMinor: 500_000, outstandingMinor: 0 });
    const payment = await ok(t.as(fin, 'GET', `/api/v1/payments/${p.id}`));
    expect(payment).toMatchObject({ allocatedMinor: TOTAL - 500_000, unallocatedMinor: 500_000, refundedMinor: 0, version: p.version + 1 });
    expect(payment.allocations.map((a: any) => [a.kind, a.amountMinor, a.creditNoteId])).toEqual([
      ['allocation', TOTAL, null],
      ['credit_release', -500_000, cn.id],
    ]);
    const itl = await ok(t.as(fin, 'GET', `/api/v1/invoices/${inv.id}/timeline`));
    // Still paid (same state): no status event, the figures change with a new version.
    expect(itl.items.map((e: any) => e.action).slice(-3)).toEqual(['credit_note_drafted', 'payment_released', 'credited']);
    expect(after.version).toBeGreaterThan(inv.version + 1);
    const ptl = await ok(t.as(fin, 'GET', `/api/v1/payments/${p.id}/timeline`));
    expect(ptl.items.map((e: any) => e.action)).toEqual(['created', 'credit_released']);

    // The credit pays a new invoice later.
    const inv2 = await issuedInvoice([{ description: '年度支持 Support', quantity: '1', unitPriceMinor: 300_000, taxRate: '0.06' }], acc);
    const used = await ok(t.as(fin, 'POST', `/api/v1/payments/${p.id}/allocate`, { autoAllocate: true }));
    expect(used.allocations.at(-1)).toMatchObject({ kind: 'allocation', invoiceId: inv2.id, amountMinor: 318_000 });
    expect(used.unallocatedMinor).toBe(500_000 - 318_000);
    expect(await getInvoice(inv2.id)).toMatchObject({ status: 'paid', outstandingMinor: 0 });
    const balance = await ok(t.as(fin, 'GET', `/api/v1/accounts/${acc}/balance`));
    expect(balance).toMatchObject({
      currency: 'CNY',
      invoicedMinor: TOTAL + 318_000,
      creditedMinor: 500_000,
      paidMinor: TOTAL - 500_000 + 318_000,
      outstandingMinor: 0,
      unallocatedPaymentsMinor: 182_000,
      creditBalanceMinor: 182_000,
      netBalanceMinor: -182_000,
    });
  });

  it('refunds credit beyond what is owed when asked: a refund record drawn on the payment', async () => {
    const inv = await issuedInvoice();
    const p = await pay(3_000_000, [{ invoiceId: inv.id, amountMinor: 3_000_000 }]);
    const refundsBefore = await count('refunds');
    // ¥2,929.99 still owed; a full credit of ¥32,929.99 leaves ¥30,000.00 to give back.
    const cn = await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/credit-notes`, { reason: '合同终止 Contract terminated', settlement: 'refund', issue: true }), 201);
    expect(cn).toMatchObject({ totalMinor: TOTAL, appliedMinor: TOTAL - 3_000_000, toBalanceMinor: 0, refundedMinor: 3_000_000, settlement: 'refund' });
    expect(cn.refunds).toEqual([expect.objectContaining({ paymentId: p.id, amountMinor: 3_000_000, status: 'recorded' })]);
    expect(cn.refunds[0].number).toMatch(/^RF-\d{4}-\d{6}$/);
    expect(await count('refunds')).toBe(refundsBefore + 1);
    expect(await getInvoice(inv.id)).toMatchObject({ status: 'paid', paidMinor: 0, creditedMinor: TOTAL, outstandingMinor: 0 });
    expect(await ok(t.as(fin, 'GET', `/api/v1/payments/${p.id}`))).toMatchObject({ allocatedMinor: 0, refundedMinor: 3_000_000, unallocatedMinor: 0 });
    // Money already paid back cannot be "returned by the bank" as well.
    const rev = await t.as(fin, 'POST', `/api/v1/payments/${p.id}/reverse`, { reason: '退票 Bounced' });
    expect([rev.statusCode, rev.json().code]).toEqual([409, 'payment_refunded']);
  });

  it('numbers credit notes issued at the same time without gaps, per legal entity', async () => {
    const lines = Array.from({ length: 8 }, (_, i) => ({ description: `Item ${i + 1}`, quantity: '1', unitPriceMinor: 10_000 + i, taxRate: '0.13' }));
    const inv = await issuedInvoice(lines);
    const drafts = [];
    for (const l of inv.lines) drafts.push(await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/credit-notes`, { reason: 'r', lines: [{ invoiceLineId: l.id, quantity: '1' }] }), 201));
    const results = await Promise.all(drafts.map((d) => t.as(fin, 'POST', `/api/v1/credit-notes/${d.id}/issue`, {})));
    expect(results.map((r) => r.statusCode)).toEqual(drafts.map(() => 200));
    const all = await t.handle.db.selectFrom('creditNotes').select('number').where('legalEntityId', '=', inv.legalEntityId).where('number', 'is not', null).execute();
    const seq = all.map((r) => Number(r.number!.slice(-6))).sort((a, b) => a - b);
    expect(seq).toEqual(Array.from({ length: seq.length }, (_, i) => i + 1));
    expect(new Set(results.map((r) => r.json().number)).size).toBe(8);
    expect(await getInvoice(inv.id)).toMatchObject({ status: 'paid', outstandingMinor: 0, creditedMinor: inv.totalMinor });
  });

  it('lets finance credit; a sales rep of the team reads but may not credit (403); another team sees nothing (404)', async () => {
    const inv = await issuedInvoice();
    const events = await count('events');
    const r1 = await t.as(rep, 'POST', `/api/v1/invoices/${inv.id}/credit-notes`, { reason: 'x' });
    expect([r1.statusCode, r1.json().code]).toEqual([403, 'forbidden']);
    const r2 = await t.as(outsider, 'POST', `/api/v1/invoices/${inv.id}/credit-notes`, { reason: 'x' });
    expect([r2.statusCode, r2.json().code]).toEqual([404, 'not_found']);
    const r3 = await t.as(ops, 'POST', `/api/v1/invoices/${inv.id}/credit-notes`, { reason: 'x' });
    expect(r3.statusCode).toBe(403);
    expect(await count('events')).toBe(events);

    const cn = await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/credit-notes`, { reason: '折让 Allowance', amountMinor: 100 }), 201);
    expect((await ok(t.as(rep, 'GET', `/api/v1/credit-notes/${cn.id}`))).id).toBe(cn.id);
    expect((await t.as(outsider, 'GET', `/api/v1/credit-notes/${cn.id}`)).statusCode).toBe(404);
    expect((await ok(t.as(outsider, 'GET', '/api/v1/credit-notes'))).items.map((c: any) => c.id)).not.toContain(cn.id);
    expect((await ok(t.as(rep, 'GET', `/api/v1/credit-notes?invoiceId=${inv.id}`))).items.map((c: any) => c.id)).toEqual([cn.id]);
    for (const who of [rep, ops]) expect((await t.as(who, 'POST', `/api/v1/credit-notes/${cn.id}/issue`, {})).statusCode).toBe(403);
    expect((await t.as(outsider, 'POST', `/api/v1/credit-notes/${cn.id}/issue`, {})).statusCode).toBe(403);
    expect((await ok(t.as(fin, 'GET', `/api/v1/credit-notes/${cn.id}`))).status).toBe('draft');
  });

  it('documents the credit-note, reversal and receivables endpoints in OpenAPI from the same schemas', async () => {
    const doc = await ok(t.as(null, 'GET', '/api/openapi.json'));
    for (const p of ['/api/v1/invoices/{id}/credit-notes', '/api/v1/credit-notes/{id}/issue', '/api/v1/credit-notes/{id}/cancel', '/api/v1/payments/{id}/reverse', '/api/v1/orders/{id}/release'])
      expect(doc.paths[p]?.post, p).toBeDefined();
    for (const p of ['/api/v1/credit-notes', '/api/v1/credit-notes/{id}', '/api/v1/accounts/{id}/balance', '/api/v1/receivables/aging', '/api/v1/receivables/dso'])
      expect(doc.paths[p]?.get, p).toBeDefined();
    const body = doc.paths['/api/v1/invoices/{id}/credit-notes'].post.requestBody.content['application/json'].schema;
    expect(body.additionalProperties).toBe(false);
    expect(body.required).toEqual(['reason']);
    expect(body.properties.settlement.enum).toEqual(['balance', 'refund']);
    expect(doc.paths['/api/v1/receivables/aging'].get.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['asOf', 'groupBy', 'currency']));
  });

  it('credits only issued invoices', async () => {
    const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId, lines: LINES }), 201);
    await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
    const draft = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, {}), 201);
    const r = await t.as(fin, 'POST', `/api/v1/invoices/${draft.id}/credit-notes`, { reason: 'x' });
    expect([r.statusCode, r.json().code, r.json().currentState]).toEqual([409, 'invoice_not_creditable', 'draft']);
  });
});
