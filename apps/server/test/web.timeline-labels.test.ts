// Every field name a record's timeline can show has a label in both languages, and amounts show as
// money. The names are walked from what the server writes into events: every column of the records
// that have a timeline (an edit's diff may name any of them) and the before/after payloads of all
// events of a demo company (lifecycle steps add their own fields: hold reasons, transaction prices,
// allocations…) — of the records whose timeline the web app shows. A field the server starts writing without a label fails here, not on a screen.
// SQLite only: the field names do not depend on the database.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp } from '@openltc/testing';
import { DOCUMENTS } from '@openltc/core';
import { loadDemoData } from '../src/demo/demo.ts';
import { currenciesOf, fieldLabelIn, valueKind } from '../../web/src/components/timelineFields.ts';

const WEB = path.resolve(import.meta.dirname, '../../web/src');
const locale = (name: string) => JSON.parse(fs.readFileSync(path.join(WEB, 'i18n', `${name}.json`), 'utf8')) as Record<string, unknown>;
/** Never written to the event log (platform/events.ts HIDDEN). */
const NOT_LOGGED = new Set(['passwordHash', 'tokenHash', 'updatedAt', 'version']);
const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

describe('timeline field labels', () => {
  let t: TestApp;
  /** Field name → where it was seen (table column or entity type of an event). */
  const fields = new Map<string, Set<string>>();
  const seen = (field: string, where: string) => {
    if (NOT_LOGGED.has(field)) return;
    if (!fields.has(field)) fields.set(field, new Set());
    fields.get(field)!.add(where);
  };
  /** Event actions a timeline shows (its heading per event). */
  const actions = new Set<string>();

  beforeAll(async () => {
    t = await TestApp.start('sqlite');
    const db = t.handle;
    await loadDemoData(db, { leads: 400 });
    const tables = [...new Set(Object.values(DOCUMENTS).map((d) => d.table as string)), 'activities'];
    for (const table of tables) {
      const snake = table.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      const cols = await sql<{ name: string }>`select name from pragma_table_info(${snake})`.execute(db.db);
      expect(cols.rows.length, `table ${snake}`).toBeGreaterThan(0);
      for (const c of cols.rows) seen(camel(c.name), `column of ${snake}`);
    }
    // The events a timeline shows: those of the records the timeline endpoint serves.
    const entities = [...Object.values(DOCUMENTS).map((d) => d.entity as string), 'activity'];
    const events = await db.db.selectFrom('events').select(['entityType', 'action', 'before', 'after']).where('entityType', 'in', entities).execute();
    expect(events.length).toBeGreaterThan(1000);
    for (const e of events) actions.add(e.action);
    for (const e of events)
      for (const half of [e.before, e.after]) if (half) for (const k of Object.keys(JSON.parse(half) as object)) seen(k, `${e.entityType} ${e.action}`);
  }, 300_000);
  afterAll(() => t?.stop());

  it('walks the fields of every kind of record and event', () => {
    // The walk is not empty and reaches the fields lifecycle steps add (not only table columns).
    expect(fields.size).toBeGreaterThan(130);
    for (const f of ['transactionPriceMinor', 'holdReason', 'amountMinor', 'stageId', 'probability']) expect(fields.has(f), f).toBe(true);
  });

  for (const lng of ['en', 'zh-CN']) {
    it(`has a label for every field in ${lng}`, () => {
      const res = locale(lng);
      const missing = [...fields].filter(([f]) => !fieldLabelIn(res, f)).map(([f, where]) => `${f} (${[...where].slice(0, 3).join(', ')})`);
      expect(missing).toEqual([]);
    });
  }

  for (const lng of ['en', 'zh-CN']) {
    it(`names every event action in ${lng}`, () => {
      const res = locale(lng) as { timeline: { action: Record<string, string> }; activities: { timeline?: Record<string, string> } };
      expect(actions.size).toBeGreaterThan(20);
      const missing = [...actions].filter((a) => !res.timeline.action[a] && !res.activities.timeline?.[a]);
      expect(missing).toEqual([]);
    });
  }

  it('labels differ between the languages where the word does', () => {
    const en = locale('en');
    const zh = locale('zh-CN');
    // A Chinese label that is the English one is an untranslated copy (IDs and codes aside).
    const same = [...fields.keys()].filter((f) => fieldLabelIn(en, f) === fieldLabelIn(zh, f) && !/^(ID|SKU)$/i.test(fieldLabelIn(en, f) ?? ''));
    expect(same).toEqual([]);
  });

  it('shows every amount field as money, in the currency of its record', () => {
    const amounts = [...fields.keys()].filter((f) => f.endsWith('Minor'));
    expect(amounts.length).toBeGreaterThan(10);
    for (const f of amounts) expect(valueKind(f, 123_456), f).toBe('money');
    expect(valueKind('transactionPriceMinor', 21_960_000)).toBe('money');
    expect(valueKind('dueDate', '2026-11-30')).toBe('date');
    expect(valueKind('reversedOn', '2026-11-30')).toBe('date');
    expect(valueKind('confirmedAt', '2026-11-22T08:50:00.000Z')).toBe('dateTime');
    expect(valueKind('probability', 25)).toBe('percent');
    expect(valueKind('discountRate', '0.08')).toBe('rate');
    expect(valueKind('ownerId', 'usr_1')).toBe('user');
    expect(valueKind('accountId', 'acc_1')).toBe('record');
    expect(valueKind('holdReason', null)).toBe('empty');
    // A USD order's later events (which do not repeat the currency) are still in USD.
    expect(currenciesOf([{ before: null, after: { currency: 'USD', totalMinor: 1 } }, { before: { status: 'draft' }, after: { status: 'confirmed' } }, { before: null, after: { transactionPriceMinor: 5 } }])).toEqual(['USD', 'USD', 'USD']);
    expect(currenciesOf([{ before: null, after: { status: 'new' } }])).toEqual(['CNY']);
  });
});
