import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';

/**
 * Saving a billing schedule again (as the order page's editor does: the payment-plan and milestone
 * items with their ids, the recurring items as one spec per line without a description) keeps what
 * the items that still exist had: their ids, the recurring items' descriptions, a cancelled period
 * (with its reason) and a reached milestone (with its date). Both databases.
 */
describe.each(DIALECTS)('billing schedule saved again keeps its items (%s)', (dialect) => {
  let t: TestApp;
  let ops: TestUser, fin: TestUser;
  let accountId: string;

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    ops = await t.user('operations', null, 'Ops Zhao');
    fin = await t.user('finance', null, 'Fin Qian');
    const rep = await t.user('sales_rep', await t.team('East 华东'), 'Rep Li');
    accountId = (await ok(t.as(rep, 'POST', '/api/v1/accounts', { name: '上海云启科技有限公司' }), 201)).id;
  });
  afterAll(() => t.stop());

  const put = (orderId: string, version: number, body: unknown) => t.as(fin, 'PUT', `/api/v1/orders/${orderId}/billing-schedule`, body, { 'if-match': `"${version}"` });
  const orderVersion = async (id: string) => (await ok(t.as(fin, 'GET', `/api/v1/orders/${id}`))).version;
  /** What the web editor sends back: the open payment-plan/milestone items with their ids, one recurring spec per line. */
  const editorBody = (s: any, change: (items: any[]) => any[] = (x) => x): any => {
    const items = s.items
      .filter((i: any) => i.kind !== 'recurring' && i.status !== 'cancelled')
      .map((i: any) => ({
        id: i.id,
        kind: i.kind,
        description: i.description,
        percent: i.percent,
        ...(i.kind === 'payment_plan' ? { billDate: i.billDate } : { trigger: i.trigger }),
      }));
    const rec = s.items.filter((i: any) => i.kind === 'recurring');
    return {
      items: change(items),
      recurring: [{ orderLineId: rec[0].orderLineId, frequency: rec[0].frequency, timing: rec[0].timing, startDate: rec[0].periodStart, endDate: rec.at(-1).periodEnd }],
    };
  };

  it('keeps ids, recurring descriptions, a cancelled period and a reached milestone; an explicit description replaces; a shorter term drops periods', async () => {
    const o0 = await ok(
      t.as(ops, 'POST', '/api/v1/orders', {
        accountId,
        lines: [
          { description: 'SaaS 订阅 Subscription', quantity: '1', unitPriceMinor: 1_200_000, taxRate: '0' },
          { description: '实施服务 Implementation', quantity: '1', unitPriceMinor: 100_000, taxRate: '0.06' },
        ],
      }),
      201,
    );
    const o = await ok(t.as(ops, 'POST', `/api/v1/orders/${o0.id}/confirm`, {}));
    const sub = o.lines[0];
    const first = await ok(
      put(o.id, o.version, {
        items: [
          { kind: 'payment_plan', description: '实施首付 50%', percent: '50', billDate: '2026-01-15' },
          { kind: 'milestone', description: '上线验收 50%', percent: '50', trigger: 'manual' },
        ],
        recurring: [{ orderLineId: sub.id, frequency: 'monthly', timing: 'advance', startDate: '2026-01-01', endDate: '2026-04-30', description: '云平台年费 Cloud fee' }],
      }),
    );
    const rec0 = first.items.filter((i: any) => i.kind === 'recurring');
    expect(rec0.map((i: any) => i.description)).toEqual([
      '云平台年费 Cloud fee 2026-01-01 – 2026-01-31',
      '云平台年费 Cloud fee 2026-02-01 – 2026-02-28',
      '云平台年费 Cloud fee 2026-03-01 – 2026-03-31',
      '云平台年费 Cloud fee 2026-04-01 – 2026-04-30',
    ]);
    const milestone = first.items.find((i: any) => i.kind === 'milestone');
    const march = rec0[2];
    await ok(t.as(fin, 'POST', `/api/v1/orders/${o.id}/billing-schedule/items/${march.id}/cancel`, { reason: '三月停机补偿 outage credit' }));
    await ok(t.as(ops, 'POST', `/api/v1/orders/${o.id}/billing-schedule/items/${milestone.id}/reach`, { reachedOn: '2026-02-10' }));

    // Saved again from the editor with the payment plan's description changed.
    const before = await ok(t.as(fin, 'GET', `/api/v1/orders/${o.id}/billing-schedule`));
    const saved = await ok(
      put(o.id, await orderVersion(o.id), editorBody(before, (items) => items.map((i) => (i.kind === 'payment_plan' ? { ...i, description: '实施首付款 50% deposit' } : i)))),
    );
    const byId = new Map(before.items.map((i: any) => [i.id, i]));
    expect(saved.items.map((i: any) => byId.has(i.id))).toEqual(saved.items.map(() => true));
    expect(saved.items.length).toBe(before.items.length);
    const rec1 = saved.items.filter((i: any) => i.kind === 'recurring');
    expect(rec1.map((i: any) => [i.id, i.description, i.status, i.cancelReason])).toEqual(
      rec0.map((i: any) => [i.id, i.description, i.id === march.id ? 'cancelled' : 'planned', i.id === march.id ? '三月停机补偿 outage credit' : null]),
    );
    expect(saved.items.find((i: any) => i.id === milestone.id)).toMatchObject({ status: 'due', reachedOn: '2026-02-10', billDate: '2026-02-10', description: '上线验收 50%' });
    expect(saved.items.find((i: any) => i.kind === 'payment_plan').description).toBe('实施首付款 50% deposit');
    // The cancelled period stays out of the scheduled total, as before the save.
    expect(saved.scheduledMinor).toBe(before.scheduledMinor);
    expect(saved.scheduledMinor).toBe(o.totalMinor - march.amountMinor);

    // A description given with the recurring spec replaces the periods' descriptions.
    const named = editorBody(saved);
    named.recurring[0] = { ...named.recurring[0], description: 'Cloud platform fee' };
    const renamed = await ok(put(o.id, await orderVersion(o.id), named));
    expect(renamed.items.filter((i: any) => i.kind === 'recurring').map((i: any) => i.description)[0]).toBe('Cloud platform fee 2026-01-01 – 2026-01-31');

    // A shorter term: the periods that remain keep their ids and edits, April is gone; the amounts
    // are those of the new term (three months now bill the line's whole amount).
    const shorter = editorBody(renamed);
    shorter.recurring[0] = { ...shorter.recurring[0], endDate: '2026-03-31' };
    const cut = await ok(put(o.id, await orderVersion(o.id), shorter));
    const rec2 = cut.items.filter((i: any) => i.kind === 'recurring');
    expect(rec2.map((i: any) => [i.id, i.periodStart, i.status])).toEqual([
      [rec0[0].id, '2026-01-01', 'planned'],
      [rec0[1].id, '2026-02-01', 'planned'],
      [rec0[2].id, '2026-03-01', 'cancelled'],
    ]);
    expect(rec2.reduce((s: number, i: any) => s + i.amountMinor, 0)).toBe(sub.netMinor + sub.taxMinor);
    const events = await t.handle.db.selectFrom('events').select('action').where('entityId', '=', o.id).where('action', '=', 'billing_schedule_set').execute();
    expect(events).toHaveLength(4);
  });

  it('refuses an item id that is not an open item of this order, at the field', async () => {
    const o0 = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId, lines: [{ description: 'Licence', quantity: '1', unitPriceMinor: 100_000, taxRate: '0.06' }] }), 201);
    const o = await ok(t.as(ops, 'POST', `/api/v1/orders/${o0.id}/confirm`, {}));
    const s = await ok(put(o.id, o.version, { items: [{ kind: 'payment_plan', description: 'All', percent: '100', billDate: '2026-01-15' }] }));
    const other = await ok(t.as(ops, 'POST', '/api/v1/orders', { accountId, lines: [{ description: 'Licence', quantity: '1', unitPriceMinor: 100_000, taxRate: '0.06' }] }), 201);
    const oc = await ok(t.as(ops, 'POST', `/api/v1/orders/${other.id}/confirm`, {}));
    const os = await ok(put(oc.id, oc.version, { items: [{ kind: 'payment_plan', description: 'All', percent: '100', billDate: '2026-01-15' }] }));
    const res = await put(o.id, await orderVersion(o.id), {
      items: [
        { id: s.items[0].id, kind: 'payment_plan', description: 'Half', percent: '50', billDate: '2026-01-15' },
        { id: os.items[0].id, kind: 'payment_plan', description: 'Half', percent: '50', billDate: '2026-02-15' },
      ],
    });
    expect([res.statusCode, res.json().errors.map((e: any) => [e.path, e.code])]).toEqual([422, [['items.1.id', 'unknown_reference']]]);
    const dup = await put(o.id, await orderVersion(o.id), {
      items: [
        { id: s.items[0].id, kind: 'payment_plan', description: 'Half', percent: '50', billDate: '2026-01-15' },
        { id: s.items[0].id, kind: 'payment_plan', description: 'Half', percent: '50', billDate: '2026-02-15' },
      ],
    });
    expect([dup.statusCode, dup.json().errors.map((e: any) => [e.path, e.code])]).toEqual([422, [['items.1.id', 'duplicate']]]);
  });
});
