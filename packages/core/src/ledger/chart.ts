import type { ChartOfAccountsTable } from '@openltc/db';
import { z } from 'zod';
import { inTx, type Ctx } from '../platform/context.ts';
import { nowIso } from '../platform/clock.ts';
import { fieldError, validationError, type FieldError } from '../platform/errors.ts';
import { recordEvent } from '../platform/events.ts';
import { assertCan } from '../platform/permissions.ts';
import { legalEntityFor } from '../billing/legal-entities.ts';
import { ACCOUNT_ROLES, DEFAULT_CHART_OF_ACCOUNTS, parseChartOfAccounts } from '../money/journal.ts';

/**
 * The chart of accounts of a legal entity: which account code each posting role goes to. Seeded from
 * the defaults of the journal library on first use and edited by finance. Lines keep the code they
 * were posted with, so a change applies to new postings only.
 */

/**
 * The journal library's roles plus customer advances (money received and not, or no longer,
 * allocated) and contract assets (revenue recognised before it is billed, IFRS 15.107; the revenue
 * close books them at each period end and reverses them the next day).
 */
export const LEDGER_ROLES = [
  ...ACCOUNT_ROLES,
  'customerAdvances',
  'contractAsset',
  'interestIncome',
  // Period-end FX revaluation (fx/revaluation.ts): the adjustment accounts beside AR and customer
  // advances, and unrealised exchange gain and loss apart from the realised ones.
  'arRevaluation',
  'advancesRevaluation',
  'unrealisedFxGain',
  'unrealisedFxLoss',
] as const;
export type LedgerRole = (typeof LEDGER_ROLES)[number];

const split = (name: string): { nameZh: string; nameEn: string } => {
  const [zh, ...en] = name.split(' / ');
  return { nameZh: zh!.trim(), nameEn: (en.join(' / ') || zh!).trim() };
};

export const DEFAULT_LEDGER_ACCOUNTS: Readonly<Record<LedgerRole, { code: string; nameZh: string; nameEn: string }>> = Object.freeze({
  ...(Object.fromEntries(ACCOUNT_ROLES.map((r) => [r, { code: DEFAULT_CHART_OF_ACCOUNTS[r].code, ...split(DEFAULT_CHART_OF_ACCOUNTS[r].name) }])) as Record<
    (typeof ACCOUNT_ROLES)[number],
    { code: string; nameZh: string; nameEn: string }
  >),
  customerAdvances: { code: '2203', nameZh: '预收账款', nameEn: 'Customer advances (unallocated receipts)' },
  contractAsset: { code: '1141', nameZh: '合同资产', nameEn: 'Contract assets (unbilled revenue)' },
  // Late-payment interest charged by dunning (the late fee itself goes to feesIncome).
  interestIncome: { code: '660304', nameZh: '财务费用—利息收入', nameEn: 'Interest income (late-payment interest)' },
  arRevaluation: { code: '112299', nameZh: '应收账款—汇兑调整', nameEn: 'Receivables FX revaluation adjustment' },
  advancesRevaluation: { code: '220399', nameZh: '预收账款—汇兑调整', nameEn: 'Customer advances FX revaluation adjustment' },
  unrealisedFxGain: { code: '660305', nameZh: '财务费用—未实现汇兑收益', nameEn: 'Unrealised FX gain (period-end revaluation)' },
  unrealisedFxLoss: { code: '660306', nameZh: '财务费用—未实现汇兑损失', nameEn: 'Unrealised FX loss (period-end revaluation)' },
});

export interface LedgerAccountDto {
  role: LedgerRole;
  code: string;
  nameZh: string;
  nameEn: string;
}
export type LedgerChart = Record<LedgerRole, LedgerAccountDto>;

const accountInput = z
  .object({
    role: z.enum(LEDGER_ROLES),
    code: z.string().regex(/^[0-9A-Za-z.\-_]{1,32}$/, 'letters, digits, dot, dash or underscore, at most 32'),
    nameZh: z.string().trim().min(1).max(200),
    nameEn: z.string().trim().min(1).max(200),
  })
  .strict();

export const ChartQuery = z.object({ legalEntityId: z.string().min(1).max(100).optional().describe('default: the first legal entity') }).strict();
export const ChartUpdate = z
  .object({
    legalEntityId: z.string().min(1).max(100).optional().describe('default: the first legal entity'),
    accounts: z.array(accountInput).min(1).max(LEDGER_ROLES.length).describe('the roles to change; roles not given keep their account'),
  })
  .strict();

export const LedgerAccountDtoSchema = z.object({ role: z.enum(LEDGER_ROLES), code: z.string(), nameZh: z.string(), nameEn: z.string() });
export const ChartDto = z.object({ legalEntityId: z.string(), accounts: z.array(LedgerAccountDtoSchema) });
export type ChartDto = z.infer<typeof ChartDto>;

