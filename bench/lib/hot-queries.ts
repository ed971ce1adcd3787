import * as core from '@openltc/core';
import type { Ctx } from '@openltc/core';
import type { Dataset } from './bulk.ts';

/**
 * The list queries people run all day, through the real use cases: filtered, sorted, paged, as an
 * administrator (scope: all), a sales rep (scope: own team) and finance. W4 times them at scale;
 * the query-plan test checks that the `indexed` ones read through indexes, not whole tables.
 */
export type Actor = 'admin' | 'rep' | 'finance';

export interface Picks {
  one(list: keyof Dataset['sample']): string;
  data: Dataset;
}

export interface HotQuery {
  name: string;
  as: Actor;
  /** The budget holds for these: they must read through an index. */
  indexed: boolean;
  /** Untimed preparation (e.g. walking to a deep page); its result is passed to run. */
  prepare?: (ctx: Ctx, p: Picks) => Promise<Record<string, unknown>>;
  run: (ctx: Ctx, p: Picks, prepared: Record<string, unknown>) => Promise<unknown>;
}

const PAGE = 50;

export const HOT_QUERIES: HotQuery[] = [
  { name: 'leads: newest', as: 'admin', indexed: true, run: (c) => core.listLeads(c, { limit: PAGE }) },
  { name: 'leads: status, newest', as: 'admin', indexed: true, run: (c) => core.listLeads(c, { status: 'working', limit: PAGE }) },
  { name: 'leads: status + source, newest', as: 'admin', indexed: true, run: (c) => core.listLeads(c, { status: 'new', source: '展会', limit: PAGE }) },
  {
    name: 'leads: newest, page 5 (cursor)',
    as: 'admin',
    indexed: true,
    prepare: async (c) => {
      let cursor: string | undefined;
      for (let i = 0; i < 4; i++) cursor = (await core.listLeads(c, { limit: PAGE, ...(cursor ? { cursor } : {}) })).nextCursor ?? undefined;
      return { cursor };
    },
    run: (c, _p, prep) => core.listLeads(c, { limit: PAGE, ...(prep.cursor ? { cursor: prep.cursor as string } : {}) }),
  },
  { name: 'leads: newest (team scope)', as: 'rep', indexed: true, run: (c) => core.listLeads(c, { limit: PAGE }) },
  { name: 'leads: status, newest (team scope)', as: 'rep', indexed: true, run: (c) => core.listLeads(c, { status: 'qualified', limit: PAGE }) },
  { name: 'leads: by score (no index)', as: 'admin', indexed: false, run: (c) => core.listLeads(c, { sort: '-score', limit: PAGE }) },
  { name: 'leads: search q (no index)', as: 'admin', indexed: false, run: (c) => core.listLeads(c, { q: '恒信', limit: PAGE }) },
  { name: 'opportunities: open, by close date', as: 'admin', indexed: true, run: (c) => core.listOpportunities(c, { status: 'open', sort: 'expectedCloseDate', limit: PAGE }) },
  {
    name: 'opportunities: stage column, newest',
    as: 'admin',
    indexed: true,
    run: (c, p) => core.listOpportunities(c, { pipelineId: p.data.pipelineId, stageId: p.data.stageIds[1], limit: PAGE }),
  },
  { name: 'opportunities: account', as: 'admin', indexed: true, run: (c, p) => core.listOpportunities(c, { accountId: p.one('oppAccounts'), limit: PAGE }) },
  { name: 'opportunities: newest (team scope)', as: 'rep', indexed: true, run: (c) => core.listOpportunities(c, { limit: PAGE }) },
  { name: 'invoices: issued, by due date', as: 'finance', indexed: true, run: (c) => core.listInvoices(c, { status: 'issued', sort: 'dueDate', limit: PAGE }) },
  { name: 'invoices: newest', as: 'finance', indexed: true, run: (c) => core.listInvoices(c, { limit: PAGE }) },
  { name: 'invoices: account', as: 'finance', indexed: true, run: (c, p) => core.listInvoices(c, { accountId: p.one('invoiceAccounts'), limit: PAGE }) },
  { name: 'invoices: newest (team scope)', as: 'rep', indexed: true, run: (c) => core.listInvoices(c, { limit: PAGE }) },
  { name: 'timeline: lead', as: 'admin', indexed: true, run: (c, p) => core.recordTimeline(c, 'leads', p.one('leads')) },
  { name: 'timeline: invoice', as: 'finance', indexed: true, run: (c, p) => core.recordTimeline(c, 'invoices', p.one('invoices')) },
];

