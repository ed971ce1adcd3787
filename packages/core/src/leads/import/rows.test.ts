import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LeadCreate } from '../lead.schema.ts';
import { checkRow, checkWithSchema, isValidLeadRow, rowObject } from './rows.ts';
import { IMPORT_FIELDS, type ImportTarget } from './mapping.ts';

/**
 * The import's hand-written row check must agree with the API's schema on every row: the same
 * verdict, the same data for a good row, the same issues (field and message) for a bad one.
 */
const TARGETS: ImportTarget[] = [...IMPORT_FIELDS, 'customFields.employees'];

const repeat = (s: string, n: number) => s.repeat(Math.max(0, n));
/** Cells near every limit and format edge: lengths around the maximum, emails and phones good and bad. */
const text = (max: number) =>
  fc.oneof(
    fc.constantFrom('', ' ', '  张三  ', '云栈科技有限公司', 'Ｆｕｌｌ', '\t', 'a\nb', '"quoted"'),
    fc.integer({ min: max - 2, max: max + 2 }).map((n) => repeat('字', n)),
    fc.integer({ min: max - 2, max: max + 2 }).map((n) => ` ${repeat('x', n)} `),
    fc.string({ maxLength: 20 }),
    fc.string({ unit: 'grapheme', maxLength: 8 }),
  );
const email = fc.oneof(
  fc.constantFrom(
    'wang@xinghe.cn',
    ' Wang.Wei@XingHe.CN ',
    'broken@@mail',
    'a@b',
    'a@b.c',
    'first.last+tag@sub.example.com',
    '.lead@x.cn',
    'lead.@x.cn',
    'a..b@x.cn',
    'lead@-x.cn',
    '张三@例子.中国',
    "o'neil@x.ie",
    'x@y.co1',
    '',
  ),
  fc.emailAddress(),
  fc.integer({ min: 185, max: 205 }).map((n) => `${repeat('a', n - 9)}@mail.com`),
  fc.string({ maxLength: 30 }),
);
const phone = fc.oneof(
  fc.constantFrom(
    '+86 138 0013 8000',
    '(021) 6234-5678',
    '1234',
    '12345',
    '13800138000x',
    '+86-138 0013 8000 ',
    '１３８００１３８０００',
    '',
  ),
  fc.integer({ min: 3, max: 33 }).map((n) => repeat('8', n)),
  fc.stringMatching(/^[+0-9 ()-]{0,34}$/),
  fc.string({ maxLength: 12 }),
);
const row = fc.tuple(
  text(100),
  text(200),
  text(100),
  email,
  phone,
  text(100),
  text(100),
  text(100),
  text(100),
  fc.oneof(
    text(5000),
    fc.integer({ min: 4998, max: 5002 }).map((n) => repeat('备', n)),
  ),
  fc.oneof(fc.constantFrom('', '500', ' 1,200 '), fc.string({ maxLength: 10 })),
);

describe('import row check', () => {
  it('property: the same verdict, data and issues as LeadCreate for any row', () => {
    fc.assert(
      fc.property(row, (cells) => {
        const o = rowObject(cells, TARGETS);
        const parsed = LeadCreate.safeParse(o);
        expect(isValidLeadRow(o)).toBe(parsed.success);
        const fast = checkRow(o);
        expect(fast).toEqual(checkWithSchema(o));
        if (parsed.success && fast.ok) expect(fast.data).toEqual(parsed.data);
      }),
      { numRuns: 3000 },
    );
  });

  it('gives a bad row the API’s messages, one per field, in the schema’s order', () => {
    const o = rowObject(['', '', '', 'zhao@@x', 'not-a-phone!', '', '', '', '', '', ''], TARGETS);
    expect(isValidLeadRow(o)).toBe(false);
    const r = checkRow(o);
    expect(r.ok).toBe(false);
    const api = LeadCreate.safeParse(o);
    expect(api.success).toBe(false);
    expect(r.ok ? [] : r.issues).toEqual(
      api.error!.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
    );
    expect(r.ok ? [] : r.issues.map((i) => i.field)).toEqual(['name', 'email', 'phone']);
  });

  it('accepts a good row as the very object the API would store, custom fields grouped', () => {
    const o = rowObject(
      [
        ' 王伟 ',
        '星河制造有限公司',
        '',
        'wang.wei@xinghe.cn',
        '+86 139-1111-0001',
        '',
        '',
        '展会',
        '',
        '',
        '500',
      ],
      TARGETS,
    );
    expect(o).toEqual({
      name: '王伟',
      company: '星河制造有限公司',
      email: 'wang.wei@xinghe.cn',
      phone: '+86 139-1111-0001',
      source: '展会',
      customFields: { employees: '500' },
    });
    expect(checkRow(o)).toEqual({ ok: true, data: LeadCreate.parse(o) });
  });
});
