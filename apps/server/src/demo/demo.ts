import type { DatabaseHandle } from '@openltc/db';
import * as core from '@openltc/core';
import { setClock, SYSTEM, type Ctx, type Principal, type Role } from '@openltc/core';
import { Rand } from './random.ts';
import { CAMPAIGNS, INDUSTRIES, REGIONS, SOURCES, company, person } from './names.ts';
import { runDownstream, seedCatalog, type DemoCatalog } from './downstream.ts';

/**
 * The demo company 云栈科技 (CloudStack Tech): twelve months of history created through the real use
 * cases with a simulated clock, so every record has its events, links and derived statuses exactly as
 * if people had worked in the product. Deterministic for a given seed.
 */
export interface DemoOptions {
  seed?: number;
  leads?: number;
  /** Days of history ending today. */
  days?: number;
  log?: (msg: string) => void;
}

export interface DemoSummary {
  users: Array<{ email: string; role: Role; name: string }>;
  password: string;
  counts: Record<string, number>;
}

export const DEMO_PASSWORD = 'demo1234';
const DAY = 86_400_000;
const CALL_OUTCOMES = ['connected', 'no_answer', 'left_message', 'connected', 'busy'] as const;
const CALL_SUBJECTS = ['首次电话沟通', '需求确认电话', '预算与决策人确认'];
const TASK_SUBJECTS = ['跟进：发送产品资料', '跟进：约演示时间', '跟进：确认预算'];

interface Staff {
  id: string;
  name: string;
  role: Role;
  teamId: string | null;
  principal: Principal;
}

const STAFF: Array<{ key: string; name: string; role: Role; team: string | null }> = [
  { key: 'marketing', name: '周晓梅 Zhou Xiaomei', role: 'marketing', team: null },
  { key: 'manager.east', name: '陈志强 Chen Zhiqiang', role: 'sales_manager', team: 'east' },
  { key: 'rep.east.1', name: '李娜 Li Na', role: 'sales_rep', team: 'east' },
  { key: 'rep.east.2', name: '王磊 Wang Lei', role: 'sales_rep', team: 'east' },
  { key: 'rep.east.3', name: 'Emma Walker', role: 'sales_rep', team: 'east' },
  { key: 'manager.north', name: '赵建华 Zhao Jianhua', role: 'sales_manager', team: 'north' },
  { key: 'rep.north.1', name: '刘洋 Liu Yang', role: 'sales_rep', team: 'north' },
  { key: 'rep.north.2', name: '孙静 Sun Jing', role: 'sales_rep', team: 'north' },
  { key: 'manager.south', name: '黄丽华 Huang Lihua', role: 'sales_manager', team: 'south' },
  { key: 'rep.south.1', name: '林涛 Lin Tao', role: 'sales_rep', team: 'south' },
  { key: 'rep.south.2', name: 'Daniel Chen', role: 'sales_rep', team: 'south' },
  { key: 'legal', name: '何敏 He Min', role: 'legal', team: null },
  { key: 'operations', name: '郭勇 Guo Yong', role: 'operations', team: null },
  { key: 'finance', name: '徐芳 Xu Fang', role: 'finance', team: null },
  { key: 'viewer', name: '马超 Ma Chao (CEO)', role: 'viewer', team: null },
];

const TEAMS: Record<string, { name: string; region: string }> = {
  east: { name: '华东销售部 East', region: '华东' },
  north: { name: '华北销售部 North', region: '华北' },
  south: { name: '华南销售部 South', region: '华南' },
};

const DISQUALIFY_REASONS = ['无预算 No budget', '非目标客户 Not our segment', '联系不上 Unreachable', '已选竞品 Chose a competitor', '重复线索 Duplicate'];
const LOST_REASONS = ['价格过高 Price', '竞争对手 Competitor', '项目取消 Project cancelled', '时机不对 Timing', '功能不满足 Missing features'];

