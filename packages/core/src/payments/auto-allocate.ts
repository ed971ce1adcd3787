/** An open invoice that a payment may go to, with what it still owes. */
export interface OpenInvoice {
  id: string;
  number: string | null;
  issueDate: string | null;
  dueDate: string | null;
  outstandingMinor: number;
}

/** Oldest due first, then oldest issued, then by number (and id, so the order is total). */
export function allocationOrder(a: OpenInvoice, b: OpenInvoice): number {
  const k = (x: OpenInvoice) => [x.dueDate ?? '9999-12-31', x.issueDate ?? '9999-12-31', x.number ?? '', x.id];
  const ka = k(a);
  const kb = k(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  return 0;
}

/**
 * Spreads what a payment has left over open invoices, oldest due first: each invoice takes what it
 * owes until the money runs out; the last one may be paid in part. What is left over stays on the
 * payment as the customer's credit.
 */
export function planAutoAllocation(availableMinor: number, invoices: readonly OpenInvoice[]): Array<{ invoiceId: string; amountMinor: number }> {
  let left = availableMinor;
  const out: Array<{ invoiceId: string; amountMinor: number }> = [];
  for (const inv of [...invoices].sort(allocationOrder)) {
    if (left <= 0) break;
    if (inv.outstandingMinor <= 0) continue;
    const amountMinor = Math.min(left, inv.outstandingMinor);
    out.push({ invoiceId: inv.id, amountMinor });
    left -= amountMinor;
  }
  return out;
}
