import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@openltc/db';
import * as core from '@openltc/core';
import { DIALECTS, freshDatabase } from '@openltc/testing';

/**
 * The import's dedupe keys in the database (migration 023, leads/import/dedupe-index.ts): triggers list
 * the leads written or changed outside an import, the import keys them before it looks its chunk's
 * keys up by index; a lead changed through the API is found by its new keys and no longer by its old
 * ones; a deleted lead's keys go with it; the lookups use the key indexes.
 */
describe.each(DIALECTS)('lead dedupe keys on %s', (dialect) => {
  let h: Awaited<ReturnType<typeof freshDatabase>>;
  let ctx: core.Ctx;
  beforeAll(async () => {
    h = await freshDatabase(dialect);
    ctx = { db: h.db, dialect, user: core.SYSTEM, requestId: 'dedupe-index-test' };
  });
  afterAll(async () => h?.drop());

  const importCsv = (csv: string) =>
    core.createLeadImport(ctx, { fileName: 'a.csv', content: Buffer.from(csv).toString('base64'), dedupe: 'skip', assignment: { mode: 'none' } });
  const dirty = async () => (await h.db.selectFrom('leadDedupeDirty').select('leadId').execute()).map((r) => r.leadId);

  it('keys leads written outside an import, follows their changes and forgets deleted ones', async () => {
    const a = await core.createLead(ctx, { name: '张伟', company: '上海远航科技有限公司', email: 'Zhang.Wei@Yuanhang.CN', phone: '+86 139 0000 0001' });
    const b = await core.createLead(ctx, { name: 'Li Na', email: 'li.na@example.com' });
    expect((await dirty()).sort()).toEqual([a.id, b.id].sort());

    // A file: row 2 is 张伟 by phone written another way, row 3 Li Na by email in capitals, row 4 is new.
    const first = await importCsv(
      '姓名,公司,手机,邮箱\n张伟,,139-0000-0001,\nLi Na,,,LI.NA@EXAMPLE.COM\n王芳,杭州云帆有限公司,,wang.fang@yunfan.cn\n',
    );
    expect([first.created, first.duplicates]).toEqual([1, 2]);
    expect(await dirty()).toEqual([]);
    const keys = await h.db.selectFrom('leadDedupeKeys').selectAll().orderBy('leadId').execute();
    expect(keys.find((k) => k.leadId === a.id)).toEqual({ leadId: a.id, emailKey: 'zhang.wei@yuanhang.cn', phoneKey: '13900000001', personKey: '上海远航科技|张伟' });
    // The imported lead's keys were written by the import itself, not listed by the trigger.
    const wang = await h.db.selectFrom('leads').select('id').where('name', '=', '王芳').executeTakeFirstOrThrow();
    expect(keys.find((k) => k.leadId === wang.id)?.emailKey).toBe('wang.fang@yunfan.cn');

    // Li Na changes her email through the API: the next import matches the new one, not the old one.
    await core.updateLead(ctx, b.id, { email: 'nali@newmail.cn' });
    expect(await dirty()).toEqual([b.id]);
    // A change that does not touch a key column leaves the keys alone.
    await core.updateLead(ctx, a.id, { title: '采购总监' });
    expect(await dirty()).toEqual([b.id]);
    const second = await importCsv('姓名,邮箱\nLi Na,li.na@example.com\nNa Li,NaLi@NewMail.cn\n');
    expect([second.created, second.duplicates]).toEqual([1, 1]);
    const issues = await core.listLeadImportIssues(ctx, second.id);
    expect(JSON.stringify(issues)).toContain(b.id);

    // Deleting a lead deletes its keys (and any listing).
    await h.db.deleteFrom('leadDedupeKeys').where('leadId', '=', wang.id).execute();
    await h.db.insertInto('leadDedupeKeys').values({ leadId: wang.id, emailKey: 'wang.fang@yunfan.cn', phoneKey: null, personKey: null }).execute();
    await h.db.deleteFrom('events').where('entityId', '=', wang.id).execute();
    await h.db.deleteFrom('leads').where('id', '=', wang.id).execute();
    expect(await h.db.selectFrom('leadDedupeKeys').select('leadId').where('leadId', '=', wang.id).execute()).toEqual([]);
    const third = await importCsv('姓名,邮箱\n王芳,wang.fang@yunfan.cn\n');
    expect(third.created).toBe(1);
  });

  it('looks keys up through their indexes', async () => {
    if (dialect === 'sqlite') {
      for (const col of ['email_key', 'phone_key', 'person_key']) {
        const plan = await sql
          .raw<{ detail: string }>(
            `explain query plan select k.lead_id from lead_dedupe_keys k join leads l on l.id = k.lead_id where k.${col} in ('a', 'b')`,
          )
          .execute(h.db);
        expect(plan.rows.map((r) => r.detail).join(' | ')).toMatch(new RegExp(`USING (COVERING )?INDEX lead_dedupe_keys_${col}_idx`));
      }
    } else {
      const idx = await sql<{ indexname: string }>`select indexname from pg_indexes where tablename = 'lead_dedupe_keys' order by indexname`.execute(h.db);
      expect(idx.rows.map((r) => r.indexname)).toEqual(['lead_dedupe_keys_email_key_idx', 'lead_dedupe_keys_person_key_idx', 'lead_dedupe_keys_phone_key_idx', 'lead_dedupe_keys_pkey']);
      // The test table is tiny, so the planner would scan it whatever the indexes: ask it for an index.
      const plan = await h.db.transaction().execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        return sql<{ 'QUERY PLAN': string }>`explain select lead_id from lead_dedupe_keys where email_key in ('a', 'b')`.execute(trx);
      });
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/lead_dedupe_keys_email_key_idx/);
    }
  });
});
