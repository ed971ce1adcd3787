import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as core from '@openltc/core';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';

const locale = (name: string) =>
  JSON.parse(fs.readFileSync(new URL(`../../web/src/i18n/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
const has = (dict: Record<string, unknown>, key: string) =>
  key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), dict) !== undefined;

/** A value of each kind an operator may take, and one of another kind. */
const VALUE: Record<string, { good: unknown; bad: unknown }> = {
  none: { good: null, bad: 'x' },
  list: { good: ['展会', '官网'], bad: '展会' },
  number: { good: 100, bad: 'many' },
  text: { good: '展会', bad: null },
};

/**
 * GET /leads/import/schema: the lists the import page and the scoring editor offer come from the
 * server, and are the very lists the server checks imports and rules against.
 */
describe.each(DIALECTS)('lead import schema (%s)', (dialect) => {
  let t: TestApp;
  let admin: TestUser, marketing: TestUser, rep: TestUser, finance: TestUser;
  let schema: core.LeadImportSchemaDto;

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const team = await t.team('华东 East');
    admin = await t.user('admin', null, 'Admin');
    marketing = await t.user('marketing', null, 'Marketing');
    rep = await t.user('sales_rep', team, 'Rep');
    finance = await t.user('finance', null, 'Finance');
    schema = await ok(t.as(marketing, 'GET', '/api/v1/leads/import/schema'));
  });
  afterAll(() => t.stop());

  it('lists the importable fields with label keys, kinds, limits and which rules may score', () => {
    expect(schema.fields.map((f) => f.key)).toEqual([...core.IMPORT_FIELDS]);
    const by = Object.fromEntries(schema.fields.map((f) => [f.key, f]));
    expect(by.name).toMatchObject({ labelKey: 'field.name', kind: 'text', required: true, maxLength: 100, scorable: true });
    expect(by.email).toMatchObject({ kind: 'email', required: false, maxLength: 200 });
    expect(by.phone).toMatchObject({ kind: 'phone', required: false });
    expect(by.notes).toMatchObject({ maxLength: 5000, scorable: false });
    expect(schema.fields.filter((f) => f.required).map((f) => f.key)).toEqual(['name']);
    expect(schema.scoring.fields).toEqual(schema.fields.filter((f) => f.scorable).map((f) => f.key));
    expect(schema.customFields.suggested).toEqual([{ key: 'customFields.employees', labelKey: 'leadImport.employees', kind: 'number' }]);
    expect(schema.encodings.map((e) => e.key)).toEqual(['auto', 'utf-8', 'gbk']);
    expect(schema).toMatchObject({ maxFileBytes: core.MAX_FILE_BYTES, inlineMaxRows: core.INLINE_MAX_ROWS });
  });

  it('the custom-field pattern is the one imports are checked by', async () => {
    const re = new RegExp(schema.customFields.pattern);
    for (const target of ['customFields.employees', 'customFields.员工数', 'customFields.a-b_c', 'customFields.', 'customFields.a b', 'employees'])
      expect(re.test(target), target).toBe(core.isImportTarget(target) && target.startsWith('customFields.'));
    const content = Buffer.from('姓名,规模\n张伟,500\n').toString('base64');
    const bad = await t.as(marketing, 'POST', '/api/v1/leads/imports', { fileName: 'a.csv', content, mapping: { 姓名: 'name', 规模: 'customFields.a b' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: any) => e.code)).toContain('unknown_field');
  });

  it('serves each scoring operator with the value it takes, as rules are checked', async () => {
    expect(schema.scoring.operators.map((o) => o.key)).toEqual([...core.SCORING_OPERATORS]);
    for (const op of schema.scoring.operators) {
      expect(op.labelKey).toBe(`leadScoring.op.${op.key}`);
      const good = await t.as(admin, 'POST', '/api/v1/lead-scoring/rules', { name: `r ${op.key}`, field: 'source', operator: op.key, value: VALUE[op.value]!.good, points: 1 });
      expect(good.statusCode, `${op.key} with a ${op.value} value: ${good.body}`).toBe(201);
      const bad = await t.as(admin, 'POST', '/api/v1/lead-scoring/rules', { name: `r ${op.key}`, field: 'source', operator: op.key, value: VALUE[op.value]!.bad, points: 1 });
      expect(bad.statusCode, `${op.key} with another value: ${bad.body}`).toBe(422);
    }
    // A field outside the served list (notes) is refused by the rule check too.
    const notes = await t.as(admin, 'POST', '/api/v1/lead-scoring/rules', { name: 'notes', field: 'notes', operator: 'present', points: 1 });
    expect(notes.statusCode).toBe(422);
  });

  it('every label key exists in both languages of the web app', () => {
    const keys = [
      ...schema.fields.map((f) => f.labelKey),
      ...schema.customFields.suggested.map((f) => f.labelKey),
      ...schema.encodings.flatMap((e) => (e.labelKey ? [e.labelKey] : [])),
      ...schema.scoring.operators.map((o) => o.labelKey),
    ];
    for (const name of ['en', 'zh-CN']) {
      const dict = locale(name);
      for (const k of keys) expect(has(dict, k), `${name}: ${k}`).toBe(true);
    }
    for (const e of schema.encodings) expect(!!e.labelKey !== !!e.label, e.key).toBe(true);
  });

  it('is for whoever may read leads: a rep reads it, finance and anonymous callers do not', async () => {
    expect(await ok(t.as(rep, 'GET', '/api/v1/leads/import/schema'))).toEqual(schema);
    expect(await ok(t.as(admin, 'GET', '/api/v1/leads/import/schema'))).toEqual(schema);
    const fin = await t.as(finance, 'GET', '/api/v1/leads/import/schema');
    expect(fin.statusCode).toBe(403);
    expect(fin.headers['content-type']).toContain('application/problem+json');
    expect((await t.as(null, 'GET', '/api/v1/leads/import/schema')).statusCode).toBe(401);
  });
});
