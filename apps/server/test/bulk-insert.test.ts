import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkInsertRows, bulkInsertValues, inTx, newId, SYSTEM, type Ctx } from '@openltc/core';
import { DIALECTS, freshDatabase } from '@openltc/testing';

/**
 * The one bulk writer (platform/bulk-insert.ts) on each database: on PostgreSQL a COPY FROM STDIN
 * in the caller's transaction, on SQLite multi-row INSERTs. Nasty values come back exactly; a bad
 * value or a constraint stops the transaction like any statement, and nothing of it stays.
 */
const NASTY = [
  '',
  'a\tb',
  'line 1\nline 2\r\nline 3\r',
  'C:\\new\\table\\N',
  '\\N',
  '\\.',
  '上海某某科技有限公司（华东区）“报价” 😀 € ß',
  ' leading and trailing spaces ',
  '"quoted", comma; semicolon',
  'tab at end\t',
  '\\',
  'x'.repeat(20_000),
];

describe.each(DIALECTS)('bulk insert on %s', (dialect) => {
  let h: Awaited<ReturnType<typeof freshDatabase>>;
  let ctx: Ctx;
  beforeAll(async () => {
    h = await freshDatabase(dialect);
    ctx = { db: h.db, dialect, user: SYSTEM, requestId: 'bulk-insert-test' };
  });
  afterAll(async () => h?.drop());

  const event = (i: number, text: string | null) => ({
    id: newId('evt'),
    occurredAt: '2026-11-23T08:00:00.000Z',
    actorId: null,
    requestId: 'bulk-nasty',
    entityType: 'lead',
    entityId: `lead_${i}`,
    action: 'created',
    before: text,
    after: i % 2 ? '' : `{"n":${i},"t":"a\\tb"}`,
  });

  it('writes tabs, newlines, backslashes, \\N, Chinese, empty strings and nulls and reads them back as given', async () => {
    const rows = [...NASTY.map((t, i) => event(i, t)), event(NASTY.length, null)];
    await inTx(ctx, (tx) => bulkInsertRows(tx, 'events', rows));
    const back = await h.db.selectFrom('events').selectAll().where('requestId', '=', 'bulk-nasty').execute();
    const byId = new Map(back.map((r) => [r.id, r]));
    expect(back.length).toBe(rows.length);
    for (const r of rows) expect(byId.get(r.id)).toEqual(r);
    // The empty string and null stay apart.
    expect(back.filter((r) => r.before === '').length).toBe(1);
    expect(back.filter((r) => r.before === null).length).toBe(1);
  });

  it('takes flat values by SQL column names, integers included, and sees rows written before it in the transaction', async () => {
    const batch = newId('limp');
    await inTx(ctx, async (tx) => {
      await tx.db
        .insertInto('leadImportBatches')
        .values({
          id: batch,
          fileName: 'a.csv',
          format: 'csv',
          encoding: 'utf-8',
          headers: '[]',
          mapping: '{}',
          dedupe: 'skip',
          mode: '{"mode":"none"}',
          status: 'running',
          totalRows: 3,
          processedRows: 0,
          createdCount: 0,
          updatedCount: 0,
          duplicateCount: 0,
          errorCount: 0,
          createdBy: SYSTEM.id,
          createdAt: '2026-11-23T08:00:00.000Z',
          updatedAt: '2026-11-23T08:00:00.000Z',
          version: 1,
        } as never)
        .execute();
      // The issue rows point at the batch (a foreign key): COPY sees the batch of its own transaction.
      await bulkInsertValues(
        tx,
        'lead_import_issues',
        ['id', 'batch_id', 'row_no', 'kind', 'field', 'code', 'message', 'matched_lead_id', 'matched_row_no', 'matched_on'],
        [
          newId('limi'), batch, 2, 'error', 'email', 'invalid', '邮箱格式不正确\t"x@y"', null, null, null,
          newId('limi'), batch, 3, 'duplicate', 'phone', 'duplicate_in_file', 'the same phone as row 2\n', null, 2, 'phone',
          newId('limi'), batch, 2_000_000_000, 'error', '', 'invalid', '', undefined, undefined, undefined,
        ],
      );
    });
    const back = await h.db.selectFrom('leadImportIssues').selectAll().where('batchId', '=', batch).orderBy('rowNo').execute();
    expect(back.map((r) => [Number(r.rowNo), r.field, r.message, r.matchedRowNo === null ? null : Number(r.matchedRowNo), r.matchedOn])).toEqual([
      [2, 'email', '邮箱格式不正确\t"x@y"', null, null],
      [3, 'phone', 'the same phone as row 2\n', 2, 'phone'],
      [2_000_000_000, '', '', null, null],
    ]);
    await expect(inTx(ctx, (tx) => bulkInsertValues(tx, 'events', ['id', 'occurred_at'], ['a', 'b', 'c']))).rejects.toThrow(/do not fill rows/);
  });

  it('a constraint broken by one row fails the statement and the transaction keeps nothing of it', async () => {
    const first = event(1, 'kept?');
    const dup = [event(2, 'x'), event(3, 'y')];
    dup[1]!.id = dup[0]!.id; // the same primary key twice
    await expect(
      inTx(ctx, async (tx) => {
        await bulkInsertRows(tx, 'events', [{ ...first, requestId: 'bulk-rollback' }]);
        await bulkInsertRows(tx, 'events', dup.map((d) => ({ ...d, requestId: 'bulk-rollback' })));
      }),
    ).rejects.toThrow();
    expect(await h.db.selectFrom('events').select('id').where('requestId', '=', 'bulk-rollback').execute()).toEqual([]);
    // The connection is fine afterwards: the next transaction writes.
    await inTx(ctx, (tx) => bulkInsertRows(tx, 'events', [{ ...event(4, 'after'), requestId: 'bulk-after' }]));
    expect((await h.db.selectFrom('events').select('before').where('requestId', '=', 'bulk-after').execute()).map((r) => r.before)).toEqual(['after']);
  });

  it.runIf(dialect === 'postgres')('refuses text with a NUL character before writing anything (PostgreSQL text cannot hold it)', async () => {
    await expect(inTx(ctx, (tx) => bulkInsertRows(tx, 'events', [{ ...event(5, 'nul\0here'), requestId: 'bulk-nul' }]))).rejects.toThrow(
      /column before holds a NUL/,
    );
    expect(await h.db.selectFrom('events').select('id').where('requestId', '=', 'bulk-nul').execute()).toEqual([]);
  });
});
