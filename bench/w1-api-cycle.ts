import type { Kysely } from 'kysely';
import * as core from '@openltc/core';
import type { Dialect } from '@openltc/db';
import { freshBenchDb, type BenchDb } from './lib/db.ts';
import { ServerProcess } from './lib/server.ts';
import { Client, boundedLoop, type Reply } from './lib/http.ts';
import { Recorder, summarize, type Summary } from './lib/stats.ts';
import { WriteCapture, countRows, replayPostgres, replaySqlite, type StepWrites } from './lib/capture.ts';
import { figure, type Figure } from './lib/report.ts';
import { writeTemplate, type RawCall } from './lib/raw-http.ts';
import type { Size } from './lib/sizes.ts';

/**
 * W1 — the lead-to-cash cycle over HTTP. Each virtual user walks a lead to a paid invoice through the
 * real server (a child process on 127.0.0.1), every document type on the way, each call as the role
 * that makes it. Ceilings from the same run: the same rows written by the raw driver in as many
 * transactions (no HTTP, no validation, no reads); a bare route of the same framework under the
 * same concurrency; and the two together — the same calls, bodies and replies over HTTP, each bare route
 * running its call's raw writes (lib/raw-http.ts), the fair physical limit of "HTTP + the same rows".
 */
export interface Actors {
  rep: string;
  manager: string;
  legal: string;
  ops: string;
  fin: string;
}

export interface Catalog {
  serverId: string;
  implId: string;
}

export const STEPS = [
  'lead.create',
  'lead.qualify',
  'lead.convert',
  'quote.create',
  'quote.submit',
  'quote.approve',
  'quote.send',
  'quote.accept',
  'opportunity.win',
  'contract.create',
  'contract.submit',
  'contract.approve',
  'contract.sign',
  'contract.activate',
  'order.create',
  'order.confirm',
  'delivery.create',
  'delivery.deliver',
  'invoice.create',
  'invoice.issue',
  'payment.create',
  'order.get',
] as const;
export type Step = (typeof STEPS)[number];

/** What a call sends: who makes it, the method and the JSON body. */
export interface CallInfo {
  who: keyof Actors;
  method: string;
  body: unknown;
}

/** Called around each call: times it and lets the capture look at the database. */
export type Around = (step: Step, call: () => Promise<Reply>, info: CallInfo) => Promise<Reply>;

async function expect(step: Step, r: Promise<Reply>, status: number): Promise<any> {
  const res = await r;
  if (res.status !== status) throw new Error(`W1 ${step}: expected ${status}, got ${res.status}: ${JSON.stringify(res.body).slice(0, 400)}`);
  return res.body;
}

