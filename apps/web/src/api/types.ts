/** Shapes of the API's DTOs, as the web app reads them (see /api/openapi.json). */

export type PermissionAction = 'read' | 'write' | 'approve';
export interface Grant {
  actions: PermissionAction[];
  scope: 'all' | 'team';
}
export type Permissions = Record<string, Grant | undefined>;

export interface Me {
  user: { id: string; name: string; email: string; role: string; teamId: string | null };
  permissions: Permissions;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Versioned {
  id: string;
  version: number;
  allowedActions?: string[];
  createdAt: string;
  updatedAt?: string;
}

export const LEAD_STATUSES = ['new', 'working', 'nurturing', 'qualified', 'converted', 'disqualified'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export interface Lead extends Versioned {
  name: string;
  company: string | null;
  title: string | null;
  email: string | null;
  phone: string | null;
  region: string | null;
  industry: string | null;
  source: string | null;
  campaign: string | null;
  status: LeadStatus;
  disqualifyReason: string | null;
  score: number;
  /** The scoring rules the score came from (empty when typed by hand). */
  scoreReasons?: Array<{ ruleId: string; name: string; points: number }>;
  importBatchId?: string | null;
  notes: string | null;
  ownerId: string | null;
  teamId: string | null;
  convertedAccountId: string | null;
  convertedContactId: string | null;
  convertedOpportunityId: string | null;
  convertedAt: string | null;
  /** Last touched: the latest activity logged on the lead. */
  lastActivityAt?: string | null;
  allowedActions: string[];
}

export interface Account extends Versioned {
  name: string;
  industry: string | null;
  region: string | null;
  taxId: string | null;
  address: string | null;
  website: string | null;
  currency: string;
  creditLimitMinor: number | null;
  ownerId: string | null;
  teamId: string | null;
  leadId?: string | null;
}

export interface Contact extends Versioned {
  accountId: string;
  name: string;
  title: string | null;
  email: string | null;
  phone: string | null;
  ownerId: string | null;
  leadId?: string | null;
}

export const OPPORTUNITY_STATUSES = ['open', 'won', 'lost'] as const;
export type OpportunityStatus = (typeof OPPORTUNITY_STATUSES)[number];

export interface Opportunity extends Versioned {
  name: string;
  accountId: string;
  contactId: string | null;
  leadId: string | null;
  pipelineId: string;
  stageId: string;
  status: OpportunityStatus;
  amountMinor: number;
  weightedAmountMinor: number;
  currency: string;
  probability: number;
  expectedCloseDate: string | null;
  lostReason: string | null;
  closedAt: string | null;
  ownerId: string | null;
  teamId: string | null;
  allowedActions: string[];
}

export interface Stage {
  id: string;
  name: string;
  sortOrder: number;
  probability: number;
  kind: 'open' | 'won' | 'lost' | string;
  active: boolean;
  /** Opportunity fields a deal needs to enter this stage (stage gate). */
  requiredFields: string[];
  /** Settings view only: opportunities in the stage. */
  opportunityCount?: number;
}
export interface Pipeline {
  id: string;
  name: string;
  isDefault: boolean;
  active: boolean;
  version: number;
  stages: Stage[];
}

export interface TimelineEvent {
  id: string;
  occurredAt: string;
  actorId: string | null;
  actorName: string | null;
  requestId: string | null;
  entityType: string;
  entityId: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: string;
  teamId: string | null;
  locale: string;
  active: boolean;
  createdAt: string;
}

export interface Team {
  id: string;
  name: string;
  parentId: string | null;
}

export interface ConvertResult {
  lead: Lead;
  accountId: string;
  contactId: string;
  opportunityId: string | null;
}
