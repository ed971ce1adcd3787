import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DIALECTS, TestApp, freshDatabase, ok, type TestUser } from '@openltc/testing';
import { DOCUMENTS } from '@openltc/core';

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Lists order by (column, id); a nullable column needs the null-aware order, so every sortable
 * column must either be NOT NULL in the schema or be declared in `nullableSort`.
 */
describe('sortable columns and nulls', () => {
  it('every sortable column not declared nullable is NOT NULL in the schema', async () => {
    const h = await freshDatabase('sqlite');
    try {
      for (const [type, def] of Object.entries(DOCUMENTS)) {
        const cols = await sql<{ name: string; notnull: number; pk: number }>`select name, "notnull", pk from pragma_table_info(${snake(def.table)})`.execute(h.db.withoutPlugins());
        const notNull = new Set(cols.rows.filter((c) => c.notnull || c.pk).map((c) => c.name));
        for (const col of Object.values(def.sortable)) {
          if (def.nullableSort?.includes(col)) continue;
          expect(notNull.has(snake(col)), `${type}.${col} may be null: add it to nullableSort`).toBe(true);
        }
      }
    } finally {
      await h.drop();
    }
  });
});

describe.each(DIALECTS)('paging through a nullable sort column (%s)', (dialect) => {
  let t: TestApp;
  let rep: TestUser;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
    rep = await t.user('sales_rep', await t.team('East'), 'Rep');
    for (const [i, company] of ['Beta', null, 'Alpha', null, 'Beta', 'Gamma', null].entries())
      await ok(t.as(rep, 'POST', '/api/v1/leads', { name: `N${i}`, company, source: 'nulls' }), 201);
  });
  afterAll(() => t.stop());

  for (const sort of ['company', '-company'])
    it(`sort=${sort}: every row exactly once, values in order, nulls last`, async () => {
      const seen: Array<[string, string | null]> = [];
      let cursor: string | null = null;
      do {
        const page: any = await ok(t.as(rep, 'GET', `/api/v1/leads?source=nulls&sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`));
        seen.push(...page.items.map((l: any) => [l.name, l.company] as [string, string | null]));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.map(([n]) => n).sort()).toEqual(['N0', 'N1', 'N2', 'N3', 'N4', 'N5', 'N6']);
      const values = seen.map(([, c]) => c);
      const nonNull = values.filter((v): v is string => v !== null);
      expect(values.slice(nonNull.length)).toEqual([null, null, null]);
      const sorted = [...nonNull].sort();
      expect(nonNull).toEqual(sort.startsWith('-') ? sorted.reverse() : sorted);
    });
});