/** The same lists over HTTP (the route, validation, auth and JSON included). */
export const HTTP_QUERIES: Array<{ name: string; as: Actor; path: string }> = [
  { name: 'GET /leads?status (team scope)', as: 'rep', path: '/api/v1/leads?status=qualified&limit=50' },
  { name: 'GET /invoices?status&sort=dueDate', as: 'finance', path: '/api/v1/invoices?status=issued&sort=dueDate&limit=50' },
];

export async function contexts(data: Dataset, ctx: Omit<Ctx, 'user'>): Promise<Record<Actor, Ctx>> {
  const out = {} as Record<Actor, Ctx>;
  for (const a of ['admin', 'rep', 'finance'] as const) {
    const user = await core.principalFor(ctx.db, data.users[a], 'session');
    if (!user) throw new Error(`bench user ${a} is missing`);
    out[a] = { ...ctx, user };
  }
  return out;
}

/**
 * The home page's key figures (`GET /analytics/kpis`, computed by core.computeKpis), for the periods the
 * dashboard offers, as the roles that look at them. One call computes every figure; W4 times each
 * statement it sends and gives each figure the time of the statements it is computed from.
 */
export interface KpiCall {
  name: string;
  as: Actor;
  period: 'quarter' | 'year';
}
export const KPI_CALLS: KpiCall[] = [
  { name: 'KPIs, this quarter', as: 'admin', period: 'quarter' },
  { name: 'KPIs, this year', as: 'admin', period: 'year' },
  { name: 'KPIs, this quarter (team scope)', as: 'rep', period: 'quarter' },
  { name: 'KPIs, this quarter', as: 'finance', period: 'quarter' },
];

/** The period's business dates (in UTC; a day's shift does not change what the queries read). */
export function kpiPeriod(kind: KpiCall['period'], now = new Date()): { from: string; to: string } {
  const y = now.getUTCFullYear();
  const m = kind === 'year' ? 0 : Math.floor(now.getUTCMonth() / 3) * 3;
  const last = kind === 'year' ? new Date(Date.UTC(y, 11, 31)) : new Date(Date.UTC(y, m + 3, 0));
  return { from: new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
}

/**
 * Which dashboard figures a statement of computeKpis feeds, from the table it reads and the column it
 * filters the period on. A statement that matches none is reported under its own SQL (never dropped).
 */
export const KPI_FIGURES: Array<{ figures: string; match: (sql: string) => boolean }> = [
  { figures: 'settings (time zone, currency)', match: (s) => /from "legal_entities"/.test(s) },
  { figures: 'leadsCreated, leadConversionRate, leadToOpportunityRatio, leadNurturingDays', match: (s) => /from "leads"/.test(s) && !/join/.test(s) },
  { figures: 'opportunitiesCreated', match: (s) => /from "opportunities"/.test(s) && /"created_at" >=/.test(s) && !/"closed_at"/.test(s) },
  { figures: 'winRate, winRateByValue, wonAmount, opportunityCycleDays', match: (s) => /from "opportunities"/.test(s) && /"closed_at" >=/.test(s) },
  { figures: 'openPipeline, weightedPipeline, pipelineByCloseMonth', match: (s) => /from "opportunities"/.test(s) && !/"created_at" >=|"closed_at" >=/.test(s) },
  { figures: 'orderFulfilmentDays', match: (s) => /from "orders"/.test(s) && /"fulfilled_at"/.test(s) },
  { figures: 'deliveryCycleDays', match: (s) => /from "deliveries"/.test(s) },
  { figures: 'invoiced', match: (s) => /from "invoices"/.test(s) && /"issue_date"/.test(s) },
  {
    figures: 'leadToCashDays, quoteToCashDays',
    match: (s) => /from "invoices"/.test(s) && /"paid_at"/.test(s),
  },
  { figures: 'cashCollected', match: (s) => /from "payments"/.test(s) },
];

export function kpiFiguresOf(sql: string): string {
  return KPI_FIGURES.find((f) => f.match(sql))?.figures ?? `other: ${sql.slice(0, 80)}`;
}
