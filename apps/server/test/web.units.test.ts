// The web app's pure parts, without a browser: exact money math and complete translations.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatMoney, minorToDecimal, parseMajorToMinor, sumMinor } from '../../web/src/lib/money.ts';
import { drillRoute } from '../../web/src/lib/drill.ts';
import { toCsv } from '../../web/src/lib/exportRows.ts';

const WEB = path.resolve(import.meta.dirname, '../../web/src');

describe('web money', () => {
  it('turns typed yuan into fen with string math, never floats', () => {
    expect(parseMajorToMinor('120000.50')).toEqual({ ok: true, minor: 12_000_050 });
    expect(parseMajorToMinor('120,000.5')).toEqual({ ok: true, minor: 12_000_050 });
    expect(parseMajorToMinor('¥ 0.29')).toEqual({ ok: true, minor: 29 }); // 0.29 * 100 = 28.999999999999996 as a float
    expect(parseMajorToMinor('1.005')).toEqual({ ok: false, reason: 'precision' });
    expect(parseMajorToMinor('12a')).toEqual({ ok: false, reason: 'format' });
    expect(parseMajorToMinor('-5')).toEqual({ ok: false, reason: 'format' });
    expect(parseMajorToMinor('  ')).toEqual({ ok: false, reason: 'empty' });
    expect(parseMajorToMinor('90071992547409.92')).toEqual({ ok: false, reason: 'range' });
    expect(parseMajorToMinor('1000', 0)).toEqual({ ok: true, minor: 1000 });
  });

  it('round-trips every amount exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (minor) => {
        expect(parseMajorToMinor(minorToDecimal(minor))).toEqual({ ok: true, minor });
      }),
    );
  });

  it('formats minor units per locale and currency', () => {
    expect(minorToDecimal(5)).toBe('0.05');
    expect(minorToDecimal(-12345)).toBe('-123.45');
    expect(formatMoney(12_000_050, 'CNY', 'zh-CN')).toBe('¥120,000.50');
    expect(formatMoney(12_000_050, 'CNY', 'en-US')).toBe('CN¥120,000.50');
    expect(formatMoney(1000, 'JPY', 'en-US')).toBe('¥1,000');
    // Beyond 2^53 the decimal string still formats exactly.
    expect(formatMoney(12345678901234567891n, 'CNY', 'en-US')).toBe('CN¥123,456,789,012,345,678.91');
    expect(formatMoney(null)).toBe('—');
    expect(sumMinor([Number.MAX_SAFE_INTEGER, 2])).toBe(9007199254740993n);
  });
});

describe('web lists and key figures', () => {
  it('maps a KPI drill link to the list page with the same filters', () => {
    expect(drillRoute('/api/v1/leads?createdFrom=2026-09-30T16%3A00%3A00.000Z&status=converted')).toBe('/leads?createdFrom=2026-09-30T16%3A00%3A00.000Z&status=converted');
    expect(drillRoute('/api/v1/opportunities?status=open')).toBe('/opportunities/list?status=open');
    expect(drillRoute('/api/v1/payments?receivedFrom=2026-10-01&receivedTo=2026-12-31')).toBe('/payments?receivedFrom=2026-10-01&receivedTo=2026-12-31');
    expect(drillRoute('/api/v1/credit-notes')).toBeNull();
    expect(drillRoute(undefined)).toBeNull();
  });

  it('writes CSV with a BOM, CRLF, quoted fields and exact amounts', () => {
    const csv = toCsv(
      ['名称', 'Amount'],
      [
        ['上海云启, "总部"', { minor: 12_000_050, currency: 'CNY' }],
        [null, { minor: 29, currency: 'CNY' }],
        ['line\nbreak', { minor: 1000, currency: 'JPY' }],
      ],
    );
    expect(csv).toBe('\uFEFF名称,Amount\r\n"上海云启, ""总部""",120000.50\r\n,0.29\r\n"line\nbreak",1000\r\n');
  });
});

function keysOf(obj: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keysOf(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : /\.(tsx?)$/.test(e.name) ? [p] : [];
  });
}

describe('web translations', () => {
  const en = JSON.parse(fs.readFileSync(path.join(WEB, 'i18n/en.json'), 'utf8'));
  const zh = JSON.parse(fs.readFileSync(path.join(WEB, 'i18n/zh-CN.json'), 'utf8'));
  const enKeys = new Set(keysOf(en));
  const zhKeys = new Set(keysOf(zh));

  it('has the same keys in Chinese and English, none empty', () => {
    expect([...enKeys].filter((k) => !zhKeys.has(k))).toEqual([]);
    expect([...zhKeys].filter((k) => !enKeys.has(k))).toEqual([]);
    const empty = (o: Record<string, unknown>) => keysOf(o).filter((k) => k.split('.').reduce<any>((a, p) => a[p], o) === '');
    expect(empty(en)).toEqual([]);
    expect(empty(zh)).toEqual([]);
  });

  it('has every literal key the code asks for', () => {
    const used = new Set<string>();
    for (const f of sourceFiles(WEB)) {
      const src = fs.readFileSync(f, 'utf8');
      for (const m of src.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((k) => !enKeys.has(k)).sort()).toEqual([]);
  });

  it('names every lifecycle status and menu item in both languages', () => {
    for (const s of ['new', 'working', 'nurturing', 'qualified', 'converted', 'disqualified']) expect(enKeys.has(`status.lead.${s}`)).toBe(true);
    for (const s of ['open', 'won', 'lost']) expect(enKeys.has(`status.opportunity.${s}`)).toBe(true);
    const nav = fs.readFileSync(path.join(WEB, 'layout/nav.tsx'), 'utf8');
    for (const m of nav.matchAll(/key: '(\w+)'/g)) expect(enKeys.has(`nav.${m[1]}`)).toBe(true);
  });
});
