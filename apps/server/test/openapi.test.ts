import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { TestApp } from '@openltc/testing';
import { registry } from '../src/http/route.ts';

/** The published OpenAPI document is valid OpenAPI 3.1 and describes every route the server has. */
describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: any;
  beforeAll(async () => {
    t = await TestApp.start('sqlite');
    doc = (await t.as(null, 'GET', '/api/openapi.json')).json();
  });
  afterAll(() => t.stop());

  it('validates against the OpenAPI 3.1 schema', async () => {
    const v = new Validator();
    const res = await v.validate(doc);
    expect(res.errors ?? [], JSON.stringify(res.errors, null, 1)?.slice(0, 2000)).toEqual([]);
    expect(res.valid).toBe(true);
    expect(v.version).toBe('3.1');
  });

  it('lists every registered route once, with unique operation ids and a request body where one is read', () => {
    const ops = new Set<string>();
    for (const r of registry) {
      const p = r.url.replace(/:(\w+)/g, '{$1}');
      const op = doc.paths[p]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${r.url}`).toBeTruthy();
      expect(ops.has(op.operationId), op.operationId).toBe(false);
      ops.add(op.operationId);
      if (r.body) expect(op.requestBody, `${r.method} ${r.url}`).toBeTruthy();
      expect(op.responses['4XX'].content['application/problem+json']).toBeTruthy();
    }
    expect(ops.size).toBeGreaterThan(80);
  });

  it('serves readable docs', async () => {
    const r = await t.as(null, 'GET', '/api/docs/');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
  });
});
