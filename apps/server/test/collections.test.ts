import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import { addDays, setClock } from '@openltc/core';

/**
 * Collections over HTTP on both databases: dunning levels reached on their boundary days, runs that
 * never send the same notice twice (the same day again, or two runs at once), promises to pay and
 * disputes that pause dunning, the email jobs, the worklist and who may do what.
 */
describe.each(DIALECTS)('collections (dunning) over HTTP (%s)', (dialect) => {
  let t: TestApp;
  let ops: TestUser, fin: TestUser, rep: TestUser, manager: TestUser, outsider: TestUser, viewer: TestUser;

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const east = await t.team('East 华东');
    const west = await t.team('West 华西');
    ops = await t.user('operations', null, 'Ops Zhao');
    fin = await t.user('finance', null, 'Fin Qian');
    rep = await t.user('sales_rep', east, 'Rep Li');
    manager = await t.user('sales_manager', east, 'Manager Wu');
    outsider = await t.user('sales_rep', west, 'Rep West');
    viewer = await t.user('viewer', null, 'Viewer');
  });
  afterAll(() => t.stop());
  afterEach(() => setClock(null));

  const at = (date: string) => setClock(() => new Date(`${date}T04:00:00Z`));
  const line = (unitPriceMinor: number) => ({ description: `服务 Service ${unitPriceMinor}`, quantity: '1', unitPriceMinor, taxRate: '0' });

  async function customer(name: string, who: TestUser = rep, email: string | null = null) {
    const acc = await ok(t.as(who, 'POST', '/api/v1/accounts', { name }), 201);
    if (email) await ok(t.as(who, 'POST', '/api/v1/contacts', { accountId: acc.id, name: `${name} AP`, email }), 201);
    await ok(t.as(who, 'POST', '/api/v1/contacts', { accountId: acc.id, name: `${name} No Mail` }), 201);
    return acc.id as string;
  }

  /** An issued invoice of one tax-free line, issued on `issueOn`, due `termsDays` later. */
  async function issued(accountId: string, amountMinor: number, issueOn: string, termsDays: number) {
    at(issueOn);
    const o = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId, lines: [line(amountMinor)] }), 201);
    await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/confirm`, {}));
    const inv = await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/invoices`, { paymentTermsDays: termsDays }), 201);
    const out = await ok(t.as(fin, 'POST', `/api/v1/invoices/${inv.id}/issue`, {}));
    setClock(null);
    expect(out.dueDate).toBe(addDays(issueOn, termsDays));
    return out as { id: string; number: string; dueDate: string; accountId: string };
  }

  const run = (runDate: string, who: TestUser = fin) => ok(t.as(who, 'POST', '/api/v1/collections/runs', { runDate }));
  /** The notices of one run for the given invoices, as [invoice id, level]. */
  const noticed = (r: any, ids: string[]) =>
    r.runs.flatMap((x: any) => x.notices).filter((n: any) => ids.includes(n.invoiceId)).map((n: any) => [n.invoiceId, n.level]);
  const noticeRows = (invoiceId: string) => t.handle.db.selectFrom('dunningNotices').selectAll().where('invoiceId', '=', invoiceId).orderBy('level').execute();
  const emailJobs = async (text: string) =>
    (await t.handle.db.selectFrom('jobs').select(['type', 'payload']).where('type', '=', 'email.send').orderBy('id').execute())
      .map((j) => JSON.parse(j.payload) as { to: string; subject: string; text: string })
      .filter((p) => p.text.includes(text));
  const timeline = async (invoiceId: string) => (await ok(t.as(fin, 'GET', `/api/v1/invoices/${invoiceId}/timeline`))).items as any[];

  it('seeds the default ladder on first use', async () => {
    const l = await ok(t.as(rep, 'GET', '/api/v1/collections/levels'));
    expect(l.levels).toEqual([
      { level: 1, minDaysPastDue: 1, template: 'reminder_friendly' },
      { level: 2, minDaysPastDue: 15, template: 'reminder_firm', fees: { CNY: '5000', USD: '1000', EUR: '1000' } },
      { level: 3, minDaysPastDue: 30, template: 'final_notice', interestAnnualRate: '0.1825', holdOrders: true },
      { level: 4, minDaysPastDue: 60, template: 'escalation', interestAnnualRate: '0.1825', escalate: true, holdOrders: true },
    ]);
    expect(await t.handle.db.selectFrom('dunningLevels').select('level').execute()).toHaveLength(4);
  });

  it('reaches each level on its boundary day, once, with fee, interest, hold, escalation and the right emails', async () => {
    const acc = await customer('逾期客户 Late Payer Co', rep, 'ap@late-payer.example');
    const a = await issued(acc, 100_000, '2026-01-05', 10); // due 2026-01-15
    const b = await issued(acc, 40_000, '2026-01-06', 10); // due 2026-01-16
    const both = [a.id, b.id];
    const jobsBefore = (await emailJobs(a.number)).length;
    expect(jobsBefore).toBe(0);

    expect(noticed(await run('2026-01-15'), both)).toEqual([]); // due today: 0 days past due
    expect(noticed(await run('2026-01-16'), both)).toEqual([[a.id, 1]]); // 1 day past due
    // The same day again creates nothing: no notice, no email, no event.
    const events = (await timeline(a.id)).length;
    const again = await run('2026-01-16');
    expect(noticed(again, both)).toEqual([]);
    expect(await noticeRows(a.id)).toHaveLength(1);
    expect(await emailJobs(a.number)).toHaveLength(1);
    expect((await timeline(a.id)).length).toBe(events);

    expect(noticed(await run('2026-01-17'), both)).toEqual([[b.id, 1]]);
    expect(noticed(await run('2026-01-29'), both)).toEqual([]); // 14 and 13 days
    // The next day escalates only the invoice past the next level's days.
    expect(noticed(await run('2026-01-30'), both)).toEqual([[a.id, 2]]); // a: 15 days, b: 14
    expect(noticed(await run('2026-01-31'), both)).toEqual([[b.id, 2]]);
    expect(noticed(await run('2026-02-13'), both)).toEqual([]); // a: 29 days
    const third = await run('2026-02-14'); // a: 30 days
    expect(noticed(third, both)).toEqual([[a.id, 3]]);
    expect(third.runs[0].holdAccounts).toContain(acc);
    expect(noticed(await run('2026-02-15'), both)).toEqual([[b.id, 3]]);
    expect(noticed(await run('2026-03-15'), both)).toEqual([]); // a: 59 days
    const fourth = await run('2026-03-16'); // a: 60 days
    expect(noticed(fourth, both)).toEqual([[a.id, 4]]);

    // Fee at level 2; ACT/365 interest at 18.25 % a year: 30 days on ¥1,000 = ¥15.00, twice (from
    // the due date to level 3, then from level 3 to level 4).
    expect((await noticeRows(a.id)).map((n) => [n.level, n.runDate, n.daysPastDue, n.template, n.feeMinor, n.interestMinor, n.interestFrom, n.interestThrough, n.escalate, n.holdOrders])).toEqual([
      [1, '2026-01-16', 1, 'reminder_friendly', 0, 0, null, null, 0, 0],
      [2, '2026-01-30', 15, 'reminder_firm', 5000, 0, null, null, 0, 0],
      [3, '2026-02-14', 30, 'final_notice', 0, 1500, '2026-01-15', '2026-02-14', 0, 1],
      [4, '2026-03-16', 60, 'escalation', 0, 1500, '2026-02-14', '2026-03-16', 1, 1],
    ]);
    const n4 = fourth.runs[0].notices.find((n: any) => n.invoiceId === a.id);
    expect(n4).toMatchObject({ status: 'queued', escalate: true, recipients: ['ap@late-payer.example', manager.email.toLowerCase()] });

    // Emails: every notice to the contact with an email (not the one without), the escalation
    // also to the owner's manager; both languages, Chinese first for a Chinese legal entity.
    const mails = await emailJobs(a.number);
    expect(mails.map((m) => m.to)).toEqual(['ap@late-payer.example', 'ap@late-payer.example', 'ap@late-payer.example', 'ap@late-payer.example', manager.email.toLowerCase()]);
    expect(mails[0]!.subject).toBe(`付款提醒 ${a.number} / Payment reminder ${a.number}`);
    expect(mails[1]!.text).toContain(`发票号：${a.number}\n到期日：2026-01-15\n逾期天数：15 天\n未付金额：1000.00 CNY\n催款费：50.00 CNY\n合计应付：1050.00 CNY`);
    expect(mails[1]!.text).toContain('Days overdue: 15\nAmount outstanding: 1000.00 CNY\nLate fee: 50.00 CNY\nTotal now due: 1050.00 CNY');
    expect(mails[0]!.text).not.toContain('Late fee');
    expect(mails[2]!.text).toContain('Late interest (18.25% a year, 2026-01-15 to 2026-02-14): 15.00 CNY');
    expect(mails[2]!.text).toContain('滞纳金（年利率 18.25%，2026-01-15 至 2026-02-14）：15.00 CNY');
    expect(mails[4]!.subject).toContain('催款升级：逾期客户 Late Payer Co');
    expect(mails[4]!.text).toContain('Account owner: Rep Li');
    expect(mails[4]!.text).toContain(`Invoice ${a.number} of 逾期客户 Late Payer Co is 60 days overdue and dunning has reached level 4.`);

    const tl = await timeline(a.id);
    expect(tl.filter((e) => e.action === 'dunning_notice').map((e) => [e.after.level, e.after.runDate, e.after.feeMinor, e.after.interestMinor])).toEqual([
      [1, '2026-01-16', 0, 0],
      [2, '2026-01-30', 5000, 0],
      [3, '2026-02-14', 0, 1500],
      [4, '2026-03-16', 0, 1500],
    ]);
    const view = await ok(t.as(rep, 'GET', `/api/v1/invoices/${a.id}/collections`));
    expect(view.notices.map((n: any) => n.level)).toEqual([1, 2, 3, 4]);
    expect((await t.as(outsider, 'GET', `/api/v1/invoices/${a.id}/collections`)).statusCode).toBe(404);
  });

  it('does not double notices when two runs of the same date race', async () => {
    const acc = await customer('并发客户 Race Co', rep, 'ap@race.example');
    const ids = [(await issued(acc, 10_000, '2026-04-01', 5)).id, (await issued(acc, 20_000, '2026-04-01', 5)).id];
    const [r1, r2] = await Promise.all([run('2026-04-07'), run('2026-04-07')]);
    const created = [...noticed(r1, ids), ...noticed(r2, ids)];
    expect(created.sort()).toEqual(ids.map((id) => [id, 1]).sort());
    for (const id of ids) expect(await noticeRows(id)).toHaveLength(1);
    const mails = (await t.handle.db.selectFrom('jobs').select('payload').where('type', '=', 'email.send').execute()).filter((j) => j.payload.includes('ap@race.example'));
    expect(mails).toHaveLength(2);
  });

  it('pauses dunning under a promise to pay until the promised date and a grace day; a broken promise resumes and is flagged', async () => {
    const acc = await customer('承诺客户 Promise Co', rep, 'ap@promise.example');
    const p = await issued(acc, 50_000, '2026-05-01', 9); // due 2026-05-10
    const k = await issued(acc, 30_000, '2026-05-01', 9);
    expect(noticed(await run('2026-05-11'), [p.id, k.id])).toEqual([[p.id, 1], [k.id, 1]].sort());

    at('2026-05-12');
    // Bad dates: in the past, not a calendar date; an amount above what is owed.
    const past = await t.as(rep, 'POST', `/api/v1/invoices/${p.id}/promise-to-pay`, { promisedDate: '2026-05-11', note: '下周付 next week' });
    expect([past.statusCode, past.headers['content-type'], past.json().errors[0]]).toMatchObject([422, expect.stringContaining('application/problem+json'), { path: 'promisedDate', code: 'invalid_date' }]);
    const bogus = await t.as(rep, 'POST', `/api/v1/invoices/${p.id}/promise-to-pay`, { promisedDate: '2026-02-30', note: 'x' });
    expect([bogus.statusCode, bogus.json().code]).toEqual([422, 'validation_failed']);
    const over = await t.as(rep, 'POST', `/api/v1/invoices/${p.id}/promise-to-pay`, { promisedDate: '2026-05-26', amountMinor: 50_001, note: 'x' });
    expect([over.statusCode, over.json().errors[0].code]).toEqual([422, 'over_outstanding']);
    expect((await t.as(ops, 'POST', `/api/v1/invoices/${p.id}/promise-to-pay`, { promisedDate: '2026-05-26', note: 'x' })).statusCode).toBe(403);
    expect((await t.as(outsider, 'POST', `/api/v1/invoices/${p.id}/promise-to-pay`, { promisedDate: '2026-05-26', note: 'x' })).statusCode).toBe(404);

    const promise = await ok(t.as(rep, 'POST', `/api/v1/invoices/${p.id}/promise-to-pay`, { promisedDate: '2026-05-26', amountMinor: 50_000, note: '客户承诺月底前付款 Customer promised' }), 201);
    expect(promise).toMatchObject({ status: 'open', promisedDate: '2026-05-26', pausedUntil: '2026-05-27', amountMinor: 50_000 });
    const kept = await ok(t.as(fin, 'POST', `/api/v1/invoices/${k.id}/promise-to-pay`, { promisedDate: '2026-05-20', note: 'will pay' }), 201);
    await ok(
      t.as(fin, 'POST', '/api/v1/payments', { accountId: acc, amountMinor: 30_000, currency: 'CNY', receivedOn: '2026-05-12', method: 'bank_transfer', allocations: [{ invoiceId: k.id, amountMinor: 30_000 }] }),
      201,
    );
    setClock(null);

    // 15 days past due, but promised: skipped, and still on the grace day after the promised date.
    const r1 = await run('2026-05-25');
    expect(noticed(r1, [p.id])).toEqual([]);
    expect(r1.runs[0].skipped).toContainEqual({ invoiceId: p.id, reason: 'promise_to_pay' });
    expect(r1.runs[0].promisesKept).toEqual([k.id]);
    expect(noticed(await run('2026-05-27'), [p.id])).toEqual([]);
    // The day after the grace day: the promise is broken, flagged, and dunning resumes in that run.
    const r2 = await run('2026-05-28');
    expect(r2.runs[0].promisesBroken).toEqual([p.id]);
    expect(noticed(r2, [p.id])).toEqual([[p.id, 2]]);
    expect((await run('2026-05-28')).runs[0].promisesBroken).toEqual([]);

    const view = await ok(t.as(fin, 'GET', `/api/v1/invoices/${p.id}/collections`));
    expect(view.promises).toMatchObject([{ id: promise.id, status: 'broken', closedOn: '2026-05-28' }]);
    const kview = await ok(t.as(fin, 'GET', `/api/v1/invoices/${k.id}/collections`));
    expect(kview.promises).toMatchObject([{ id: kept.id, status: 'kept' }]);
    const actions = (await timeline(p.id)).map((e) => e.action).filter((a) => a !== 'updated');
    expect(actions.slice(-4)).toEqual(['dunning_notice', 'promise_to_pay', 'promise_broken', 'dunning_notice']);
    const wl = await ok(t.as(fin, 'GET', '/api/v1/collections/worklist?asOf=2026-05-28'));
    expect(wl.items.find((i: any) => i.accountId === acc)).toMatchObject({ brokenPromises: 1, openPromises: [], dunningLevel: 2, lastNoticeDate: '2026-05-28' });
  });

  it('pauses dunning while an invoice is disputed, and resumes once finance resolves it', async () => {
    const acc = await customer('争议客户 Dispute Co', rep, 'ap@dispute.example');
    const d = await issued(acc, 80_000, '2026-06-01', 10); // due 2026-06-11
    expect((await t.as(rep, 'POST', `/api/v1/invoices/${d.id}/dispute`, {})).json().code).toBe('validation_failed');
    const dispute = await ok(t.as(rep, 'POST', `/api/v1/invoices/${d.id}/dispute`, { reason: '数量不符 Quantity disputed' }), 201);
    expect(dispute).toMatchObject({ status: 'open', reason: '数量不符 Quantity disputed' });
    const twice = await t.as(fin, 'POST', `/api/v1/invoices/${d.id}/dispute`, { reason: 'again' });
    expect([twice.statusCode, twice.json().code]).toEqual([409, 'dispute_open']);

    const r = await run('2026-06-12');
    expect(noticed(r, [d.id])).toEqual([]);
    expect(r.runs[0].skipped).toContainEqual({ invoiceId: d.id, reason: 'disputed' });
    const wl = await ok(t.as(rep, 'GET', '/api/v1/collections/worklist?asOf=2026-06-12'));
    expect(wl.items.find((i: any) => i.accountId === acc)).toMatchObject({ openDisputes: [{ invoiceId: d.id, reason: '数量不符 Quantity disputed' }], dunningLevel: 0 });

    expect((await t.as(rep, 'POST', `/api/v1/invoices/${d.id}/dispute/resolve`, { resolution: 'x' })).statusCode).toBe(403);
    const resolved = await ok(t.as(fin, 'POST', `/api/v1/invoices/${d.id}/dispute/resolve`, { resolution: '已核对，数量无误 Quantities confirmed' }));
    expect(resolved).toMatchObject({ status: 'resolved', resolvedBy: fin.id });
    const none = await t.as(fin, 'POST', `/api/v1/invoices/${d.id}/dispute/resolve`, { resolution: 'again' });
    expect([none.statusCode, none.json().code]).toEqual([409, 'no_open_dispute']);
    expect(noticed(await run('2026-06-13'), [d.id])).toEqual([[d.id, 1]]);
    const actions = (await timeline(d.id)).map((e) => e.action);
    expect(actions.slice(-3)).toEqual(['dispute_opened', 'dispute_resolved', 'dunning_notice']);
  });

  it('lists the worklist by priority (outstanding × days overdue) within the caller’s scope', async () => {
    // West accounts, owned by the West rep: big-but-recent beats small-but-old here (5,000 × 10 > 1,000 × 40).
    const old = await customer('老欠款 Old Small Co', outsider);
    const big = await customer('新大额 New Big Co', outsider);
    await issued(old, 100_000, '2026-07-01', 10); // due 07-11
    const bigInv = await issued(big, 500_000, '2026-07-31', 10); // due 08-10
    await issued(big, 10_000, '2026-08-15', 10); // not yet due on 08-20
    const asOf = '2026-08-20';
    const west = await ok(t.as(outsider, 'GET', `/api/v1/collections/worklist?asOf=${asOf}`));
    expect(west.items.map((i: any) => [i.accountId, i.overdueMinor, i.oldestDaysOverdue, i.priorityScore])).toEqual([
      [big, 500_000, 10, 5_000_000],
      [old, 100_000, 40, 4_000_000],
    ]);
    expect(west.items[0]).toMatchObject({ ownerName: 'Rep West', overdueInvoices: 1, invoices: [{ id: bigInv.id, daysOverdue: 10 }] });
    expect(west.rule).toContain('outstanding');
    // Finance sees everyone's, in priority order; the East rep sees none of the West accounts.
    const all = await ok(t.as(fin, 'GET', `/api/v1/collections/worklist?asOf=${asOf}`));
    const ids = all.items.map((i: any) => i.accountId);
    expect(ids).toEqual(expect.arrayContaining([big, old]));
    expect(ids.length).toBeGreaterThan(2);
    const scores = all.items.map((i: any) => i.priorityScore);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
    const east = await ok(t.as(rep, 'GET', `/api/v1/collections/worklist?asOf=${asOf}`));
    expect(east.items.length).toBeGreaterThan(0);
    expect(east.items.map((i: any) => i.accountId)).not.toContain(big);
    expect(east.items.map((i: any) => i.accountId)).not.toContain(old);
    expect((await t.as(fin, 'GET', '/api/v1/collections/worklist?asOf=2026-13-01')).statusCode).toBe(422);
  });

  it('lets only finance and admins run dunning and edit levels, refusing bad levels as problem+json', async () => {
    expect((await t.as(rep, 'POST', '/api/v1/collections/runs', {})).statusCode).toBe(403);
    expect((await t.as(viewer, 'POST', '/api/v1/collections/runs', {})).statusCode).toBe(403);
    const badDate = await t.as(fin, 'POST', '/api/v1/collections/runs', { runDate: '2026-02-30' });
    expect([badDate.statusCode, badDate.json().code]).toEqual([422, 'validation_failed']);
    const levels = [
      { level: 1, minDaysPastDue: 3, template: 'reminder_friendly' },
      { level: 2, minDaysPastDue: 20, template: 'final_notice', fees: { CNY: '8000' }, interestAnnualRate: '0.12', holdOrders: true, escalate: true },
    ];
    expect((await t.as(rep, 'PUT', '/api/v1/collections/levels', { levels })).statusCode).toBe(403);
    expect((await t.as(viewer, 'PUT', '/api/v1/collections/levels', { levels })).statusCode).toBe(403);
    const flat = await t.as(fin, 'PUT', '/api/v1/collections/levels', { levels: [levels[0], { ...levels[1], minDaysPastDue: 3 }] });
    expect([flat.statusCode, flat.headers['content-type']]).toEqual([422, expect.stringContaining('application/problem+json')]);
    expect(flat.json().errors[0]).toMatchObject({ path: 'levels.1', code: 'invalid_dunning_levels' });
    const decimalFee = await t.as(fin, 'PUT', '/api/v1/collections/levels', { levels: [{ ...levels[1], fees: { CNY: '80.00' } }] });
    expect([decimalFee.statusCode, decimalFee.json().code]).toEqual([422, 'validation_failed']);
    const percent = await t.as(fin, 'PUT', '/api/v1/collections/levels', { levels: [{ ...levels[1], interestAnnualRate: '12%' }] });
    expect(percent.statusCode).toBe(422);
    const unknown = await t.as(fin, 'PUT', '/api/v1/collections/levels', { levels, colour: 'red' });
    expect(unknown.statusCode).toBe(422);

    const saved = await ok(t.as(fin, 'PUT', '/api/v1/collections/levels', { levels }));
    expect(saved.levels).toEqual(levels);
    expect((await ok(t.as(rep, 'GET', '/api/v1/collections/levels'))).levels).toEqual(levels);
    const le = await t.handle.db.selectFrom('legalEntities').select('id').executeTakeFirstOrThrow();
    const ev = await t.handle.db.selectFrom('events').selectAll().where('entityId', '=', le.id).where('action', '=', 'dunning_levels_updated').execute();
    expect(ev).toHaveLength(1);
    expect(JSON.parse(ev[0]!.before!).levels).toHaveLength(4);

    // The new ladder applies at the next run: level 2 at 20 days with its fee and interest.
    const acc = await customer('新规则客户 New Rules Co', rep, 'ap@rules.example');
    const inv = await issued(acc, 365_000, '2026-09-01', 10); // due 09-11
    expect(noticed(await run('2026-09-13'), [inv.id])).toEqual([]); // 2 days: below the new level 1
    expect(noticed(await run('2026-09-14'), [inv.id])).toEqual([[inv.id, 1]]);
    expect(noticed(await run('2026-10-01'), [inv.id])).toEqual([[inv.id, 2]]);
    // 12 % a year on ¥3,650 for 20 days = ¥24.00; fee ¥80.00.
    expect((await noticeRows(inv.id)).map((n) => [n.level, n.feeMinor, n.interestMinor])).toEqual([
      [1, 0, 0],
      [2, 8000, 2400],
    ]);
  });
});