export async function loadDemoData(handle: DatabaseHandle, opts: DemoOptions = {}): Promise<DemoSummary> {
  const log = opts.log ?? (() => undefined);
  const r = new Rand(opts.seed ?? 20261123);
  const days = opts.days ?? 365;
  const leadCount = opts.leads ?? 3000;
  const sys: Ctx = { db: handle.db, dialect: handle.dialect, user: SYSTEM, requestId: 'demo' };
  const existing = await handle.db.selectFrom('leads').select('id').limit(1).execute();
  if (existing.length) throw core.conflict('demo_not_empty', 'demo data can only be loaded into an empty database');

  const now = Date.now();
  const start = now - days * DAY;
  const at = (t: number) => setClock(() => new Date(t));
  try {
    at(start - 7 * DAY);
    // Organisation: teams and staff.
    const teamIds: Record<string, string> = {};
    for (const [k, t] of Object.entries(TEAMS)) teamIds[k] = (await core.createTeam(sys, t.name)).id;
    const staff = new Map<string, Staff>();
    const users: DemoSummary['users'] = [];
    for (const s of STAFF) {
      const email = `${s.key}@demo.openltc.local`;
      const u = await core.createUser(sys, {
        email,
        name: s.name,
        password: DEMO_PASSWORD,
        role: s.role,
        teamId: s.team ? teamIds[s.team]! : null,
        locale: /^[A-Z]/.test(s.name) ? 'en' : 'zh-CN',
      });
      const principal = (await core.principalFor(handle.db, u.id, 'session'))!;
      staff.set(s.key, { id: u.id, name: s.name, role: s.role, teamId: u.teamId, principal });
      users.push({ email, role: s.role, name: s.name });
    }
    const as = (key: string): Ctx => ({ ...sys, user: staff.get(key)!.principal, requestId: 'demo' });
    const reps = STAFF.filter((s) => s.role === 'sales_rep').map((s) => s.key);
    const repsByTeam = (team: string) => STAFF.filter((s) => s.role === 'sales_rep' && s.team === team).map((s) => s.key);
    const managerOf = (repKey: string) => `manager.${repKey.split('.')[1]}`;

    const catalog: DemoCatalog = await seedCatalog(sys, r);
    log(`organisation: ${staff.size} users, ${catalog.products.length} products`);

    // Leads arrive over the year, a little more each month (growing marketing).
    const counts: Record<string, number> = { leads: 0, converted: 0, opportunities: 0, won: 0, lost: 0 };
    const arrivals: number[] = [];
    for (let i = 0; i < leadCount; i++) {
      const u = r.next();
      arrivals.push(start + Math.floor(Math.sqrt(u) * (now - start - DAY)));
    }
    arrivals.sort((a, b) => a - b);

    for (let i = 0; i < arrivals.length; i++) {
      let t = arrivals[i]!;
      const team = r.weighted([
        ['east', 5],
        ['north', 3],
        ['south', 3],
      ] as const);
      const repKey = r.pick(repsByTeam(team));
      const rep = as(repKey);
      const p = person(r);
      const hasCompany = r.chance(0.92);
      at(t);
      const lead = await core.createLead(rep, {
        name: p.name,
        company: hasCompany ? company(r) : null,
        title: p.title,
        email: p.email,
        phone: p.phone,
        region: r.chance(0.8) ? TEAMS[team]!.region : r.pick(REGIONS),
        industry: r.pick(INDUSTRIES),
        source: r.weighted(SOURCES),
        campaign: r.pick(CAMPAIGNS),
        score: r.int(5, 95),
      });
      counts.leads!++;
      const step = (minDays: number, maxDays: number) => {
        t += r.int(minDays * 24, maxDays * 24) * 3600_000 + r.int(0, 3599) * 1000;
        return t < now;
      };
      // The lead's life: most get worked; some are nurtured; about a third qualify.
      const fate = r.weighted([
        ['stay', 8],
        ['disqualify', 22],
        ['nurture', 12],
        ['qualify', 12],
        ['convert', 46],
      ] as const);
      // Activities, chosen by the lead's index (the random sequence, and so the rest of the demo, stays
      // as it was): every third worked lead had a first call; open leads of the last three weeks have
      // a follow-up task due in the coming week (10:00 Beijing time).
      const followUp = async () => {
        if (now - t > 21 * DAY || t > now) return;
        at(t);
        const due = new Date(now + ((i % 7) + 1) * DAY);
        due.setUTCHours(2, 0, 0, 0);
        await core.createActivity(rep, { type: 'task', parentType: 'lead', parentId: lead.id, subject: TASK_SUBJECTS[i % 3]!, dueAt: due.toISOString() });
        counts.tasks = (counts.tasks ?? 0) + 1;
      };
      if (fate === 'stay') {
        await followUp();
        continue;
      }
      if (!step(0, 3)) continue;
      at(t);
      await core.transitionLead(rep, lead.id, 'work');
      if (i % 3 === 0) {
        await core.createActivity(rep, {
          type: 'call',
          parentType: 'lead',
          parentId: lead.id,
          subject: CALL_SUBJECTS[(i / 3) % 3]!,
          outcome: CALL_OUTCOMES[i % 5],
          direction: 'outbound',
          durationMinutes: (i % 13) + 1,
        });
        counts.calls = (counts.calls ?? 0) + 1;
      }
      if (fate === 'nurture') {
        if (step(1, 10)) {
          at(t);
          await core.transitionLead(rep, lead.id, 'nurture');
          await followUp();
        }
        continue;
      }
      if (fate === 'disqualify') {
        if (step(1, 20)) {
          at(t);
          await core.transitionLead(rep, lead.id, 'disqualify', { reason: r.pick(DISQUALIFY_REASONS) });
        }
        continue;
      }
      if (!step(2, 25)) continue;
      at(t);
      await core.transitionLead(rep, lead.id, 'qualify');
      if (fate === 'qualify' || !hasCompany) {
        await followUp();
        continue;
      }
      if (!step(1, 7)) continue;
      at(t);
      const amountMinor = r.int(8, 400) * 500_000; // ¥40,000 – ¥2,000,000 in steps of ¥5,000
      const conv = await core.convertLead(rep, lead.id, {
        amountMinor,
        expectedCloseDate: new Date(t + r.int(30, 120) * DAY).toISOString().slice(0, 10),
      });
      counts.converted!++;
      counts.opportunities!++;
      const cast: Cast = { rep, manager: as(managerOf(repKey)), legal: as('legal'), operations: as('operations'), finance: as('finance') };
      const res = await runOpportunity(new Sim(r, t, now), cast, conv.opportunityId!, catalog);
      counts[res] = (counts[res] ?? 0) + 1;
      if (i % 250 === 0) log(`leads: ${i + 1}/${arrivals.length}`);
    }
    void reps;
    // Revenue: every month that has ended is closed in order, as finance does after each month end.
    at(now);
    counts.revenueCloses = 0;
    for (let p = await core.listRevenuePeriods(as('finance')); p.nextToClose; p = await core.listRevenuePeriods(as('finance'))) {
      await core.closeRevenuePeriod(as('finance'), { period: p.nextToClose });
      counts.revenueCloses = (counts.revenueCloses ?? 0) + 1;
    }
    const downstream = await handle.db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    counts.orders = Number(downstream.n);
    log(`done: ${JSON.stringify(counts)}`);
    return { users, password: DEMO_PASSWORD, counts };
  } finally {
    setClock(null);
  }
}

