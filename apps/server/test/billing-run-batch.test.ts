import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import {
  bulkInsertRows,
  buildEntries,
  chartFor,
  inTx,
  invoiceDrafts,
  newId,
  postInvoiceJournal,
  postInvoiceJournals,
  postingLookups,
  runBilling,
  setClock,
  SYSTEM,
  writeEntry,
  type Ctx,
} from '@openltc/core';

/**
 * The billing run writes a chunk's invoices, lines, events and journal entries in batches (multi-row
 * INSERTs, one number reservation, one posting batch). These tests hold it to the one-by-one path:
 * the same items billed in chunks of 7 and one per transaction give the same rows, and the journal
 * of the batch is exactly what postInvoiceJournal writes for each invoice alone — across currencies
 * converted to the functional currency, two legal entities, deferred and plain revenue, several tax
 * codes, and an item a rule refuses (no exchange rate), on both databases.
 */
type Row = Record<string, any>;

describe.each(DIALECTS)('billing run: batched rows equal one-by-one rows (%s)', (dialect) => {
  let t: TestApp;
  let ops: TestUser, fin: TestUser;
  let ctx: Ctx;
  let hkEntity: string;
  const REQUEST = 'batch-equivalence';

  beforeAll(async () => {
    // Issue dates and rates depend on "today": one fixed instant for the whole file.
    setClock(() => new Date('2026-06-30T04:00:00.000Z'));
    t = await TestApp.start(dialect);
    ctx = { db: t.handle.db, dialect: t.handle.dialect, user: SYSTEM, requestId: REQUEST };
    ops = await t.user('operations', null, 'Ops');
    const admin = await t.user('admin', null, 'Admin');
    fin = await t.user('finance', null, 'Fin');
    const accountId = (await ok(t.as(admin, 'POST', '/api/v1/accounts', { name: '深圳前海数据有限公司' }), 201)).id;
    // A second legal entity whose books are in HKD: its CNY invoices convert at CNY/HKD.
    hkEntity = newId('le');
    await t.handle.db
      .insertInto('legalEntities')
      .values({ id: hkEntity, name: '云栈香港 CloudStack HK Ltd', country: 'HK', currency: 'HKD', timezone: 'Asia/Hong_Kong', roundingMode: 'half_up', taxId: null, createdAt: '2026-06-30T05:00:00.000Z' })
      .execute();
    for (const [base, quote, rate] of [
      ['USD', 'CNY', '7.1234'],
      ['JPY', 'CNY', '0.04781'],
      ['CNY', 'HKD', '1.0873'],
      ['USD', 'HKD', '7.8125'],
      ['JPY', 'HKD', '0.05197'],
    ] as const)
      await ok(t.as(fin, 'PUT', '/api/v1/fx-rates', { base, quote, rate, effectiveDate: '2026-06-01', source: 'test' }));

    const order = async (body: Record<string, unknown>, plan: Array<[string, string]>) => {
      const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId, ...body }), 201);
      await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
      await ok(
        t.as(fin, 'PUT', `/api/v1/orders/${o.id}/billing-schedule`, {
          items: plan.map(([percent, billDate], i) => ({ kind: 'payment_plan', description: `第${i + 1}期`, percent, billDate })),
        }),
      );
      return o.id as string;
    };
    const twoRates = [
      { description: '软件许可 Licence', quantity: '10', unitPriceMinor: 300_001, taxRate: '0.06' },
      { description: '服务器 Server', quantity: '3', unitPriceMinor: 33_333, taxRate: '0.13' },
    ];
    await order({ lines: twoRates }, [['30', '2026-01-15'], ['60', '2026-02-15'], ['10', '2026-03-15']]);
    await order({ currency: 'USD', lines: twoRates }, [['33.33', '2026-01-20'], ['66.67', '2026-04-20']]);
    await order({ currency: 'JPY', lines: [{ description: '保守 Maintenance', quantity: '7', unitPriceMinor: 12_345, taxRate: '0.06' }] }, [['50', '2026-02-01'], ['50', '2026-05-01']]);
    await order(
      {
        lines: [
          { description: '出口服务 Export service', quantity: '1', unitPriceMinor: 500_000, taxCode: 'VAT0' },
          { description: '技术转让 Technology transfer', quantity: '2', unitPriceMinor: 250_000, taxCode: 'VATEX' },
          { description: '咨询 Consulting', quantity: '1.5', unitPriceMinor: 99_999, taxRate: '0.06' },
        ],
      },
      [['40', '2026-03-01'], ['60', '2026-06-01']],
    );
    // An order from before revenue recognition existed: it bills into revenue, not deferred revenue.
    const plain = await order({ lines: twoRates.slice(0, 1) }, [['100', '2026-04-01']]);
    await t.handle.db.deleteFrom('revenueObligations').where('orderId', '=', plain).execute();
    await order({ legalEntityId: hkEntity, lines: twoRates }, [['25', '2026-02-10'], ['75', '2026-05-10']]);
    // No GBP rate: its item is refused (fx_rate_missing), skipped and named; the others are billed.
    await order({ currency: 'GBP', lines: twoRates.slice(1) }, [['100', '2026-03-03']]);
    // More CNY items, so that chunks of 7 hold several orders and entities.
    for (let i = 0; i < 3; i++) await order({ lines: [{ description: `运维 Support ${i}`, quantity: '1', unitPriceMinor: 1_000_003 + i, taxRate: '0.06' }] }, [['50', `2026-0${i + 1}-28`], ['50', `2026-0${i + 4}-28`]]);
  });
  afterAll(async () => {
    setClock(null);
    await t.stop();
  });

  const db = () => t.handle.db;

  /** What the run wrote: invoices with lines, events and journal, ids replaced by invoice numbers and timestamps left out. */
  async function capture() {
    const invoices = await db().selectFrom('invoices').selectAll().where('number', 'is not', null).orderBy('number').execute();
    const ids = invoices.map((i) => i.id);
    const numberOf = new Map(invoices.map((i) => [i.id, i.number!]));
    const lines = ids.length ? await db().selectFrom('invoiceLines').selectAll().where('invoiceId', 'in', ids).execute() : [];
    const items = await db().selectFrom('billingScheduleItems').select(['id', 'invoiceId']).where('invoiceId', 'is not', null).execute();
    const events = await db()
      .selectFrom('events')
      .selectAll()
      .where('entityId', 'in', [...ids, ...items.map((i) => i.id), 'none'])
      .where('action', 'in', ['created', 'issue', 'invoice'])
      .execute();
    const entries = ids.length ? await db().selectFrom('journalEntries').selectAll().where('sourceType', '=', 'invoice').where('sourceId', 'in', ids).execute() : [];
    const entryIds = entries.map((e) => e.id);
    const jlines = entryIds.length ? await db().selectFrom('journalLines').selectAll().where('entryId', 'in', entryIds).execute() : [];
    const entryRef = new Map(entries.map((e) => [e.id, numberOf.get(e.sourceId)!]));
    const TIMES = new Set(['createdAt', 'updatedAt', 'issuedAt', 'occurredAt']);
    /** Ids of this run's invoices become their numbers; timestamps go (they differ between runs by design). */
    const norm = (v: unknown): unknown => {
      if (typeof v === 'string') return numberOf.get(v) ?? entryRef.get(v) ?? v;
      if (Array.isArray(v)) return v.map(norm);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => !TIMES.has(k)).map(([k, x]) => [k, norm(x)]));
      return v;
    };
    const rows = (rs: Row[], drop: string[]) => rs.map((r) => norm(Object.fromEntries(Object.entries(r).filter(([k]) => !drop.includes(k)))) as Row);
    const sorted = (rs: Row[]) => rs.map((r) => JSON.stringify(r)).sort();
    return {
      raw: { invoices, entries, jlines, events, items },
      invoices: sorted(rows(invoices, ['id'])),
      lines: sorted(rows(lines, ['id'])),
      events: sorted(rows(events, ['id', 'requestId']).map((e) => ({ ...e, before: norm(JSON.parse(e.before ?? 'null')), after: norm(JSON.parse(e.after ?? 'null')) }))),
      entries: sorted(rows(entries, ['id'])),
      journalLines: sorted(rows(jlines, ['id'])),
    };
  }
  type Captured = Awaited<ReturnType<typeof capture>>;

  /** Takes a run's writes out again and puts the items and the number series back as they were. */
  async function undo(c: Captured, items: Row[], series: Row[]) {
    const entryIds = c.raw.entries.map((e) => e.id);
    const invoiceIds = c.raw.invoices.map((i) => i.id);
    if (entryIds.length) await db().deleteFrom('journalLines').where('entryId', 'in', entryIds).execute();
    if (entryIds.length) await db().deleteFrom('journalEntries').where('id', 'in', entryIds).execute();
    if (c.raw.events.length) await db().deleteFrom('events').where('id', 'in', c.raw.events.map((e) => e.id)).execute();
    for (const it of items) await db().updateTable('billingScheduleItems').set(it).where('id', '=', it.id).execute();
    if (invoiceIds.length) await db().deleteFrom('invoiceLines').where('invoiceId', 'in', invoiceIds).execute();
    if (invoiceIds.length) await db().deleteFrom('invoices').where('id', 'in', invoiceIds).execute();
    await db().deleteFrom('numberSeries').where('key', '=', 'invoice').execute();
    if (series.length) await db().insertInto('numberSeries').values(series as any).execute();
  }

  it('bills in chunks of 7 exactly as one item per transaction, and journals as postInvoiceJournal does invoice by invoice', async () => {
    const items = await db().selectFrom('billingScheduleItems').selectAll().execute();
    const series = await db().selectFrom('numberSeries').selectAll().where('key', '=', 'invoice').execute();

    const batched = await runBilling(ctx, { asOf: '2026-06-30' }, { chunkSize: 7 });
    expect(batched).toMatchObject({ status: 'completed', invoicesCreated: 18, skipped: 1 });
    expect(batched.error).toMatch(/1 item\(s\) not billed: .*exchange rate/);
    const a = await capture();
    // The run covered what the test means to cover: FX in two functional currencies, deferred and plain revenue, VAT0/VATEX apart.
    expect(new Set(a.raw.entries.map((e) => `${e.currency}→${e.functionalCurrency}`))).toEqual(new Set(['CNY→CNY', 'USD→CNY', 'JPY→CNY', 'CNY→HKD']));
    expect(new Set(a.raw.jlines.map((l) => l.accountRole))).toEqual(new Set(['ar', 'revenue', 'deferredRevenue', 'vatOutput']));
    expect(a.raw.jlines.some((l) => l.memo === 'net at 0% VATEX')).toBe(true);
    expect(a.raw.entries.length).toBe(18);

    await undo(a, items, series);
    const single = await runBilling(ctx, { asOf: '2026-06-30' }, { chunkSize: 1 });
    expect(single).toMatchObject({ status: 'completed', invoicesCreated: 18, skipped: 1, firstNumber: batched.firstNumber, lastNumber: batched.lastNumber });
    const b = await capture();
    expect(b.invoices).toEqual(a.invoices);
    expect(b.lines).toEqual(a.lines);
    expect(b.events).toEqual(a.events);
    expect(b.entries).toEqual(a.entries);
    expect(b.journalLines).toEqual(a.journalLines);

    // The journal once more, by the one-by-one rule (writeEntry per invoice, each read from the database).
    const entryIds = b.raw.entries.map((e) => e.id);
    await db().deleteFrom('journalLines').where('entryId', 'in', entryIds).execute();
    await db().deleteFrom('journalEntries').where('id', 'in', entryIds).execute();
    for (const inv of b.raw.invoices) expect(await inTx(ctx, (tx) => postInvoiceJournal(tx, inv.id))).toBe(true);
    const c = await capture();
    expect(c.entries).toEqual(a.entries);
    expect(c.journalLines).toEqual(a.journalLines);

    // Posting the batch again writes nothing (one entry per (invoice, issue)).
    const lines = await db().selectFrom('invoiceLines').selectAll().execute();
    expect(await inTx(ctx, (tx) => postInvoiceJournals(tx, c.raw.invoices, lines))).toBe(0);
    expect((await capture()).journalLines).toEqual(a.journalLines);
  });

  it("the run's events say what its rows hold: created is the invoice as a draft (key for key, in the row's order) with its source and lines, issue its number and dates, invoice the item's move", async () => {
    // The events are written as JSON text built by hand (no copies of the rows): held to the rows read back.
    let invoices = await db().selectFrom('invoices').selectAll().where('number', 'is not', null).orderBy('number').execute();
    if (!invoices.length) {
      await runBilling(ctx, { asOf: '2026-06-30' }, { chunkSize: 7 });
      invoices = await db().selectFrom('invoices').selectAll().where('number', 'is not', null).orderBy('number').execute();
    }
    expect(invoices.length).toBe(18);
    const items = await db().selectFrom('billingScheduleItems').selectAll().where('invoiceId', 'in', invoices.map((i) => i.id)).execute();
    const itemOf = new Map(items.map((i) => [i.invoiceId!, i]));
    const lines = await db().selectFrom('invoiceLines').selectAll().where('invoiceId', 'in', invoices.map((i) => i.id)).orderBy('lineNo').execute();
    const events = await db().selectFrom('events').selectAll().where('entityId', 'in', [...invoices.map((i) => i.id), ...items.map((i) => i.id)]).execute();
    const eventOf = (entityId: string, action: string) => {
      const mine = events.filter((e) => e.entityId === entityId && e.action === action);
      expect(mine.length).toBe(1);
      return mine[0]!;
    };
    // The invoice's keys in the order the run builds the row (the created event keeps it).
    const ROW_ORDER = ['id', 'number', 'legalEntityId', 'orderId', 'deliveryId', 'accountId', 'status', 'currency', 'netMinor', 'taxMinor', 'totalMinor', 'issueDate', 'dueDate', 'paymentTermsDays', 'issuedAt', 'ownerId', 'teamId', 'createdAt', 'createdBy'];
    for (const inv of invoices) {
      const item = itemOf.get(inv.id)!;
      const created = eventOf(inv.id, 'created');
      expect(created.before).toBeNull();
      expect(created.requestId).toBe(REQUEST);
      expect(created.actorId).toBe(SYSTEM.id);
      expect(created.occurredAt).toBe(inv.issuedAt);
      const after = JSON.parse(created.after!);
      expect(Object.keys(after)).toEqual([...ROW_ORDER, 'source', 'lines']);
      const row = inv as Row;
      const draft = Object.fromEntries(ROW_ORDER.map((k) => [k, ['number', 'issueDate', 'dueDate', 'issuedAt'].includes(k) ? null : k === 'status' ? 'draft' : row[k]]));
      expect(after).toEqual({
        ...draft,
        source: { scheduleItemId: item.id, kind: item.kind, description: item.description },
        lines: lines.filter((l) => l.invoiceId === inv.id).map((l) => ({ lineNo: l.lineNo, orderLineId: l.orderLineId, qtyMilli: l.qtyMilli, netMinor: l.netMinor, taxMinor: l.taxMinor })),
      });
      const issue = eventOf(inv.id, 'issue');
      expect(JSON.parse(issue.before!)).toEqual({ status: 'draft', number: null });
      expect(JSON.parse(issue.after!)).toEqual({ status: 'issued', number: inv.number, issueDate: inv.issueDate, dueDate: inv.dueDate, issuedAt: inv.issuedAt });
      const moved = eventOf(item.id, 'invoice');
      expect(JSON.parse(moved.before!)).toEqual({ status: 'planned', invoiceId: null });
      expect(JSON.parse(moved.after!)).toEqual({ status: 'invoiced', invoiceId: inv.id, invoiceNumber: inv.number });
    }
  });

  it('bulk inserts write every row and value as given, over several statements (nulls, Chinese text, big amounts)', async () => {
    const rows = Array.from({ length: 1_203 }, (_, i) => ({
      id: newId('evt'),
      occurredAt: `2026-06-30T04:00:00.${String(i % 1000).padStart(3, '0')}Z`,
      actorId: i % 3 ? SYSTEM.id : null,
      requestId: 'bulk-test',
      entityType: 'invoice',
      entityId: `inv_${i}`,
      action: i % 2 ? 'issue' : 'created',
      before: i % 5 ? null : JSON.stringify({ 名称: '发票 ' + i, totalMinor: 9_007_199_254_740_991 - i }),
      after: `{"n":${i}}`,
    }));
    await inTx(ctx, (tx) => bulkInsertRows(tx, 'events', rows));
    const back = await db().selectFrom('events').selectAll().where('requestId', '=', 'bulk-test').execute();
    const byId = new Map(back.map((r) => [r.id, r]));
    expect(back.length).toBe(rows.length);
    for (const r of rows) expect(byId.get(r.id)).toEqual(r);
    // Rows must share their columns.
    await expect(inTx(ctx, (tx) => bulkInsertRows(tx, 'events', [rows[0]!, { id: newId('evt') }]))).rejects.toThrow(/same columns/);
    await db().deleteFrom('events').where('requestId', '=', 'bulk-test').execute();
  });

  it('property: any chunk of invoices journals as writeEntry would, one by one, balanced in both currencies', async () => {
    const currencies = ['CNY', 'USD', 'JPY'] as const;
    const entities = [(await db().selectFrom('legalEntities').select('id').orderBy('createdAt').executeTakeFirstOrThrow()).id, hkEntity];
    const orderIds = (await db().selectFrom('orders').select('id').execute()).map((o) => o.id);
    const accountId = (await db().selectFrom('accounts').select('id').executeTakeFirstOrThrow()).id;
    const line = fc.record({
      taxRate: fc.constantFrom('0', '0.03', '0.06', '0.09', '0.13'),
      taxCode: fc.constantFrom(null, 'VAT0', 'VATEX', 'VAT6', 'SS3'),
      netMinor: fc.integer({ min: 1, max: 90_000_000 }),
      taxMinor: fc.integer({ min: 0, max: 12_000_000 }),
    });
    const invoice = fc.record({
      currency: fc.constantFrom(...currencies),
      entity: fc.constantFrom(...entities),
      order: fc.constantFrom(...orderIds),
      lines: fc.array(line, { minLength: 1, maxLength: 5 }),
      status: fc.constantFrom('issued', 'issued', 'issued', 'draft', 'cancelled'),
    });
    class Rollback extends Error {}
    await fc.assert(
      fc.asyncProperty(fc.array(invoice, { minLength: 1, maxLength: 25 }), fc.boolean(), async (spec, repeat) => {
        const invoices = spec.map((s, i) => {
          const id = newId('inv');
          const net = s.lines.reduce((a, l) => a + l.netMinor, 0);
          const tax = s.lines.reduce((a, l) => a + l.taxMinor, 0);
          return { id, legalEntityId: s.entity, orderId: s.order, number: s.status === 'draft' ? null : `P-${i}`, issueDate: s.status === 'draft' ? null : '2026-06-30', status: s.status, currency: s.currency, accountId, totalMinor: net + tax };
        });
        const lines = spec.flatMap((s, i) => s.lines.map((l) => ({ ...l, invoiceId: invoices[i]!.id })));
        // An invoice given twice in a batch is posted once.
        const given = repeat ? [...invoices, ...invoices.slice(0, 2)] : invoices;
        try {
          await inTx(ctx, async (tx) => {
            const drafts = await invoiceDrafts(tx, given, lines);
            const batch = await buildEntries(tx, drafts, postingLookups());
            const posting = invoices.filter((i) => i.status === 'issued');
            expect(batch.entries.map((e) => e.sourceId)).toEqual(posting.map((i) => i.id));
            for (const e of batch.entries) {
              const mine = batch.lines.filter((l) => l.entryId === e.id);
              const sum = (k: 'debitMinor' | 'creditMinor' | 'functionalDebitMinor' | 'functionalCreditMinor') => mine.reduce((a, l) => a + Number(l[k] ?? 0), 0);
              expect(sum('debitMinor')).toBe(sum('creditMinor'));
              expect(sum('functionalDebitMinor')).toBe(sum('functionalCreditMinor'));
            }
            // One by one through writeEntry (reads the entity, the rate and the key per entry), in the same transaction.
            for (const d of drafts) await writeEntry(tx, await chartFor(tx, d.legalEntityId), d);
            const written = posting.length ? await tx.db.selectFrom('journalEntries').selectAll().where('sourceId', 'in', posting.map((i) => i.id)).execute() : [];
            const writtenLines = written.length ? await tx.db.selectFrom('journalLines').selectAll().where('entryId', 'in', written.map((e) => e.id)).execute() : [];
            const key = (entryId: string, rows: Array<{ id: string; sourceId: string }>) => rows.find((e) => e.id === entryId)!.sourceId;
            const strip = <T extends Row>(rs: T[], of: (r: T) => string) =>
              rs.map((row) => {
                const { id: _i, entryId: _e, createdAt: _c, ...r } = row;
                return JSON.stringify({ of: of(row), ...r });
              }).sort();
            expect(strip(written, (e) => e.sourceId)).toEqual(strip(batch.entries, (e) => e.sourceId));
            expect(strip(writtenLines as Row[], (l) => key(l.entryId, written))).toEqual(strip(batch.lines as Row[], (l) => key(l.entryId, batch.entries)));
            throw new Rollback();
          });
        } catch (e) {
          if (!(e instanceof Rollback)) throw e;
        }
      }),
      { numRuns: 40 },
    );
  });
});
