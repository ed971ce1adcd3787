import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import { setClock } from '@openltc/core';
import { fxCompany, onBusinessDate, rateSetter } from './support/fx-fixture.ts';

/**
 * Period-end FX revaluation on both databases: open USD and EUR receivables and a customer's
 * unapplied USD of a CNY legal entity revalued at the closing rates on the last day of the month and
 * reversed on the first day of the next; refused without a closing rate or before the month ended;
 * once per month; realised differences at payment unchanged by it; the reconciliation at the period
 * end (AR + revaluation = open items at the closing rate); and the month close running it.
 */
describe.each(DIALECTS)('FX revaluation (%s)', (dialect) => {
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
  async function issued(currency: string, date: string, unitPriceMinor: number) {
    const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId, currency, lines: [{ description: 'Licence', quantity: '1', unitPriceMinor, taxRate: '0' }] }), 201);
    await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
    const d = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, {}), 201);
    on(date);
    return ok(t.as(fin, 'POST', `/api/v1/invoices/${d.id}/issue`, {}));
  }
  const pay = (currency: string, amountMinor: number, receivedOn: string, allocations: unknown[] = []) =>
    ok(t.as(fin, 'POST', '/api/v1/payments', { accountId, amountMinor, currency, receivedOn, method: 'bank_transfer', allocations }), 201);
  const entriesOf = async (sourceId: string) => (await ok(t.as(fin, 'GET', `/api/v1/ledger/entries?sourceId=${sourceId}&limit=200`))).items;
  /** [role, debit, credit, functional debit, functional credit] per line. */
  const fshape = (e: any) => e.lines.map((l: any) => [l.accountRole, l.debitMinor, l.creditMinor, l.functionalDebitMinor, l.functionalCreditMinor]);
  const balances = async (asOf: string) => {
    const tb = await ok(t.as(fin, 'GET', `/api/v1/ledger/trial-balance?asOf=${asOf}`));
    const rows = tb.currencies.find((c: any) => c.currency === 'CNY').rows;
    return (role: string) => rows.filter((r: any) => r.accountRole === role).reduce((s: number, r: any) => s + r.balanceMinor, 0);
  };
  const fxRoles = ['fxGain', 'fxLoss', 'unrealisedFxGain', 'unrealisedFxLoss'];
  async function reconciled(asOf: string) {
    const rec = await ok(t.as(fin, 'GET', `/api/v1/ledger/reconciliation?asOf=${asOf}`));
    for (const c of [...rec.currencies, ...rec.functional]) for (const k of c.checks) expect([c.currency, k.key, k.differenceMinor]).toEqual([c.currency, k.key, 0]);
    expect(rec.reconciled).toBe(true);
    return rec;
  }

  let usdInvoice: any;
  let revaluationId = '';

  it('revalues open receivables and unapplied money at the closing rate on the last day, reversed on the first day of the next month', async () => {
    await setRate('USD', 'CNY', '7.10', '2026-10-01');
    await setRate('EUR', 'CNY', '7.80', '2026-09-01');
    // $10,000.00 on 2026-10-10 at 7.10 (¥71,000.00); €1,000.00 at 7.80 (¥7,800.00).
    usdInvoice = await issued('USD', '2026-10-10', 1_000_000);
    const eurInvoice = await issued('EUR', '2026-10-12', 100_000);
    // $2,000.00 paid on 2026-10-20 at 7.15 (realised gain ¥100.00); $500.00 more left unapplied.
    await setRate('USD', 'CNY', '7.15', '2026-10-20');
    on('2026-10-25');
    await pay('USD', 200_000, '2026-10-20', [{ invoiceId: usdInvoice.id, amountMinor: 200_000 }]);
    await pay('USD', 50_000, '2026-10-25');

    // Not before the month has ended.
    on('2026-10-31');
    const early = await t.as(fin, 'POST', '/api/v1/fx/revaluations', { period: '2026-10' });
    expect([early.statusCode, early.json().code]).toEqual([409, 'period_not_ended']);
    // Finance and admins only.
    on('2026-11-02');
    for (const u of [rep, ops, viewer]) expect((await t.as(u, 'POST', '/api/v1/fx/revaluations', { period: '2026-10' })).statusCode).toBe(403);
    expect((await t.as(rep, 'GET', '/api/v1/fx/revaluations')).statusCode).toBe(403);
    const badPeriod = await t.as(fin, 'POST', '/api/v1/fx/revaluations', { period: '2026-13' });
    expect([badPeriod.statusCode, badPeriod.json().errors[0].path]).toEqual([422, 'period']);

    // The EUR rate of September is not an October closing rate: refused, naming the pair and the date, nothing posted.
    const refused = await t.as(fin, 'POST', '/api/v1/fx/revaluations', { period: '2026-10' });
    expect([refused.statusCode, refused.json().code, refused.json().pairs, refused.json().date]).toEqual([422, 'fx_closing_rate_missing', ['EUR/CNY'], '2026-10-31']);
    expect(refused.json().detail).toContain('EUR/CNY');
    expect((await ok(t.as(fin, 'GET', '/api/v1/fx/revaluations'))).items).toEqual([]);

    await setRate('USD', 'CNY', '7.20', '2026-10-31');
    await setRate('CNY', 'EUR', '0.125', '2026-10-30'); // stored the other way round: 8 CNY per EUR, inverted exactly
    const res = await t.as(fin, 'POST', '/api/v1/fx/revaluations', { period: '2026-10' });
    expect(res.statusCode).toBe(201);
    const run = res.json();
    expect(run.alreadyRun).toBe(false);
    const r = run.revaluation;
    revaluationId = r.id;
    expect(r).toMatchObject({ period: '2026-10', periodEnd: '2026-10-31', reversalDate: '2026-11-01', functionalCurrency: 'CNY', items: 3, trigger: 'api', entries: 4 });
    expect(r.rates).toEqual([
      { currency: 'EUR', rate: '8', effectiveDate: '2026-10-30' },
      { currency: 'USD', rate: '7.2', effectiveDate: '2026-10-31' },
    ]);
    // EUR invoice: €1,000 carried ¥7,800.00 → ¥8,000.00 (+200.00); USD invoice: $8,000 carried
    // ¥56,800.00 → ¥57,600.00 (+800.00); unapplied $500 carried ¥3,575.00 → ¥3,600.00 (a loss of 25.00).
    expect(r.lines.map((l: any) => [l.kind, l.documentRef, l.currency, l.balanceMinor, l.carryingMinor, l.revaluedMinor, l.differenceMinor])).toEqual([
      ['receivable', eurInvoice.number, 'EUR', 100_000, 780_000, 800_000, 20_000],
      ['advance', 'Pacific Trading Ltd 太平洋贸易', 'USD', 50_000, 357_500, 360_000, 2_500],
      ['receivable', usdInvoice.number, 'USD', 800_000, 5_680_000, 5_760_000, 80_000],
    ]);
    expect([r.gainMinor, r.lossMinor, r.netMinor]).toEqual([100_000, 2_500, 97_500]);

    // The entries: nothing in the transaction currency, balanced in CNY, reversed line by line.
    const entries = await entriesOf(r.id);
    expect(entries.map((e: any) => [e.event, e.entryDate, e.currency, e.sourceType])).toEqual(
      expect.arrayContaining([
        ['revalue:EUR', '2026-10-31', 'EUR', 'fx_revaluation'],
        ['reverse:EUR', '2026-11-01', 'EUR', 'fx_revaluation'],
        ['revalue:USD', '2026-10-31', 'USD', 'fx_revaluation'],
        ['reverse:USD', '2026-11-01', 'USD', 'fx_revaluation'],
      ]),
    );
    const usd = entries.find((e: any) => e.event === 'revalue:USD');
    expect(usd.fxRate).toBe('7.2');
    expect(fshape(usd)).toEqual([
      ['advancesRevaluation', 0, 0, 0, 2_500],
      ['arRevaluation', 0, 0, 80_000, 0],
      ['unrealisedFxGain', 0, 0, 0, 80_000],
      ['unrealisedFxLoss', 0, 0, 2_500, 0],
    ]);
    const back = entries.find((e: any) => e.event === 'reverse:USD');
    expect(fshape(back)).toEqual(fshape(usd).map(([role, d, c, fd, fc]: any[]) => [role, c, d, fc, fd]));
    for (const e of entries) {
      const d = e.lines.reduce((s: number, l: any) => s + l.functionalDebitMinor, 0);
      expect(d).toBe(e.lines.reduce((s: number, l: any) => s + l.functionalCreditMinor, 0));
      expect(d).toBeGreaterThan(0);
    }
    // The accounts come from the chart: configurable per legal entity like the others.
    expect(usd.lines.map((l: any) => l.accountCode)).toEqual(['220399', '112299', '660305', '660306']);

    // Once per legal entity and month: 200 with the same run, nothing posted twice.
    const again = await t.as(fin, 'POST', '/api/v1/fx/revaluations', { period: '2026-10' });
    expect([again.statusCode, again.json().alreadyRun, again.json().revaluation.id]).toEqual([200, true, r.id]);
    expect(await entriesOf(r.id)).toHaveLength(4);
    expect((await ok(t.as(fin, 'GET', '/api/v1/fx/revaluations'))).items.map((x: any) => [x.id, x.period, x.netMinor])).toEqual([[r.id, '2026-10', 97_500]]);
    expect((await ok(t.as(viewer, 'GET', `/api/v1/fx/revaluations/${r.id}`))).lines).toHaveLength(3);
    const events = await t.handle.db.selectFrom('events').select('action').where('entityType', '=', 'fx_revaluation').execute();
    expect(events.map((e) => e.action)).toEqual(['created']);
  });

  it('reconciles at the period end: AR at booked rates, and AR + its revaluation = open items at the closing rate; nothing left the next day', async () => {
    const rec = await reconciled('2026-10-31');
    const checks = rec.functional.find((c: any) => c.currency === 'CNY').checks;
    expect(checks.map((c: any) => c.key)).toEqual(['arFunctional', 'arRevalued']);
    // Open: $8,000 at 7.20 + €1,000 at 8 = ¥65,600.00; at booked rates ¥64,600.00.
    expect(checks.map((c: any) => [c.ledgerMinor, c.reportMinor])).toEqual([
      [6_460_000, 6_460_000],
      [6_560_000, 6_560_000],
    ]);
    const end = await balances('2026-10-31');
    expect([end('arRevaluation'), end('advancesRevaluation'), end('unrealisedFxGain'), end('unrealisedFxLoss')]).toEqual([100_000, -2_500, -100_000, 2_500]);
    const next = await balances('2026-11-01');
    expect(fxRoles.slice(2).map(next).concat([next('arRevaluation'), next('advancesRevaluation')])).toEqual([0, 0, 0, 0]);
    expect((await reconciled('2026-11-01')).functional.find((c: any) => c.currency === 'CNY').checks.map((c: any) => c.key)).toEqual(['arFunctional']);
  });

  it('leaves realised FX at payment as without it: the total exchange result is what the cash brought over the booking', async () => {
    // The last $8,000.00 on 2026-11-10 at 7.25: ¥58,000.00 against the booked ¥56,800.00, gain ¥1,200.00
    // measured from the booked rate (the revaluation was reversed on 2026-11-01).
    await setRate('USD', 'CNY', '7.25', '2026-11-10');
    on('2026-11-10');
    const p = await pay('USD', 800_000, '2026-11-10', [{ invoiceId: usdInvoice.id, amountMinor: 800_000 }]);
    expect(fshape((await entriesOf(p.id))[0])).toEqual([
      ['cash', 800_000, 0, 5_800_000, 0],
      ['ar', 0, 800_000, 0, 5_680_000],
      ['fxGain', 0, 0, 0, 120_000],
    ]);
    const b = await balances('2026-11-10');
    // Realised ¥100.00 (October) + ¥1,200.00: the same as paying (2,000 × 7.15 + 8,000 × 7.25) − 71,000.
    expect(fxRoles.reduce((s, role) => s + b(role), 0)).toBe(-(1_430_000 + 5_800_000 - 7_100_000));
    expect(b('unrealisedFxGain') + b('unrealisedFxLoss')).toBe(0);
    await reconciled('2026-11-10');
  });

  it('runs with the month close: the revenue close revalues the month and refuses it without a closing rate', async () => {
    on('2026-12-02');
    // October was revalued alone: the close keeps that run.
    const oct = await ok(t.as(fin, 'POST', '/api/v1/revenue/close', { period: '2026-10' }));
    expect(oct.fxRevaluationId).toBe(revaluationId);
    // November: the EUR invoice and the unapplied $500 are open; no EUR rate in November.
    const refused = await t.as(fin, 'POST', '/api/v1/revenue/close', { period: '2026-11' });
    expect([refused.statusCode, refused.json().code, refused.json().pairs, refused.json().date]).toEqual([422, 'fx_closing_rate_missing', ['EUR/CNY'], '2026-11-30']);
    expect((await ok(t.as(fin, 'GET', '/api/v1/revenue/periods'))).closedThrough).toBe('2026-10');
    await setRate('EUR', 'CNY', '7.90', '2026-11-30');
    const nov = await ok(t.as(fin, 'POST', '/api/v1/revenue/close', { period: '2026-11' }));
    const detail = await ok(t.as(fin, 'GET', `/api/v1/fx/revaluations/${nov.fxRevaluationId}`));
    expect(detail).toMatchObject({ period: '2026-11', trigger: 'revenue_close', items: 2 });
    // €1,000 carried ¥7,800.00 → ¥7,900.00; $500 carried ¥3,575.00 → at 7.25 ¥3,625.00 (loss ¥50.00).
    expect(detail.lines.map((l: any) => [l.currency, l.differenceMinor])).toEqual([
      ['EUR', 10_000],
      ['USD', 5_000],
    ]);
    await reconciled('2026-11-30');
    const list = await ok(t.as(fin, 'GET', '/api/v1/fx/revaluations'));
    expect(list.items.map((x: any) => x.period)).toEqual(['2026-11', '2026-10']);
  });

  it('shows an item booked later inside a revalued month in the reconciliation until the month is rerun; the rerun voids the old run', async () => {
    const old = (await ok(t.as(fin, 'GET', '/api/v1/fx/revaluations'))).items.find((x: any) => x.period === '2026-11');
    // A $1,000.00 invoice issued on 2026-11-29, after November was revalued, at 7.28 (¥7,280.00).
    await setRate('USD', 'CNY', '7.28', '2026-11-29');
    await issued('USD', '2026-11-29', 100_000);
    on('2026-12-03');
    // The run valued USD at 7.25: the late invoice is ¥7,250.00 at the run's closing rate, ¥7,280.00 in AR.
    const stale = await ok(t.as(fin, 'GET', '/api/v1/ledger/reconciliation?asOf=2026-11-30'));
    const check = stale.functional.find((c: any) => c.currency === 'CNY').checks.find((c: any) => c.key === 'arRevalued');
    expect([stale.reconciled, check.differenceMinor]).toEqual([false, 3_000]);
    // Running again changes nothing; a rerun replaces the run.
    expect((await t.as(fin, 'POST', '/api/v1/fx/revaluations', { period: '2026-11' })).statusCode).toBe(200);
    expect((await t.as(ops, 'POST', '/api/v1/fx/revaluations', { period: '2026-11', rerun: true })).statusCode).toBe(403);
    const res = await t.as(fin, 'POST', '/api/v1/fx/revaluations', { period: '2026-11', rerun: true });
    expect(res.statusCode).toBe(201);
    const r = res.json().revaluation;
    expect([r.id === old.id, r.status, r.trigger]).toEqual([false, 'posted', 'api']);
    expect(r.rates).toContainEqual({ currency: 'USD', rate: '7.28', effectiveDate: '2026-11-29' });
    // EUR ¥7,800.00 → ¥7,900.00; $500 unapplied ¥3,575.00 → ¥3,640.00; the new invoice is at its own rate.
    expect(r.lines.map((l: any) => [l.currency, l.kind, l.differenceMinor])).toEqual([
      ['EUR', 'receivable', 10_000],
      ['USD', 'advance', 6_500],
      ['USD', 'receivable', 0],
    ]);
    const voided = await ok(t.as(fin, 'GET', `/api/v1/fx/revaluations/${old.id}`));
    expect([voided.status, voided.supersededBy]).toEqual(['superseded', fin.id]);
    const oldEntries = await entriesOf(old.id);
    expect(oldEntries.map((e: any) => e.event).sort()).toEqual(['revalue:EUR', 'revalue:USD', 'reverse:EUR', 'reverse:USD', 'void:revalue:EUR', 'void:revalue:USD', 'void:reverse:EUR', 'void:reverse:USD']);
    const v = oldEntries.find((e: any) => e.event === 'void:revalue:USD');
    expect([v.entryDate, fshape(v)]).toEqual(['2026-11-30', fshape(oldEntries.find((e: any) => e.event === 'revalue:USD')).map(([role, d, c, fd, fc]: any[]) => [role, c, d, fc, fd])]);
    await reconciled('2026-11-30');
    await reconciled('2026-12-01');
    const b = await balances('2026-11-30');
    expect([b('arRevaluation'), b('advancesRevaluation')]).toEqual([10_000, -6_500]);
    const list = await ok(t.as(fin, 'GET', '/api/v1/fx/revaluations'));
    expect(list.items.map((x: any) => [x.period, x.status]).sort()).toEqual([
      ['2026-10', 'posted'],
      ['2026-11', 'posted'],
      ['2026-11', 'superseded'],
    ]);
  });
});
