import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import { newId, nowIso, setClock } from '@openltc/core';
import { dealFor } from './support/quote-fixtures.ts';

/**
 * Money correctness across legal entities and the default price book, on both databases:
 * payments belong to the legal entity of the invoices they pay (journal, FX and customer credit
 * there), and a currency has at most one default price book even when two are saved at once.
 */
describe.each(DIALECTS)('money gaps (%s)', (dialect) => {
  let t: TestApp;
  let ops: TestUser, fin: TestUser, rep: TestUser, admin: TestUser;
  let accountId: string;
  let le1: string;
  let le2: string;

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const east = await t.team('East 华东');
    admin = await t.user('admin', null, 'Admin');
    ops = await t.user('operations', null, 'Ops Zhao');
    fin = await t.user('finance', null, 'Fin Qian');
    rep = await t.user('sales_rep', east, 'Rep Li');
    accountId = (await ok(t.as(rep, 'POST', '/api/v1/accounts', { name: '上海云启科技有限公司' }), 201)).id;
    le1 = (await t.handle.db.selectFrom('legalEntities').select('id').orderBy('createdAt').executeTakeFirstOrThrow()).id;
    le2 = newId('le');
    await t.handle.db
      .insertInto('legalEntities')
      .values({ id: le2, name: '云启（深圳）科技有限公司', country: 'CN', currency: 'CNY', timezone: 'Asia/Shanghai', roundingMode: 'half_up', taxId: null, createdAt: nowIso() })
      .execute();
  });
  afterAll(() => t.stop());
  afterEach(() => setClock(null));

  /** An issued invoice of ¥1,130.00 (¥1,000 + 13 % VAT) of the given legal entity. */
  async function issuedInvoice(legalEntityId: string, acc = accountId) {
    const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId: acc, legalEntityId, lines: [{ description: '服务 Service', quantity: '1', unitPriceMinor: 100_000, taxCode: 'VAT13' }] }), 201);
    await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
    const draft = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, {}), 201);
    return ok(t.as(fin, 'POST', `/api/v1/invoices/${draft.id}/issue`, {}));
  }
  const entriesOf = (sourceId: string) => t.handle.db.selectFrom('journalEntries').select(['legalEntityId', 'event']).where('sourceId', '=', sourceId).execute();

  describe('payments and legal entities', () => {
    it('derives the legal entity from the invoices paid and posts the receipt there', async () => {
      const inv = await issuedInvoice(le2);
      expect(inv.legalEntityId).toBe(le2);
      const pay = await ok(
        t.as(fin, 'POST', '/api/v1/payments', { accountId, amountMinor: 200_000, currency: 'CNY', receivedOn: inv.issueDate, method: 'bank_transfer', allocations: [{ invoiceId: inv.id, amountMinor: 113_000 }] }),
        201,
      );
      expect(pay.legalEntityId).toBe(le2);
      expect(pay.unallocatedMinor).toBe(87_000);
      expect(await entriesOf(pay.id)).toEqual([{ legalEntityId: le2, event: 'receive' }]);
      // The customer's credit (advances) sits in the second entity's books, not the first's.
      const advances = await t.handle.db
        .selectFrom('journalLines')
        .innerJoin('journalEntries', 'journalEntries.id', 'journalLines.entryId')
        .select(['journalEntries.legalEntityId', 'journalLines.creditMinor'])
        .where('journalEntries.sourceId', '=', pay.id)
        .where('journalLines.accountRole', '=', 'customerAdvances')
        .execute();
      expect(advances.map((a) => [a.legalEntityId, Number(a.creditMinor)])).toEqual([[le2, 87_000]]);
    });

    it("refuses to allocate a payment to another legal entity's invoice (422 legal_entity_mismatch), naming the allocation", async () => {
      const inv1 = await issuedInvoice(le1);
      const inv2 = await issuedInvoice(le2);
      const pay = await ok(t.as(fin, 'POST', '/api/v1/payments', { accountId, legalEntityId: le2, amountMinor: 50_000, currency: 'CNY', receivedOn: inv2.issueDate, method: 'bank_transfer' }), 201);
      expect(pay.legalEntityId).toBe(le2);
      const res = await t.as(fin, 'POST', `/api/v1/payments/${pay.id}/allocate`, { allocations: [{ invoiceId: inv2.id, amountMinor: 10_000 }, { invoiceId: inv1.id, amountMinor: 10_000 }] });
      expect(res.statusCode).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const body = res.json();
      expect(body.code).toBe('legal_entity_mismatch');
      expect(body.errors.map((e: any) => [e.path, e.code])).toEqual([['allocations.1.invoiceId', 'legal_entity_mismatch']]);
      // Nothing was allocated (all or nothing).
      expect((await ok(t.as(fin, 'GET', `/api/v1/payments/${pay.id}`))).allocations).toEqual([]);

      // One payment for invoices of two entities at creation: refused too.
      const both = await t.as(fin, 'POST', '/api/v1/payments', {
        accountId,
        amountMinor: 20_000,
        currency: 'CNY',
        receivedOn: inv2.issueDate,
        method: 'bank_transfer',
        allocations: [{ invoiceId: inv1.id, amountMinor: 10_000 }, { invoiceId: inv2.id, amountMinor: 10_000 }],
      });
      expect(both.statusCode).toBe(422);
      expect(both.json().code).toBe('legal_entity_mismatch');

      // Auto-allocation only looks at the payment's own entity.
      const auto = await ok(t.as(fin, 'POST', `/api/v1/payments/${pay.id}/allocate`, { autoAllocate: true }));
      expect(auto.allocations.every((a: any) => a.invoiceId !== inv1.id)).toBe(true);
    });

    it('asks which legal entity received the money when the customer owes to two and nothing says which', async () => {
      const res = await t.as(fin, 'POST', '/api/v1/payments', { accountId, amountMinor: 1_000, currency: 'CNY', receivedOn: '2026-01-05', method: 'cash' });
      expect(res.statusCode).toBe(422);
      expect(res.json().errors.map((e: any) => e.path)).toEqual(['legalEntityId']);
      // A customer with no invoice at all: an advance to the first entity.
      const fresh = (await ok(t.as(rep, 'POST', '/api/v1/accounts', { name: '杭州新客户有限公司' }), 201)).id;
      const adv = await ok(t.as(fin, 'POST', '/api/v1/payments', { accountId: fresh, amountMinor: 1_000, currency: 'CNY', receivedOn: '2026-01-05', method: 'cash' }), 201);
      expect(adv.legalEntityId).toBe(le1);
      const list = await ok(t.as(fin, 'GET', `/api/v1/payments?legalEntityId=${le2}`));
      expect(list.items.length).toBeGreaterThan(0);
      expect(list.items.every((p: any) => p.legalEntityId === le2)).toBe(true);
    });

    it('posts a USD payment with its realised exchange difference to its own legal entity', async () => {
      await ok(t.as(fin, 'POST', '/api/v1/fx-rates/bulk', { text: 'USD,CNY,7.10,2026-02-01\nUSD,CNY,7.20,2026-02-20' }));
      setClock(() => new Date('2026-02-02T04:00:00Z'));
      const usdAcc = (await ok(t.as(rep, 'POST', '/api/v1/accounts', { name: 'Acme Ltd', currency: 'USD' }), 201)).id;
      const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId: usdAcc, legalEntityId: le2, currency: 'USD', orderDate: '2026-02-02', lines: [{ description: 'Service', quantity: '1', unitPriceMinor: 100_000, taxCode: 'VAT0' }] }), 201);
      await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
      const draft = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, {}), 201);
      const inv = await ok(t.as(fin, 'POST', `/api/v1/invoices/${draft.id}/issue`, {}));
      setClock(null);
      const pay = await ok(
        t.as(fin, 'POST', '/api/v1/payments', { accountId: usdAcc, amountMinor: 100_000, currency: 'USD', receivedOn: '2026-02-21', method: 'bank_transfer', autoAllocate: true }),
        201,
      );
      expect(pay.legalEntityId).toBe(le2);
      expect(pay.allocations.map((a: any) => a.invoiceId)).toEqual([inv.id]);
      const lines = await t.handle.db
        .selectFrom('journalLines')
        .innerJoin('journalEntries', 'journalEntries.id', 'journalLines.entryId')
        .select(['journalEntries.legalEntityId', 'journalLines.accountRole', 'journalLines.functionalCreditMinor'])
        .where('journalEntries.sourceId', '=', pay.id)
        .where('journalLines.accountRole', '=', 'fxGain')
        .execute();
      // Booked at 7.10 (the issue date's rate), paid at 7.20: ¥7,100.00 → ¥7,200.00, a gain of ¥100.00 in the second entity.
      expect(lines.map((l) => [l.legalEntityId, Number(l.functionalCreditMinor)])).toEqual([[le2, 10_000]]);
      expect(pay.fx.realisedGainLossMinor).toBe(10_000);
    });
  });

  describe('quotes use the tax codes of their own legal entity', () => {
    it('prices with the entity the quote names, refuses a code of another entity, and the order inherits the entity', async () => {
      const manager = await t.user('sales_manager', (await t.handle.db.selectFrom('teams').select('id').executeTakeFirstOrThrow()).id, 'Manager Wang');
      const { opportunity } = await dealFor(t, rep, '深圳报价客户有限公司');
      const list = async (le: string) => (await ok(t.as(fin, 'GET', `/api/v1/tax-codes?legalEntityId=${le}`))).items as any[];
      // A code only the second entity has.
      const own = await ok(t.as(fin, 'POST', '/api/v1/tax-codes', { legalEntityId: le2, code: 'SZ5', name: 'Special 5%', kind: 'reduced', rate: '0.05' }), 201);
      const vat13of1 = (await list(le1)).find((c) => c.code === 'VAT13');
      const vat13of2 = (await list(le2)).find((c) => c.code === 'VAT13');
      expect(vat13of1.id).not.toBe(vat13of2.id);
      const quote = (body: Record<string, unknown>) => t.as(rep, 'POST', `/api/v1/opportunities/${opportunity.id}/quotes`, body);
      const line = { description: '咨询 Consulting', quantity: '2', unitPriceMinor: 50_000 };

      // The first entity's code id on a quote of the second: unknown there, 422 on the line.
      const foreign = await quote({ legalEntityId: le2, lines: [{ ...line, taxCodeId: vat13of1.id }] });
      expect(foreign.statusCode).toBe(422);
      expect(foreign.json().errors.map((e: any) => [e.path, e.code])).toEqual([['lines.0.taxCodeId', 'unknown_reference']]);
      // The second entity's own code on a quote of the first: refused too.
      const other = await quote({ lines: [{ ...line, taxCode: 'SZ5' }] });
      expect(other.statusCode).toBe(422);
      expect(other.json().errors.map((e: any) => e.path)).toEqual(['lines.0.taxCode']);

      const q = await ok(quote({ legalEntityId: le2, lines: [{ ...line, taxCode: 'SZ5' }, { ...line, taxCode: 'VAT13' }] }), 201);
      expect(q.legalEntityId).toBe(le2);
      expect(q.lines.map((l: any) => [l.taxCodeId, l.taxMinor])).toEqual([
        [own.id, 5_000],
        [vat13of2.id, 13_000],
      ]);
      // Re-pricing a draft keeps the entity.
      const edited = await ok(t.as(rep, 'PATCH', `/api/v1/quotes/${q.id}`, { lines: [{ ...line, taxCode: 'SZ5' }] }));
      expect(edited.lines.map((l: any) => l.taxCodeId)).toEqual([own.id]);
      await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/submit`, {}));
      await ok(t.as(manager, 'POST', `/api/v1/quotes/${q.id}/approve`, {}));
      await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/send`, {}));
      await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/accept`, {}));
      const order = await ok(t.as(ops, 'POST', `/api/v1/quotes/${q.id}/order`, {}), 201);
      expect(order.legalEntityId).toBe(le2);
      expect(order.lines.map((l: any) => l.taxCodeId)).toEqual([own.id]);
      await ok(t.as(ops, 'POST', `/api/v1/orders/${order.id}/confirm`, {}));
      const inv = await ok(t.as(fin, 'POST', `/api/v1/orders/${order.id}/invoices`, {}), 201);
      expect(inv.legalEntityId).toBe(le2);
      const issued = await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/issue`, {}));
      expect(issued.taxMinor).toBe(5_000);
    });
  });

  describe('one default price book per currency', () => {
    const book = (name: string, isDefault: boolean) => t.as(admin, 'POST', '/api/v1/price-books', { name, currency: 'EUR', isDefault });
    const defaults = async () =>
      (await t.handle.db.selectFrom('priceBooks').select(['id', 'isDefault']).where('currency', '=', 'EUR').where('isDefault', '=', 1).execute()).map((r) => r.id);

    it('takes the flag from the previous default in the same transaction', async () => {
      const a = await ok(book('EUR A', true), 201);
      const b = await ok(book('EUR B', true), 201);
      expect(await defaults()).toEqual([b.id]);
      const patched = await t.as(admin, 'PATCH', `/api/v1/price-books/${a.id}`, { isDefault: true });
      expect(patched.statusCode).toBe(200);
      expect(await defaults()).toEqual([a.id]);
      // The previous default has its event.
      const ev = await t.handle.db.selectFrom('events').select(['action']).where('entityId', '=', b.id).orderBy('id').execute();
      expect(ev.length).toBeGreaterThanOrEqual(2);
    });

    it('keeps one default when several books are saved as default at once', async () => {
      const created = await Promise.all(Array.from({ length: 6 }, (_, i) => book(`EUR race ${i}`, true)));
      expect(created.map((r) => r.statusCode)).toEqual(created.map(() => 201));
      expect((await defaults()).length).toBe(1);
      const ids = created.map((r) => r.json().id as string);
      const updated = await Promise.all(ids.map((id) => t.as(admin, 'PATCH', `/api/v1/price-books/${id}`, { isDefault: true })));
      expect(updated.map((r) => r.statusCode)).toEqual(updated.map(() => 200));
      const now = await defaults();
      expect(now.length).toBe(1);
      expect(ids).toContain(now[0]);
    });

    it('has the database refuse a second default of a currency (unique partial index)', async () => {
      const [only] = await defaults();
      const row = await t.handle.db.selectFrom('priceBooks').selectAll().where('id', '=', only!).executeTakeFirstOrThrow();
      await expect(t.handle.db.insertInto('priceBooks').values({ ...row, id: newId('pb'), name: 'direct' }).execute()).rejects.toThrow();
      // Non-defaults of the currency are not limited.
      await t.handle.db.insertInto('priceBooks').values({ ...row, id: newId('pb'), name: 'direct 2', isDefault: 0 }).execute();
    });
  });

  describe('per-document tax on partial invoices', () => {
    it('rounds tax on the partial invoice as a document and lets the last one take what is left of the order', async () => {
      await ok(t.as(fin, 'PUT', '/api/v1/tax-rounding', { legalEntityId: le2, taxRounding: 'document' }));
      // 3 × ¥10.05 at 6 %: per document 0.603 × 3 = 1.809 → ¥1.81, handed to the lines as 0.61 + 0.60 + 0.60.
      const line = { description: '服务 Service', quantity: '1', unitPriceMinor: 1_005, taxCode: 'VAT6' };
      const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId, legalEntityId: le2, lines: [line, line, line] }), 201);
      expect(o.taxMinor).toBe(181);
      expect(o.lines.map((l: any) => l.taxMinor)).toEqual([61, 60, 60]);
      await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
      const [, b, c] = o.lines.map((l: any) => l.id);
      // Lines B and C: their own document, 1.206 → ¥1.21 (their line shares would give ¥1.20).
      const first = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, { lines: [{ orderLineId: b, quantity: '1' }, { orderLineId: c, quantity: '1' }] }), 201);
      expect([first.netMinor, first.taxMinor]).toEqual([2_010, 121]);
      expect(first.lines.map((l: any) => l.taxMinor)).toEqual([61, 60]);
      // Line A, the last: what is left of the order's ¥1.81, ¥0.60 (its own rounding, 0.603, is ¥0.60 too; its line share was ¥0.61).
      const last = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, {}), 201);
      expect([last.netMinor, last.taxMinor]).toEqual([1_005, 60]);
      expect(first.taxMinor + last.taxMinor).toBe(o.taxMinor);
      // Issued and posted: VAT output of the two invoices is the order's tax.
      for (const inv of [first, last]) await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/issue`, {}));
      const vat = await t.handle.db
        .selectFrom('journalLines')
        .innerJoin('journalEntries', 'journalEntries.id', 'journalLines.entryId')
        .select((eb) => eb.fn.sum<number>('journalLines.creditMinor').as('c'))
        .where('journalEntries.sourceId', 'in', [first.id, last.id])
        .where('journalLines.accountRole', '=', 'vatOutput')
        .executeTakeFirstOrThrow();
      expect(Number(vat.c)).toBe(181);
      // A partial quantity of a line is billed the same way; a credit note never takes more than its invoice.
      const o2 = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId, legalEntityId: le2, lines: [{ ...line, quantity: '3' }] }), 201);
      await ok(t.as(ops, 'POST', `/api/v1/orders/${o2.id}/confirm`, {}));
      const part = await ok(t.as(fin, 'POST', `/api/v1/orders/${o2.id}/invoices`, { lines: [{ orderLineId: o2.lines[0].id, quantity: '1.5' }] }), 201);
      const rest = await ok(t.as(fin, 'POST', `/api/v1/orders/${o2.id}/invoices`, {}), 201);
      expect(part.taxMinor + rest.taxMinor).toBe(o2.taxMinor);
      expect(part.taxMinor).toBe(90); // 1.5 × 10.05 = 15.075 → ¥15.08 net; × 6 % = 0.9048 → ¥0.90
    });
  });
});
