import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { copyField, copyText } from './bulk-insert.ts';

/**
 * A reader of COPY's text format as PostgreSQL's copy.c reads it (the escapes this writer uses and the
 * ones it may meet): the test's own decoder, so the property below checks the writer against the
 * format and not against itself.
 */
function readCopyText(text: string): Array<Array<string | null>> {
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) =>
      line.split('\t').map((f) => {
        if (f === '\\N') return null;
        let out = '';
        for (let i = 0; i < f.length; i++) {
          const c = f[i]!;
          if (c !== '\\') {
            out += c;
            continue;
          }
          const n = f[++i];
          if (n === undefined) throw new Error('a lone backslash at the end of a field');
          out += ({ n: '\n', r: '\r', t: '\t', '\\': '\\', b: '\b', f: '\f', v: '\v' } as Record<string, string>)[n] ?? n;
        }
        return out;
      }),
    );
}

describe('COPY text format', () => {
  it('writes null as \\N and keeps the empty string apart from it', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(undefined)).toBe('\\N');
    expect(copyField('')).toBe('');
    expect(copyField('\\N')).toBe('\\\\N'); // the text "\N" is not null
    expect(copyText(['a', 'b', 'c'], ['', null, '\\N'])).toBe('\t\\N\t\\\\N\n');
  });

  it('escapes tabs, newlines, carriage returns and backslashes; Chinese and other text as it is', () => {
    expect(copyField('a\tb')).toBe('a\\tb');
    expect(copyField('第一行\r\n第二行')).toBe('第一行\\r\\n第二行');
    expect(copyField('C:\\temp\\new')).toBe('C:\\\\temp\\\\new');
    expect(copyField('上海某某科技有限公司 “报价” 😀 €')).toBe('上海某某科技有限公司 “报价” 😀 €');
    expect(copyField('\\.')).toBe('\\\\.'); // never the end-of-data marker
    expect(copyField('a\vb\fc\bd')).toBe('a\vb\fc\bd'); // no escape needed: only \ tab LF CR are special
  });

  it('refuses the NUL character, naming the column (PostgreSQL text cannot hold it)', () => {
    expect(() => copyField('a\0b', 'name')).toThrow(/column name holds a NUL/);
    expect(() => copyText(['id', 'notes'], ['x', 'ok', 'y', 'bad\0'])).toThrow(/column notes/);
  });

  it('writes numbers, bigints, booleans, dates, bytes and objects as PostgreSQL reads them', () => {
    expect(copyField(0)).toBe('0');
    expect(copyField(-9_007_199_254_740_991)).toBe('-9007199254740991');
    expect(copyField(123456789012345678901234567890n)).toBe('123456789012345678901234567890');
    expect(copyField(true)).toBe('t');
    expect(copyField(false)).toBe('f');
    expect(copyField(new Date('2026-11-23T08:00:00.000Z'))).toBe('2026-11-23T08:00:00.000Z');
    expect(copyField(Buffer.from([0, 0xff, 0x5c]))).toBe('\\\\x00ff5c');
    expect(copyField({ 备注: 'a\tb', n: 1 })).toBe('{"备注":"a\\\\tb","n":1}');
    expect(() => copyField(Number.NaN, 'score')).toThrow(/score holds NaN/);
    expect(() => copyField(Infinity)).toThrow(/finite/);
  });

  it('property: any rows of text (no NUL) and nulls read back exactly, row by row and field by field', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '中', '\t', '\n', '\r', '\\', 'N', '.', ' ', '😀', '"', ',') });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((width) =>
          fc.tuple(fc.constant(width), fc.array(fc.array(fc.option(text, { nil: null }), { minLength: width, maxLength: width }), { minLength: 1, maxLength: 8 })),
        ),
        ([width, rows]) => {
          const cols = Array.from({ length: width }, (_, j) => `c${j}`);
          expect(readCopyText(copyText(cols, rows.flat()))).toEqual(rows);
        },
      ),
      { numRuns: 300 },
    );
  });
});
