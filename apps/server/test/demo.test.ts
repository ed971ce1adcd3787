import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp } from '@openltc/testing';
import { loadDemoData } from '../src/demo/demo.ts';

/**
 * The demo company must load on any day (its history ends today) and show every lifecycle state,
 * so every screen and KPI has something real to show.
 */
describe('demo company', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start('sqlite');
  });
  afterAll(() => t.stop());

  const states = async (table: 'leads' | 'opportunities' | 'quotes' | 'contracts' | 'orders' | 'deliveries' | 'invoices' | 'payments') =>
    (await t.handle.db.selectFrom(table).select('status').distinct().execute()).map((r) => r.status).sort();

  it('loads a year of history with every lifecycle state populated', async () => {
    const res = await loadDemoData(t.handle, {});
    expect(res.counts.leads).toBe(3000);
    expect(res.users).toHaveLength(15);
    expect(await states('leads')).toEqual(['converted', 'disqualified', 'new', 'nurturing', 'qualified', 'working']);
    expect(await states('opportunities')).toEqual(['lost', 'open', 'won']);
    expect(await states('quotes')).toEqual(['accepted', 'approved', 'draft', 'expired', 'rejected', 'sent', 'submitted', 'superseded']);
    expect(await states('contracts')).toEqual(['active', 'approved', 'draft', 'expired', 'in_review', 'signed', 'terminated']);
    expect(await states('orders')).toEqual(expect.arrayContaining(['cancelled', 'closed', 'confirmed', 'draft', 'fulfilled', 'on_hold']));
    expect(await states('deliveries')).toEqual(['accepted', 'delivered', 'shipped']);
    expect(await states('invoices')).toEqual(['cancelled', 'draft', 'issued', 'paid', 'partially_paid']);
    expect(await states('payments')).toEqual(['received', 'reversed']);
    const credited = await t.handle.db.selectFrom('creditNotes').select('id').where('status', '=', 'issued').execute();
    expect(credited.length).toBeGreaterThan(0);
    // The books balance: every posted entry has equal debits and credits.
    const totals = await t.handle.db
      .selectFrom('journalLines')
      .select((eb) => [eb.fn.sum<number>('debitMinor').as('d'), eb.fn.sum<number>('creditMinor').as('c')])
      .executeTakeFirstOrThrow();
    expect(Number(totals.d)).toBeGreaterThan(0);
    expect(Number(totals.d)).toBe(Number(totals.c));
    // History spans the year: the oldest lead is about 12 months old, the newest recent.
    const span = await t.handle.db
      .selectFrom('leads')
      .select((eb) => [eb.fn.min('createdAt').as('first'), eb.fn.max('createdAt').as('last')])
      .executeTakeFirstOrThrow();
    expect(Date.now() - Date.parse(String(span.first))).toBeGreaterThan(330 * 86_400_000);
    expect(Date.now() - Date.parse(String(span.last))).toBeLessThan(7 * 86_400_000);
    // Every event is in the past and attributed.
    const future = await t.handle.db.selectFrom('events').select('id').where('occurredAt', '>', new Date(Date.now() + 60_000).toISOString()).execute();
    expect(future).toEqual([]);
  }, 120_000);

  it('prices its quotes from its price books: a CNY list with tiers (the default) and a USD list', async () => {
    const books = await t.handle.db.selectFrom('priceBooks').select(['id', 'currency', 'isDefault']).orderBy('currency').execute();
    expect(books.map((b) => [b.currency, Number(b.isDefault)])).toEqual([
      ['CNY', 1],
      ['USD', 1],
    ]);
    const cny = books[0]!.id;
    const quotes = await t.handle.db.selectFrom('quotes').select(['priceBookId', 'currency']).execute();
    expect(quotes.length).toBeGreaterThan(100);
    expect(quotes.every((q) => q.currency === 'CNY' && q.priceBookId === cny)).toBe(true);
    // Every line is priced from the book: seats by volume tiers whose first band is the list price
    // (the demo asks for fewer than 100), so a line's unit price is the book's price for its quantity.
    const seat = await t.handle.db.selectFrom('products').select('id').where('sku', '=', 'SW-CRM-SEAT').executeTakeFirstOrThrow();
    const entry = await t.handle.db.selectFrom('priceBookEntries').selectAll().where('priceBookId', '=', cny).where('productId', '=', seat.id).executeTakeFirstOrThrow();
    expect(entry.scheme).toBe('volume');
    const lines = await t.handle.db.selectFrom('quoteLines').select(['qtyMilli', 'unitPriceMinor']).where('productId', '=', seat.id).execute();
    expect(lines.length).toBeGreaterThan(10);
    for (const l of lines) expect([Number(l.qtyMilli) < 100_000, Number(l.unitPriceMinor)]).toEqual([true, 360_000]);
  });

  it('closes every ended month with an FX check that finds nothing to revalue (all in CNY), not an empty posting', async () => {
    const { getFxRevaluation, listFxRevaluations, SYSTEM } = await import('@openltc/core');
    const ctx = { db: t.handle.db, dialect: t.handle.dialect, user: SYSTEM, requestId: 'test' };
    const runs = (await listFxRevaluations(ctx, { limit: 200 })).items;
    const closes = await t.handle.db.selectFrom('revenuePeriods').select('period').execute();
    expect(runs.length).toBe(closes.length);
    expect(runs.length).toBeGreaterThan(6);
    expect(new Set(runs.map((r) => [r.outcome, r.trigger, r.items, r.entries, r.rates.length].join()))).toEqual(new Set(['nothing_to_revalue,revenue_close,0,0,0']));
    expect((await getFxRevaluation(ctx, runs[0]!.id)).lines).toEqual([]);
    const posted = await t.handle.db.selectFrom('journalEntries').select('id').where('sourceType', '=', 'fx_revaluation').execute();
    expect(posted).toEqual([]);
  });

  it('refuses to load into a database that already has data', async () => {
    await expect(loadDemoData(t.handle, { leads: 10 })).rejects.toThrow(/empty database/);
  });

  it('loads with other seeds too (no seed-dependent failure)', async () => {
    for (const seed of [1, 2, 3]) {
      const other = await TestApp.start('sqlite');
      try {
        const res = await loadDemoData(other.handle, { leads: 250, seed });
        expect(res.counts.leads).toBe(250);
      } finally {
        await other.stop();
      }
    }
  }, 120_000);
});
