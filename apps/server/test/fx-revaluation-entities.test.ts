import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import { newId, setClock } from '@openltc/core';
import { fxCompany, onBusinessDate, rateSetter } from './support/fx-fixture.ts';

/**
 * FX revaluation of every legal entity, on both databases: the entities are listed for the picker, a
 * month is revalued per entity (not only the first), the list shows the runs of all entities with
 * their names, and an entity with no open foreign-currency item gets a run that records the check —
 * outcome nothing_to_revalue, no rates, no lines, no journal entries — rather than a posting.
 */
describe.each(DIALECTS)('FX revaluation per legal entity (%s)', (dialect) => {
  let t: TestApp;
  let fin: TestUser;
  let ops: TestUser;
  let rep: TestUser;
  let accountId: string;
  let first: { id: string; name: string };
  const second = { id: newId('le'), name: 'Yunzhan HK Ltd 云栈香港' };

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    ({ fin, ops, rep, accountId } = await fxCompany(t));
    const le = await t.handle.db.selectFrom('legalEntities').select(['id', 'name']).orderBy('createdAt').executeTakeFirstOrThrow();
    first = le;
    await t.handle.db
      .insertInto('legalEntities')
      .values({ id: second.id, name: second.name, country: 'HK', currency: 'HKD', timezone: 'Asia/Hong_Kong', roundingMode: 'half_up', taxId: null, createdAt: '2099-01-01T00:00:00.000Z' })
      .execute();
  });
  afterAll(() => t.stop());
  afterEach(() => setClock(null));

  it('lists every legal entity for any signed-in user, the first created first', async () => {
    const list = await ok(t.as(rep, 'GET', '/api/v1/legal-entities'));
    expect(list.items.map((e: any) => [e.id, e.currency])).toEqual([
      [first.id, 'CNY'],
      [second.id, 'HKD'],
    ]);
    expect(list.items[1]).toEqual({ id: second.id, name: second.name, country: 'HK', currency: 'HKD', timezone: 'Asia/Hong_Kong' });
  });

  it('revalues the named entity; one with nothing in a foreign currency is recorded as checked, with nothing posted', async () => {
    await rateSetter(t, fin)('USD', 'CNY', '7.10', '2026-10-01');
    const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId, currency: 'USD', lines: [{ description: 'Licence', quantity: '1', unitPriceMinor: 100_000, taxRate: '0' }] }), 201);
    await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
    const d = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, {}), 201);
    onBusinessDate('2026-10-10');
    await ok(t.as(fin, 'POST', `/api/v1/invoices/${d.id}/issue`, {}));
    await rateSetter(t, fin)('USD', 'CNY', '7.20', '2026-10-31');
    onBusinessDate('2026-11-02');

    const hk = await t.as(fin, 'POST', '/api/v1/fx/revaluations', { period: '2026-10', legalEntityId: second.id });
    expect(hk.statusCode).toBe(201);
    const h = hk.json().revaluation;
    expect([h.legalEntityId, h.legalEntityName, h.functionalCurrency, h.outcome, h.items, h.entries, h.rates, h.lines, h.netMinor]).toEqual([
      second.id,
      second.name,
      'HKD',
      'nothing_to_revalue',
      0,
      0,
      [],
      [],
      0,
    ]);
    const hkEntries = await t.handle.db.selectFrom('journalEntries').select('id').where('sourceType', '=', 'fx_revaluation').where('legalEntityId', '=', second.id).execute();
    expect(hkEntries).toEqual([]);
    const ev = await t.handle.db.selectFrom('events').select('after').where('entityType', '=', 'fx_revaluation').where('entityId', '=', h.id).executeTakeFirstOrThrow();
    expect(JSON.parse(String(ev.after))).toMatchObject({ legalEntityId: second.id, outcome: 'nothing_to_revalue', items: 0, entries: 0 });

    // The first entity's month is still to do: the HK run did not stand in for it.
    const cn = await t.as(fin, 'POST', '/api/v1/fx/revaluations', { period: '2026-10', legalEntityId: first.id });
    expect(cn.statusCode).toBe(201);
    const c = cn.json().revaluation;
    // $1,000.00 carried ¥7,100.00, at 7.20 ¥7,200.00.
    expect([c.legalEntityName, c.outcome, c.items, c.entries, c.netMinor]).toEqual([first.name, 'revalued', 1, 2, 10_000]);

    const all = await ok(t.as(fin, 'GET', '/api/v1/fx/revaluations'));
    expect(all.items.map((x: any) => [x.legalEntityName, x.period, x.outcome]).sort()).toEqual(
      [
        [first.name, '2026-10', 'revalued'],
        [second.name, '2026-10', 'nothing_to_revalue'],
      ].sort(),
    );
    const only = await ok(t.as(fin, 'GET', `/api/v1/fx/revaluations?legalEntityId=${second.id}`));
    expect(only.items.map((x: any) => x.id)).toEqual([h.id]);
    // Running it again returns the same record of the check.
    const again = await t.as(fin, 'POST', '/api/v1/fx/revaluations', { period: '2026-10', legalEntityId: second.id });
    expect([again.statusCode, again.json().alreadyRun, again.json().revaluation.id, again.json().revaluation.outcome]).toEqual([200, true, h.id, 'nothing_to_revalue']);
  });

  it('refuses an unknown entity at the field', async () => {
    onBusinessDate('2026-11-02');
    const res = await t.as(fin, 'POST', '/api/v1/fx/revaluations', { period: '2026-10', legalEntityId: newId('le') });
    expect(res.statusCode).toBe(422);
    expect([res.json().code, res.json().errors?.map((e: any) => e.path)]).toEqual(['validation_failed', ['legalEntityId']]);
  });
});
