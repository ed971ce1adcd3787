import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, PG_URL, TestApp, ok, type TestUser } from '@openltc/testing';
import * as core from '@openltc/core';
import type { Ctx } from '@openltc/core';
import { setClock, today } from '@openltc/core';
import { sql } from '@openltc/db';
import { applyScope } from '../../../packages/core/src/platform/records.ts';
import { freshBenchDb, type BenchDb } from '../../../bench/lib/db.ts';
import { generateDataset, type Dataset } from '../../../bench/lib/bulk.ts';
import { contexts, kpiPeriod } from '../../../bench/lib/hot-queries.ts';
import { SIZES } from '../../../bench/lib/sizes.ts';
import { product } from './support/quote-fixtures.ts';

const at = (iso: string) => setClock(() => new Date(iso));

/**
 * The lead/quote-to-cash figures as they were computed before migration 019, kept as the reference:
 * invoices paid now whose last allocation falls in the period, followed through order → opportunity →
 * lead and the order's quote to its first version, as two histograms of tenths of a day.
 */
async function oldLeadAndQuoteToCash(ctx: Ctx, from: string, to: string) {
  const p = core.period(from, to, 'Asia/Shanghai');
  const paid = (qc: any) =>
    applyScope(
      ctx,
      core.invoiceDef,
      qc
        .selectFrom(
          qc
            .selectFrom('paymentAllocations as pa')
            .select('pa.invoiceId')
            .distinct()
            .where('pa.createdAt', '>=', p.fromUtc)
            .where('pa.createdAt', '<', p.toUtcExclusive)
            .as('inPeriod'),
        )
        .crossJoin('invoices')
        .whereRef('invoices.id', '=', 'inPeriod.invoiceId')
        .innerJoin('paymentAllocations', 'paymentAllocations.invoiceId', 'invoices.id')
        .innerJoin('orders', 'orders.id', 'invoices.orderId')
        .leftJoin('opportunities', 'opportunities.id', 'orders.opportunityId')
        .leftJoin('leads', 'leads.id', 'opportunities.leadId')
        .leftJoin('quotes', 'quotes.id', 'orders.quoteId')
        .where('invoices.status', '=', 'paid')
        .groupBy(['invoices.id', 'leads.createdAt', 'quotes.number'])
        .having((eb: any) => eb.fn.max('paymentAllocations.createdAt'), '>=', p.fromUtc)
        .having((eb: any) => eb.fn.max('paymentAllocations.createdAt'), '<', p.toUtcExclusive)
        .select((eb: any) => [
          'invoices.id',
          eb.fn.max('paymentAllocations.createdAt').as('paidAt'),
          'leads.createdAt as leadAt',
          eb
            .selectFrom('quotes as q2')
            .select((e: any) => e.fn.min('q2.createdAt').as('firstAt'))
            .whereRef('q2.number', '=', 'quotes.number')
            .as('firstQuoteAt'),
        ]),
      'invoices',
    );
  const l2cDays = core.tenthsOfDays(ctx.dialect, 'leadAt', 'paidAt');
  const q2cDays = core.tenthsOfDays(ctx.dialect, 'firstQuoteAt', 'paidAt');
  const rows = await (ctx.db as any)
    .with('paid', paid)
    .selectFrom('paid')
    .select((eb: any) => [sql<string>`'lead'`.as('kind'), l2cDays.as('tenths'), eb.fn.countAll().as('n')])
    .groupBy(l2cDays)
    .unionAll((eb: any) =>
      eb
        .selectFrom('paid')
        .select((e: any) => [sql<string>`'quote'`.as('kind'), q2cDays.as('tenths'), e.fn.countAll().as('n')])
        .groupBy(q2cDays),
    )
    .execute();
  const paidCount = rows.filter((r: any) => r.kind === 'lead').reduce((t: number, r: any) => t + Number(r.n), 0);
  const hist = (kind: string) =>
    rows.filter((r: any) => r.kind === kind && r.tenths !== null).map((r: any) => ({ tenths: Number(r.tenths), n: Number(r.n) }));
  const figure = (h: Array<{ tenths: number; n: number }>) =>
    paidCount ? { value: core.medianOfTenths(h), sample: h.reduce((t, x) => t + x.n, 0) } : { value: null, sample: 0 };
  return { leadToCashDays: figure(hist('lead')), quoteToCashDays: figure(hist('quote')) };
}

