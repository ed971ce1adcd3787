import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as core from '@openltc/core';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';

/**
 * The fast import path (hand-written row check, compiled scoring, multi-row writes in big chunks)
 * against the row-by-row reference (the API's zod schema on every row, rules interpreted per lead,
 * one transaction per row): on a mixed file both give the same leads, the same `created` events,
 * the same issues and the same error report, on each database.
 */
const HEADER = ['姓名', '公司', '职位', '手机', '邮箱', '地区', '行业', '来源', '员工人数', '备注'];

/** A file with what real files have: good rows, bad cells of every kind, repeats, people already known. */
function mixedFile(existing: Array<{ name: string; company: string; email: string; phone: string }>): string {
  const rows: string[][] = [];
  const good: string[][] = [];
  const sources = ['展会', '官网表单', '转介绍', ''];
  const industries = ['制造业', '互联网', '金融', '教育', ''];
  for (let i = 0; i < 240; i++) {
    const n = String(i).padStart(4, '0');
    let r = [
      `客户${n}`,
      i % 9 === 0 ? '' : `华${i % 37}科技有限公司`,
      i % 4 === 0 ? '' : '采购经理',
      `+86 139 ${n} ${n}`,
      `buyer${i}@client${i % 11}.cn`,
      ['华东', '华南', 'North', ''][i % 4]!,
      industries[i % industries.length]!,
      sources[i % sources.length]!,
      i % 6 === 0 ? '' : String((i * 37) % 2000),
      i % 13 === 0 ? `备注 "引号", 逗号\n换行 ${i}` : '',
    ];
    switch (i % 17) {
      case 1:
        r[4] = `broken${i}@@mail`; // bad email
        break;
      case 2:
        r[0] = ''; // no name
        break;
      case 3:
        r[3] = `tel ${n}!`; // bad phone
        r[4] = 'x@y'; // and a bad email
        break;
      case 4:
        r[0] = '名'.repeat(101); // too long
        break;
      case 5:
        r[9] = '备'.repeat(5001); // notes too long
        break;
      case 6:
        if (good.length) {
          // A repeat of an earlier row: the email in capitals, the phone written another way.
          const p = good[(i * 7) % good.length]!;
          r = [...p];
          r[4] = p[4]!.toUpperCase();
          r[3] = p[3]!.replace('+86 ', '').replace(/ /g, '-');
        }
        break;
      case 7: {
        // Someone already in the database, found by email, phone or company + name.
        const e = existing[i % existing.length]!;
        r = [e.name, e.company, '', '', '', '', '', '', '', ''];
        if (i % 3 === 0) r[4] = e.email.toUpperCase();
        else if (i % 3 === 1) r[3] = e.phone.replace(/\D/g, '');
        break;
      }
      case 8:
        r[1] = ` ${r[1]} `;
        r[0] = ` ${r[0]}\u3000`; // spaces around, a full-width space at the end
        break;
      case 9:
        r[8] = '１,２００'; // full-width digits and a thousands separator
        break;
      default:
        good.push(r);
    }
    rows.push(r);
  }
  const cell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return '\ufeff' + [HEADER, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

describe.each(DIALECTS)('lead import: fast path = row-by-row reference (%s)', (dialect) => {
  let t: TestApp;
  let admin: TestUser, marketing: TestUser, rep: TestUser;
  let ctx: Parameters<typeof core.createLeadImport>[0];
  const existing: Array<{ id: string; name: string; company: string; email: string; phone: string }> = [];

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const team = await t.team('华东 East');
    admin = await t.user('admin', null, 'Admin');
    marketing = await t.user('marketing', null, 'Marketing');
    rep = await t.user('sales_rep', team, 'Rep');
    for (const rule of [
      { name: '展会 +20', field: 'source', operator: 'eq', value: '展会', points: 20 },
      { name: '行业 +10', field: 'industry', operator: 'in', value: ['制造业', '金融'], points: 10 },
      { name: '有邮箱 +5', field: 'email', operator: 'present', points: 5 },
      { name: '≥ 500 人 +15', field: 'customFields.employees', operator: 'gte', value: 500, points: 15 },
      { name: '停用', field: 'region', operator: 'present', points: 40, active: false },
    ])
      await ok(t.as(admin, 'POST', '/api/v1/lead-scoring/rules', rule), 201);
    for (let i = 0; i < 6; i++) {
      const e = {
        name: `老客户${i}`,
        company: `旧识${i}股份有限公司`,
        email: `old${i}@known.cn`,
        phone: `021-6200 00${i}${i}`,
      };
      const l = await ok(t.as(rep, 'POST', '/api/v1/leads', e), 201);
      existing.push({ ...e, id: l.id });
    }
    ctx = {
      db: t.handle.db,
      dialect: t.handle.dialect,
      user: (await core.principalFor(t.handle.db, marketing.id, 'session'))!,
      requestId: 'parity',
    };
  });
  afterAll(() => t.stop());

  /** Everything an import leaves, with its own lead ids replaced by their file rows (ids differ per run). */
  async function outcome(batchId: string) {
    const leads = await t.handle.db
      .selectFrom('leads')
      .selectAll()
      .where('importBatchId', '=', batchId)
      .orderBy('importRowNo')
      .execute();
    const rowOf = new Map(leads.map((l) => [l.id, `row ${l.importRowNo}`]));
    const strip = (s: string) => s.replace(/lead_[0-9A-Z]{26}/g, (id) => rowOf.get(id) ?? id);
    const events = await t.handle.db
      .selectFrom('events')
      .selectAll()
      .where('requestId', '=', batchId)
      .where('entityType', '=', 'lead')
      .orderBy('id')
      .execute();
    const issues = await t.handle.db
      .selectFrom('leadImportIssues')
      .select(['rowNo', 'kind', 'field', 'code', 'message', 'matchedLeadId', 'matchedRowNo', 'matchedOn'])
      .where('batchId', '=', batchId)
      .orderBy('rowNo')
      .orderBy('kind')
      .orderBy('field')
      .execute();
    const batch = await core.getLeadImport(ctx, batchId);
    const report = await core.leadImportErrorReport(ctx, batchId);
    return {
      counts: {
        status: batch.status,
        processedRows: batch.processedRows,
        created: batch.created,
        duplicates: batch.duplicates,
        errors: batch.errors,
        updated: batch.updated,
      },
      leads: leads.map(({ id: _id, createdAt: _c, updatedAt: _u, importBatchId, ...l }) => {
        expect(importBatchId).toBe(batchId);
        return l;
      }),
      events: events.map((e) => {
        expect(e.occurredAt).toBe(JSON.parse(e.after!).createdAt);
        return {
          entity: rowOf.get(e.entityId),
          action: e.action,
          actorId: e.actorId,
          before: e.before,
          after: strip(e.after!.replaceAll(batchId, 'BATCH').replaceAll(e.occurredAt, 'NOW')),
        };
      }),
      issues: issues.map((i) => ({ ...i, matchedLeadId: i.matchedLeadId && strip(i.matchedLeadId) })),
      report: strip(report.csv),
    };
  }

  async function importAndForget(file: string, opts: NonNullable<Parameters<typeof core.runLeadImport>[2]>) {
    const b = await core.createLeadImport(
      ctx,
      { fileName: 'mixed.csv', content: Buffer.from(file).toString('base64') },
      { ...opts, inlineMaxRows: Number.MAX_SAFE_INTEGER },
    );
    const o = await outcome(b.id);
    // Leave the database as it was, so the next run meets the same existing leads.
    await t.handle.db.deleteFrom('leads').where('importBatchId', '=', b.id).execute();
    return o;
  }

  it('gives the same leads, events, issues and error report on a mixed file', async () => {
    const file = mixedFile(existing);
    const fast = await importAndForget(file, {});
    const reference = await importAndForget(file, { rowByRow: true });
    const smallChunks = await importAndForget(file, { chunkSize: 7 });

    // The file is mixed as meant: every outcome occurs, and the scores vary.
    expect(fast.counts).toMatchObject({ status: 'done', processedRows: 240, updated: 0 });
    expect(fast.counts.created).toBeGreaterThan(120);
    expect(fast.counts.errors).toBeGreaterThan(30);
    const codes = new Set(fast.issues.map((i) => `${i.kind}:${i.code}:${i.field}`));
    for (const c of [
      'error:invalid:email',
      'error:invalid:name',
      'error:invalid:phone',
      'error:invalid:notes',
      'duplicate:duplicate_in_file:email',
      'duplicate:duplicate_existing:email',
      'duplicate:duplicate_existing:phone',
      'duplicate:duplicate_existing:company',
    ])
      expect(codes, c).toContain(c);
    expect(new Set(fast.leads.map((l) => l.score)).size).toBeGreaterThan(4);
    expect(fast.leads.some((l) => JSON.parse(l.customFields).employees === '１,２００')).toBe(true);
    expect(fast.events).toHaveLength(fast.counts.created);
    expect(fast.report.split('\r\n').length).toBeGreaterThan(fast.counts.errors);

    expect(reference).toEqual(fast);
    expect(smallChunks).toEqual(fast);
  });

  it('gives a bad row the messages the API gives for the same cells', async () => {
    const file = mixedFile(existing);
    const b = await core.createLeadImport(
      ctx,
      { fileName: 'api.csv', content: Buffer.from(file).toString('base64') },
      { inlineMaxRows: Number.MAX_SAFE_INTEGER },
    );
    const errs = await core.listLeadImportIssues(ctx, b.id, { kind: 'error', limit: 1000 });
    const row = errs.items.find((i) => i.field === 'phone')!.rowNo;
    const byField = errs.items.filter((i) => i.rowNo === row).map((i) => [i.field, i.message]);
    const cells = file.split('\r\n')[row - 1]!.split(',');
    const api = await t.as(marketing, 'POST', '/api/v1/leads', {
      name: cells[0],
      phone: cells[3],
      email: cells[4],
    });
    expect(api.statusCode).toBe(422);
    expect(
      api
        .json()
        .errors.map((e: any) => [e.path, e.message])
        .sort(),
    ).toEqual(byField.sort());
    await t.handle.db.deleteFrom('leads').where('importBatchId', '=', b.id).execute();
  });
});
