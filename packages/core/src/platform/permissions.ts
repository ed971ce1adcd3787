import { forbidden } from './errors.ts';

/**
 * Authorization: which role may do what to which entity, and over which records (scope).
 * One table, read by every use case before it touches data.
 */
export const ROLES = [
  'admin',
  'marketing',
  'sales_rep',
  'sales_manager',
  'legal',
  'operations',
  'finance',
  'viewer',
] as const;
export type Role = (typeof ROLES)[number];

export const ENTITIES = [
  'lead',
  'account',
  'contact',
  'opportunity',
  'product',
  'quote',
  'contract',
  'order',
  'delivery',
  'invoice',
  'credit_note',
  'payment',
  'ledger',
  /** Invoice requests (开票申请): sales asks, finance approves (which issues the invoice) or rejects. */
  'invoice_request',
  /** Revenue recognition: obligations, schedules, the revenue close (finance); progress and milestones (operations). */
  'revenue',
  /** Tax codes and price books: finance and admins write, whoever prices reads. */
  'pricing',
  'user',
  'settings',
] as const;
export type Entity = (typeof ENTITIES)[number];

/** read: see; write: create, edit and move through ordinary steps; approve: the gatekeeping steps. */
export type Action = 'read' | 'write' | 'approve';
/** all: every record; team: the user's teams (and for managers their sub-teams) plus records they own. */
export type Scope = 'all' | 'team';

type Grant = { actions: Action[]; scope: Scope };
const R: Action[] = ['read'];
const RW: Action[] = ['read', 'write'];
const RWA: Action[] = ['read', 'write', 'approve'];

function grants(scope: Scope, map: Partial<Record<Entity, Action[]>>): Partial<Record<Entity, Grant>> {
  const out: Partial<Record<Entity, Grant>> = {};
  for (const [e, actions] of Object.entries(map) as Array<[Entity, Action[]]>) out[e] = { actions, scope };
  return out;
}

const ALL_READ = Object.fromEntries(ENTITIES.filter((e) => e !== 'user' && e !== 'settings').map((e) => [e, R]));

export const POLICY: Record<Role, Partial<Record<Entity, Grant>>> = {
  admin: grants('all', Object.fromEntries(ENTITIES.map((e) => [e, RWA]))),
  viewer: grants('all', ALL_READ),
  marketing: { ...grants('all', { lead: RW, account: R, contact: R, opportunity: R, product: R, pricing: R }) },
  sales_rep: {
    ...grants('team', {
      lead: RW,
      account: RW,
      contact: RW,
      opportunity: RW,
      quote: RW,
      contract: RW,
      order: R,
      delivery: R,
      invoice: R,
      credit_note: R,
      payment: R,
      invoice_request: RW,
    }),
    ...grants('all', { product: R, pricing: R }),
  },
  sales_manager: {
    ...grants('team', {
      lead: RWA,
      account: RWA,
      contact: RWA,
      opportunity: RWA,
      quote: RWA,
      contract: RW,
      order: RW,
      delivery: R,
      invoice: R,
      credit_note: R,
      payment: R,
      invoice_request: RW,
    }),
    ...grants('all', { product: R, pricing: R }),
  },
  legal: grants('all', { contract: RWA, quote: R, account: R, contact: R, opportunity: R, order: R, product: R, pricing: R }),
  operations: grants('all', {
    revenue: RW,
    order: RWA,
    delivery: RWA,
    contract: R,
    quote: R,
    account: R,
    contact: R,
    opportunity: R,
    product: RW,
    pricing: R,
    invoice: R,
    credit_note: R,
  }),
  finance: grants('all', {
    invoice: RWA,
    invoice_request: RWA,
    credit_note: RWA,
    payment: RWA,
    revenue: RWA,
    ledger: RWA,
    order: R,
    delivery: R,
    contract: R,
    quote: R,
    account: RW,
    contact: R,
    opportunity: R,
    product: R,
    pricing: RW,
  }),
};

export interface Principal {
  id: string;
  name: string;
  email: string;
  role: Role;
  teamId: string | null;
  /** The teams whose records the user sees under 'team' scope (their own, plus sub-teams for managers). */
  teamIds: string[];
  /** How the caller authenticated. */
  via: 'session' | 'token' | 'system';
}

export const SYSTEM: Principal = {
  id: 'system',
  name: 'System',
  email: 'system@openltc.local',
  role: 'admin',
  teamId: null,
  teamIds: [],
  via: 'system',
};

export function can(p: Principal, entity: Entity, action: Action): boolean {
  return POLICY[p.role]?.[entity]?.actions.includes(action) ?? false;
}

export function assertCan(p: Principal, entity: Entity, action: Action): void {
  if (!can(p, entity, action)) throw forbidden(`${action} ${entity}s`);
}

export function scopeOf(p: Principal, entity: Entity): Scope | null {
  return POLICY[p.role]?.[entity]?.scope ?? null;
}

/** Whether a record (by its owner and team) is inside the user's scope for this entity. */
export function inScope(p: Principal, entity: Entity, rec: { ownerId: string | null; teamId: string | null }): boolean {
  const scope = scopeOf(p, entity);
  if (scope === 'all') return true;
  if (scope === null) return false;
  return rec.ownerId === p.id || (rec.teamId !== null && p.teamIds.includes(rec.teamId));
}

/** Permissions as the web app needs them to hide or disable what a user may not do. */
export function permissionsOf(role: Role): Record<string, { actions: Action[]; scope: Scope }> {
  return POLICY[role] as Record<string, { actions: Action[]; scope: Scope }>;
}