const figures = (r: core.KpiReport) => ({
  leadToCashDays: { value: r.kpis.leadToCashDays!.value, sample: r.kpis.leadToCashDays!.sample },
  quoteToCashDays: { value: r.kpis.quoteToCashDays!.value, sample: r.kpis.quoteToCashDays!.sample },
});

describe.each(DIALECTS)('an invoice keeps when it was paid and when its chain started (%s)', (dialect) => {
  let t: TestApp;
  let admin: TestUser, rep: TestUser, manager: TestUser, ops: TestUser, fin: TestUser, outsider: TestUser;
  let productId: string;

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const east = await t.team('华东销售部');
    admin = await t.user('admin', null, 'Admin');
    rep = await t.user('sales_rep', east, '李娜');
    manager = await t.user('sales_manager', east, '陈志强');
    ops = await t.user('operations', null, '郭勇');
    fin = await t.user('finance', null, '徐芳');
    outsider = await t.user('sales_rep', await t.team('华西销售部'), 'Outsider');
    productId = (await product(t, admin, { listPriceMinor: 100_000, taxRate: '0' })).id;
  });
  afterEach(() => setClock(null));
  afterAll(() => t.stop());

  const kept = async (id: string) =>
    t.handle.db.selectFrom('invoices').select(['status', 'paidAt', 'leadCreatedAt', 'firstQuoteCreatedAt']).where('id', '=', id).executeTakeFirstOrThrow();
  const lastAllocationAt = async (id: string) =>
    (await t.handle.db.selectFrom('paymentAllocations').select((eb) => eb.fn.max('createdAt').as('m')).where('invoiceId', '=', id).executeTakeFirstOrThrow()).m;
  const pay = async (accountId: string, invoiceId: string, amountMinor: number) =>
    ok(t.as(fin, 'POST', '/api/v1/payments', { accountId, amountMinor, currency: 'CNY', receivedOn: today(), method: 'bank_transfer', allocations: [{ invoiceId, amountMinor }] }), 201);
  const kpis = async (who: TestUser, from: string, to: string) => ok(t.as(who, 'GET', `/api/v1/analytics/kpis?from=${from}&to=${to}`));
  const ctxOf = async (who: TestUser): Promise<Ctx> => ({ db: t.handle.db, dialect, user: (await core.principalFor(t.handle.db, who.id, 'session'))!, requestId: null });

  /**
   * Lead created at `leadAt`, converted the next day; a quote drafted at `quoteAt`, revised two days
   * later (the clock starts with the first version), accepted; an order from it, confirmed; its
   * invoice of 2 × ¥1,000 issued on `invoiceAt`.
   */
  async function chain(leadAt: string, quoteAt: string, invoiceAt: string) {
    at(leadAt);
    const lead = await ok(t.as(rep, 'POST', '/api/v1/leads', { name: '王芳', company: '苏州恒信智能制造有限公司' }), 201);
    await ok(t.as(rep, 'POST', `/api/v1/leads/${lead.id}/qualify`, {}));
    at(new Date(Date.parse(leadAt) + 86_400_000).toISOString());
    const conv = await ok(t.as(rep, 'POST', `/api/v1/leads/${lead.id}/convert`, { amountMinor: 200_000, expectedCloseDate: '2026-06-30' }));
    at(quoteAt);
    const v1 = await ok(t.as(rep, 'POST', `/api/v1/opportunities/${conv.opportunityId}/quotes`, { lines: [{ productId, quantity: '2' }] }), 201);
    at(new Date(Date.parse(quoteAt) + 2 * 86_400_000).toISOString());
    const v2 = await ok(t.as(rep, 'POST', `/api/v1/quotes/${v1.id}/revise`, {}), 201);
    expect(v2.number).toBe(v1.number);
    await ok(t.as(rep, 'POST', `/api/v1/quotes/${v2.id}/submit`, {}));
    await ok(t.as(manager, 'POST', `/api/v1/quotes/${v2.id}/approve`, {}));
    await ok(t.as(rep, 'POST', `/api/v1/quotes/${v2.id}/send`, {}));
    await ok(t.as(rep, 'POST', `/api/v1/quotes/${v2.id}/accept`, {}));
    at(invoiceAt);
    const order = await ok(t.as(ops, 'POST', `/api/v1/quotes/${v2.id}/order`, {}), 201);
    await ok(t.as(ops, 'POST', `/api/v1/orders/${order.id}/confirm`, {}));
    const draft = await ok(t.as(fin, 'POST', `/api/v1/orders/${order.id}/invoices`, {}), 201);
    const invoice = await ok(t.as(fin, 'POST', `/api/v1/invoices/${draft.id}/issue`, {}));
    expect(invoice.totalMinor).toBe(200_000);
    return { lead, firstQuote: v1, invoice, accountId: invoice.accountId as string };
  }

  it('paid: set to the paying allocation; partly unallocated: cleared; paid again: the new instant; credited after payment: the release', async () => {
    const { lead, firstQuote, invoice, accountId } = await chain('2026-01-05T02:00:00Z', '2026-01-10T02:00:00Z', '2026-01-20T02:00:00Z');
    expect(await kept(invoice.id)).toEqual({ status: 'issued', paidAt: null, leadCreatedAt: null, firstQuoteCreatedAt: null });

    at('2026-02-02T03:00:00Z');
    const first = await pay(accountId, invoice.id, 80_000);
    expect(await kept(invoice.id)).toMatchObject({ status: 'partially_paid', paidAt: null });

    at('2026-02-10T03:00:00Z');
    await pay(accountId, invoice.id, 120_000);
    expect(await kept(invoice.id)).toEqual({
      status: 'paid',
      paidAt: '2026-02-10T03:00:00.000Z',
      leadCreatedAt: lead.createdAt,
      firstQuoteCreatedAt: firstQuote.createdAt,
    });
    // The API shows the paid date, not the origin dates (they belong to the lead and the quote).
    const dto = await ok(t.as(fin, 'GET', `/api/v1/invoices/${invoice.id}`));
    expect(dto.paidAt).toBe('2026-02-10T03:00:00.000Z');
    expect(Object.keys(dto)).not.toContain('leadCreatedAt');
    expect(Object.keys(dto)).not.toContain('firstQuoteCreatedAt');
    // The dates are derived from the allocations (which have their own events): the timeline is as before.
    const tl = await ok(t.as(fin, 'GET', `/api/v1/invoices/${invoice.id}/timeline`));
    expect(tl.items.map((e: any) => e.action)).toEqual(['created', 'issue', 'payment_allocated', 'pay_partially', 'payment_allocated', 'pay']);
    expect(tl.items.at(-1)).toMatchObject({ before: { status: 'partially_paid' }, after: { status: 'paid' } });
    // Lead created 5 Jan 02:00Z → paid 10 Feb 03:00Z: 36.04 days → 36.0; first quote 10 Jan → 31.0.
    const feb = await kpis(admin, '2026-02-01', '2026-02-28');
    expect(feb.kpis.leadToCashDays).toMatchObject({ value: 36, sample: 1 });
    expect(feb.kpis.quoteToCashDays).toMatchObject({ value: 31, sample: 1 });

    // The first payment is reversed: partly unallocated, the invoice is no longer paid.
    at('2026-02-20T03:00:00Z');
    await ok(t.as(fin, 'POST', `/api/v1/payments/${first.id}/reverse`, { reason: '银行退票 Returned by the bank' }));
    expect(await kept(invoice.id)).toMatchObject({ status: 'partially_paid', paidAt: null });
    expect((await kpis(admin, '2026-02-01', '2026-02-28')).kpis.leadToCashDays).toMatchObject({ value: null, sample: 0 });

    // Paid again in March: the paid date is the new allocation's.
    at('2026-03-05T03:00:00Z');
    await pay(accountId, invoice.id, 80_000);
    expect(await kept(invoice.id)).toEqual({ status: 'paid', paidAt: '2026-03-05T03:00:00.000Z', leadCreatedAt: lead.createdAt, firstQuoteCreatedAt: firstQuote.createdAt });
    expect((await kpis(admin, '2026-03-01', '2026-03-31')).kpis.leadToCashDays).toMatchObject({ value: 59, sample: 1 });

    // A credit note on the paid invoice releases part of its payments (a counter-row): it stays paid,
    // and its paid date follows its last allocation row, as the figure always read it.
    at('2026-03-20T03:00:00Z');
    const cn = await ok(t.as(fin, 'POST', `/api/v1/invoices/${invoice.id}/credit-notes`, { reason: '折让 Allowance', amountMinor: 50_000 }), 201);
    await ok(t.as(fin, 'POST', `/api/v1/credit-notes/${cn.id}/issue`, {}));
    const after = await kept(invoice.id);
    expect(after).toMatchObject({ status: 'paid', paidAt: '2026-03-20T03:00:00.000Z' });
    expect(after.paidAt).toBe(await lastAllocationAt(invoice.id));

    // The scope still applies (another team's rep sees no paid invoice), and finance sees the figure.
    expect((await kpis(outsider, '2026-03-01', '2026-03-31')).kpis.leadToCashDays).toMatchObject({ value: null, sample: 0 });
    expect((await kpis(fin, '2026-03-01', '2026-03-31')).kpis.quoteToCashDays).toMatchObject({ value: 69, sample: 1 });

    // Each answer equals the definition before migration 019.
    for (const who of [admin, rep, fin, outsider])
      for (const [from, to] of [['2026-02-01', '2026-02-28'], ['2026-03-01', '2026-03-31'], ['2026-01-01', '2026-12-31']] as const)
        expect(figures(await core.computeKpis(await ctxOf(who), { from, to })), `${who.email} ${from}`).toEqual(await oldLeadAndQuoteToCash(await ctxOf(who), from, to));
  });

  it('paid by a credit note for the rest: paid at the last payment; credited in full without payment: no paid date', async () => {
    const a = await chain('2026-04-01T02:00:00Z', '2026-04-03T02:00:00Z', '2026-04-10T02:00:00Z');
    at('2026-04-15T03:00:00Z');
    await pay(a.accountId, a.invoice.id, 150_000);
    at('2026-05-02T03:00:00Z');
    const rest = await ok(t.as(fin, 'POST', `/api/v1/invoices/${a.invoice.id}/credit-notes`, { reason: '折让 Allowance', amountMinor: 50_000 }), 201);
    await ok(t.as(fin, 'POST', `/api/v1/credit-notes/${rest.id}/issue`, {}));
    expect(await kept(a.invoice.id)).toEqual({ status: 'paid', paidAt: '2026-04-15T03:00:00.000Z', leadCreatedAt: a.lead.createdAt, firstQuoteCreatedAt: a.firstQuote.createdAt });

    const b = await chain('2026-04-01T02:00:00Z', '2026-04-03T02:00:00Z', '2026-04-10T02:00:00Z');
    at('2026-05-03T03:00:00Z');
    const all = await ok(t.as(fin, 'POST', `/api/v1/invoices/${b.invoice.id}/credit-notes`, { reason: '取消 Cancelled' }), 201);
    await ok(t.as(fin, 'POST', `/api/v1/credit-notes/${all.id}/issue`, {}));
    expect(await kept(b.invoice.id)).toMatchObject({ status: 'paid', paidAt: null });

    for (const [from, to] of [['2026-04-01', '2026-04-30'], ['2026-05-01', '2026-05-31']] as const)
      expect(figures(await core.computeKpis(await ctxOf(admin), { from, to }))).toEqual(await oldLeadAndQuoteToCash(await ctxOf(admin), from, to));
    expect((await kpis(admin, '2026-04-01', '2026-04-30')).kpis.leadToCashDays).toMatchObject({ value: 14, sample: 1 });
  });
});

