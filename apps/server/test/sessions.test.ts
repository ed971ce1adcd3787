import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok } from '@openltc/testing';

describe.each(DIALECTS)('browser sessions (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
  });
  afterAll(() => t.stop());

  it('reads do not rewrite the session row on every request; logout ends it', async () => {
    const u = await t.user('sales_rep', null, 'Reader');
    const rows = () => t.handle.db.selectFrom('sessions').select(['sid', 'expiresAt']).execute();
    const before = await rows();
    expect(before).toHaveLength(1);
    for (let i = 0; i < 5; i++) await ok(t.as(u, 'GET', '/api/v1/leads'));
    expect(await rows()).toEqual(before);
    await ok(t.as(u, 'POST', '/api/v1/auth/logout'));
    expect(await rows()).toEqual([]);
    const after = await t.as(u, 'GET', '/api/v1/leads');
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('unauthorized');
  });

  it('refuses a wrong password with the same answer as an unknown email', async () => {
    const u = await t.user('viewer', null, 'Viewer');
    const wrong = await t.as(null, 'POST', '/api/v1/auth/login', { email: u.email, password: 'not the password' });
    const unknown = await t.as(null, 'POST', '/api/v1/auth/login', { email: 'nobody@example.com', password: 'not the password' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
  });

  it('locks an email out for a while after five failed sign-ins, the right password included', async () => {
    const u = await t.user('viewer', null, 'Guessed');
    for (let i = 0; i < 5; i++) expect((await t.as(null, 'POST', '/api/v1/auth/login', { email: u.email, password: `guess ${i}` })).statusCode).toBe(401);
    const locked = await t.as(null, 'POST', '/api/v1/auth/login', { email: u.email.toUpperCase(), password: u.password });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('too_many_attempts');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
    // Another user is not affected.
    const other = await t.user('viewer', null, 'Other');
    expect((await t.as(null, 'POST', '/api/v1/auth/login', { email: other.email, password: other.password })).statusCode).toBe(200);
  });
});