/** One cycle, lead to cash. `cookies` holds the session cookie of each role. */
export async function cycle(http: Client, cookies: Actors, cat: Catalog, n: number, around: Around): Promise<void> {
  const call = (step: Step, who: keyof Actors, method: string, path: string, body: unknown, status = 200) =>
    expect(step, around(step, () => http.request(method, path, body, { cookie: cookies[who] }), { who, method, body }), status);
  const lead = await call('lead.create', 'rep', 'POST', '/api/v1/leads', { name: `王芳 ${n}`, company: `苏州恒信智能制造有限公司 ${n}`, email: `wang.fang.${n}@hengxin.example`, source: '展会' }, 201);
  await call('lead.qualify', 'rep', 'POST', `/api/v1/leads/${lead.id}/qualify`, {});
  const conv = await call('lead.convert', 'rep', 'POST', `/api/v1/leads/${lead.id}/convert`, { amountMinor: 20_000_000, expectedCloseDate: '2027-03-31' });
  const opp: string = conv.opportunityId;
  const quote = await call('quote.create', 'rep', 'POST', `/api/v1/opportunities/${opp}/quotes`, { lines: [{ productId: cat.serverId, quantity: '2' }, { productId: cat.implId, quantity: '10', discountRate: '0.1' }] }, 201);
  await call('quote.submit', 'rep', 'POST', `/api/v1/quotes/${quote.id}/submit`, {});
  await call('quote.approve', 'manager', 'POST', `/api/v1/quotes/${quote.id}/approve`, {});
  await call('quote.send', 'rep', 'POST', `/api/v1/quotes/${quote.id}/send`, {});
  await call('quote.accept', 'rep', 'POST', `/api/v1/quotes/${quote.id}/accept`, {});
  await call('opportunity.win', 'rep', 'POST', `/api/v1/opportunities/${opp}/win`, {});
  const contract = await call('contract.create', 'rep', 'POST', `/api/v1/quotes/${quote.id}/contract`, { startDate: '2026-12-01', endDate: '2027-11-30' }, 201);
  await call('contract.submit', 'rep', 'POST', `/api/v1/contracts/${contract.id}/submit`, {});
  await call('contract.approve', 'legal', 'POST', `/api/v1/contracts/${contract.id}/approve`, {});
  await call('contract.sign', 'rep', 'POST', `/api/v1/contracts/${contract.id}/sign`, { signedBy: '张总' });
  await call('contract.activate', 'rep', 'POST', `/api/v1/contracts/${contract.id}/activate`, {});
  const order = await call('order.create', 'ops', 'POST', `/api/v1/contracts/${contract.id}/order`, {}, 201);
  await call('order.confirm', 'ops', 'POST', `/api/v1/orders/${order.id}/confirm`, {});
  const lines = order.lines.map((l: any) => ({ orderLineId: l.id, quantity: l.orderedQty }));
  const delivery = await call('delivery.create', 'ops', 'POST', `/api/v1/orders/${order.id}/deliveries`, { lines, carrier: '顺丰速运', trackingNo: `SF${n}` }, 201);
  await call('delivery.deliver', 'ops', 'POST', `/api/v1/deliveries/${delivery.id}/deliver`, {});
  const invoice = await call('invoice.create', 'fin', 'POST', `/api/v1/deliveries/${delivery.id}/invoice`, {}, 201);
  await call('invoice.issue', 'fin', 'POST', `/api/v1/invoices/${invoice.id}/issue`, {});
  await call('payment.create', 'fin', 'POST', '/api/v1/payments', { accountId: order.accountId, amountMinor: invoice.totalMinor, currency: 'CNY', receivedOn: '2027-01-15', method: 'bank_transfer', reference: `CMB-${n}`, allocations: [{ invoiceId: invoice.id, amountMinor: invoice.totalMinor }] }, 201);
  const done = await call('order.get', 'rep', 'GET', `/api/v1/orders/${order.id}`, undefined);
  if (done.paidPct !== 100) throw new Error(`W1: the order is ${done.paidPct} % paid after the cycle`);
}

/** Users for `vus` virtual users (each its own people, so sessions are not shared), signed in over HTTP. */
export async function signIn(db: BenchDb, http: Client, vus: number): Promise<Actors[]> {
  const sys: core.Ctx = { db: db.handle.db, dialect: db.handle.dialect, user: core.SYSTEM, requestId: null };
  const password = 'bench password 1';
  const stamp = Date.now().toString(36);
  const out: Actors[] = [];
  for (let v = 0; v < vus; v++) {
    const team = await core.createTeam(sys, `Bench team ${stamp}-${v}`, null);
    const roles: Array<[keyof Actors, core.Role, string | null]> = [
      ['rep', 'sales_rep', team.id],
      ['manager', 'sales_manager', team.id],
      ['legal', 'legal', null],
      ['ops', 'operations', null],
      ['fin', 'finance', null],
    ];
    const cookies = {} as Actors;
    for (const [key, role, teamId] of roles) {
      const email = `bench.${key}.${v}.${stamp}@example.com`;
      await core.createUser(sys, { email, name: `${key} ${v}`, password, role, teamId });
      const r = await http.request('POST', '/api/v1/auth/login', { email, password });
      if (r.status !== 200) throw new Error(`W1 login failed: ${r.status} ${JSON.stringify(r.body)}`);
      const raw = r.headers['set-cookie'] ?? [];
      cookies[key] = raw.map((c) => c.split(';')[0]).join('; ');
    }
    out.push(cookies);
  }
  return out;
}