/**
 * On the benchmark's generated company (bulk rows completed by migration 019's own backfill), the figures
 * read from the invoices equal the old walk through allocations, orders, leads and quotes, for every role
 * and period.
 */
describe.each(DIALECTS)('lead/quote-to-cash from the invoice equals the old definition on generated data (%s)', (dialect) => {
  let db: BenchDb;
  let data: Dataset;
  beforeAll(async () => {
    db = await freshBenchDb(dialect, PG_URL, 3);
    data = await generateDataset(db, { ...SIZES.small.data, leads: 3_000, opportunities: 900, invoices: 1_200, events: 1_000 });
  });
  afterAll(() => db?.drop());

  it('every role, this quarter, this year and the last two years', async () => {
    const ctxs = await contexts(data, { db: db.handle.db, dialect, requestId: null });
    const periods = [kpiPeriod('quarter'), kpiPeriod('year'), { from: new Date(Date.now() - 730 * 86_400_000).toISOString().slice(0, 10), to: new Date().toISOString().slice(0, 10) }];
    let compared = 0;
    for (const actor of ['admin', 'rep', 'finance'] as const)
      for (const pr of periods) {
        const expected = await oldLeadAndQuoteToCash(ctxs[actor], pr.from, pr.to);
        expect(figures(await core.computeKpis(ctxs[actor], pr)), `${actor} ${pr.from}…${pr.to}`).toEqual(expected);
        compared += expected.leadToCashDays.sample + expected.quoteToCashDays.sample;
      }
    // The data has paid invoices with both origins (the comparison can fail).
    expect(compared).toBeGreaterThan(100);
  });
});
