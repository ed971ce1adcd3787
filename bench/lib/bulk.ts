import pg from 'pg';
import type SQLite from 'better-sqlite3';
import * as core from '@openltc/core';
import { sql } from '@openltc/db';
import { Rand } from '../../apps/server/src/demo/random.ts';
import { INDUSTRIES, REGIONS, SOURCES, company, person } from '../../apps/server/src/demo/names.ts';
import type { BenchDb } from './db.ts';
import type { Size } from './sizes.ts';
import { idAt } from './ids.ts';
import { backfillInvoicePaidDates } from '../../packages/db/src/migrations/019_invoice_paid_dates.ts';

/**
 * W4's data set, written straight into the tables in large batched transactions (data setup, not the
 * measured part): teams and reps, leads, accounts, opportunities, orders, invoices with their lines,
 * payments and allocations, and the event log. Rows look like the application's — its id format with
 * ids sorting like creation times, owners and teams, statuses in plausible shares, number series.
 * A few real users (created through the use cases, so they can sign in) act in the measurements.
 */
type ColType = 'text' | 'int8';
type Cols = Array<[string, ColType]>;

interface Writer {
  insert(table: string, cols: Cols, rows: unknown[][]): Promise<void>;
  close(): Promise<void>;
}

function sqliteWriter(db: SQLite.Database): Writer {
  const statements = new Map<string, SQLite.Statement>();
  const PER = 50;
  const stmt = (table: string, cols: Cols, n: number) => {
    const key = `${table}/${n}`;
    let s = statements.get(key);
    if (!s) {
      const one = `(${cols.map(() => '?').join(',')})`;
      s = db.prepare(`insert into "${table}" (${cols.map(([c]) => `"${c}"`).join(',')}) values ${Array(n).fill(one).join(',')}`);
      statements.set(key, s);
    }
    return s;
  };
  return {
    async insert(table, cols, rows) {
      db.transaction(() => {
        let i = 0;
        for (; i + PER <= rows.length; i += PER) stmt(table, cols, PER).run(rows.slice(i, i + PER).flat());
        if (i < rows.length) stmt(table, cols, rows.length - i).run(rows.slice(i).flat());
      })();
    },
    async close() {},
  };
}

async function postgresWriter(url: string): Promise<Writer> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return {
    async insert(table, cols, rows) {
      // One statement per batch: a column array each, unnested server-side.
      const arrays = cols.map((_, j) => rows.map((r) => r[j] ?? null));
      const text = `insert into "${table}" (${cols.map(([c]) => `"${c}"`).join(',')}) select * from unnest(${cols
        .map(([, t], j) => `$${j + 1}::${t}[]`)
        .join(',')})`;
      await c.query(text, arrays);
    },
    close: () => c.end(),
  };
}

