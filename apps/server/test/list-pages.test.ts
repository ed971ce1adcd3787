import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLead, inTx } from '@openltc/core';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';

/**
 * Large pages for lists that stream many rows (the web app's infinite list): a client may ask for up
 * to 1000 rows a page with the same cursor; the default stays 50 and more than 1000 is refused.
 */
describe.each(DIALECTS)('list pages up to 1000 rows (%s)', (dialect) => {
  let t: TestApp;
  let rep: TestUser;
  const N = 1_050;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    rep = await t.user('sales_rep', await t.team('East 华东'), 'Rep');
    // Through the use case in one transaction (the HTTP path is what the tests below exercise).
    await inTx(t.sys, async (tx) => {
      for (let i = 0; i < N; i++) await createLead(tx, { name: `线索 ${String(i).padStart(4, '0')}`, ownerId: rep.id });
    });
  }, 120_000);
  afterAll(() => t.stop());

  it('pages 1000 rows at a time with the cursor, every lead once, in order', async () => {
    const first = await ok(t.as(rep, 'GET', '/api/v1/leads?limit=1000&sort=name'));
    expect(first.items).toHaveLength(1000);
    expect(first.nextCursor).toBeTruthy();
    const second = await ok(t.as(rep, 'GET', `/api/v1/leads?limit=1000&sort=name&cursor=${first.nextCursor}`));
    expect(second.items).toHaveLength(N - 1000);
    expect(second.nextCursor).toBeNull();
    const names = [...first.items, ...second.items].map((l: any) => l.name);
    expect(new Set(names).size).toBe(N);
    expect(names).toEqual(Array.from({ length: N }, (_, i) => `线索 ${String(i).padStart(4, '0')}`));
  });

  it('keeps 50 as the default and refuses more than 1000', async () => {
    expect((await ok(t.as(rep, 'GET', '/api/v1/leads'))).items).toHaveLength(50);
    const r = await t.as(rep, 'GET', '/api/v1/leads?limit=1001');
    expect(r.statusCode).toBe(422);
    expect(r.json().errors[0].path).toBe('limit');
  });
});