/** The simulated clock of one thread of work: each step moves it forward by a random delay. */
export class Sim {
  constructor(
    readonly r: Rand,
    public t: number,
    readonly now: number,
  ) {}
  /** Advances by minDays..maxDays; false when that would be in the future (the work has not happened yet). */
  step(minDays: number, maxDays: number): boolean {
    const next = this.t + this.r.int(minDays * 24, maxDays * 24) * 3600_000 + this.r.int(0, 3599) * 1000;
    if (next >= this.now) return false;
    this.t = next;
    setClock(() => new Date(this.t));
    return true;
  }
}

export interface Cast {
  rep: Ctx;
  manager: Ctx;
  legal: Ctx;
  operations: Ctx;
  finance: Ctx;
}

/** Moves an opportunity through the pipeline and, when won, all the way to cash. */
async function runOpportunity(sim: Sim, cast: Cast, opportunityId: string, catalog: DemoCatalog): Promise<'open' | 'won' | 'lost'> {
  const { r } = sim;
  const pipelines = await core.listPipelines(cast.rep.db);
  const stages = pipelines[0]!.stages.filter((s) => s.kind === 'open');
  const outcome = r.weighted([
    ['won', 38],
    ['lost', 32],
    ['open', 30],
  ] as const);
  const reach = outcome === 'won' ? stages.length - 1 : r.int(1, stages.length - 1);
  for (let s = 1; s <= reach; s++) {
    if (!sim.step(3, 21)) return 'open';
    const cur = await core.getOpportunity(cast.rep, opportunityId);
    await core.updateOpportunity(cast.rep, opportunityId, { stageId: stages[s]!.id }, cur.version);
  }
  const result = await runDownstream(sim, cast, opportunityId, outcome, catalog);
  if (result === 'lost') {
    if (!sim.step(0, 2)) return 'open';
    await core.transitionOpportunity(cast.rep, opportunityId, 'lose', { reason: r.pick(LOST_REASONS) });
  }
  return result;
}
