import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, TestApp, ok, type TestUser } from '@openltc/testing';
import { registry } from '../src/http/route.ts';
import { product } from './support/quote-fixtures.ts';

/**
 * Record scope: a sales rep (and a sales manager) of another team can neither read nor change any
 * document of the East team's chain by guessing its id — through every endpoint that takes an id,
 * found from the route registry, so a new endpoint is covered the day it is added. Lists, the
 * timeline and the trace included; references to foreign records in create bodies are refused too.
 */
describe.each(DIALECTS)('record scope across every endpoint (%s)', (dialect) => {
  let t: TestApp;
  let rep: TestUser, outsider: TestUser, outsiderManager: TestUser;
  const ids: Record<string, string> = {};
  const secrets: string[] = [];

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const east = await t.team('East 华东');
    const west = await t.team('West 华西');
    const admin = await t.user('admin', null, 'Admin');
    rep = await t.user('sales_rep', east, 'RepEast');
    const manager = await t.user('sales_manager', east, 'ManagerEast');
    const legal = await t.user('legal', null, 'Legal');
    const ops = await t.user('operations', null, 'Ops');
    const fin = await t.user('finance', null, 'Finance');
    outsider = await t.user('sales_rep', west, 'RepWest');
    outsiderManager = await t.user('sales_manager', west, 'ManagerWest');

    // The East team's whole chain, every document owned by the East rep.
    const prod = await product(t, admin, { name: '保密产品 Secret Widget' });
    const lead = await ok(t.as(rep, 'POST', '/api/v1/leads', { name: '秘密客户 Secret Person', company: '机密有限公司 Secret Co' }), 201);
    await ok(t.as(rep, 'POST', `/api/v1/leads/${lead.id}/qualify`, {}));
    const conv = await ok(t.as(rep, 'POST', `/api/v1/leads/${lead.id}/convert`, { amountMinor: 500_000 }));
    const quote = await ok(t.as(rep, 'POST', `/api/v1/opportunities/${conv.opportunityId}/quotes`, { lines: [{ productId: prod.id, quantity: '4' }] }), 201);
    await ok(t.as(rep, 'POST', `/api/v1/quotes/${quote.id}/submit`, {}));
    await ok(t.as(manager, 'POST', `/api/v1/quotes/${quote.id}/approve`, {}));
    await ok(t.as(rep, 'POST', `/api/v1/quotes/${quote.id}/send`, {}));
    await ok(t.as(rep, 'POST', `/api/v1/quotes/${quote.id}/accept`, {}));
    const contract = await ok(t.as(rep, 'POST', `/api/v1/quotes/${quote.id}/contract`, {}), 201);
    await ok(t.as(rep, 'POST', `/api/v1/contracts/${contract.id}/submit`, {}));
    await ok(t.as(legal, 'POST', `/api/v1/contracts/${contract.id}/approve`, {}));
    await ok(t.as(rep, 'POST', `/api/v1/contracts/${contract.id}/sign`, { signedBy: 'Secret Signer' }));
    const order = await ok(t.as(ops, 'POST', `/api/v1/contracts/${contract.id}/order`, {}), 201);
    await ok(t.as(ops, 'POST', `/api/v1/orders/${order.id}/confirm`, {}));
    const delivery = await ok(t.as(ops, 'POST', `/api/v1/orders/${order.id}/deliveries`, { lines: [{ orderLineId: order.lines[0].id, quantity: '2' }] }), 201);
    const invoice = await ok(t.as(fin, 'POST', `/api/v1/deliveries/${delivery.id}/invoice`, {}), 201);
    await ok(t.as(fin, 'POST', `/api/v1/invoices/${invoice.id}/issue`, {}));
    const payment = await ok(
      t.as(fin, 'POST', '/api/v1/payments', {
        accountId: conv.accountId,
        amountMinor: 1000,
        currency: 'CNY',
        receivedOn: '2026-11-20',
        method: 'bank_transfer',
        allocations: [{ invoiceId: invoice.id, amountMinor: 1000 }],
      }),
      201,
    );
    const creditNote = await ok(t.as(fin, 'POST', `/api/v1/invoices/${invoice.id}/credit-notes`, { reason: '机密折让 Secret allowance', amountMinor: 100 }), 201);
    const invoiceRequest = await ok(
      t.as(rep, 'POST', '/api/v1/invoice-requests', { orderId: order.id, lines: [{ orderLineId: order.lines[0].id, quantity: '1' }], invoiceType: 'normal', buyerName: '机密有限公司 Secret Co', buyerTaxId: '91310000MA1SECRET1' }),
      201,
    );
    const billingRun = await ok(t.as(fin, 'POST', '/api/v1/billing/runs', {}), 201);
    const activity = await ok(
      t.as(rep, 'POST', '/api/v1/activities', { type: 'task', parentType: 'lead', parentId: lead.id, subject: '机密任务 Secret task', dueAt: '2030-01-01T00:00:00Z' }),
      201,
    );
    const revenue = await ok(t.as(fin, 'GET', `/api/v1/orders/${order.id}/revenue`));
    Object.assign(ids, {
      'revenue-obligations': revenue.obligations[0].id,
      activities: activity.id,
      'credit-notes': creditNote.id,
      leads: lead.id,
      accounts: conv.accountId,
      contacts: conv.contactId,
      opportunities: conv.opportunityId,
      quotes: quote.id,
      contracts: contract.id,
      orders: order.id,
      deliveries: delivery.id,
      invoices: invoice.id,
      payments: payment.id,
      'invoice-requests': invoiceRequest.id,
      billing: billingRun.id,
    });
    secrets.push('Secret task', 'Secret Person', 'Secret Co', 'Secret Signer', 'Secret allowance', quote.number, contract.number, order.number, delivery.number);
  });
  afterAll(() => t.stop());

  const fakeId = (prefix: string) => `${prefix}_01M80000000000000000000000`;
  /**
   * A body that passes validation, so the answer shows the scope check and not the schema check
   * (validation runs first and is the same for every id).
   */
  function validBody(method: string, url: string): unknown {
    const [, , , type, , action] = url.split('/');
    if (method === 'PATCH')
      return (
        { leads: { notes: 'x' }, accounts: { industry: 'x' }, contacts: { title: 'x' }, opportunities: { name: 'x' }, quotes: { notes: 'x' }, contracts: { title: 'x' }, orders: { orderDate: '2026-11-01' }, invoices: { paymentTermsDays: 10 }, activities: { subject: 'x' }, 'revenue-obligations': { serviceStart: '2026-11-01' } } as Record<string, unknown>
      )[type!];
    switch (action) {
      case 'disqualify':
      case 'lose':
      case 'decline':
      case 'reject':
      case 'return':
      case 'terminate':
      case 'reverse':
      case 'release':
      case 'credit-notes':
        return { reason: 'x' };
      case 'dispute':
        return url.endsWith('/resolve') ? { resolution: 'x' } : { reason: 'x' };
      case 'promise-to-pay':
        return { promisedDate: '2099-01-01', note: 'x' };
      case 'cancel':
        return type === 'orders' ? { reason: 'x' } : {};
      case 'sign':
        return { signedBy: 'x' };
      case 'accept':
        return type === 'deliveries' ? { acceptedBy: 'x' } : {};
      case 'deliveries':
        return { lines: [{ orderLineId: fakeId('oln'), quantity: '1' }] };
      case 'billing-schedule':
        return url.endsWith('/cancel') ? { reason: 'x' } : {};
      case 'payment-plan':
        return method === 'PUT' ? { terms: [] } : {};
      case 'allocate':
        return { allocations: [{ invoiceId: fakeId('inv'), amountMinor: 1 }] };
      case 'charge-allocations':
        return { allocations: [{ chargeId: fakeId('dch'), amountMinor: 1 }] };
      case 'progress':
        return { date: '2026-11-01', progress: '0.5' };
      case 'modify':
        return { date: '2026-11-02', newAllocatedMinor: 1, method: 'prospective', reason: 'x' };
      case 'revenue-allocation':
        return { discountTo: [], reason: 'x' };
      default:
        return {};
    }
  }

  /** Every id-taking route, expanded to concrete URLs for the East chain. */
  function targets(): Array<{ method: string; url: string; type: string }> {
    const out: Array<{ method: string; url: string; type: string }> = [];
    for (const r of registry) {
      if (!r.url.includes(':')) continue;
      if (r.url.includes(':type')) {
        for (const [type, id] of Object.entries(ids))
          out.push({ method: r.method, url: r.url.replace(':type', type).replace(':id', id), type });
        continue;
      }
      const type = r.url.split('/')[3]!;
      if (type === 'products' || type === 'users' || type === 'jobs' || type === 'tax-codes' || type === 'price-books') continue; // global catalog, pricing and admin-only, tested elsewhere
      if (type === 'pipelines' || type === 'number-series' || type === 'saved-views') continue; // settings and per-user views: settings.test.ts
      if (type === 'dunning-charges') continue; // waiving a charge: finance and admins only (invoice approve), dunning-waiver.test.ts
      if (type === 'fx') continue; // FX revaluations: one per legal entity and month, finance only: fx-revaluation.test.ts
      // Scoring rules (admin settings) and import batches (marketing and admins): lead-import.test.ts.
      if (type === 'lead-scoring' || r.url.startsWith('/api/v1/leads/imports')) continue;
      const id = ids[type];
      if (!id) throw new Error(`no East-team record for ${r.method} ${r.url}: add one to this test`);
      out.push({ method: r.method, url: r.url.replace(':id', id), type });
    }
    return out;
  }

  it('covers every document type that has an id route', () => {
    const types = new Set(targets().map((x) => x.type));
    expect([...types].sort()).toEqual(Object.keys(ids).sort());
    expect(targets().length).toBeGreaterThan(60);
  });

  it('lets the owning rep read every document (the control)', async () => {
    for (const x of targets().filter((x) => x.method === 'GET')) {
      // Reps read orders and money documents only through the thread, and revenue not at all.
      if (['orders', 'deliveries', 'invoices', 'payments', 'billing', 'revenue-obligations'].includes(x.type) || x.url.includes('/trace/')) continue;
      const res = await t.as(rep, 'GET', x.url);
      expect(res.statusCode, x.url).toBe(200);
    }
  });

  for (const who of ['outsider rep', 'outsider manager'] as const) {
    it(`answers 403 or 404 to the ${who} on every id route, with none of the record's data, and changes nothing`, async () => {
      const user = who === 'outsider rep' ? outsider : outsiderManager;
      const eventsBefore = await t.handle.db.selectFrom('events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      for (const x of targets()) {
        const res = await t.as(user, x.method as any, x.url, x.method === 'GET' ? undefined : validBody(x.method, x.url));
        expect([403, 404], `${x.method} ${x.url} → ${res.statusCode} ${res.body}`).toContain(res.statusCode);
        expect(res.headers['content-type']).toContain('application/problem+json');
        for (const s of secrets) expect(res.body, `${x.method} ${x.url} leaks ${s}`).not.toContain(s);
      }
      const eventsAfter = await t.handle.db.selectFrom('events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expect(Number(eventsAfter.n)).toBe(Number(eventsBefore.n));
    });

    it(`never lists East records to the ${who}`, async () => {
      const user = who === 'outsider rep' ? outsider : outsiderManager;
      const lists = registry.filter((r) => r.method === 'GET' && !r.url.includes(':') && r.url.startsWith('/api/v1/'));
      const eastIds = Object.values(ids);
      let checked = 0;
      // Routes that need a query get one that would match the East records if scope leaked.
      const QUERY: Record<string, string> = {
        '/api/v1/analytics/kpis': '?from=2000-01-01&to=2100-12-31&groupBy=owner',
        '/api/v1/search': '?q=Secret',
        '/api/v1/fx-rates/lookup': '?from=CNY&to=CNY&date=2026-01-01',
      };
      for (const l of lists) {
        const res = await t.as(user, 'GET', l.url + (QUERY[l.url] ?? ''));
        if (res.statusCode === 403) continue;
        expect(res.statusCode, l.url).toBe(200);
        for (const id of eastIds) expect(res.body, `${l.url} lists ${id}`).not.toContain(id);
        checked++;
      }
      expect(checked).toBeGreaterThanOrEqual(8);
    });
  }

  it('refuses East records as references in the outsider’s own creations', async () => {
    const attempts: Array<[string, unknown]> = [
      ['/api/v1/contacts', { accountId: ids.accounts, name: 'x' }],
      ['/api/v1/opportunities', { accountId: ids.accounts, name: 'x', amountMinor: 1 }],
      ['/api/v1/quotes', { opportunityId: ids.opportunities, lines: [] }],
      ['/api/v1/contracts', { accountId: ids.accounts, title: 'x', totalMinor: 1 }],
    ];
    for (const [url, body] of attempts) {
      const res = await t.as(outsider, 'POST', url, body);
      expect([403, 404, 422], `${url} → ${res.statusCode} ${res.body}`).toContain(res.statusCode);
      if (res.statusCode === 422) expect(res.json().errors[0].code).toBe('unknown_reference');
    }
    const own = await ok(t.as(outsider, 'POST', '/api/v1/leads', { name: 'Mine' }), 201);
    await ok(t.as(outsider, 'POST', `/api/v1/leads/${own.id}/qualify`, {}));
    const conv = await t.as(outsider, 'POST', `/api/v1/leads/${own.id}/convert`, { accountId: ids.accounts });
    expect(conv.statusCode).toBe(422);
    expect((await ok(t.as(outsider, 'GET', `/api/v1/leads/${own.id}`))).status).toBe('qualified');
  });

  it('shows finance the whole East thread, with the documents it may not read as data-less stubs', async () => {
    const fin = await t.user('finance', null, 'Finance2');
    const tr = await ok(t.as(fin, 'GET', `/api/v1/trace/invoices/${ids.invoices}`));
    const lead = tr.nodes.find((n: any) => n.type === 'lead');
    // Finance may not read leads: the node is there (the thread is whole) but carries no data.
    expect(lead).toEqual({ type: 'lead', id: ids.leads, restricted: true });
    expect(tr.nodes.find((n: any) => n.type === 'invoice').restricted).toBe(false);
  });
});
