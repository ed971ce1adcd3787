import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z, ZodError } from 'zod';
import * as core from '@openltc/core';
import { TestApp, ok } from '@openltc/testing';

describe('validated: once per request, in full for everyone else', () => {
  const A = z.object({ n: z.coerce.number() }).strict();
  const B = z.object({ n: z.coerce.number() }).strict();
  it('takes what the same schema produced for the route as it is', () => {
    const parsed = core.markValidated(A, A.parse({ n: '1' }));
    const spy = vi.spyOn(A, 'parse');
    expect(core.validated(A, parsed)).toBe(parsed);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
  it('parses anything else: unmarked values, copies, values another schema produced', () => {
    const parsed = core.markValidated(A, A.parse({ n: '1' }));
    expect(core.validated(B, parsed)).toEqual({ n: 1 });
    expect(core.validated(A, { ...parsed })).toEqual({ n: 1 });
    expect(() => core.validated(A, { n: 'x' })).toThrow(ZodError);
    expect(() => core.validated(A, { n: 1, extra: true })).toThrow(ZodError);
  });
  it('a step without input takes nothing or {}, and refuses anything else', () => {
    expect(() => core.noInput(undefined)).not.toThrow();
    expect(() => core.noInput({})).not.toThrow();
    expect(() => core.noInput({ surprise: 1 })).toThrow(ZodError);
    expect(() => core.noInput([])).toThrow(ZodError);
  });
});

describe('a lead created over HTTP is validated once; the same use case from code validates in full', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start('sqlite');
  });
  afterAll(() => t.stop());
  afterEach(() => vi.restoreAllMocks());

  it('counts the parses', async () => {
    const u = await t.user('sales_rep', null, 'Once');
    const spy = vi.spyOn(core.LeadCreate, 'parse');
    await ok(t.as(u, 'POST', '/api/v1/leads', { name: '王芳', company: '恒信', email: 'WANG@Example.com' }), 201);
    expect(spy).toHaveBeenCalledTimes(1);
    // Bad input over HTTP is still refused field by field.
    const bad = await t.as(u, 'POST', '/api/v1/leads', { name: '', company: '恒信', unknown: 1 });
    expect(bad.statusCode).toBe(422);
    spy.mockClear();
    // Code (CLI, demo, jobs) calling the use case: parsed in full, bad input refused.
    const ctx = { ...t.sys, user: (await core.principalFor(t.handle.db, u.id, 'session'))! };
    await core.createLead(ctx, { name: '李雷', company: '星河' });
    expect(spy).toHaveBeenCalledTimes(1);
    await expect(core.createLead(ctx, { name: '李雷', company: '星河', unknown: 1 } as any)).rejects.toThrow(ZodError);
  });
});