export async function seedCatalog(db: BenchDb): Promise<Catalog> {
  const sys: core.Ctx = { db: db.handle.db, dialect: db.handle.dialect, user: core.SYSTEM, requestId: null };
  const stamp = Date.now().toString(36);
  const server = await core.createProduct(sys, { sku: `SRV-${stamp}`, name: '边缘服务器', kind: 'goods', unit: '台', listPriceMinor: 8_600_000, taxRate: '0.13' });
  const impl = await core.createProduct(sys, { sku: `IMPL-${stamp}`, name: '实施服务', kind: 'service', unit: '人天', listPriceMinor: 250_000, taxRate: '0.06' });
  return { serverId: server.id, implId: impl.id };
}

export interface LoadResult {
  cycles: number;
  ms: number;
  cyclesPerSec: number;
  callsPerSec: number;
  perCall: Record<string, Summary>;
}

/** The measured loop: `users` virtual users, `cycles` cycles at most, `maxSeconds` at most. */
export async function cycleLoad(http: Client, actors: Actors[], cat: Catalog, users: number, cycles: number, maxSeconds: number, offset = 0): Promise<LoadResult> {
  const rec = new Recorder();
  const around: Around = async (step, fn) => {
    const t = performance.now();
    const r = await fn();
    rec.add(step, performance.now() - t);
    return r;
  };
  const { done, ms } = await boundedLoop(users, cycles, maxSeconds * 1000, (u, i) => cycle(http, actors[u % actors.length]!, cat, offset + i, around));
  return { cycles: done, ms, cyclesPerSec: (done / ms) * 1000, callsPerSec: ((done * STEPS.length) / ms) * 1000, perCall: rec.summaries() };
}

export interface W1Result {
  figures: Figure[];
  details: Record<string, unknown>;
}

/** W1 measures CPU, not memory: its servers do not sample their RSS (W5 does). */
const NO_RSS_SAMPLING = { BENCH_RSS_SAMPLE_MS: '0' };

