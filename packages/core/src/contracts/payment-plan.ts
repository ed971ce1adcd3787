import type { ContractPaymentTermTable } from '@openltc/db';
import { inTx, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { nowIso } from '../platform/clock.ts';
import { conflict, validationError, type FieldError } from '../platform/errors.ts';
import { allowedActions } from '../platform/machine.ts';
import { loadVisible, updateRecord } from '../platform/records.ts';
import { recordEvent } from '../platform/events.ts';
import { HUNDRED_PERCENT, formatPercent, parsePercent } from '../billing/schedule-plan.ts';
import { PaymentPlanSet, type PaymentPlanDto } from '../billing/schedule.schema.ts';
import { contractMachine, type ContractState } from './contract.machine.ts';
import { contractDef } from './defs.ts';

/**
 * A contract's payment plan (回款计划): how its value is billed, in percent (30 % on signing, 60 % on
 * acceptance, 10 % a year after acceptance). It is part of the contract's terms, so it changes only
 * while the contract is a draft; orders made from the contract copy it into their billing schedule
 * when they are confirmed.
 */
const termsOf = async (ctx: Ctx, contractId: string): Promise<ContractPaymentTermTable[]> =>
  ctx.db.selectFrom('contractPaymentTerms').selectAll().where('contractId', '=', contractId).orderBy('seq').execute();

const dto = (contractId: string, terms: readonly ContractPaymentTermTable[]): PaymentPlanDto => ({
  contractId,
  terms: terms.map((t) => ({ id: t.id, seq: t.seq, description: t.description, percent: t.percent, due: t.due as PaymentPlanDto['terms'][number]['due'], dueDate: t.dueDate, days: Number(t.days) })),
});

export async function getPaymentPlan(ctx: Ctx, contractId: string): Promise<PaymentPlanDto & { version: number }> {
  const c = await loadVisible(ctx, contractDef, contractId);
  return { ...dto(c.id, await termsOf(ctx, c.id)), version: c.version };
}

/** Replaces the plan of a draft contract. An empty list removes it; otherwise the percentages add up to 100. */
export async function setPaymentPlan(ctx: Ctx, contractId: string, input: unknown, expectedVersion?: number): Promise<PaymentPlanDto & { version: number }> {
  const data = PaymentPlanSet.parse(input);
  return inTx(ctx, async (tx) => {
    const before = await loadVisible(tx, contractDef, contractId, 'write');
    if (before.status !== 'draft')
      throw conflict('contract_not_draft', `contract ${before.number} is ${before.status}; its payment plan is part of its terms and changes only in a draft`, {
        currentState: before.status,
        allowedActions: allowedActions(contractMachine, before.status as ContractState),
      });
    const errors: FieldError[] = [];
    let sum = 0n;
    data.terms.forEach((t, i) => {
      try {
        sum += parsePercent(t.percent, `terms.${i}.percent`);
      } catch (e) {
        errors.push(...((e as { extra?: { fields?: FieldError[] } }).extra?.fields ?? []));
      }
      if (t.due === 'fixed_date' && !t.dueDate) errors.push({ path: `terms.${i}.dueDate`, message: 'a fixed-date term needs its date', code: 'required' });
      if (t.due !== 'fixed_date' && t.dueDate) errors.push({ path: `terms.${i}.dueDate`, message: 'only a fixed-date term has a date', code: 'invalid' });
      if (t.due === 'after_acceptance' && !t.days) errors.push({ path: `terms.${i}.days`, message: 'say how many days after acceptance (e.g. 365 for a one-year warranty)', code: 'required' });
      if (t.due !== 'after_acceptance' && t.days) errors.push({ path: `terms.${i}.days`, message: 'only an after-acceptance term has days', code: 'invalid' });
    });
    if (!errors.length && data.terms.length && sum !== HUNDRED_PERCENT)
      errors.push({ path: 'terms', message: `the percentages add up to ${formatPercent(sum)}%, not 100%`, code: 'percent_total' });
    if (errors.length) throw validationError(errors);
    const old = await termsOf(tx, before.id);
    await tx.db.deleteFrom('contractPaymentTerms').where('contractId', '=', before.id).execute();
    const now = nowIso();
    const rows: ContractPaymentTermTable[] = data.terms.map((t, i) => ({
      id: newId('cpt'),
      contractId: before.id,
      seq: i + 1,
      description: t.description,
      percent: formatPercent(parsePercent(t.percent)),
      due: t.due,
      dueDate: t.dueDate ?? null,
      days: t.days ?? 0,
      createdAt: now,
    }));
    if (rows.length) await tx.db.insertInto('contractPaymentTerms').values(rows).execute();
    // The plan is part of the contract: a new version (ETag) and one event with the plan before and after.
    const summary = (ts: readonly ContractPaymentTermTable[]) => ts.map((t) => `${t.percent}% ${t.due}${t.dueDate ? ` ${t.dueDate}` : ''}${Number(t.days) ? ` +${t.days}d` : ''}: ${t.description}`);
    const after = await updateRecord(tx, contractDef, before, {}, { expectedVersion });
    await recordEvent(tx, { entityType: 'contract', entityId: before.id, action: 'payment_plan_set', before: { paymentPlan: summary(old) }, after: { paymentPlan: summary(rows) } });
    return { ...dto(before.id, rows), version: after.version };
  });
}

/** For billing schedules: a contract's plan, read without a scope check (the order made from it is visible). */
export async function paymentPlanForOrder(ctx: Ctx, contractId: string): Promise<{ terms: ContractPaymentTermTable[]; signedAt: string | null }> {
  const c = await ctx.db.selectFrom('contracts').select(['signedAt']).where('id', '=', contractId).executeTakeFirst();
  return { terms: await termsOf(ctx, contractId), signedAt: c?.signedAt ?? null };
}
