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

  it('sets the cookie HttpOnly, SameSite=Lax, Path=/, Secure over https, with a rolling expiry', async () => {
    const u = await t.user('sales_rep', null, 'Cookie');
    const login = await t.as(null, 'POST', '/api/v1/auth/login', { email: u.email, password: u.password });
    const set = String(login.headers['set-cookie']);
    expect(set).toMatch(/^ltc_session=[\w-]{32}\.[^;]+; Path=\/; Expires=[^;]+ GMT; HttpOnly; SameSite=Lax$/);
    const expires = Date.parse(/Expires=([^;]+)/.exec(set)![1]!);
    expect(Math.abs(expires - (Date.now() + 12 * 3600_000))).toBeLessThan(5_000);
    const cookie = set.split(';')[0]!;
    // Every answer to a signed-in request sends the cookie again with a new expiry, never a new id.
    const again = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(again.statusCode).toBe(200);
    expect(String(again.headers['set-cookie']).split(';')[0]).toBe(cookie);
    // Plain http here (the Secure flag follows the request's protocol, as before).
    expect(String(again.headers['set-cookie'])).not.toMatch(/Secure/);
    // An anonymous request gets no cookie at all.
    const anon = await t.as(null, 'GET', '/api/v1/setup');
    expect(anon.headers['set-cookie']).toBeUndefined();
  });

  it('rolls the stored expiry at most once a minute, from the row itself', async () => {
    const u = await t.user('sales_rep', null, 'Roller');
    const sid = u.cookie.split('=')[1]!.split('.')[0]!;
    const row = () => t.handle.db.selectFrom('sessions').select('expiresAt').where('sid', '=', sid).executeTakeFirstOrThrow();
    const fresh = (await row()).expiresAt;
    await ok(t.as(u, 'GET', '/api/v1/auth/me'));
    expect((await row()).expiresAt).toBe(fresh);
    // Written 61 s ago (by this or another server): the next request writes a new expiry.
    const old = new Date(Date.now() + 12 * 3600_000 - 61_000).toISOString();
    await t.handle.db.updateTable('sessions').set({ expiresAt: old }).where('sid', '=', sid).execute();
    await ok(t.as(u, 'GET', '/api/v1/auth/me'));
    const rolled = (await row()).expiresAt;
    expect(Date.parse(rolled)).toBeGreaterThan(Date.parse(old) + 55_000);
    // Written 30 s ago: left alone.
    const recent = new Date(Date.now() + 12 * 3600_000 - 30_000).toISOString();
    await t.handle.db.updateTable('sessions').set({ expiresAt: recent }).where('sid', '=', sid).execute();
    await ok(t.as(u, 'GET', '/api/v1/auth/me'));
    expect((await row()).expiresAt).toBe(recent);
  });

  it('treats a forged, unknown or expired session cookie as anonymous and clears it', async () => {
    const u = await t.user('sales_rep', null, 'Expired');
    const [name, value] = u.cookie.split('=') as [string, string];
    const [sid, sig] = value.split('.') as [string, string];
    const cleared = /^ltc_session=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT/;
    // A made-up id with a made-up signature, and the real id with another's signature.
    for (const cookie of [`${name}=abc.def`, `${name}=${sid}.${sig.slice(0, -2)}xx`, `${name}=${sid}`]) {
      const r = await t.app.inject({ method: 'GET', url: '/api/v1/leads', headers: { cookie } });
      expect(r.statusCode).toBe(401);
      expect(String(r.headers['set-cookie'])).toMatch(cleared);
    }
    // Still valid after those attempts.
    await ok(t.as(u, 'GET', '/api/v1/leads'));
    // The row expired (idle longer than the TTL): 401, cookie cleared; public routes answer and clear it too.
    await t.handle.db.updateTable('sessions').set({ expiresAt: new Date(Date.now() - 1000).toISOString() }).where('sid', '=', sid).execute();
    const r = await t.as(u, 'GET', '/api/v1/leads');
    expect(r.statusCode).toBe(401);
    expect(String(r.headers['set-cookie'])).toMatch(cleared);
    const pub = await t.as(u, 'GET', '/api/v1/setup');
    expect(pub.statusCode).toBe(200);
    expect(String(pub.headers['set-cookie'])).toMatch(cleared);
  });

  it('a new sign-in ends the session it came with (no fixation); logout clears the cookie', async () => {
    const u = await t.user('sales_rep', null, 'Twice');
    const again = await t.as(u, 'POST', '/api/v1/auth/login', { email: u.email, password: u.password });
    expect(again.statusCode).toBe(200);
    const next = String(again.headers['set-cookie']).split(';')[0]!;
    expect(next).not.toBe(u.cookie);
    expect((await t.as(u, 'GET', '/api/v1/leads')).statusCode).toBe(401);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: next } });
    expect(me.json().user.id).toBe(u.id);
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: next } });
    expect(out.statusCode).toBe(200);
    expect(String(out.headers['set-cookie'])).toMatch(/^ltc_session=; Max-Age=0;/);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: next } })).statusCode).toBe(401);
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