export async function runW1(dialect: Dialect, pgUrl: string | undefined, size: Size, log: (m: string) => void): Promise<W1Result> {
  const { users, cycles, maxSeconds } = size.w1;
  const db = await freshBenchDb(dialect, pgUrl);
  let server: ServerProcess | null = null;
  let bare: ServerProcess | null = null;
  let rawHttp: ServerProcess | null = null;
  try {
    const cat = await seedCatalog(db);
    server = await ServerProcess.start('app', { ...db.serverEnv, ...NO_RSS_SAMPLING });
    const http = new Client(server.port, users);
    const actors = await signIn(db, http, users);

    // A first cycle warms the server up and creates the number series; the second runs call by call
    // to capture what each call writes in the steady state.
    await cycle(http, actors[0]!, cat, 0, (_step, fn) => fn());
    const raw = db.handle.db.withoutPlugins() as unknown as Kysely<any>;
    const capture = await WriteCapture.open(raw);
    const template: StepWrites[] = [];
    const calls: Array<RawCall & { who: keyof Actors }> = [];
    await cycle(http, actors[0]!, cat, 1, async (step, fn, info) => {
      const before = await capture.snapshot();
      const r = await fn();
      template.push(capture.diff(step, before, await capture.snapshot()));
      calls.push({ step, who: info.who, method: info.method, status: r.status, body: info.body, reply: r.body });
      return r;
    });
    const writes = countRows(template);
    log(`W1 ${dialect}: a cycle is ${STEPS.length} calls writing ${writes.inserts} rows and ${writes.updates} updates in ${writes.transactions} transactions`);

    const cpu0 = await server.cpuMs();
    const load = await cycleLoad(http, actors, cat, users, cycles, maxSeconds, 2);
    const serverCpuMs = (await server.cpuMs()) - cpu0;
    http.close();
    log(`W1 ${dialect}: ${load.cycles} cycles in ${(load.ms / 1000).toFixed(1)} s with ${users} users`);
    await server.stop();
    server = null;

    // Ceiling 1: the same rows by the raw driver, on the same database, as many cycles (at least 1 s of work).
    let rawCycles = 0;
    let rawMs = 0;
    let rawCpuMs = 0;
    const batch = Math.max(load.cycles, 1);
    while (rawMs < 1000 && rawCycles < batch * 50) {
      const r =
        dialect === 'sqlite'
          ? replaySqlite(db.handle.location, template, batch, rawCycles + 1)
          : await replayPostgres(db.url!, template, batch, users, rawCycles + 1);
      rawCycles += batch;
      rawMs += r.ms;
      if ('cpuMs' in r) rawCpuMs += (r as { cpuMs: number }).cpuMs;
    }
    const rawPerSec = (rawCycles / rawMs) * 1000;
    log(`W1 ${dialect}: raw driver ${rawCycles} cycles in ${(rawMs / 1000).toFixed(2)} s`);

    // Ceiling 2: a bare route of the same framework, same client, same concurrency, as many requests.
    bare = await ServerProcess.start('bare', NO_RSS_SAMPLING);
    const bareHttp = new Client(bare.port, users);
    const rec = new Recorder();
    const body = { name: '王芳', company: '苏州恒信智能制造有限公司', source: '展会' };
    const requests = Math.max(load.cycles * STEPS.length, 200);
    const b = await boundedLoop(users, requests, maxSeconds * 1000, async () => {
      const t = performance.now();
      const r = await bareHttp.request('POST', '/bare', body);
      rec.add('bare', performance.now() - t);
      if (r.status !== 200) throw new Error(`bare route answered ${r.status}`);
    });
    bareHttp.close();
    const barePerSec = (b.done / b.ms) * 1000;
    const bareLat = summarize(rec.samples.get('bare') ?? []);
    await bare.stop();
    bare = null;

    // Ceiling 3: the same calls over HTTP, each bare route running its call's raw writes.
    const rawHttpCycles = Math.max(load.cycles, 1);
    const templateFile = writeTemplate(db.dir, {
      dialect,
      location: dialect === 'sqlite' ? db.handle.location : db.url!,
      steps: template,
      calls,
      cycles: rawHttpCycles,
      first: 1_000_000,
      poolSize: users,
    });
    rawHttp = await ServerProcess.start('raw-http', { BENCH_RAW_TEMPLATE: templateFile, ...NO_RSS_SAMPLING });
    const rawHttpClient = new Client(rawHttp.port, users);
    const rh0 = await rawHttp.cpuMs();
    const rh = await boundedLoop(users, rawHttpCycles, maxSeconds * 1000, async (u, i) => {
      const cookies = actors[u % actors.length]!;
      for (let c = 0; c < calls.length; c++) {
        const call = calls[c]!;
        const r = await rawHttpClient.request(call.method, `/raw/${i}/${c}`, call.body, { cookie: cookies[call.who] });
        if (r.status !== call.status) throw new Error(`raw-http ${call.step}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
      }
    });
    const rawHttpCpuMs = (await rawHttp.cpuMs()) - rh0;
    rawHttpClient.close();
    await rawHttp.stop();
    rawHttp = null;
    const rawHttpPerSec = (rh.done / rh.ms) * 1000;
    const rawHttpCpuPerCycle = rawHttpCpuMs / Math.max(rh.done, 1);
    log(`W1 ${dialect}: raw writes behind bare routes ${rh.done} cycles in ${(rh.ms / 1000).toFixed(2)} s, ${rawHttpCpuPerCycle.toFixed(2)} ms server CPU per cycle`);

    const figures: Figure[] = [
      figure({
        workload: 'W1',
        db: dialect,
        name: 'lead-to-cash cycles/s vs raw driver',
        value: load.cyclesPerSec,
        unit: 'cycles/s',
        better: 'higher',
        ceiling: { name: 'raw driver, same rows', value: rawPerSec },
        ...(dialect === 'sqlite' ? { target: { on: 'ratio' as const, op: '>=' as const, limit: 0.5 } } : {}),
      }),
      figure({
        workload: 'W1',
        db: dialect,
        name: 'lead-to-cash cycles/s vs raw driver behind bare routes',
        value: load.cyclesPerSec,
        unit: 'cycles/s',
        better: 'higher',
        ceiling: { name: 'same calls over HTTP, raw writes', value: rawHttpPerSec },
      }),
      figure({
        workload: 'W1',
        db: dialect,
        name: `HTTP calls/s (${STEPS.length} per cycle) vs bare route`,
        value: load.callsPerSec,
        unit: 'req/s',
        better: 'higher',
        ceiling: { name: 'bare Fastify route', value: barePerSec },
      }),
    ];
    // Throughput is what the budget speaks of, but on a shared machine it moves with everyone's load.
    // The server's CPU time per cycle hardly does: the same ratio, from CPU time (SQLite only, where
    // the raw replay runs in this process; PostgreSQL's work is in its own server processes).
    const cpuPerCycle = serverCpuMs / Math.max(load.cycles, 1);
    figures.push(
      figure({
        workload: 'W1',
        db: dialect,
        name: `cycles per CPU-second (server ${cpuPerCycle.toFixed(1)} ms CPU/cycle) vs raw writes behind bare routes`,
        value: 1000 / cpuPerCycle,
        unit: 'cycles/s',
        better: 'higher',
        ceiling: { name: `raw writes behind bare routes, ${rawHttpCpuPerCycle.toFixed(2)} ms CPU/cycle`, value: 1000 / rawHttpCpuPerCycle },
      }),
    );
    if (dialect === 'sqlite' && rawCpuMs > 0)
      figures.push(
        figure({
          workload: 'W1',
          db: dialect,
          name: `cycles per CPU-second (server ${cpuPerCycle.toFixed(1)} ms CPU/cycle) vs raw driver`,
          value: 1000 / cpuPerCycle,
          unit: 'cycles/s',
          better: 'higher',
          ceiling: { name: `raw driver, ${(rawCpuMs / rawCycles).toFixed(2)} ms CPU/cycle`, value: (1000 * rawCycles) / rawCpuMs },
        }),
      );
    for (const step of STEPS) {
      const s = load.perCall[step];
      if (!s) continue;
      figures.push(
        figure({
          workload: 'W1',
          db: dialect,
          name: `${step} p50 / p99 ${s.p99.toFixed(1)} ms`,
          value: s.p50,
          unit: 'ms',
          better: 'lower',
          ceiling: { name: 'bare p50', value: bareLat.p50 },
        }),
      );
    }
    return {
      figures,
      details: {
        users,
        cycles: load.cycles,
        seconds: load.ms / 1000,
        cyclesPerSec: load.cyclesPerSec,
        callsPerSec: load.callsPerSec,
        serverCpuMsPerCycle: cpuPerCycle,
        rawCpuMsPerCycle: rawCpuMs ? rawCpuMs / rawCycles : undefined,
        perCall: load.perCall,
        writesPerCycle: writes,
        template: template.map((s) => ({ step: s.name, transactions: s.transactions.map((tx) => tx.map((op) => `${op.kind} ${op.table}`)) })),
        rawDriver: { cycles: rawCycles, seconds: rawMs / 1000, cyclesPerSec: rawPerSec, concurrency: dialect === 'sqlite' ? 1 : users },
        bareRoute: { requests: b.done, seconds: b.ms / 1000, requestsPerSec: barePerSec, latency: bareLat },
        rawWritesBehindBareRoutes: { cycles: rh.done, seconds: rh.ms / 1000, cyclesPerSec: rawHttpPerSec, serverCpuMsPerCycle: rawHttpCpuPerCycle, concurrency: users },
      },
    };
  } finally {
    await server?.stop();
    await bare?.stop();
    await rawHttp?.stop();
    await db.drop();
  }
}