const toDto = (rows: readonly ChartOfAccountsTable[]): LedgerChart => {
  const chart = Object.fromEntries(LEDGER_ROLES.map((r) => [r, { role: r, ...DEFAULT_LEDGER_ACCOUNTS[r] }])) as LedgerChart;
  for (const row of rows)
    if ((LEDGER_ROLES as readonly string[]).includes(row.role)) chart[row.role as LedgerRole] = { role: row.role as LedgerRole, code: row.code, nameZh: row.nameZh, nameEn: row.nameEn };
  return chart;
};

/**
 * The chart of a legal entity, inserting the default account for any role it does not have yet
 * (first use, or a role added by a later release). Runs inside the caller's transaction.
 */
export async function chartFor(tx: Ctx, legalEntityId: string): Promise<LedgerChart> {
  const rows = await tx.db.selectFrom('chartOfAccounts').selectAll().where('legalEntityId', '=', legalEntityId).execute();
  const have = new Set(rows.map((r) => r.role));
  const missing = LEDGER_ROLES.filter((r) => !have.has(r));
  if (missing.length) {
    const now = nowIso();
    await tx.db
      .insertInto('chartOfAccounts')
      .values(missing.map((role) => ({ legalEntityId, role, ...DEFAULT_LEDGER_ACCOUNTS[role], updatedAt: now, updatedBy: null })))
      .onConflict((oc) => oc.columns(['legalEntityId', 'role']).doNothing())
      .execute();
    return chartFor(tx, legalEntityId);
  }
  return toDto(rows);
}

/** Roles that must not share an account code: sharing would hide receivables, revenue or cash in another figure. */
function checkChart(chart: LedgerChart): void {
  parseChartOfAccounts(Object.fromEntries(ACCOUNT_ROLES.map((r) => [r, { code: chart[r].code, name: `${chart[r].nameZh} / ${chart[r].nameEn}` }])));
  const errors: FieldError[] = [];
  for (const other of ['ar', 'cash', 'revenue', 'vatOutput'] as const)
    if (chart.customerAdvances.code === chart[other].code)
      errors.push({ path: 'accounts', message: `customerAdvances and ${other} cannot share account ${chart[other].code}`, code: 'invalid_chart' });
  for (const other of ['ar', 'revenue', 'deferredRevenue'] as const)
    if (chart.contractAsset.code === chart[other].code)
      errors.push({ path: 'accounts', message: `contractAsset and ${other} cannot share account ${chart[other].code}`, code: 'invalid_chart' });
  if (errors.length) throw validationError(errors);
}

const asDto = (legalEntityId: string, chart: LedgerChart): ChartDto => ({ legalEntityId, accounts: LEDGER_ROLES.map((r) => chart[r]) });

export async function getChartOfAccounts(ctx: Ctx, input: unknown = {}): Promise<ChartDto> {
  const q = ChartQuery.parse(input ?? {});
  assertCan(ctx.user, 'ledger', 'read');
  return inTx(ctx, async (tx) => {
    const le = await legalEntityFor(tx.db, q.legalEntityId);
    return asDto(le.id, await chartFor(tx, le.id));
  });
}

/** Maps roles to other accounts (finance, admin); new postings use them, posted lines keep theirs. */
export async function updateChartOfAccounts(ctx: Ctx, input: unknown): Promise<ChartDto> {
  const data = ChartUpdate.parse(input);
  assertCan(ctx.user, 'ledger', 'approve');
  const roles = data.accounts.map((a) => a.role);
  const twice = roles.find((r, i) => roles.indexOf(r) !== i);
  if (twice) throw fieldError('accounts', `role ${twice} is given twice`, 'duplicate');
  return inTx(ctx, async (tx) => {
    const le = await legalEntityFor(tx.db, data.legalEntityId);
    const before = await chartFor(tx, le.id);
    const after: LedgerChart = { ...before };
    for (const a of data.accounts) after[a.role] = { role: a.role, code: a.code, nameZh: a.nameZh, nameEn: a.nameEn };
    checkChart(after);
    const now = nowIso();
    for (const a of data.accounts)
      await tx.db
        .updateTable('chartOfAccounts')
        .set({ code: a.code, nameZh: a.nameZh, nameEn: a.nameEn, updatedAt: now, updatedBy: tx.user.id })
        .where('legalEntityId', '=', le.id)
        .where('role', '=', a.role)
        .execute();
    await recordEvent(tx, {
      entityType: 'chart_of_accounts',
      entityId: le.id,
      action: 'updated',
      before: Object.fromEntries(data.accounts.map((a) => [a.role, before[a.role]])),
      after: Object.fromEntries(data.accounts.map((a) => [a.role, after[a.role]])),
    });
    return asDto(le.id, after);
  });
}
