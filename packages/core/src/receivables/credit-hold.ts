import type { OrderTable } from '@openltc/db';
import type { Ctx } from '../platform/context.ts';
import { SYSTEM } from '../platform/permissions.ts';
import { today } from '../platform/clock.ts';
import { daysPastDue } from '../money/aging.ts';
import { formatMinor } from '../payments/payments.ts';
import { legalEntityFor } from '../billing/legal-entities.ts';
import { receivableInvoices } from './ar.repo.ts';
import { creditHoldFindings, OVERDUE_HOLD_DAYS } from './credit-policy.ts';

/**
 * The credit check at order confirmation: null when the order may be confirmed, else the reason to
 * put it on hold (credit limit, overdue invoices). The account's whole position counts, whoever
 * confirms: it is read as the system, not in the caller's scope. Credit limits are in the account's
 * currency; an order in another currency is checked for overdue invoices only.
 */
export async function creditHoldReason(tx: Ctx, order: OrderTable): Promise<string | null> {
  const account = await tx.db.selectFrom('accounts').select(['id', 'currency', 'creditLimitMinor']).where('id', '=', order.accountId).executeTakeFirst();
  if (!account) return null;
  const le = await legalEntityFor(tx.db, order.legalEntityId);
  const asOf = today(le.timezone);
  const sys: Ctx = { ...tx, user: SYSTEM };
  const currencies = [...new Set([account.currency, order.currency])];
  const rows = (await Promise.all(currencies.map(async (currency) => (await receivableInvoices(sys, { currency, accountId: account.id })).map((r) => ({ ...r, currency }))))).flat();
  const owed = rows.filter((r) => r.outstandingMinor > 0);
  const outstandingMinor = owed.filter((r) => r.currency === account.currency).reduce((s, r) => s + r.outstandingMinor, 0);
  const overdue = owed
    .map((r) => ({ number: r.number, daysPastDue: daysPastDue(r.dueDate, asOf), outstandingMinor: r.outstandingMinor }))
    .filter((r) => r.daysPastDue > OVERDUE_HOLD_DAYS)
    .sort((a, b) => b.daysPastDue - a.daysPastDue);
  const findings = creditHoldFindings(
    {
      currency: account.currency,
      creditLimitMinor: account.creditLimitMinor === null ? null : Number(account.creditLimitMinor),
      outstandingMinor,
      orderTotalMinor: order.currency === account.currency ? order.totalMinor : null,
      overdue,
    },
    (m) => formatMinor(m, account.currency),
  );
  return findings.length ? findings.map((f) => f.message).join('; ') : null;
}