const OWNED: Cols = [
  ['owner_id', 'text'],
  ['team_id', 'text'],
  ['created_at', 'text'],
  ['updated_at', 'text'],
  ['created_by', 'text'],
  ['version', 'int8'],
];
const TOTALS: Cols = [
  ['currency', 'text'],
  ['net_minor', 'int8'],
  ['tax_minor', 'int8'],
  ['total_minor', 'int8'],
];
const PRICED: Cols = [
  ['id', 'text'],
  ['line_no', 'int8'],
  ['product_id', 'text'],
  ['description', 'text'],
  ['qty_milli', 'int8'],
  ['unit_price_minor', 'int8'],
  ['discount_rate', 'text'],
  ['tax_rate', 'text'],
  ['net_minor', 'int8'],
  ['tax_minor', 'int8'],
  ['total_minor', 'int8'],
];
const COLS: Record<string, Cols> = {
  teams: [
    ['id', 'text'],
    ['name', 'text'],
    ['parent_id', 'text'],
    ['created_at', 'text'],
  ],
  users: [
    ['id', 'text'],
    ['email', 'text'],
    ['name', 'text'],
    ['password_hash', 'text'],
    ['role', 'text'],
    ['team_id', 'text'],
    ['locale', 'text'],
    ['active', 'int8'],
    ['created_at', 'text'],
    ['updated_at', 'text'],
    ['version', 'int8'],
  ],
  leads: [
    ['id', 'text'],
    ['name', 'text'],
    ['company', 'text'],
    ['title', 'text'],
    ['email', 'text'],
    ['phone', 'text'],
    ['region', 'text'],
    ['industry', 'text'],
    ['source', 'text'],
    ['status', 'text'],
    ['disqualify_reason', 'text'],
    ['score', 'int8'],
    ['custom_fields', 'text'],
    ['converted_at', 'text'],
    ['converted_opportunity_id', 'text'],
    ...OWNED,
  ],
  accounts: [
    ['id', 'text'],
    ['name', 'text'],
    ['industry', 'text'],
    ['region', 'text'],
    ['tax_id', 'text'],
    ['currency', 'text'],
    ['custom_fields', 'text'],
    ...OWNED,
  ],
  opportunities: [
    ['id', 'text'],
    ['name', 'text'],
    ['account_id', 'text'],
    ['pipeline_id', 'text'],
    ['stage_id', 'text'],
    ['status', 'text'],
    ['amount_minor', 'int8'],
    ['currency', 'text'],
    ['probability', 'int8'],
    ['expected_close_date', 'text'],
    ['lost_reason', 'text'],
    ['closed_at', 'text'],
    ['lead_id', 'text'],
    ...OWNED,
  ],
  quotes: [
    ['id', 'text'],
    ['number', 'text'],
    ['version_no', 'int8'],
    ['opportunity_id', 'text'],
    ['account_id', 'text'],
    ['status', 'text'],
    ...TOTALS,
    ...OWNED,
  ],
  orders: [
    ['id', 'text'],
    ['number', 'text'],
    ['account_id', 'text'],
    ['legal_entity_id', 'text'],
    ['status', 'text'],
    ['order_date', 'text'],
    ['confirmed_at', 'text'],
    ['fulfilled_at', 'text'],
    ['quote_id', 'text'],
    ['opportunity_id', 'text'],
    ...TOTALS,
    ...OWNED,
  ],
  deliveries: [
    ['id', 'text'],
    ['number', 'text'],
    ['order_id', 'text'],
    ['account_id', 'text'],
    ['status', 'text'],
    ['shipped_at', 'text'],
    ['delivered_at', 'text'],
    ['accepted_at', 'text'],
    ...OWNED,
  ],
  order_lines: [...PRICED, ['order_id', 'text']],
  invoices: [
    ['id', 'text'],
    ['number', 'text'],
    ['legal_entity_id', 'text'],
    ['order_id', 'text'],
    ['account_id', 'text'],
    ['status', 'text'],
    ['issue_date', 'text'],
    ['due_date', 'text'],
    ['payment_terms_days', 'int8'],
    ['issued_at', 'text'],
    ...TOTALS,
    ...OWNED,
  ],
  invoice_lines: [...PRICED, ['invoice_id', 'text'], ['order_line_id', 'text']],
  payments: [
    ['id', 'text'],
    ['number', 'text'],
    ['account_id', 'text'],
    ['status', 'text'],
    ['amount_minor', 'int8'],
    ['currency', 'text'],
    ['received_on', 'text'],
    ['method', 'text'],
    ['reference', 'text'],
    ...OWNED,
  ],
  payment_allocations: [
    ['id', 'text'],
    ['payment_id', 'text'],
    ['invoice_id', 'text'],
    ['amount_minor', 'int8'],
    ['created_at', 'text'],
    ['created_by', 'text'],
  ],
  events: [
    ['id', 'text'],
    ['occurred_at', 'text'],
    ['actor_id', 'text'],
    ['request_id', 'text'],
    ['entity_type', 'text'],
    ['entity_id', 'text'],
    ['action', 'text'],
    ['before', 'text'],
    ['after', 'text'],
  ],
};

