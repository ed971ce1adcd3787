import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvCell, decodeText, detectDelimiter, parseCsv, toCsv } from './csv.ts';
import { autoMapping, companyKey, dedupeKeys, emailKey, phoneKey } from './mapping.ts';

// "姓名,公司\n张三,云栈科技\n" as Chinese Excel writes it (GBK).
const GBK = Uint8Array.from([
  0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xb9, 0xab, 0xcb, 0xbe, 0x0a, 0xd5, 0xc5, 0xc8, 0xfd, 0x2c, 0xd4, 0xc6, 0xd5,
  0xbb, 0xbf, 0xc6, 0xbc, 0xbc, 0x0a,
]);

describe('reading CSV files', () => {
  it('decodes UTF-8 with and without BOM, and GBK', () => {
    const utf8 = new TextEncoder().encode('姓名,公司\n张三,云栈科技\n');
    expect(decodeText(utf8)).toEqual({ text: '姓名,公司\n张三,云栈科技\n', encoding: 'utf-8' });
    expect(decodeText(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8])).text).toBe('姓名,公司\n张三,云栈科技\n');
    expect(decodeText(GBK)).toEqual({ text: '姓名,公司\n张三,云栈科技\n', encoding: 'gb18030' });
    expect(() => decodeText(GBK, 'utf-8')).toThrow(/not valid UTF-8/);
  });

  it('parses quotes, doubled quotes, line breaks inside quotes, CRLF and blank lines', () => {
    expect(parseCsv('a,b,c\r\n"x, y","say ""hi""","line1\nline2"\r\n\r\n1,,3')).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'line1\nline2'],
      ['1', '', '3'],
    ]);
    expect(parseCsv('a;b\n1;2\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(detectDelimiter('姓名\t公司\n')).toBe('\t');
    expect(parseCsv('a,b\n5"6,x\n')).toEqual([
      ['a', 'b'],
      ['5"6', 'x'],
    ]);
  });

  it('property: any table written as CSV reads back the same', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', '张', ',', '"', '\n', ' ', '1', ';') });
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        (rows) => {
          const width = rows[0]!.length;
          const table = rows
            .map((r) => [...r, ...Array(width).fill('')].slice(0, width))
            .filter((r) => r.some((c) => c !== ''));
          const text = table
            .map((r) =>
              r.map((c) => (/[",\n;]/.test(c) || c === '' ? `"${c.replace(/"/g, '""')}"` : c)).join(','),
            )
            .join('\n');
          expect(parseCsv(text, ',')).toEqual(table);
        },
      ),
    );
  });

  it('writes cells Excel reads back, without running formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+86 138 0013 8000')).toBe('+86 138 0013 8000');
    expect(toCsv([['行', 'x']]).startsWith('\ufeff行,x')).toBe(true);
  });
});

describe('column mapping and dedupe keys', () => {
  it('maps Chinese and English headers; a field goes to its first column only', () => {
    expect(
      autoMapping(['姓名', '公司名称', '手机号', 'E-mail', '来源', '员工人数', '微信', 'Phone']),
    ).toEqual({
      姓名: 'name',
      公司名称: 'company',
      手机号: 'phone',
      'E-mail': 'email',
      来源: 'source',
      员工人数: 'customFields.employees',
      微信: null,
      Phone: null,
    });
    expect(autoMapping(['Full Name', 'Company', 'Mobile', 'Lead Source', 'Industry'])).toEqual({
      'Full Name': 'name',
      Company: 'company',
      Mobile: 'phone',
      'Lead Source': 'source',
      Industry: 'industry',
    });
  });

  it('normalizes phones (digits, +86 stripped), emails and company names', () => {
    for (const p of [
      '+86 138-0013-8000',
      '8613800138000',
      '0086 13800138000',
      '138 0013 8000',
      '（138）00138000',
    ])
      expect(phoneKey(p)).toBe('13800138000');
    expect(phoneKey('021-6234 5678')).toBe('02162345678');
    expect(phoneKey('12')).toBeNull();
    expect(emailKey(' Wang@Example.CN ')).toBe('wang@example.cn');
    expect(companyKey('云栈科技有限公司')).toBe(companyKey('云栈科技（有限公司）'));
    expect(companyKey('云栈科技股份有限公司')).toBe('云栈科技');
    expect(companyKey('Acme Co., Ltd.')).toBe('acme');
    expect(companyKey('ＡＣＭＥ Inc')).toBe('acme');
    expect(companyKey('Zinc')).toBe('zinc');
    // Company alone is not a duplicate: the person's name goes with it.
    expect(dedupeKeys({ name: '张三', company: '云栈科技有限公司' })).toEqual([
      ['company', 'c:云栈科技|张三'],
    ]);
  });
});
