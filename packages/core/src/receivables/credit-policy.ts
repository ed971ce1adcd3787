/**
 * When an order goes on credit hold instead of being confirmed. Pure, so the rule is tested on its own:
 * - the account has a credit limit and what it owes (outstanding on issued invoices) plus this order's
 *   total would exceed it (equal to the limit is still within it); or
 * - the account has an invoice more than OVERDUE_HOLD_DAYS days past due (31 days or more) with
 *   something still outstanding.
 */
export const OVERDUE_HOLD_DAYS = 30;

export interface CreditPosition {
  currency: string;
  /** null: no limit set. */
  creditLimitMinor: number | null;
  outstandingMinor: number;
  /** This order's total; null when it is in another currency than the limit (not comparable). */
  orderTotalMinor: number | null;
  /** Invoices with something outstanding more than OVERDUE_HOLD_DAYS past due, oldest first. */
  overdue: Array<{ number: string | null; daysPastDue: number; outstandingMinor: number }>;
}

export interface HoldFinding {
  code: 'credit_limit_exceeded' | 'overdue_invoices';
  message: string;
}

export function creditHoldFindings(p: CreditPosition, fmt: (minor: number) => string): HoldFinding[] {
  const out: HoldFinding[] = [];
  if (p.creditLimitMinor !== null && p.orderTotalMinor !== null) {
    const exposure = p.outstandingMinor + p.orderTotalMinor;
    if (exposure > p.creditLimitMinor)
      out.push({
        code: 'credit_limit_exceeded',
        message: `credit limit ${fmt(p.creditLimitMinor)} exceeded: outstanding ${fmt(p.outstandingMinor)} + this order ${fmt(p.orderTotalMinor)} = ${fmt(exposure)}`,
      });
  }
  const late = p.overdue.filter((o) => o.daysPastDue > OVERDUE_HOLD_DAYS && o.outstandingMinor > 0);
  if (late.length)
    out.push({
      code: 'overdue_invoices',
      message: `${late.length} invoice(s) more than ${OVERDUE_HOLD_DAYS} days overdue: ${late
        .slice(0, 5)
        .map((o) => `${o.number ?? '?'} (${o.daysPastDue} days, ${fmt(o.outstandingMinor)})`)
        .join(', ')}${late.length > 5 ? ', …' : ''}`,
    });
  return out;
}