export interface Dataset {
  counts: Record<string, number>;
  /** Real users (they can sign in): an administrator, a sales rep in team 0, finance. */
  users: { admin: string; rep: string; finance: string; password: string; emails: Record<'admin' | 'rep' | 'finance', string> };
  repTeamId: string;
  pipelineId: string;
  stageIds: string[];
  /** Ids to pick from in the measurements. */
  sample: { leads: string[]; opportunities: string[]; invoices: string[]; invoiceAccounts: string[]; oppAccounts: string[] };
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const date = (ms: number) => iso(ms).slice(0, 10);
const BATCH = 5_000;

interface Owner {
  id: string;
  teamId: string;
}

export async function generateDataset(db: BenchDb, size: Size['data'], log: (m: string) => void = () => undefined): Promise<Dataset> {
  const r = new Rand(20261123);
  const sys: core.Ctx = { db: db.handle.db, dialect: db.handle.dialect, user: core.SYSTEM, requestId: 'bench' };
  const now = Date.now();
  const start = now - 730 * DAY;
  const writer = db.dialect === 'sqlite' ? sqliteWriter(db.handle.sqlite!) : await postgresWriter(db.url!);
  const counts: Record<string, number> = {};
  const sample: Dataset['sample'] = { leads: [], opportunities: [], invoices: [], invoiceAccounts: [], oppAccounts: [] };
  const keep = (list: string[], id: string) => {
    if (list.length < 2000) list.push(id);
    else {
      const j = r.int(0, 1999);
      if (r.chance(0.01)) list[j] = id;
    }
  };
  // Buffers in the order of COLS, parents before children, so a flush never breaks a foreign key.
  const buffered: Record<string, unknown[][]> = Object.fromEntries(Object.keys(COLS).map((t) => [t, []]));
  const put = async (table: string, row: unknown[]) => {
    (buffered[table] ??= []).push(row);
    counts[table] = (counts[table] ?? 0) + 1;
    // Everything buffered goes together, parents first (tables were first filled in that order).
    if (buffered[table]!.length >= BATCH) await flush();
  };
  const flush = async (table?: string) => {
    for (const t of table ? [table] : Object.keys(buffered)) {
      const rows = buffered[t];
      if (rows?.length) await writer.insert(t, COLS[t]!, rows);
      buffered[t] = [];
    }
  };
  const t0 = performance.now();
  try {
    // Organisation: teams, a manager and reps per team; the real users sign in for the HTTP part.
    const teams: string[] = [];
    const owners: Owner[][] = [];
    for (let t = 0; t < size.teams; t++) {
      const id = idAt('team', start - DAY + t);
      teams.push(id);
      await put('teams', [id, `${REGIONS[t % REGIONS.length]}销售${t + 1}部`, null, iso(start - DAY)]);
    }
    await flush();
    const password = 'bench password 1';
    const stamp = now.toString(36);
    const emails = { admin: `bench.admin.${stamp}@example.com`, rep: `bench.rep.${stamp}@example.com`, finance: `bench.finance.${stamp}@example.com` };
    const admin = await core.createUser(sys, { email: emails.admin, name: 'Bench admin', password, role: 'admin', teamId: null });
    const rep = await core.createUser(sys, { email: emails.rep, name: '李娜 bench', password, role: 'sales_rep', teamId: teams[0]! });
    const finance = await core.createUser(sys, { email: emails.finance, name: '徐芳 bench', password, role: 'finance', teamId: null });
    for (let t = 0; t < size.teams; t++) {
      const list: Owner[] = t === 0 ? [{ id: rep.id, teamId: teams[0]! }] : [];
      for (let k = 0; k < size.repsPerTeam + 1; k++) {
        const id = idAt('user', start - DAY + k);
        const role = k === 0 ? 'sales_manager' : 'sales_rep';
        await put('users', [id, `rep.${t}.${k}.${stamp}@example.com`, person(r).name, '!', role, teams[t], 'zh-CN', 1, iso(start - DAY), iso(start - DAY), 1]);
        if (role === 'sales_rep') list.push({ id, teamId: teams[t]! });
      }
      owners.push(list);
    }
    await flush();
    const anyOwner = (): Owner => {
      const list = owners[r.int(0, owners.length - 1)]!;
      return list[r.int(0, list.length - 1)]!;
    };
    const owned = (o: Owner, ms: number) => [o.id, o.teamId, iso(ms), iso(Math.min(now, ms + r.int(0, 20) * DAY)), o.id, r.int(1, 5)];
    const pipelineId = (await db.handle.db.selectFrom('pipelines').select('id').where('isDefault', '=', 1).executeTakeFirstOrThrow()).id;
    const stages = await db.handle.db.selectFrom('pipelineStages').selectAll().where('pipelineId', '=', pipelineId).orderBy('sortOrder').execute();
    const openStages = stages.filter((s) => s.kind === 'open');
    const won = stages.find((s) => s.kind === 'won')!;
    const lost = stages.find((s) => s.kind === 'lost')!;
    const legalEntityId = (await db.handle.db.selectFrom('legalEntities').select('id').executeTakeFirstOrThrow()).id;

    // The event log of a record: created, then changes, oldest first; ids sort like their times.
    const events: unknown[][] = [];
    const eventsPerEntity = size.events / (size.leads + size.opportunities + size.invoices);
    let eventDebt = 0;
    const recordEvents = (type: string, id: string, actor: string, createdMs: number, actions: string[], after: Record<string, unknown>) => {
      eventDebt += eventsPerEntity;
      const n = Math.max(1, Math.floor(eventDebt));
      eventDebt -= n;
      let t = createdMs;
      for (let k = 0; k < n; k++) {
        const action = k === 0 ? 'created' : (actions[(k - 1) % actions.length] ?? 'updated');
        const body = k === 0 ? after : { status: action };
        events.push([idAt('evt', t), iso(t), actor, null, type, id, action, k === 0 ? null : JSON.stringify({ status: 'before' }), JSON.stringify(body)]);
        t += r.int(1, 72) * 3_600_000;
      }
    };
    const flushEvents = async () => {
      events.sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));
      for (const e of events) await put('events', e);
      events.length = 0;
    };

