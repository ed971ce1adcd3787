import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import * as core from '@openltc/core';
import { sql } from '@openltc/db';
import { today } from '@openltc/core';
import { loadDemoData } from '../src/demo/demo.ts';

/** RFC 4180 reader for the export: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field || row.length) throw new Error('the CSV does not end with CRLF');
  return rows;
}
/** "1130.05" → 113005 (two-decimal currencies), exactly. */
const minorOf = (s: string) => {
  expect(s).toMatch(/^\d+\.\d{2}$/);
  return Number(s.replace('.', ''));
};

describe.each(DIALECTS)('journal and trial balance (%s)', (dialect) => {
  let t: TestApp;
  let ops: TestUser;
  let fin: TestUser;
  let admin: TestUser;
  let viewer: TestUser;
  let rep: TestUser;
  let accountId: string;

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const east = await t.team('East 华东');
    ops = await t.user('operations', null, 'Ops Zhao');
    fin = await t.user('finance', null, 'Fin Qian');
    admin = await t.user('admin', null, 'Admin Sun');
    viewer = await t.user('viewer', null, 'Viewer Zhou');
    rep = await t.user('sales_rep', east, 'Rep Li');
    accountId = (await ok(t.as(rep, 'POST', '/api/v1/accounts', { name: '上海云启科技有限公司' }), 201)).id;
  });
  afterAll(() => t.stop());

  /** 10 licences × ¥3,000 at 6% and 3 servers × ¥333.33 at 13%: net ¥30,999.99, VAT ¥1,930.00, total ¥32,929.99. */
  const LINES = [
    { description: '软件许可 Licence', quantity: '10', unitPriceMinor: 300_000, taxRate: '0.06' },
    { description: '服务器 Server', quantity: '3', unitPriceMinor: 33_333, taxRate: '0.13' },
  ];
  const TOTAL = 3_292_999;

  async function issuedInvoice(lines: unknown[] = LINES, account = accountId) {
    const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId: account, lines }), 201);
    await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
    const inv = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, {}), 201);
    return ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/issue`, {}));
  }
  const pay = (amountMinor: number, more: Record<string, unknown> = {}, account = accountId) =>
    ok(t.as(fin, 'POST', '/api/v1/payments', { accountId: account, amountMinor, currency: 'CNY', receivedOn: today(), method: 'bank_transfer', ...more }), 201);
  const entriesOf = async (sourceId: string) => (await ok(t.as(fin, 'GET', `/api/v1/ledger/entries?sourceId=${sourceId}&limit=200`))).items;
  /** [role, debit, credit, memo] of an entry's lines. */
  const shape = (e: any) => e.lines.map((l: any) => [l.accountRole, l.debitMinor, l.creditMinor, l.memo ?? null]);
  const balanceOf = (tb: any, role: string) =>
    tb.currencies.flatMap((c: any) => c.rows).filter((r: any) => r.accountRole === role).reduce((s: number, r: any) => s + r.balanceMinor, 0);

  /** After every step: debits = credits, AR = aging total, cash = the payments, every reconciliation difference 0. */
  async function reconciles() {
    const tb = await ok(t.as(fin, 'GET', '/api/v1/ledger/trial-balance'));
    for (const c of tb.currencies) expect(c.debitMinor).toBe(c.creditMinor);
    const aging = await ok(t.as(fin, 'GET', '/api/v1/receivables/aging?groupBy=none'));
    expect(balanceOf(tb, 'ar')).toBe(aging.totals.totalMinor);
    const rec = await ok(t.as(fin, 'GET', '/api/v1/ledger/reconciliation'));
    for (const c of rec.currencies) for (const k of c.checks) expect([c.currency, k.key, k.differenceMinor]).toEqual([c.currency, k.key, 0]);
    expect(rec.reconciled).toBe(true);
    return { tb, aging, rec };
  }

  it('posts issue, partial payment, overpayment, credit note after payment, later allocation, reversal and refund; every step reconciles', async () => {
    const inv = await issuedInvoice();
    const [ie] = await entriesOf(inv.id);
    expect(ie).toMatchObject({ sourceType: 'invoice', event: 'issue', documentRef: inv.number, entryDate: inv.issueDate, currency: 'CNY', accountId });
    expect(shape(ie)).toEqual([
      ['ar', TOTAL, 0, null],
      // The order has performance obligations (made at confirmation), so its invoice bills into deferred
      // revenue (contract liability); the revenue close recognises it (revenue.test.ts).
      ['deferredRevenue', 0, 3_000_000, 'net at 6%'],
      ['deferredRevenue', 0, 99_999, 'net at 13%'],
      ['vatOutput', 0, 180_000, 'VAT 6%'],
      ['vatOutput', 0, 13_000, 'VAT 13%'],
    ]);
    expect(ie.lines.map((l: any) => l.accountCode)).toEqual(['1122', '2205', '2205', '22210102', '22210102']);
    const s1 = await reconciles();
    expect(balanceOf(s1.tb, 'ar')).toBe(TOTAL);

    // Partial payment: Dr cash / Cr AR.
    const p1 = await pay(1_000_000, { allocations: [{ invoiceId: inv.id, amountMinor: 1_000_000 }] });
    const [pe] = await entriesOf(p1.id);
    expect([pe.event, pe.documentRef, shape(pe)]).toEqual(['receive', p1.number, [['cash', 1_000_000, 0, null], ['ar', 0, 1_000_000, null]]]);
    expect(pe.lines[1].documentRef).toBe(inv.number);
    expect(balanceOf((await reconciles()).tb, 'ar')).toBe(TOTAL - 1_000_000);

    // Overpayment: the rest clears AR, the excess goes to customer advances.
    const p2 = await pay(2_500_000, { autoAllocate: true });
    expect(p2.unallocatedMinor).toBe(207_001);
    expect(shape((await entriesOf(p2.id))[0])).toEqual([
      ['cash', 2_500_000, 0, null],
      ['ar', 0, 2_292_999, null],
      ['customerAdvances', 0, 207_001, null],
    ]);
    let s = await reconciles();
    expect([balanceOf(s.tb, 'ar'), balanceOf(s.tb, 'customerAdvances'), balanceOf(s.tb, 'cash')]).toEqual([0, -207_001, 3_500_000]);

    // Credit note on the paid invoice: deferred revenue and VAT reversed, AR credited, the excess released to the customer's credit.
    const cn = await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/credit-notes`, { reason: '折扣 Discount', amountMinor: 500_000, issue: true }), 201);
    expect(cn.toBalanceMinor).toBe(500_000);
    const [ce] = await entriesOf(cn.id);
    const cnLines = shape(ce);
    expect(cnLines.at(-1)).toEqual(['ar', 0, 500_000, null]);
    expect(cnLines.filter((l: any) => l[0] === 'deferredRevenue').reduce((a: number, l: any) => a + l[1], 0)).toBe(cn.netMinor);
    expect(cnLines.filter((l: any) => l[0] === 'vatOutput').reduce((a: number, l: any) => a + l[1], 0)).toBe(cn.taxMinor);
    const release = (await ok(t.as(fin, 'GET', '/api/v1/ledger/entries?source=payment_allocation&limit=200'))).items.find((e: any) => e.event === 'credit_release');
    expect(shape(release)).toEqual([['customerAdvances', 0, 500_000, null], ['ar', 500_000, 0, null]]);
    s = await reconciles();
    expect([balanceOf(s.tb, 'ar'), balanceOf(s.tb, 'customerAdvances')]).toEqual([0, -707_001]);

    // Later allocation of the customer's credit: Dr advances / Cr AR.
    const inv2 = await issuedInvoice([{ description: '实施 Implementation', quantity: '1', unitPriceMinor: 1_000_000, taxRate: '0.06' }]);
    await ok(t.as(fin, 'POST', `/api/v1/payments/${p2.id}/allocate`, { allocations: [{ invoiceId: inv2.id, amountMinor: 707_001 }] }));
    const alloc = (await entriesOf((await ok(t.as(fin, 'GET', `/api/v1/payments/${p2.id}`))).allocations.at(-1).id))[0];
    expect([alloc.event, shape(alloc)]).toEqual(['allocate', [['customerAdvances', 707_001, 0, null], ['ar', 0, 707_001, null]]]);
    s = await reconciles();
    expect([balanceOf(s.tb, 'ar'), balanceOf(s.tb, 'customerAdvances')]).toEqual([1_060_000 - 707_001, 0]);

    // The bank returns the first payment: what it still had on the invoice goes back to AR, cash out.
    await ok(t.as(fin, 'POST', `/api/v1/payments/${p1.id}/reverse`, { reason: '退票 Bounced' }));
    const re = (await entriesOf(p1.id)).find((e: any) => e.event === 'reverse');
    expect(shape(re)).toEqual([['ar', 1_000_000, 0, null], ['cash', 0, 1_000_000, null]]);
    s = await reconciles();
    expect([balanceOf(s.tb, 'ar'), balanceOf(s.tb, 'cash')]).toEqual([1_000_000 + 1_060_000 - 707_001, 2_500_000]);

    // Refund: a paid invoice credited in full with settlement 'refund'.
    const inv3 = await issuedInvoice([{ description: '培训 Training', quantity: '1', unitPriceMinor: 200_000, taxRate: '0.06' }]);
    const p3 = await pay(212_000, { allocations: [{ invoiceId: inv3.id, amountMinor: 212_000 }] });
    const cn3 = await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv3.id}/credit-notes`, { reason: '取消 Cancelled', settlement: 'refund', issue: true }), 201);
    expect(cn3.refunds).toHaveLength(1);
    const rf = (await entriesOf(cn3.refunds[0].id))[0];
    expect([rf.sourceType, rf.documentRef, shape(rf)]).toEqual(['refund', cn3.refunds[0].number, [['customerAdvances', 212_000, 0, null], ['cash', 0, 212_000, null]]]);
    s = await reconciles();
    expect([balanceOf(s.tb, 'cash'), balanceOf(s.tb, 'customerAdvances')]).toEqual([2_500_000, 0]);
    expect((await entriesOf(p3.id)).map((e: any) => e.event)).toEqual(['receive']);
    // A reversed payment that was refunded from is refused, and nothing is posted for the refusal.
    const before = (await ok(t.as(fin, 'GET', '/api/v1/ledger/entries?limit=200'))).items.length;
    expect((await t.as(fin, 'POST', `/api/v1/payments/${p3.id}/reverse`, { reason: 'x' })).json().code).toBe('payment_refunded');
    expect((await ok(t.as(fin, 'GET', '/api/v1/ledger/entries?limit=200'))).items.length).toBe(before);
  });

  it('posts once per event: posting again, or rebuilding, adds nothing; a rebuild from scratch gives the same trial balance', async () => {
    const inv = await issuedInvoice();
    const p = await pay(100_000, { allocations: [{ invoiceId: inv.id, amountMinor: 100_000 }] });
    const count = async () => Number((await t.handle.db.selectFrom('journalEntries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const n = await count();
    expect(await core.postInvoiceJournal(t.sys, inv.id)).toBe(false);
    expect(await core.postPaymentJournal(t.sys, p.id)).toBe(0);
    expect(await count()).toBe(n);
    expect((await core.rebuildJournal(t.sys)).entriesAfter).toBe(n);
    // The unique key refuses a second entry for the same event even past the check.
    const chart = await core.chartFor(t.sys, (await core.legalEntityFor(t.handle.db, null)).id);
    const draft = (id: string) => ({
      legalEntityId: inv.legalEntityId as string,
      date: today(),
      sourceType: 'invoice' as const,
      sourceId: id,
      event: 'issue',
      documentRef: 'X-1',
      description: 'test',
      currency: 'CNY',
      accountId: null,
      legs: [
        { role: 'ar' as const, amount: 1 },
        { role: 'revenue' as const, amount: -1 },
      ],
    });
    const row = await t.handle.db.selectFrom('journalEntries').selectAll().where('sourceId', '=', inv.id).executeTakeFirstOrThrow();
    await expect(t.handle.db.insertInto('journalEntries').values({ ...row, id: 'jen_dup' }).execute()).rejects.toThrow(/unique|duplicate/i);
    // And a line can clear a payment allocation row only once.
    const cleared = await t.handle.db.selectFrom('journalLines').selectAll().where('allocationId', 'is not', null).executeTakeFirstOrThrow();
    await expect(t.handle.db.insertInto('journalLines').values({ ...cleared, id: 'jln_dup', lineNo: 99 }).execute()).rejects.toThrow(/unique|duplicate/i);
    // An unbalanced entry is refused before anything is written.
    await expect(core.writeEntry(t.sys, chart, { ...draft('inv_unbalanced'), legs: [{ role: 'ar', amount: 2 }, { role: 'revenue', amount: -1 }] })).rejects.toMatchObject({ code: 'unbalanced_entry' });
    expect(await count()).toBe(n);

    const tb = await ok(t.as(fin, 'GET', '/api/v1/ledger/trial-balance'));
    // A database from before the journal: no entries at all; the rebuild posts them all again.
    await t.handle.db.deleteFrom('journalLines').execute();
    await t.handle.db.deleteFrom('journalEntries').execute();
    const r = await core.rebuildJournal(t.sys);
    expect(r.entriesBefore).toBe(0);
    expect(r.entriesAfter).toBeGreaterThan(0);
    // Same balance on every account (the turnover may differ: a rebuild cannot tell which allocations
    // were made with their payment, so those go through customer advances).
    const balances = (x: any) => x.currencies.map((c: any) => [c.currency, c.rows.map((r: any) => [r.accountCode, r.accountRole, r.balanceMinor])]);
    expect(balances(await ok(t.as(fin, 'GET', '/api/v1/ledger/trial-balance')))).toEqual(balances(tb));
    await reconciles();
    expect((await core.rebuildJournal(t.sys)).entriesAfter).toBe(r.entriesAfter);
  });

  it('posts in the business transaction: when the journal cannot be written, the issue and the payment roll back with it', async () => {
    const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId, lines: LINES }), 201);
    await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
    const draft = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, {}), 201);
    const payments = async () => Number((await t.handle.db.selectFrom('payments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const paymentsBefore = await payments();
    if (dialect === 'sqlite') await sql`create trigger ledger_down before insert on journal_lines begin select raise(abort, 'journal down'); end`.execute(t.handle.db);
    else {
      await sql`create function ledger_down() returns trigger as $$ begin raise exception 'journal down'; end $$ language plpgsql`.execute(t.handle.db);
      await sql`create trigger ledger_down before insert on journal_lines for each row execute function ledger_down()`.execute(t.handle.db);
    }
    try {
      expect((await t.as(fin, 'POST', `/api/v1/invoices/${draft.id}/issue`, {})).statusCode).toBe(500);
      expect(await ok(t.as(fin, 'GET', `/api/v1/invoices/${draft.id}`))).toMatchObject({ status: 'draft', number: null });
      expect((await t.as(fin, 'POST', '/api/v1/payments', { accountId, amountMinor: 5_000, currency: 'CNY', receivedOn: today(), method: 'cash' })).statusCode).toBe(500);
      expect(await payments()).toBe(paymentsBefore);
      expect(await entriesOf(draft.id)).toEqual([]);
    } finally {
      if (dialect === 'sqlite') await sql`drop trigger ledger_down`.execute(t.handle.db);
      else {
        await sql`drop trigger ledger_down on journal_lines`.execute(t.handle.db);
        await sql`drop function ledger_down()`.execute(t.handle.db);
      }
    }
    // The number the failed issue drew was rolled back too: the series stays gap-free.
    const last = await t.handle.db.selectFrom('invoices').select('number').where('number', 'is not', null).orderBy('number', 'desc').executeTakeFirstOrThrow();
    const issued = await ok(t.as(fin, 'POST', `/api/v1/invoices/${draft.id}/issue`, {}));
    expect(Number(issued.number.slice(-6))).toBe(Number(last.number!.slice(-6)) + 1);
    expect((await entriesOf(draft.id)).map((e: any) => e.event)).toEqual(['issue']);
    await reconciles();
  });

  it('exports CSV (RFC 4180) and JSON that add up to the trial balance', async () => {
    const tb = await ok(t.as(fin, 'GET', '/api/v1/ledger/trial-balance'));
    const res = await t.as(fin, 'GET', '/api/v1/ledger/export?format=csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('attachment');
    const rows = parseCsv(res.body);
    expect(rows[0]).toEqual([...core.LEDGER_CSV_COLUMNS]);
    const col = (name: string) => rows[0]!.indexOf(name);
    const body = rows.slice(1);
    expect(body.length).toBe(Number((await t.handle.db.selectFrom('journalLines').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n));
    const debit = body.reduce((s, r) => s + minorOf(r[col('debit')]!), 0);
    const credit = body.reduce((s, r) => s + minorOf(r[col('credit')]!), 0);
    expect([debit, credit]).toEqual([tb.currencies[0].debitMinor, tb.currencies[0].creditMinor]);
    // Per account the export gives the trial balance back.
    const byCode = new Map<string, number>();
    for (const r of body) byCode.set(r[col('account_code')]!, (byCode.get(r[col('account_code')]!) ?? 0) + minorOf(r[col('debit')]!) - minorOf(r[col('credit')]!));
    expect(Object.fromEntries(byCode)).toEqual(Object.fromEntries(tb.currencies[0].rows.map((r: any) => [r.accountCode, r.balanceMinor])));
    // The customer's name (with a comma and a quote it would need quoting) and the document numbers come along.
    const arRow = body.find((r) => r[col('account_code')] === '1122')!;
    expect(arRow[col('party_name')]).toBe('上海云启科技有限公司');
    expect(arRow[col('account_name')]).toContain('应收账款');
    expect(arRow[col('document_ref')]).toMatch(/^(INV|PAY|CN|RF)/);

    const json = await ok(t.as(fin, 'GET', '/api/v1/ledger/export?format=json'));
    expect(json.rows).toHaveLength(body.length);
    expect(json.rows.map((r: any) => [r.entryId, r.debit, r.credit])).toEqual(body.map((r) => [r[col('entry_id')], r[col('debit')], r[col('credit')]]));

    // A date range limits the export to entries in it.
    const none = parseCsv((await t.as(fin, 'GET', '/api/v1/ledger/export?from=2000-01-01&to=2000-12-31')).body);
    expect(none).toEqual([[...core.LEDGER_CSV_COLUMNS]]);
  });

  it('filters and pages entries; finance and admins map accounts, viewers read, sales see nothing', async () => {
    const page1 = await ok(t.as(fin, 'GET', '/api/v1/ledger/entries?limit=2'));
    expect(page1.items).toHaveLength(2);
    const page2 = await ok(t.as(fin, 'GET', `/api/v1/ledger/entries?limit=2&cursor=${page1.nextCursor}`));
    expect(page2.items.map((e: any) => e.id).some((id: string) => page1.items.some((e: any) => e.id === id))).toBe(false);
    const cash = await ok(t.as(fin, 'GET', '/api/v1/ledger/entries?accountCode=1002&limit=200'));
    expect(cash.items.length).toBeGreaterThan(0);
    for (const e of cash.items) expect(e.lines.some((l: any) => l.accountCode === '1002')).toBe(true);
    const invs = await ok(t.as(fin, 'GET', '/api/v1/ledger/entries?source=invoice&limit=200'));
    expect(invs.items.every((e: any) => e.sourceType === 'invoice')).toBe(true);

    expect((await t.as(rep, 'GET', '/api/v1/ledger/entries')).statusCode).toBe(403);
    expect((await t.as(rep, 'GET', '/api/v1/ledger/trial-balance')).statusCode).toBe(403);
    expect((await t.as(ops, 'GET', '/api/v1/ledger/reconciliation')).statusCode).toBe(403);
    await ok(t.as(viewer, 'GET', '/api/v1/ledger/trial-balance'));
    const chart = await ok(t.as(viewer, 'GET', '/api/v1/ledger/accounts'));
    expect(chart.accounts.find((a: any) => a.role === 'customerAdvances')).toMatchObject({ code: '2203', nameZh: '预收账款' });
    const change = { accounts: [{ role: 'ar', code: '1122.01', nameZh: '应收账款—客户', nameEn: 'AR – customers' }] };
    expect((await t.as(viewer, 'PUT', '/api/v1/ledger/accounts', change)).statusCode).toBe(403);
    const clash = await t.as(fin, 'PUT', '/api/v1/ledger/accounts', { accounts: [{ role: 'ar', code: '1002', nameZh: '现金', nameEn: 'Cash' }] });
    expect([clash.statusCode, clash.json().errors?.[0]?.code]).toEqual([422, 'invalid_chart']);
    const unknown = await t.as(fin, 'PUT', '/api/v1/ledger/accounts', { accounts: [{ role: 'ar', code: '1', nameZh: 'x', nameEn: 'x', extra: 1 }] });
    expect(unknown.statusCode).toBe(422);
    const after = await ok(t.as(admin, 'PUT', '/api/v1/ledger/accounts', change));
    expect(after.accounts.find((a: any) => a.role === 'ar').code).toBe('1122.01');

    // New postings use the new code, posted lines keep theirs; the reconciliation reads roles, so it still holds.
    const inv = await issuedInvoice([{ description: '年费 Subscription', quantity: '1', unitPriceMinor: 50_000, taxRate: '0.06' }]);
    expect((await entriesOf(inv.id))[0].lines[0]).toMatchObject({ accountRole: 'ar', accountCode: '1122.01' });
    const tb = (await reconciles()).tb;
    expect(tb.currencies[0].rows.filter((r: any) => r.accountRole === 'ar').map((r: any) => r.accountCode)).toEqual(['1122', '1122.01']);
    await ok(t.as(fin, 'PUT', '/api/v1/ledger/accounts', { accounts: [{ role: 'ar', code: '1122', nameZh: '应收账款', nameEn: 'Accounts receivable' }] }));
  });

  it('property: random issues, part payments, part credits and reversals keep the journal balanced and AR reconciled', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('issue' as const), amount: fc.integer({ min: 1, max: 5_000_000 }), rate: fc.constantFrom('0', '0.06', '0.09', '0.13') }),
      fc.record({ kind: fc.constant('pay' as const), amount: fc.integer({ min: 1, max: 3_000_000 }), auto: fc.boolean() }),
      fc.record({ kind: fc.constant('credit' as const), share: fc.integer({ min: 1, max: 100 }), refund: fc.boolean() }),
      fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 6 }), async (ops_) => {
        const acct = (await ok(t.as(fin, 'POST', '/api/v1/accounts', { name: `Property ${Math.random().toString(36).slice(2, 8)}` }), 201)).id;
        const invoices: any[] = [];
        const payments: any[] = [];
        for (const o of ops_) {
          if (o.kind === 'issue') invoices.push(await issuedInvoice([{ description: 'Item', quantity: '1', unitPriceMinor: o.amount, taxRate: o.rate }], acct));
          else if (o.kind === 'pay') payments.push(await pay(o.amount, o.auto ? { autoAllocate: true } : {}, acct));
          else if (o.kind === 'credit') {
            const open = [];
            for (const i of invoices) {
              const cur = await ok(t.as(fin, 'GET', `/api/v1/invoices/${i.id}`));
              const left = cur.totalMinor - cur.creditedMinor;
              if (left > 0) open.push({ id: i.id, left });
            }
            if (!open.length) continue;
            const target = open[o.share % open.length]!;
            const amountMinor = Math.max(1, Math.floor((target.left * o.share) / 100));
            const r = await t.as(fin, 'POST', `/api/v1/invoices/${target.id}/credit-notes`, { reason: 'property', amountMinor, settlement: o.refund ? 'refund' : 'balance', issue: true });
            // A credit that rounds to nothing on every line is refused; anything else is issued.
            if (r.statusCode !== 201) expect(r.json().code).toBe('nothing_to_credit');
          } else {
            const live = payments.filter((p) => !p.reversed);
            if (!live.length) continue;
            const p = live[o.pick % live.length]!;
            const r = await t.as(fin, 'POST', `/api/v1/payments/${p.id}/reverse`, { reason: 'property' });
            if (r.statusCode === 200) p.reversed = true;
            else expect(r.json().code).toBe('payment_refunded');
          }
        }
        await reconciles();
        // Per customer too: the AR lines with this party equal what its invoices still owe.
        const bal = await ok(t.as(fin, 'GET', `/api/v1/accounts/${acct}/balance`));
        const lines = await t.handle.db
          .selectFrom('journalLines')
          .select(['accountRole', 'debitMinor', 'creditMinor'])
          .where('partyAccountId', '=', acct)
          .execute();
        const sum = (role: string) => lines.filter((l) => l.accountRole === role).reduce((s, l) => s + Number(l.debitMinor) - Number(l.creditMinor), 0);
        expect(sum('ar')).toBe(bal.outstandingMinor);
        expect(0 - sum('customerAdvances') + 0).toBe(bal.unallocatedPaymentsMinor);
      }),
      { numRuns: dialect === 'sqlite' ? 12 : 6 },
    );
  });
});

/**
 * The demo company, then a scripted month on top of it: invoices from its open orders, partial
 * payments every day, an overpayment, a credit note on a paid invoice, a payment the bank returns,
 * a refund, a dunning run, a later allocation of the customer's credit and the revenue close of the month that
 * ends in it (or of the last month ended). The demo posts through the use cases,
 * so its year reconciles as loaded; after the month the trial balance reconciles exactly to the aging
 * and the revenue figures, as of every week's end and the month's end.
 */
describe.each(DIALECTS)('scripted month on the demo company (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    await loadDemoData(t.handle, { leads: 300, seed: 7 });
  }, 240_000);
  afterAll(async () => {
    core.setClock(null);
    await t.stop();
  });

  const zeros = (rec: core.ReconciliationDto) => rec.currencies.flatMap((c) => c.checks.map((k) => [c.currency, k.key, k.differenceMinor]));

  it('reconciles as loaded and after a month of invoices, part payments, credit notes, a reversal and a refund', async () => {
    const finUser = await t.user('finance', null, 'Month Fin');
    const fin: core.Ctx = { ...t.sys, user: (await core.principalFor(t.handle.db, finUser.id, 'session'))!, requestId: 'month' };
    const loaded = await core.ledgerReconciliation(fin, {});
    expect(loaded.currencies.length).toBeGreaterThan(0);
    expect(zeros(loaded).every(([, , d]) => d === 0), JSON.stringify(zeros(loaded))).toBe(true);
    expect(loaded.reconciled).toBe(true);
    const issued = await t.handle.db.selectFrom('invoices').select('id').where('status', 'in', ['issued', 'partially_paid', 'paid']).execute();
    const posted = await t.handle.db.selectFrom('journalEntries').select('sourceId').where('sourceType', '=', 'invoice').execute();
    expect(posted.length).toBe(issued.length);
    expect(issued.length).toBeGreaterThan(0);

    const start = Date.now();
    const days: string[] = [];
    const open = () =>
      t.handle.db.selectFrom('invoices').selectAll().where('status', 'in', ['issued', 'partially_paid']).where('currency', '=', 'CNY').orderBy('dueDate').orderBy('id').execute();
    const outstanding = async (id: string) => (await core.getInvoice(fin, id)).outstandingMinor;
    const payOn = async (inv: { id: string; accountId: string }, amountMinor: number, allocate: number) =>
      core.createPayment(fin, { accountId: inv.accountId, amountMinor, currency: 'CNY', receivedOn: core.today(), method: 'bank_transfer', allocations: allocate ? [{ invoiceId: inv.id, amountMinor: allocate }] : [] });
    const done = { billed: 0, paid: 0, credit: 0, overpaid: '', reversed: 0, refunded: 0, allocated: 0, dunningNotices: 0, revenueClosed: '' };
    let toReverse: string | null = null;
    for (let d = 1; d <= 30; d++) {
      core.setClock(() => new Date(start + d * 86_400_000));
      days.push(core.today());
      if (d % 4 === 1) {
        // Bill what a confirmed or fulfilled order has left.
        const orders = await t.handle.db.selectFrom('orders').select('id').where('status', 'in', ['confirmed', 'fulfilled']).orderBy('id').execute();
        for (const o of orders) {
          const draft = await core.createInvoiceFromOrder(fin, o.id, {}).catch((e) => (e.code === 'nothing_to_bill' ? null : Promise.reject(e)));
          if (!draft) continue;
          await core.issueInvoice(fin, draft.id, {});
          done.billed++;
          break;
        }
      }
      const list = await open();
      // A partial payment every day: a third of what the oldest open invoice owes.
      const target = list[d % Math.max(list.length, 1)];
      if (target) {
        const part = Math.max(1, Math.floor((await outstanding(target.id)) / 3));
        const p = await payOn(target, part, part);
        done.paid++;
        if (d === 3) toReverse = p.id;
      }
      if (d === 10 || d === 25) {
        // A credit note on a paid invoice: the excess goes to the customer's credit (day 10) or back to them (day 25).
        const paid = await t.handle.db.selectFrom('invoices').select(['id', 'totalMinor']).where('status', '=', 'paid').where('currency', '=', 'CNY').orderBy('issueDate', 'desc').orderBy('id').execute();
        for (const inv of paid) {
          const r = await core
            .createCreditNote(fin, inv.id, { reason: d === 10 ? '质量折扣 Quality discount' : '退货 Returned', amountMinor: Math.floor(Number(inv.totalMinor) / 4), settlement: d === 10 ? 'balance' : 'refund', issue: true })
            .catch(() => null);
          if (!r) continue;
          done.credit++;
          if (r.refundedMinor > 0) done.refunded++;
          break;
        }
      }
      if (d === 15 && list[0]) {
        const owed = await outstanding(list[0].id);
        const p = await payOn(list[0], owed + 123_456, owed);
        done.overpaid = p.id;
      }
      if (d === 20 && toReverse) {
        await core.reversePayment(fin, toReverse, { reason: '退票 Returned by the bank' });
        done.reversed++;
      }
      if (d === 21) {
        // A dunning run: notices with fees and interest, which the collections rules record on the
        // notice without changing what the invoice owes; so they post nothing and AR still equals the aging.
        const entries = await t.handle.db.selectFrom('journalEntries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
        const run = await core.runDunning(fin, {});
        done.dunningNotices = run.noticeCount;
        expect((await t.handle.db.selectFrom('journalEntries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n).toBe(entries.n);
        const after = await core.ledgerReconciliation(fin, { asOf: core.today() });
        expect(zeros(after).every(([, , x]) => x === 0), JSON.stringify(zeros(after))).toBe(true);
      }
      if (d === 28 && done.overpaid) {
        const p = await core.getPayment(fin, done.overpaid);
        const mine = (await open()).find((i) => i.accountId === p.accountId);
        if (mine) {
          await core.allocatePayment(fin, p.id, { autoAllocate: true });
          done.allocated++;
        } else {
          // No open invoice of that customer: bill them one and allocate the credit to it.
          const order = await core.createOrder({ ...fin, user: core.SYSTEM }, { accountId: p.accountId, lines: [{ description: '续费 Renewal', quantity: '1', unitPriceMinor: 100_000, taxRate: '0.06' }] });
          await core.transitionOrder({ ...fin, user: core.SYSTEM }, order.id, 'confirm', {});
          const inv = await core.createInvoiceFromOrder(fin, order.id, {});
          await core.issueInvoice(fin, inv.id, {});
          await core.allocatePayment(fin, p.id, { autoAllocate: true });
          done.allocated++;
        }
      }
      if (core.today().endsWith('-01') || (d === 30 && !done.revenueClosed)) {
        // The revenue close of the month that just ended (or, when the month has none, of the last one
        // ended): recognition posted, then the revenue report and the journal agree to the fen.
        const periods = await core.listRevenuePeriods(fin, {});
        if (periods.nextToClose) {
          const month = periods.nextToClose;
          const closed = await core.closeRevenuePeriod(fin, { period: month });
          expect((await core.closeRevenuePeriod(fin, { period: month })).alreadyClosed).toBe(true);
          done.revenueClosed = month;
          const monthEnd = core.periodEnd(month);
          const rec = await core.ledgerReconciliation(fin, { asOf: monthEnd, from: `${month}-01` });
          expect(zeros(rec).every(([, , x]) => x === 0), JSON.stringify(rec)).toBe(true);
          // At a closed month's end deferred revenue and contract assets are compared one by one too.
          expect(rec.currencies.find((c) => c.currency === 'CNY')!.checks.map((k) => k.key)).toEqual(expect.arrayContaining(['contractBalance', 'deferredRevenue', 'contractAsset']));
          const report = await core.revenueReport(fin, { from: month, to: month });
          const tbEnd = await core.ledgerTrialBalance(fin, { asOf: monthEnd });
          const roleSum = (role: string) => tbEnd.currencies.filter((c) => c.currency === 'CNY').flatMap((c) => c.rows).filter((r) => r.accountRole === role).reduce((s, r) => s + r.balanceMinor, 0);
          const row = report.byPeriod.find((p) => p.currency === 'CNY')!;
          expect([-roleSum('deferredRevenue'), roleSum('contractAsset')]).toEqual([row.deferredMinor, row.unbilledMinor]);
          const moved = await core.ledgerReconciliation(fin, { asOf: monthEnd, from: `${month}-01`, currency: 'CNY' });
          expect(moved.currencies[0]!.checks.find((k) => k.key === 'revenue')!.ledgerMinor).toBe(row.recognisedMinor + row.atBillingMinor);
          expect(closed.recognised.find((x) => x.currency === 'CNY')?.amountMinor ?? 0).toBe(row.recognisedMinor);
        }
      }
      if (d % 7 === 0) {
        const week = await core.ledgerReconciliation(fin, { asOf: core.today() });
        expect(zeros(week).every(([, , x]) => x === 0), `${core.today()}: ${JSON.stringify(zeros(week))}`).toBe(true);
      }
    }
    expect(done).toMatchObject({ paid: 30, credit: 2, refunded: 1, reversed: 1, allocated: 1 });
    expect(done.billed).toBeGreaterThan(0);
    expect(done.dunningNotices).toBeGreaterThan(0);
    expect(done.revenueClosed).not.toBe('');
    // The demo closed every month that had ended when it was loaded: its revenue report is not empty.
    const year = await core.revenueReport(fin, { from: `${loaded.asOf.slice(0, 4)}-01`, to: loaded.asOf.slice(0, 7) });
    expect(year.totals.find((x) => x.currency === 'CNY')!.recognisedMinor).toBeGreaterThan(0);

    const month = await core.ledgerReconciliation(fin, { asOf: days.at(-1), from: days[0] });
    expect(zeros(month).every(([, , x]) => x === 0), JSON.stringify(month)).toBe(true);
    expect(month.reconciled).toBe(true);
    const ar = month.currencies.find((c) => c.currency === 'CNY')!.checks.find((k) => k.key === 'ar')!;
    const aging = await core.receivablesAging(fin, { asOf: days.at(-1), groupBy: 'none' });
    expect(ar.ledgerMinor).toBe(aging.totals.totalMinor);
    expect(ar.ledgerMinor).toBeGreaterThan(0);
    // As of the day before the month, nothing of the month shows: the same figures as when loaded.
    const before = await core.ledgerReconciliation(fin, { asOf: loaded.asOf, from: loaded.from });
    expect(before.currencies.map((c) => c.checks.map((k) => k.ledgerMinor))).toEqual(loaded.currencies.map((c) => c.checks.map((k) => k.ledgerMinor)));
    const tb = await core.ledgerTrialBalance(fin, { asOf: days.at(-1) });
    for (const c of tb.currencies) expect(c.debitMinor).toBe(c.creditMinor);
  }, 240_000);
});

/** `ltc ledger rebuild` as an operator runs it, on a database whose journal is missing (SQLite file). */
describe('ltc ledger rebuild', () => {
  const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ltc-ledger-cli-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const ltc = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const env: NodeJS.ProcessEnv = { ...process.env, LTC_DATA_DIR: dir, LOG_LEVEL: 'silent', NODE_NO_WARNINGS: '1' };
      delete env.DATABASE_URL;
      execFile(process.execPath, ['--import', 'tsx', 'apps/server/src/cli.ts', ...args], { cwd: ROOT, env, timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
      );
    });

  it('posts the documents of a database from before the journal, and nothing the second time', async () => {
    const demo = await ltc(['demo', '--leads', '120', '--seed', '3']);
    expect(demo.code, demo.stderr).toBe(0);
    const file = path.join(dir, 'openltc.db');
    const db = new SQLite(file);
    const posted = Number((db.prepare('select count(*) as n from journal_entries').get() as { n: number }).n);
    expect(posted).toBeGreaterThan(0);
    db.exec('delete from journal_lines; delete from journal_entries;');
    db.close();
    const first = await ltc(['ledger', 'rebuild']);
    expect(first.code, first.stderr).toBe(0);
    const m = /journal: (\d+) entries posted .*; (\d+) entries in all/.exec(first.stdout);
    expect(m, first.stdout).not.toBeNull();
    expect(Number(m![1])).toBe(posted);
    const again = await ltc(['ledger', 'rebuild']);
    expect(again.stdout).toContain(`journal: 0 entries posted (invoices 0, credit notes 0, payment events 0, revenue 0); ${posted} entries in all`);
  }, 120_000);
});
