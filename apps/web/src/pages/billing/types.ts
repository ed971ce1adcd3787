import type { Doc } from '../documents/types.ts';

export interface ScheduleItem {
  id: string;
  seq: number;
  kind: 'payment_plan' | 'milestone' | 'recurring';
  description: string;
  percent: string | null;
  currency: string;
  amountMinor: number;
  netMinor: number;
  taxMinor: number;
  trigger: 'date' | 'delivery_accepted' | 'order_accepted' | 'manual';
  deliveryId?: string | null;
  /** Recurring items: the order line they bill and their frequency and timing. */
  orderLineId?: string | null;
  frequency?: string | null;
  timing?: string | null;
  offsetDays: number;
  billDate: string | null;
  reachedOn: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  status: 'planned' | 'due' | 'invoiced' | 'cancelled';
  billableToday: boolean;
  invoiceId: string | null;
  invoiceNumber: string | null;
  requestId: string | null;
  cancelReason: string | null;
  allowedActions: string[];
  version: number;
}

export interface Schedule {
  orderId: string;
  currency: string;
  orderTotalMinor: number;
  scheduledMinor: number;
  invoicedMinor: number;
  items: ScheduleItem[];
}

export interface PaymentTerm {
  description: string;
  percent: string;
  due: 'on_signing' | 'on_order' | 'fixed_date' | 'on_acceptance' | 'after_acceptance';
  dueDate?: string | null;
  days?: number;
}

export interface InvoiceRequest extends Doc {
  orderId: string;
  orderNumber: string | null;
  accountId: string;
  invoiceType: 'special' | 'normal';
  buyerName: string;
  buyerTaxId: string;
  buyerAddressPhone: string;
  buyerBankAccount: string;
  remarks: string;
  lines: Array<{ orderLineId: string; quantity: string }> | null;
  scheduleItemIds: string[];
  currency: string;
  amountMinor: number;
  invoiceId: string | null;
  invoiceNumber: string | null;
  rejectReason: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  ownerId: string | null;
}

export interface BillingRun {
  id: string;
  asOf: string;
  status: 'running' | 'completed' | 'failed' | 'abandoned';
  chunks: number;
  itemsInvoiced: number;
  invoicesCreated: number;
  totalMinor: number;
  firstNumber: string | null;
  lastNumber: string | null;
  skipped: number;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}