    // Leads, spread over two years, newest last.
    const LEAD_STATUS: Array<readonly [string, number]> = [
      ['new', 25],
      ['working', 25],
      ['nurturing', 15],
      ['qualified', 10],
      ['converted', 15],
      ['disqualified', 10],
    ];
    const step = (730 * DAY) / Math.max(1, size.leads);
    const convertedLeads: string[] = [];
    for (let i = 0; i < size.leads; i++) {
      const ms = Math.floor(start + i * step);
      const o = anyOwner();
      const p = person(r);
      const status = r.weighted(LEAD_STATUS);
      const id = idAt('lead', ms);
      keep(sample.leads, id);
      // A converted lead: when, and the opportunity it became (opportunities below name converted leads
      // as their origin; the pairs are not matched one to one, which the KPIs' queries do not need).
      const convertedMs = status === 'converted' ? Math.min(now, ms + r.int(1, 90) * DAY) : null;
      if (status === 'converted') convertedLeads.push(id);
      await put('leads', [id, p.name, company(r), p.title, p.email, p.phone, r.pick(REGIONS), r.pick(INDUSTRIES), r.weighted(SOURCES), status, status === 'disqualified' ? '无预算 No budget' : null, r.int(0, 100), '{}', convertedMs === null ? null : iso(convertedMs), convertedMs === null ? null : idAt('opp', convertedMs), ...owned(o, ms)]);
      recordEvents('lead', id, o.id, ms, ['work', 'qualify', 'updated'], { name: p.name, status: 'new' });
      if (events.length >= BATCH) await flushEvents();
    }
    await flushEvents();
    await flush();
    log(`  leads ${counts.leads} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

    // Accounts, opportunities.
    const accounts: Array<{ id: string; owner: Owner }> = [];
    const nAccounts = Math.max(1, Math.ceil(size.opportunities / 2));
    for (let i = 0; i < nAccounts; i++) {
      const ms = Math.floor(start + (i * 700 * DAY) / nAccounts);
      const o = anyOwner();
      const id = idAt('acc', ms);
      accounts.push({ id, owner: o });
      await put('accounts', [id, company(r), r.pick(INDUSTRIES), r.pick(REGIONS), `91${r.int(1e8, 9e8)}MA${r.int(1000, 9999)}`, 'CNY', '{}', ...owned(o, ms)]);
    }
    await flush();
    const wonOpps: Array<{ id: string; account: { id: string; owner: Owner }; amount: number; ms: number }> = [];
    for (let i = 0; i < size.opportunities; i++) {
      const ms = Math.floor(start + (i * 720 * DAY) / size.opportunities);
      const acc = accounts[r.int(0, accounts.length - 1)]!;
      const roll = r.next();
      const status = roll < 0.6 ? 'open' : roll < 0.8 ? 'won' : 'lost';
      const stage = status === 'open' ? r.pick(openStages) : status === 'won' ? won : lost;
      const id = idAt('opp', ms);
      keep(sample.opportunities, id);
      keep(sample.oppAccounts, acc.id);
      const close = ms + r.int(15, 240) * DAY;
      const leadId = convertedLeads.length && r.chance(0.5) ? convertedLeads[r.int(0, convertedLeads.length - 1)]! : null;
      const amount = r.int(5, 500) * 100_000;
      if (status === 'won') wonOpps.push({ id, account: acc, amount, ms: Math.min(now, close) });
      await put('opportunities', [id, `${r.pick(['ERP 升级', '边缘服务器采购', '数据平台', 'MES 实施', '年度维保'])} ${i}`, acc.id, pipelineId, stage.id, status, amount, 'CNY', stage.probability, date(close), status === 'lost' ? '价格过高 Price' : null, status === 'open' ? null : iso(Math.min(now, close)), leadId, ...owned(acc.owner, ms)]);
      recordEvents('opportunity', id, acc.owner.id, ms, ['updated', status === 'open' ? 'updated' : status === 'won' ? 'win' : 'lose'], { name: 'opportunity', status: 'open' });
      if (events.length >= BATCH) await flushEvents();
    }
    await flushEvents();
    await flush();
    log(`  accounts ${counts.accounts}, opportunities ${counts.opportunities} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

    // Orders with one line each, most from a won opportunity and its accepted quote (a fulfilled one has
    // its delivery, accepted by the customer); one or two invoices per order; payments for what is paid.
    const nOrders = Math.max(1, Math.ceil(size.invoices / 1.5));
    const orders: Array<{ id: string; lineId: string; account: { id: string; owner: Owner }; total: number; ms: number }> = [];
    for (let i = 0; i < nOrders; i++) {
      const ms = Math.floor(start + (i * 700 * DAY) / nOrders);
      const opp = wonOpps.length && r.chance(0.8) ? wonOpps[r.int(0, wonOpps.length - 1)]! : null;
      const acc = opp?.account ?? accounts[r.int(0, accounts.length - 1)]!;
      const net = r.int(10, 2000) * 10_000;
      const tax = Math.round(net * 0.13);
      const id = idAt('ord', ms);
      const lineId = idAt('oln', ms);
      orders.push({ id, lineId, account: acc, total: net + tax, ms });
      let quoteId: string | null = null;
      if (opp) {
        const qms = Math.max(start, ms - r.int(5, 60) * DAY);
        quoteId = idAt('quo', qms);
        await put('quotes', [quoteId, `QT-${date(qms).slice(0, 4)}-${String(i + 1).padStart(6, '0')}`, 1, opp.id, acc.id, 'accepted', 'CNY', net, tax, net + tax, ...owned(acc.owner, qms)]);
      }
      const status = r.pick(['confirmed', 'fulfilled', 'closed']);
      const fulfilledMs = status === 'confirmed' ? null : Math.min(now, ms + r.int(3, 40) * DAY);
      await put('orders', [id, `SO-${date(ms).slice(0, 4)}-${String(i + 1).padStart(6, '0')}`, acc.id, legalEntityId, status, date(ms), iso(ms), fulfilledMs === null ? null : iso(fulfilledMs), quoteId, opp?.id ?? null, 'CNY', net, tax, net + tax, ...owned(acc.owner, ms)]);
      if (fulfilledMs !== null) {
        const shipped = Math.min(fulfilledMs, ms + r.int(1, 10) * DAY);
        await put('deliveries', [idAt('dlv', shipped), `DN-${date(shipped).slice(0, 4)}-${String(i + 1).padStart(6, '0')}`, id, acc.id, 'accepted', iso(shipped), iso(Math.min(fulfilledMs, shipped + DAY)), iso(fulfilledMs), ...owned(acc.owner, shipped)]);
      }
      await put('order_lines', [lineId, 1, null, '边缘服务器 Edge server', 1000, net, '0', '0.13', net, tax, net + tax, id]);
    }
    await flush();
    const INVOICE_STATUS: Array<readonly [string, number]> = [
      ['draft', 10],
      ['issued', 35],
      ['partially_paid', 10],
      ['paid', 40],
      ['cancelled', 5],
    ];
    let invoiceNo = 0;
    let paymentNo = 0;
    for (let i = 0; i < size.invoices; i++) {
      const ord = orders[Math.min(orders.length - 1, Math.floor(i / 1.5))]!;
      const ms = Math.min(now, ord.ms + r.int(1, 60) * DAY);
      const status = r.weighted(INVOICE_STATUS);
      const issued = status !== 'draft' && status !== 'cancelled';
      const total = Math.round(ord.total / 2);
      const net = Math.round(total / 1.13);
      const tax = total - net;
      const id = idAt('inv', ms);
      keep(sample.invoices, id);
      keep(sample.invoiceAccounts, ord.account.id);
      const number = issued ? `INV-${date(ms).slice(0, 4)}-${String(++invoiceNo).padStart(6, '0')}` : null;
      await put('invoices', [id, number, legalEntityId, ord.id, ord.account.id, status, issued ? date(ms) : null, issued ? date(ms + 30 * DAY) : null, 30, issued ? iso(ms) : null, 'CNY', net, tax, total, ...owned(ord.account.owner, ms)]);
      await put('invoice_lines', [idAt('iln', ms), 1, null, '边缘服务器 Edge server', 500, net, '0', '0.13', net, tax, total, id, ord.lineId]);
      if (status === 'paid' || status === 'partially_paid') {
        const pms = Math.min(now, ms + r.int(5, 45) * DAY);
        const amount = status === 'paid' ? total : Math.round(total / 3);
        const payId = idAt('pay', pms);
        await put('payments', [payId, `PAY-${date(pms).slice(0, 4)}-${String(++paymentNo).padStart(6, '0')}`, ord.account.id, 'received', amount, 'CNY', date(pms), 'bank_transfer', `CMB-${paymentNo}`, ...owned(ord.account.owner, pms)]);
        await put('payment_allocations', [idAt('alc', pms), payId, id, amount, iso(pms), ord.account.owner.id]);
      }
      recordEvents('invoice', id, ord.account.owner.id, ms, ['issue', 'paid', 'updated'], { status: 'draft', totalMinor: total });
      if (events.length >= BATCH) await flushEvents();
    }
    await flushEvents();
    await flush();
    // What the application writes on an invoice when it is settled (its paid date and origin dates,
    // migration 019) is completed by the migration's own set-based backfill.
    await backfillInvoicePaidDates(db.handle.db);
    log(`  orders ${counts.orders}, invoices ${counts.invoices}, payments ${counts.payments ?? 0}, events ${counts.events} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

    // PostgreSQL's autovacuum would analyze the new tables within minutes; do it now. SQLite is left as
    // the application leaves it (no ANALYZE).
    if (db.dialect === 'postgres') await sql`analyze`.execute(db.handle.db);
    return {
      counts,
      users: { admin: admin.id, rep: rep.id, finance: finance.id, password, emails },
      repTeamId: teams[0]!,
      pipelineId,
      stageIds: stages.map((s) => s.id),
      sample,
    };
  } finally {
    await writer.close();
  }
}
