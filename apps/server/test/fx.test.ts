import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import { setClock } from '@openltc/core';
import { fxCompany, onBusinessDate, rateSetter } from './support/fx-fixture.ts';

/**
 * Multi-currency: the dated rate table, documents booked in the legal entity's functional currency
 * at the rate of their issue date, realised exchange differences on payment, credit notes and
 * reversals at consistent rates, and the trial balance and reconciliation in the functional currency.
 */
describe.each(DIALECTS)('FX rates and multi-currency journal (%s)', (dialect) => {
  let t: TestApp;
  let fin: TestUser;
  let ops: TestUser;
  let rep: TestUser;
  let viewer: TestUser;
  let accountId: string;

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    ({ fin, ops, viewer, rep, accountId } = await fxCompany(t));
  });
  afterAll(() => t.stop());
  afterEach(() => setClock(null));

  const on = onBusinessDate;
  const setRate = (base: string, quote: string, rate: string, effectiveDate: string) => rateSetter(t, fin)(base, quote, rate, effectiveDate);

  /** A customer of its own per invoice, so an overdue invoice never puts the next order on credit hold. */
  async function draftInvoice(currency: string, lines: unknown[]) {
    accountId = (await ok(t.as(rep, 'POST', '/api/v1/accounts', { name: `Pacific Trading ${Math.random().toString(36).slice(2, 8)}` }), 201)).id;
    const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId, currency, lines }), 201);
    await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
    return ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, {}), 201);
  }
  async function issued(currency: string, date: string, lines: unknown[]) {
    const d = await draftInvoice(currency, lines);
    on(date);
    return ok(t.as(fin, 'POST', `/api/v1/invoices/${d.id}/issue`, {}));
  }
  const pay = (currency: string, amountMinor: number, receivedOn: string, allocations: unknown[] = []) =>
    ok(t.as(fin, 'POST', '/api/v1/payments', { accountId, amountMinor, currency, receivedOn, method: 'bank_transfer', allocations }), 201);
  const entriesOf = async (sourceId: string) => (await ok(t.as(fin, 'GET', `/api/v1/ledger/entries?sourceId=${sourceId}&limit=200`))).items;
  /** Invoice income goes to revenue, or to deferred revenue where revenue recognition defers it. */
  const income = expect.stringMatching(/^(revenue|deferredRevenue)$/);
  /** [role, debit, credit, functional debit, functional credit] per line. */
  const fshape = (e: any) => e.lines.map((l: any) => [l.accountRole, l.debitMinor, l.creditMinor, l.functionalDebitMinor, l.functionalCreditMinor]);
  const functionalBalance = (tb: any, cur: string, role: string) =>
    tb.currencies.find((c: any) => c.currency === cur).rows.filter((r: any) => r.accountRole === role).reduce((s: number, r: any) => s + r.balanceMinor, 0);
  async function reconciled(asOf: string) {
    const rec = await ok(t.as(fin, 'GET', `/api/v1/ledger/reconciliation?asOf=${asOf}`));
    for (const c of [...rec.currencies, ...rec.functional]) for (const k of c.checks) expect([c.currency, k.key, k.differenceMinor]).toEqual([c.currency, k.key, 0]);
    expect(rec.reconciled).toBe(true);
    return rec;
  }

  it('keeps dated rates: set, replace, list by pair and date, bulk paste all-or-nothing, lookup either way round; finance and admin write', async () => {
    const r = await setRate('USD', 'CNY', '7.12340', '2027-01-02');
    expect(r).toMatchObject({ base: 'USD', quote: 'CNY', rate: '7.1234', effectiveDate: '2027-01-02', source: 'test', version: 1 });
    const again = await setRate('USD', 'CNY', '7.1300', '2027-01-02');
    expect([again.id, again.rate, again.version]).toEqual([r.id, '7.13', 2]);
    await setRate('USD', 'CNY', '7.1234', '2027-01-02');

    // A pasted block: header, tabs or semicolons, a bad line and a duplicate reported by line, nothing saved.
    const bad = await t.as(fin, 'POST', '/api/v1/fx-rates/bulk', { text: 'base,quote,rate,date\nEUR,CNY,7.80,2026-01-02\nEUR;CNY;7.9x;2026-01-05\nGBP\tCNY\t9.1\t2026-02-30\nEUR,CNY,7.81,2026-01-02' });
    expect([bad.statusCode, bad.json().code]).toEqual([422, 'validation_failed']);
    const paths = bad.json().errors.map((e: any) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['text.line3.rate', 'text.line4.effectiveDate', 'text']));
    expect((await ok(t.as(fin, 'GET', '/api/v1/fx-rates?pair=EUR/CNY'))).items).toEqual([]);
    const bulk = await ok(t.as(fin, 'POST', '/api/v1/fx-rates/bulk', { text: 'EUR,CNY,7.80,2026-01-02\nEUR;CNY;7.9;2026-01-05;PBOC\n\nCNY\tJPY\t21.05\t2026-01-02', source: 'ECB' }));
    expect([bulk.created, bulk.updated, bulk.unchanged]).toEqual([3, 0, 0]);
    expect(bulk.rates.map((x: any) => [x.base, x.quote, x.rate, x.source])).toEqual([
      ['EUR', 'CNY', '7.8', 'ECB'],
      ['EUR', 'CNY', '7.9', 'PBOC'],
      ['CNY', 'JPY', '21.05', 'ECB'],
    ]);
    const eur = await ok(t.as(fin, 'GET', '/api/v1/fx-rates?pair=CNY/EUR&from=2026-01-03'));
    expect(eur.items.map((x: any) => x.effectiveDate)).toEqual(['2026-01-05']);

    // In force on a date: the latest on or before it; the inverse is exact.
    expect((await ok(t.as(fin, 'GET', '/api/v1/fx-rates/lookup?from=EUR&to=CNY&date=2026-01-04'))).rate).toBe('7.8');
    expect(await ok(t.as(fin, 'GET', '/api/v1/fx-rates/lookup?from=CNY&to=USD&date=2027-03-01'))).toMatchObject({ rate: '5000/35617', inverted: true, effectiveDate: '2027-01-02' });
    const missing = await t.as(fin, 'GET', '/api/v1/fx-rates/lookup?from=USD&to=CNY&date=2027-01-01');
    expect([missing.statusCode, missing.json().code, missing.json().pair, missing.json().date]).toEqual([422, 'fx_rate_missing', 'USD/CNY', '2027-01-01']);

    // Rates are exact decimal strings: floats' exponents, zero and one currency twice are refused.
    for (const [body, path] of [
      [{ base: 'USD', quote: 'CNY', rate: '7e0', effectiveDate: '2026-01-02' }, 'rate'],
      [{ base: 'USD', quote: 'CNY', rate: '0', effectiveDate: '2026-01-02' }, 'rate'],
      [{ base: 'USD', quote: 'USD', rate: '1', effectiveDate: '2026-01-02' }, 'quote'],
    ] as const) {
      const res = await t.as(fin, 'PUT', '/api/v1/fx-rates', body);
      expect([res.statusCode, res.json().errors.map((e: any) => e.path)], JSON.stringify(body)).toEqual([422, [path]]);
    }
    // Sales and viewers cannot write rates; the rep cannot read the ledger's tables either.
    for (const u of [rep, viewer]) expect((await t.as(u, 'PUT', '/api/v1/fx-rates', { base: 'USD', quote: 'CNY', rate: '9', effectiveDate: '2026-01-02' })).statusCode).toBe(403);
    expect((await t.as(rep, 'GET', '/api/v1/fx-rates')).statusCode).toBe(403);
    const events = await t.handle.db.selectFrom('events').select('action').where('entityType', '=', 'fx_rate').where('entityId', '=', r.id).orderBy('occurredAt').execute();
    expect(events.map((e) => e.action)).toEqual(['created', 'updated', 'updated']);
  });

  it('books a USD invoice at the issue-date rate, clears AR at that amount and posts realised FX gain and loss; credit note and reversal stay consistent', async () => {
    // No rate yet for the day: the issue is refused with the pair and the date, and nothing is used up.
    await ok(t.as(fin, 'POST', '/api/v1/fx-rates/bulk', { text: 'USD,CNY,7.1000,2026-03-01' }));
    const draft = await draftInvoice('USD', [{ description: 'Licence', quantity: '1', unitPriceMinor: 100_000, taxRate: '0.06' }]);
    on('2026-02-27');
    const refused = await t.as(fin, 'POST', `/api/v1/invoices/${draft.id}/issue`, {});
    expect([refused.statusCode, refused.json().code, refused.json().pair, refused.json().date]).toEqual([422, 'fx_rate_missing', 'USD/CNY', '2026-02-27']);
    expect(await ok(t.as(fin, 'GET', `/api/v1/invoices/${draft.id}`))).toMatchObject({ status: 'draft', number: null });

    // Issued on 2026-03-02 at 7.1000: $1,060.00 → ¥7,526.00 (revenue ¥7,100.00, VAT ¥426.00).
    on('2026-03-02');
    const inv = await ok(t.as(fin, 'POST', `/api/v1/invoices/${draft.id}/issue`, {}));
    const [ie] = await entriesOf(inv.id);
    expect([ie.currency, ie.functionalCurrency, ie.fxRate, ie.fxRateDate]).toEqual(['USD', 'CNY', '7.1', '2026-03-01']);
    expect(fshape(ie)).toEqual([
      ['ar', 106_000, 0, 752_600, 0],
      [income, 0, 100_000, 0, 710_000],
      ['vatOutput', 0, 6_000, 0, 42_600],
    ]);

    // A payment in another currency is refused, naming the field.
    const cny = await pay('CNY', 10_000, '2026-03-05');
    const mismatch = await t.as(fin, 'POST', `/api/v1/payments/${cny.id}/allocate`, { allocations: [{ invoiceId: inv.id, amountMinor: 10_000 }] });
    expect([mismatch.statusCode, mismatch.json().code, mismatch.json().errors[0].path]).toEqual([422, 'currency_mismatch', 'allocations.0.invoiceId']);

    // $400 on 2026-03-10 at 7.2000: cash ¥2,880.00, AR cleared at the booked ¥2,840.00, gain ¥40.00.
    await setRate('USD', 'CNY', '7.2', '2026-03-10');
    const p1 = await pay('USD', 40_000, '2026-03-10', [{ invoiceId: inv.id, amountMinor: 40_000 }]);
    expect(fshape((await entriesOf(p1.id))[0])).toEqual([
      ['cash', 40_000, 0, 288_000, 0],
      ['ar', 0, 40_000, 0, 284_000],
      ['fxGain', 0, 0, 0, 4_000],
    ]);
    // Credit note of $60.00 at the invoice's rate: no exchange difference on a correction.
    const cn = await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/credit-notes`, { reason: 'Allowance 折让', amountMinor: 6_000, issue: true }), 201);
    const [ce] = await entriesOf(cn.id);
    expect([ce.fxRate, fshape(ce).find((l: any) => l[0] === 'ar')]).toEqual(['7.1', ['ar', 0, 6_000, 0, 42_600]]);
    // The last $600.00 on 2026-04-01 at 7.0000: cash ¥4,200.00, AR takes exactly what is left (¥4,260.00), loss ¥60.00.
    await setRate('CNY', 'USD', '0.142857', '2026-03-31'); // quoted the other way round: 1/0.142857 = 7.000007…
    await setRate('USD', 'CNY', '7.0', '2026-04-01');
    const p2 = await pay('USD', 60_000, '2026-04-01', [{ invoiceId: inv.id, amountMinor: 60_000 }]);
    expect(fshape((await entriesOf(p2.id))[0])).toEqual([
      ['cash', 60_000, 0, 420_000, 0],
      ['ar', 0, 60_000, 0, 426_000],
      ['fxLoss', 0, 0, 6_000, 0],
    ]);
    expect((await ok(t.as(fin, 'GET', `/api/v1/invoices/${inv.id}`))).status).toBe('paid');
    let tb = await ok(t.as(fin, 'GET', '/api/v1/ledger/trial-balance?asOf=2026-04-01'));
    expect(tb.basis).toBe('functional');
    expect(tb.currencies.map((c: any) => c.currency)).toEqual(['CNY']);
    expect([functionalBalance(tb, 'CNY', 'fxGain'), functionalBalance(tb, 'CNY', 'fxLoss'), functionalBalance(tb, 'CNY', 'cash')]).toEqual([-4_000, 6_000, 288_000 + 420_000 + 10_000]);
    const byTxn = await ok(t.as(fin, 'GET', '/api/v1/ledger/trial-balance?asOf=2026-04-01&basis=transaction'));
    expect(byTxn.currencies.map((c: any) => c.currency)).toEqual(['CNY', 'USD']);
    expect(functionalBalance(byTxn, 'USD', 'ar')).toBe(0);
    await reconciled('2026-04-01');

    // The bank returns the first payment on 2026-04-03: AR back at the booked rate, cash out at the
    // payment's rate, the gain reversed.
    on('2026-04-03');
    await ok(t.as(fin, 'POST', `/api/v1/payments/${p1.id}/reverse`, { reason: 'Returned 退票' }));
    const re = (await entriesOf(p1.id)).find((e: any) => e.event === 'reverse');
    expect(fshape(re)).toEqual([
      ['ar', 40_000, 0, 284_000, 0],
      ['cash', 0, 40_000, 0, 288_000],
      ['fxLoss', 0, 0, 4_000, 0],
    ]);
    tb = await ok(t.as(fin, 'GET', '/api/v1/ledger/trial-balance?asOf=2026-04-03'));
    expect(functionalBalance(tb, 'CNY', 'ar')).toBe(284_000);
    const rec = await reconciled('2026-04-03');
    expect(rec.functional.find((c: any) => c.currency === 'CNY').checks[0]).toMatchObject({ key: 'arFunctional', ledgerMinor: 284_000, reportMinor: 284_000 });
  });

  it('reproduces a textbook worked example (Kaplan CIMA F1 study text, ch. 16, example 1): £200,000 sold at $1 = £0.55, paid at $1 = £0.60, loss $30,303', async () => {
    // The textbook's entity reports in dollars: a second app whose legal entity is in USD.
    const us = await TestApp.start(dialect);
    try {
      await us.handle.db.updateTable('legalEntities').set({ currency: 'USD' }).execute();
      const f = await us.user('finance', null, 'Fin');
      const o = await us.user('operations', null, 'Ops');
      const acc = (await ok(us.as(f, 'POST', '/api/v1/accounts', { name: 'UK Customer Ltd' }), 201)).id;
      // Quoted as the book does: pounds per dollar; the system inverts exactly (1/0.55 = 20/11).
      await ok(us.as(f, 'POST', '/api/v1/fx-rates/bulk', { text: 'USD,GBP,0.55,2026-02-28\nUSD,GBP,0.60,2026-04-28' }));
      const order = await ok(us.as(o, 'POST', '/api/v1/orders', { accountId: acc, currency: 'GBP', lines: [{ description: 'Goods', quantity: '1', unitPriceMinor: 20_000_000, taxRate: '0' }] }), 201);
      await ok(us.as(o, 'POST', `/api/v1/orders/${order.id}/confirm`, {}));
      const d = await ok(us.as(f, 'POST', `/api/v1/orders/${order.id}/invoices`, {}), 201);
      on('2026-02-28');
      const inv = await ok(us.as(f, 'POST', `/api/v1/invoices/${d.id}/issue`, {}));
      const p = await ok(us.as(f, 'POST', '/api/v1/payments', { accountId: acc, amountMinor: 20_000_000, currency: 'GBP', receivedOn: '2026-04-28', method: 'bank_transfer', allocations: [{ invoiceId: inv.id, amountMinor: 20_000_000 }] }), 201);
      const entries = async (id: string) => (await ok(us.as(f, 'GET', `/api/v1/ledger/entries?sourceId=${id}`))).items;
      const [ie] = await entries(inv.id);
      // Dr Receivables 363,636 / Cr Sales 363,636 (the book rounds to the dollar; we keep cents).
      expect([ie.fxRate, fshape(ie)]).toEqual(['20/11', [['ar', 20_000_000, 0, 36_363_636, 0], [income, 0, 20_000_000, 0, 36_363_636]]]);
      // Dr Bank 333,333 / Dr P/L (loss) 30,303 / Cr Receivables 363,636.
      const [pe] = await entries(p.id);
      expect(fshape(pe)).toEqual([
        ['cash', 20_000_000, 0, 33_333_333, 0],
        ['ar', 0, 20_000_000, 0, 36_363_636],
        ['fxLoss', 0, 0, 3_030_303, 0],
      ]);
      expect(Math.round(3_030_303 / 100)).toBe(30_303);
    } finally {
      await us.stop();
    }
  });

  it('property: every entry balances in the functional currency and AR in CNY = Σ open items at their booked rates', async () => {
    const rateArb = fc.integer({ min: 60_000, max: 80_000 }).map((n) => `${Math.trunc(n / 10_000)}.${String(n % 10_000).padStart(4, '0')}`);
    const step = fc.record({
      price: fc.integer({ min: 1, max: 5_000_000 }),
      tax: fc.constantFrom('0', '0.06', '0.13'),
      issueRate: rateArb,
      payRate: rateArb,
      parts: fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 0, maxLength: 3 }),
      credit: fc.integer({ min: 0, max: 3 }),
      reverseFirst: fc.boolean(),
    });
    let day = 0;
    const date = () => {
      day++;
      const d = new Date(Date.UTC(2025, 0, 1 + day));
      return d.toISOString().slice(0, 10);
    };
    await fc.assert(
      fc.asyncProperty(step, async (s) => {
        const issueDate = date();
        await setRate('USD', 'CNY', s.issueRate, issueDate);
        const inv = await issued('USD', issueDate, [{ description: 'P', quantity: '1', unitPriceMinor: s.price, taxRate: s.tax }]);
        let open = inv.totalMinor as number;
        if (s.credit) {
          const amount = Math.max(1, Math.floor(open / (s.credit + 3)));
          await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/credit-notes`, { reason: 'x', amountMinor: amount, issue: true }), 201);
          open -= amount;
        }
        const payDate = date();
        await setRate('USD', 'CNY', s.payRate, payDate);
        const total = s.parts.reduce((a, b) => a + b, 0);
        const paid: string[] = [];
        for (const [i, part] of s.parts.entries()) {
          const amount = i === s.parts.length - 1 ? open : Math.floor((open * part) / Math.max(total, 1) / 2);
          if (amount <= 0) continue;
          paid.push((await pay('USD', amount, payDate, [{ invoiceId: inv.id, amountMinor: amount }])).id);
          open -= amount;
        }
        on(payDate);
        if (s.reverseFirst && paid[0]) await ok(t.as(fin, 'POST', `/api/v1/payments/${paid[0]}/reverse`, { reason: 'x' }));
        const lines = await t.handle.db.selectFrom('journalLines').select(['entryId', 'functionalDebitMinor', 'functionalCreditMinor']).execute();
        const perEntry = new Map<string, number>();
        for (const l of lines) perEntry.set(l.entryId, (perEntry.get(l.entryId) ?? 0) + Number(l.functionalDebitMinor) - Number(l.functionalCreditMinor));
        expect([...perEntry.values()].filter((v) => v !== 0)).toEqual([]);
        await reconciled(payDate);
        setClock(null);
      }),
      { numRuns: dialect === 'postgres' ? 6 : 12 },
    );
  });
});
