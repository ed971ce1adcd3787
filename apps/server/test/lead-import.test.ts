import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import * as core from '@openltc/core';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';

const b64 = (text: string | Uint8Array) => Buffer.from(text).toString('base64');
const csv = (rows: string[][]) => rows.map((r) => r.join(',')).join('\r\n') + '\r\n';

/** Lead import: validation per row and field, dedupe in the file and against the database, update mode, resume, permissions. */
describe.each(DIALECTS)('lead import (%s)', (dialect) => {
  let t: TestApp;
  let admin: TestUser, marketing: TestUser, rep: TestUser, finance: TestUser, manager: TestUser;

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const team = await t.team('华东 East');
    admin = await t.user('admin', null, 'Admin');
    marketing = await t.user('marketing', null, 'Marketing');
    rep = await t.user('sales_rep', team, 'Rep');
    manager = await t.user('sales_manager', team, 'Manager');
    finance = await t.user('finance', null, 'Finance');
    await ok(
      t.as(admin, 'POST', '/api/v1/lead-scoring/rules', {
        name: '展会 +20',
        field: 'source',
        operator: 'eq',
        value: '展会',
        points: 20,
      }),
      201,
    );
    await ok(
      t.as(admin, 'POST', '/api/v1/lead-scoring/rules', {
        name: 'email +5',
        field: 'email',
        operator: 'present',
        points: 5,
      }),
      201,
    );
  });
  afterAll(() => t.stop());

  const leadsOf = (batchId: string) =>
    t.handle.db
      .selectFrom('leads')
      .selectAll()
      .where('importBatchId', '=', batchId)
      .orderBy('importRowNo')
      .execute();

  it('lets marketing and administrators import, nobody else', async () => {
    const body = { fileName: 'a.csv', content: b64('姓名\n张三\n') };
    for (const u of [rep, manager, finance]) {
      expect((await t.as(u, 'POST', '/api/v1/leads/imports', body)).statusCode, u.role).toBe(403);
      expect((await t.as(u, 'POST', '/api/v1/leads/imports/preview', body)).statusCode, u.role).toBe(403);
      expect((await t.as(u, 'GET', '/api/v1/leads/imports')).statusCode, u.role).toBe(403);
    }
    const b = await ok(t.as(marketing, 'POST', '/api/v1/leads/imports', body), 201);
    expect(b).toMatchObject({ status: 'done', created: 1, errors: 0, duplicates: 0 });
    expect((await t.as(rep, 'GET', `/api/v1/leads/imports/${b.id}`)).statusCode).toBe(403);
    expect((await t.as(rep, 'GET', `/api/v1/leads/imports/${b.id}/errors.csv`)).statusCode).toBe(403);
    // Owned by the importer by default.
    expect((await leadsOf(b.id))[0]!.ownerId).toBe(marketing.id);
  });

  it('previews a file: headers, guessed mapping, first rows, encoding', async () => {
    const p = await ok(
      t.as(marketing, 'POST', '/api/v1/leads/imports/preview', {
        fileName: 'x.csv',
        content: b64('\ufeff姓名,公司,手机,邮箱,来源,微信\n李四,云栈,13800000000,li@x.cn,展会,li4\n'),
      }),
    );
    expect(p).toMatchObject({
      format: 'csv',
      encoding: 'utf-8',
      headers: ['姓名', '公司', '手机', '邮箱', '来源', '微信'],
      mapping: { 姓名: 'name', 公司: 'company', 手机: 'phone', 邮箱: 'email', 来源: 'source', 微信: null },
      totalRows: 1,
      sample: [['李四', '云栈', '13800000000', 'li@x.cn', '展会', 'li4']],
    });
  });

  it('validates every row like the API, imports the good ones, and reports errors per row and field', async () => {
    const file = csv([
      ['姓名', '公司', '手机', '邮箱', '来源', '行业'],
      ['王伟', '星河制造有限公司', '+86 139-1111-0001', 'wang.wei@xinghe.cn', '展会', '制造业'],
      ['', '无名公司', '13911110002', 'noname@x.cn', '官网', ''],
      ['赵敏', '', 'not-a-phone!', 'zhao@@x', '', ''],
      ['钱多', '钱氏集团', '13911110004', '', '展会', ''],
    ]);
    const b = await ok(
      t.as(marketing, 'POST', '/api/v1/leads/imports', { fileName: '展会线索.csv', content: b64(file) }),
      201,
    );
    expect(b).toMatchObject({
      status: 'done',
      totalRows: 4,
      processedRows: 4,
      created: 2,
      errors: 2,
      duplicates: 0,
    });
    const leads = await leadsOf(b.id);
    expect(leads.map((l) => [l.importRowNo, l.name, l.score])).toEqual([
      [2, '王伟', 25],
      [5, '钱多', 20],
    ]);
    expect(JSON.parse(leads[0]!.scoreReasons).map((r: any) => r.name)).toEqual(['展会 +20', 'email +5']);
    const dto = await ok(t.as(marketing, 'GET', `/api/v1/leads/${leads[0]!.id}`));
    expect(dto).toMatchObject({ importBatchId: b.id, importRowNo: 2, score: 25 });

    const issues = await ok(t.as(marketing, 'GET', `/api/v1/leads/imports/${b.id}/issues?kind=error`));
    expect(issues.items.map((i: any) => [i.rowNo, i.field])).toEqual([
      [3, 'name'],
      [4, 'email'],
      [4, 'phone'],
    ]);
    // The same messages the API gives for the same input.
    const api = await t.as(marketing, 'POST', '/api/v1/leads', {
      name: '赵敏',
      phone: 'not-a-phone!',
      email: 'zhao@@x',
    });
    const apiErrors = api
      .json()
      .errors.map((e: any) => [e.path, e.message])
      .sort();
    expect(issues.items.filter((i: any) => i.rowNo === 4).map((i: any) => [i.field, i.message])).toEqual(
      apiErrors,
    );

    // Each imported lead has a created event whose source is the batch; the batch has its own events.
    const ev = await t.handle.db
      .selectFrom('events')
      .selectAll()
      .where('entityId', '=', leads[0]!.id)
      .execute();
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({
      action: 'created',
      requestId: b.id,
      actorId: marketing.id,
      entityType: 'lead',
    });
    expect(JSON.parse(ev[0]!.after!)).toMatchObject({
      importBatchId: b.id,
      importRowNo: 2,
      name: '王伟',
      score: 25,
    });
    const bev = await t.handle.db
      .selectFrom('events')
      .select('action')
      .where('entityId', '=', b.id)
      .orderBy('id')
      .execute();
    expect(bev.map((e) => e.action)).toEqual(['created', 'completed']);

    // The error report: the rows not imported, with their cells, row number and problems.
    const rep = await t.as(marketing, 'GET', `/api/v1/leads/imports/${b.id}/errors.csv`);
    expect(rep.statusCode).toBe(200);
    expect(rep.headers['content-type']).toContain('text/csv');
    expect(rep.body.startsWith('\ufeff姓名,公司,手机,邮箱,来源,行业,行号 row')).toBe(true);
    const lines = rep.body.trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(',无名公司,13911110002,noname@x.cn,官网,,3,error,');
    expect(lines[2]).toMatch(/^赵敏,,not-a-phone!,zhao@@x,,,4,error,"?邮箱 \(email\): .+; 手机 \(phone\): /);
    // The report can be fixed and imported again: its extra columns are not mapped.
    const again = await ok(
      t.as(marketing, 'POST', '/api/v1/leads/imports/preview', { fileName: 'r.csv', content: b64(rep.body) }),
    );
    expect(again.mapping['问题 problems']).toBeNull();
  });

  it('finds duplicates within the file and against existing leads, on normalized email, phone and company + name', async () => {
    const existing = await ok(
      t.as(rep, 'POST', '/api/v1/leads', {
        name: '孙立',
        company: '蓝海科技有限公司',
        phone: '021-6234 5678',
        email: 'Sun.Li@LanHai.cn',
      }),
      201,
    );
    const file = csv([
      ['Name', 'Company', 'Mobile', 'Email'],
      ['Sun Li', 'Other', '', 'sun.li@lanhai.cn'], // email of the existing lead, other case
      ['孙立', '蓝海科技（有限公司）', '', ''], // company + name of the existing lead
      ['周杰', '新公司', '+86 138 0013 8000', 'zhou@new.cn'],
      ['周杰 2', '', '8613800138000', ''], // same phone as row 4, other format
      ['吴用', '', '02162345678', ''], // phone of the existing lead
      ['郑和', '蓝海科技有限公司', '', 'zheng@lanhai.cn'], // same company, another person: not a duplicate
    ]);
    const b = await ok(
      t.as(admin, 'POST', '/api/v1/leads/imports', { fileName: 'dupes.csv', content: b64(file) }),
      201,
    );
    expect(b).toMatchObject({ created: 2, duplicates: 4, errors: 0, updated: 0 });
    expect((await leadsOf(b.id)).map((l) => l.name)).toEqual(['周杰', '郑和']);
    const d = await ok(t.as(admin, 'GET', `/api/v1/leads/imports/${b.id}/issues?kind=duplicate`));
    expect(
      d.items.map((i: any) => [i.rowNo, i.code, i.matchedOn, i.matchedLead?.id ?? null, i.matchedRowNo]),
    ).toEqual([
      [2, 'duplicate_existing', 'email', existing.id, null],
      [3, 'duplicate_existing', 'company', existing.id, null],
      [5, 'duplicate_in_file', 'phone', (await leadsOf(b.id))[0]!.id, 4],
      [6, 'duplicate_existing', 'phone', existing.id, null],
    ]);
    expect(d.items[0].matchedLead).toMatchObject({ name: '孙立', company: '蓝海科技有限公司' });
  });

  it('update mode fills the matching lead from the row, scores it again and records an updated event from the batch', async () => {
    const lead = await ok(t.as(rep, 'POST', '/api/v1/leads', { name: '冯宁', phone: '13700001111' }), 201);
    expect(lead.score).toBe(0);
    const conv = await ok(t.as(rep, 'POST', '/api/v1/leads', { name: '陈静', email: 'chen@conv.cn' }), 201);
    await ok(t.as(rep, 'POST', `/api/v1/leads/${conv.id}/qualify`, {}));
    await ok(t.as(rep, 'POST', `/api/v1/leads/${conv.id}/convert`, { createOpportunity: false }));
    const file = csv([
      ['姓名', '手机', '邮箱', '来源', '公司'],
      ['冯宁', '+86 137 0000 1111', 'feng@x.cn', '展会', ''],
      ['陈静', '', 'chen@conv.cn', '展会', '转化公司'],
      ['冯宁', '13700001111', '', '', '另一家'], // matches the lead the row above updated: a duplicate in the file
    ]);
    const b = await ok(
      t.as(marketing, 'POST', '/api/v1/leads/imports', {
        fileName: 'update.csv',
        content: b64(file),
        dedupe: 'update',
      }),
      201,
    );
    expect(b).toMatchObject({ created: 0, updated: 1, duplicates: 2, errors: 0 });
    const after = await ok(t.as(rep, 'GET', `/api/v1/leads/${lead.id}`));
    expect(after).toMatchObject({
      email: 'feng@x.cn',
      source: '展会',
      phone: '13700001111',
      score: 25,
      version: 2,
      ownerId: rep.id,
    });
    const ev = await t.handle.db
      .selectFrom('events')
      .selectAll()
      .where('entityId', '=', lead.id)
      .where('action', '=', 'updated')
      .execute();
    expect(ev).toHaveLength(1);
    expect(ev[0]!.requestId).toBe(b.id);
    expect(JSON.parse(ev[0]!.before!)).toMatchObject({ email: null, source: null, score: 0 });
    expect(JSON.parse(ev[0]!.after!)).toMatchObject({
      email: 'feng@x.cn',
      source: '展会',
      score: 25,
      importBatchId: b.id,
      importRowNo: 2,
    });
    const issues = await ok(t.as(marketing, 'GET', `/api/v1/leads/imports/${b.id}/issues`));
    expect(issues.items.map((i: any) => [i.rowNo, i.kind, i.code])).toEqual([
      [2, 'updated', 'updated'],
      [3, 'duplicate', 'duplicate_converted'],
      [4, 'duplicate', 'duplicate_in_file'],
    ]);
    expect((await ok(t.as(rep, 'GET', `/api/v1/leads/${conv.id}`))).company).toBeNull();
  });

  it('reads GBK and Excel files, refuses unusable mappings and old .xls files', async () => {
    // "姓名,公司\n张三丰,武当\n" in GBK.
    const gbk = Uint8Array.from([
      0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xb9, 0xab, 0xcb, 0xbe, 0x0a, 0xd5, 0xc5, 0xc8, 0xfd, 0xb7, 0xe1, 0x2c,
      0xce, 0xe4, 0xb5, 0xb1, 0x0a,
    ]);
    const g = await ok(
      t.as(marketing, 'POST', '/api/v1/leads/imports', { fileName: 'gbk.csv', content: b64(gbk) }),
      201,
    );
    expect(g).toMatchObject({ encoding: 'gb18030', created: 1 });
    expect((await leadsOf(g.id))[0]).toMatchObject({ name: '张三丰', company: '武当' });

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('线索');
    ws.addRow(['姓名', '公司', '员工人数', '邮箱']);
    ws.addRow(['欧阳锋', '白驼山庄', 800, { text: 'oy@bt.cn', hyperlink: 'mailto:oy@bt.cn' }]);
    const x = await ok(
      t.as(marketing, 'POST', '/api/v1/leads/imports', {
        fileName: 'leads.xlsx',
        content: b64(new Uint8Array(await wb.xlsx.writeBuffer())),
      }),
      201,
    );
    expect(x).toMatchObject({ format: 'xlsx', created: 1, errors: 0 });
    const l = (await leadsOf(x.id))[0]!;
    expect([l.name, l.email, JSON.parse(l.customFields)]).toEqual([
      '欧阳锋',
      'oy@bt.cn',
      { employees: '800' },
    ]);

    const noName = await t.as(marketing, 'POST', '/api/v1/leads/imports', {
      fileName: 'n.csv',
      content: b64('公司\n云栈\n'),
    });
    expect(noName.statusCode).toBe(422);
    expect(noName.json().errors[0].code).toBe('name_unmapped');
    const twice = await t.as(marketing, 'POST', '/api/v1/leads/imports', {
      fileName: 'n.csv',
      content: b64('A,B\nx,y\n'),
      mapping: { A: 'name', B: 'name' },
    });
    expect(twice.json().errors.map((e: any) => e.code)).toEqual(['mapped_twice']);
    const unknown = await t.as(marketing, 'POST', '/api/v1/leads/imports', {
      fileName: 'n.csv',
      content: b64('A\nx\n'),
      mapping: { A: 'passwordHash' },
    });
    expect(unknown.statusCode).toBe(422);
    const xls = await t.as(marketing, 'POST', '/api/v1/leads/imports', {
      fileName: 'old.xls',
      content: b64(Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2])),
    });
    expect(xls.json().errors[0].code).toBe('unsupported_format');
    const before = await t.handle.db
      .selectFrom('leadImportBatches')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(before.n)).toBeGreaterThan(0);
  });

  it('runs a big file in the worker with progress visible, and assigns round robin', async () => {
    const rows = [['姓名', '邮箱']];
    for (let i = 0; i < core.INLINE_MAX_ROWS + 5; i++) rows.push([`批量 ${i}`, `bulk${i}@big.cn`]);
    const res = await t.as(marketing, 'POST', '/api/v1/leads/imports', {
      fileName: 'big.csv',
      content: b64(csv(rows)),
      assignment: { mode: 'round_robin', userIds: [rep.id, manager.id] },
    });
    expect(res.statusCode).toBe(202);
    expect(res.headers.location).toBe(`/api/v1/leads/imports/${res.json().id}`);
    const pending = await ok(t.as(marketing, 'GET', `/api/v1/leads/imports/${res.json().id}`));
    expect(pending).toMatchObject({ status: 'pending', processedRows: 0, job: { status: 'pending' } });
    const w = new core.Worker({
      db: t.handle.db,
      dialect: t.handle.dialect,
      handlers: { [core.IMPORT_JOB]: core.leadImportJobHandler(t.handle) },
    });
    expect((await w.runOnce()).done).toBe(1);
    const done = await ok(t.as(marketing, 'GET', `/api/v1/leads/imports/${res.json().id}`));
    expect(done).toMatchObject({
      status: 'done',
      processedRows: rows.length - 1,
      created: rows.length - 1,
      job: { status: 'done' },
    });
    const leads = await leadsOf(done.id);
    expect(leads[0]!.ownerId).toBe(rep.id); // row 2
    expect(leads[1]!.ownerId).toBe(manager.id);
    expect(leads[0]!.teamId).toBe(rep.teamId);
    // The rep sees the leads assigned to them.
    const mine = await ok(t.as(rep, 'GET', `/api/v1/leads?q=bulk1@big.cn&limit=5`));
    expect(mine.items.length).toBeGreaterThan(0);
  });

  it('shows an import whose job died as failed, and a retried job finishes it', async () => {
    const ctx = {
      db: t.handle.db,
      dialect: t.handle.dialect,
      user: (await core.principalFor(t.handle.db, marketing.id, 'session'))!,
      requestId: 'test',
    };
    const b = await core.createLeadImport(
      ctx,
      { fileName: 'dead.csv', content: b64('姓名\n死信 A\n死信 B\n') },
      { inlineMaxRows: 0 },
    );
    await t.handle.db
      .updateTable('jobs')
      .set({ status: 'dead', lastError: 'database unreachable' })
      .where('id', '=', b.job!.id)
      .execute();
    expect(await ok(t.as(marketing, 'GET', `/api/v1/leads/imports/${b.id}`))).toMatchObject({
      status: 'failed',
      failure: 'database unreachable',
      processedRows: 0,
    });
    await ok(t.as(admin, 'POST', `/api/v1/jobs/${b.job!.id}/retry`, {}));
    const w = new core.Worker({
      db: t.handle.db,
      dialect: t.handle.dialect,
      handlers: { [core.IMPORT_JOB]: core.leadImportJobHandler(t.handle) },
    });
    await w.runOnce();
    expect(await ok(t.as(marketing, 'GET', `/api/v1/leads/imports/${b.id}`))).toMatchObject({
      status: 'done',
      created: 2,
      failure: null,
    });
  });

  it('resumes a batch after a crash without importing any row twice', async () => {
    const rows = [['姓名', '手机']];
    for (let i = 0; i < 20; i++)
      rows.push([`续传 ${i}`, i === 15 ? '13600000003' : `136000000${String(i).padStart(2, '0')}`]); // row 17 repeats row 5's phone
    const ctx = {
      db: t.handle.db,
      dialect: t.handle.dialect,
      user: (await core.principalFor(t.handle.db, marketing.id, 'session'))!,
      requestId: 'test',
    };
    const b = await core.createLeadImport(
      ctx,
      { fileName: 'resume.csv', content: b64(csv(rows)) },
      { inlineMaxRows: 0 },
    );
    expect(b.status).toBe('pending');
    // The run dies in the middle of its third chunk: the first two are committed, the third rolled back.
    await expect(
      core.runLeadImport(t.handle, b.id, {
        chunkSize: 3,
        onChunk: (n) => {
          if (n === 9) throw new Error('simulated crash');
        },
      }),
    ).rejects.toThrow('simulated crash');
    const mid = await core.getLeadImport(ctx, b.id);
    expect(mid).toMatchObject({ status: 'running', processedRows: 6, created: 6 });
    expect(await leadsOf(b.id)).toHaveLength(6);
    // The worker (or anyone) runs it again: it continues after row 6 and finds the duplicate of a row committed before the crash.
    const done = await core.runLeadImport(t.handle, b.id, { chunkSize: 3 });
    expect(done).toMatchObject({ status: 'done', processedRows: 20, created: 19, duplicates: 1 });
    const leads = await leadsOf(b.id);
    expect(leads.map((l) => l.importRowNo)).toEqual([...Array(22).keys()].slice(2).filter((n) => n !== 17));
    const dup = await core.listLeadImportIssues(ctx, b.id);
    expect(dup.items).toMatchObject([{ rowNo: 17, code: 'duplicate_in_file', matchedRowNo: 5 }]);
    // A finished batch runs as a no-op; the database refuses a second lead for a batch row.
    expect((await core.runLeadImport(t.handle, b.id)).created).toBe(19);
    await expect(
      t.handle.db
        .insertInto('leads')
        .values({ ...leads[0]!, id: core.newId('lead') })
        .execute(),
    ).rejects.toThrow();
  });
});
