import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLead, inTx } from '@openltc/core';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';

/**
 * A trimmed row shape for list requests: `fields=a,b,c` on any list endpoint returns only those item
 * fields (plus `id` and `version`), the same rows in the same order with the same cursor; a name the
 * list does not return is refused with 400 naming it; scope and permissions are those of the full list.
 */
describe.each(DIALECTS)('list fields (%s)', (dialect) => {
  let t: TestApp;
  let east: TestUser;
  let west: TestUser;
  let legal: TestUser;
  let admin: TestUser;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    admin = await t.user('admin', null, 'Admin');
    east = await t.user('sales_rep', await t.team('East 华东'), 'East rep');
    west = await t.user('sales_rep', await t.team('West 西部'), 'West rep');
    legal = await t.user('legal', null, 'Counsel');
    await inTx(t.sys, async (tx) => {
      for (let i = 0; i < 30; i++)
        await createLead(tx, {
          name: `线索 ${String(i).padStart(2, '0')}`,
          company: `公司 ${i}`,
          email: `l${i}@example.com`,
          notes: `secret note ${i}`,
          ownerId: i % 3 === 0 ? west.id : east.id,
        });
    });
  }, 120_000);
  afterAll(() => t.stop());

  it('returns only the asked fields plus id and version, the same rows and cursor as the full list', async () => {
    const full = await ok(t.as(admin, 'GET', '/api/v1/leads?limit=10&sort=name'));
    const trimmed = await ok(t.as(admin, 'GET', '/api/v1/leads?limit=10&sort=name&fields=name,%20status,ownerId'));
    expect(trimmed.nextCursor).toBe(full.nextCursor);
    expect(trimmed.items).toHaveLength(10);
    trimmed.items.forEach((item: Record<string, unknown>, i: number) => {
      expect(Object.keys(item).sort()).toEqual(['id', 'name', 'ownerId', 'status', 'version']);
      const f = full.items[i];
      expect(item).toEqual({ id: f.id, version: f.version, name: f.name, status: f.status, ownerId: f.ownerId });
    });
    // The next page through the cursor, still trimmed.
    const next = await ok(t.as(admin, 'GET', `/api/v1/leads?limit=10&sort=name&fields=name&cursor=${trimmed.nextCursor}`));
    expect(next.items.map((l: any) => l.name)).toEqual(Array.from({ length: 10 }, (_, i) => `线索 ${String(i + 10).padStart(2, '0')}`));
    expect(Object.keys(next.items[0]).sort()).toEqual(['id', 'name', 'version']);
  });

  it('is generic: any list, computed fields included; no fields or a blank one gives every field', async () => {
    const acc = await ok(t.as(admin, 'POST', '/api/v1/accounts', { name: '云栈客户' }), 201);
    const opp = await ok(
      t.as(admin, 'POST', '/api/v1/opportunities', { name: 'Deal 交易', accountId: acc.id, amountMinor: 100_000, currency: 'CNY', probability: 40 }),
      201,
    );
    expect(opp.weightedAmountMinor).toBe(40_000);
    const list = await ok(t.as(admin, 'GET', '/api/v1/opportunities?fields=amountMinor,weightedAmountMinor'));
    expect(list.items).toEqual([{ id: opp.id, version: opp.version, amountMinor: 100_000, weightedAmountMinor: opp.weightedAmountMinor }]);
    const blank = await ok(t.as(admin, 'GET', '/api/v1/leads?limit=1&fields='));
    expect(blank.items[0]).toHaveProperty('notes');
    expect(blank.items[0]).toHaveProperty('allowedActions');
  });

  it('refuses a name the list does not return with 400 problem+json naming it', async () => {
    const r = await t.as(admin, 'GET', '/api/v1/leads?fields=name,passwordHash,nope');
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    const p = r.json();
    expect(p.code).toBe('unknown_field');
    expect(p.unknownFields).toEqual(['passwordHash', 'nope']);
    expect(p.detail).toContain('passwordHash');
    expect(p.errors[0]).toMatchObject({ path: 'fields', code: 'unknown_field' });
  });

  it("keeps the caller's scope and permissions: the same rows as without fields, nothing of other teams", async () => {
    const all = await ok(t.as(east, 'GET', '/api/v1/leads?limit=100&sort=name'));
    const trimmed = await ok(t.as(east, 'GET', '/api/v1/leads?limit=100&sort=name&fields=name,notes,ownerId'));
    expect(trimmed.items.map((l: any) => l.id)).toEqual(all.items.map((l: any) => l.id));
    expect(trimmed.items).toHaveLength(20);
    expect(trimmed.items.every((l: any) => l.ownerId === east.id)).toBe(true);
    expect(JSON.stringify(trimmed)).not.toContain(west.id);
    // A role that may not read leads gets 403 whatever fields it asks for.
    const denied = await t.as(legal, 'GET', '/api/v1/leads?fields=name');
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('forbidden');
  });
});
