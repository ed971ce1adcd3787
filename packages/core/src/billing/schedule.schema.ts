import { z } from 'zod';
import { id, isoDate, listQuery, money, reason, text } from '../platform/schema.ts';
import { SCHEDULE_ITEM_KINDS, SCHEDULE_ITEM_STATES, SCHEDULE_TRIGGERS } from './schedule.machine.ts';
import { INVOICE_REQUEST_STATES } from './invoice-request.machine.ts';
import { FREQUENCIES, TIMINGS } from './schedule-plan.ts';

const percent = z.string().regex(/^\d{1,3}(\.\d{1,4})?$/, 'a percentage like 30 or 33.3333').describe('percent of the order (the lines not billed by recurring items)');

/** One payment-plan or milestone item; the amount is a percentage or a fixed amount (not both). */
export const ScheduleItemInput = z
  .object({
    id: id('bsi')
      .optional()
      .describe('an open item of this schedule that this one stays: it keeps its id, and a reached milestone (same trigger and delivery) stays reached'),
    kind: z.enum(['payment_plan', 'milestone']),
    description: text(200).min(1),
    percent: percent.optional(),
    amountMinor: money.optional().describe('a fixed amount in fen, tax included; all items then give amounts that add up to the order'),
    billDate: isoDate.optional().describe('payment_plan: the day it is billed (required)'),
    trigger: z.enum(['delivery_accepted', 'order_accepted', 'manual']).optional().describe('milestone: what makes it due (default manual: operations marks it reached)'),
    deliveryId: id('dlv').optional().describe('milestone with trigger delivery_accepted: the delivery whose acceptance makes it due'),
    offsetDays: z.number().int().min(0).max(3650).optional().describe('milestone: bill this many days after it is reached (e.g. a warranty period)'),
  })
  .strict();

/** A recurring schedule generated from one order line over a service term. */
export const RecurringInput = z
  .object({
    orderLineId: id('oln'),
    frequency: z.enum(FREQUENCIES as unknown as ['monthly', 'quarterly', 'yearly']),
    timing: z.enum(TIMINGS as unknown as ['advance', 'arrears']).describe('advance: billed on the first day of each period; arrears: on the last'),
    startDate: isoDate,
    endDate: isoDate,
    description: text(200)
      .optional()
      .describe('the periods\' description (the period is added); without it a period that already exists keeps its own, a new one takes the line\'s'),
  })
  .strict();

export const ScheduleSet = z
  .object({
    items: z.array(ScheduleItemInput).max(100).default([]),
    recurring: z.array(RecurringInput).max(50).default([]),
  })
  .strict();

export const ScheduleItemCancel = z.object({ reason }).strict();

const LinePartDto = z.object({ orderLineId: z.string(), quantity: z.string(), netMinor: z.number().int(), taxMinor: z.number().int() });

export const ScheduleItemDto = z.object({
  id: z.string(),
  orderId: z.string(),
  contractId: z.string().nullable(),
  seq: z.number().int(),
  kind: z.enum(SCHEDULE_ITEM_KINDS),
  description: z.string(),
  orderLineId: z.string().nullable(),
  percent: z.string().nullable(),
  currency: z.string(),
  amountMinor: z.number().int(),
  netMinor: z.number().int(),
  taxMinor: z.number().int(),
  trigger: z.enum(SCHEDULE_TRIGGERS),
  deliveryId: z.string().nullable(),
  offsetDays: z.number().int(),
  billDate: z.string().nullable(),
  reachedOn: z.string().nullable(),
  frequency: z.string().nullable(),
  timing: z.string().nullable(),
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  status: z.enum(SCHEDULE_ITEM_STATES),
  billableToday: z.boolean().describe('the billing run would bill it today'),
  invoiceId: z.string().nullable(),
  invoiceNumber: z.string().nullable(),
  requestId: z.string().nullable(),
  cancelReason: z.string().nullable(),
  lines: z.array(LinePartDto),
  allowedActions: z.array(z.string()),
  version: z.number().int(),
});
export type ScheduleItemDto = z.infer<typeof ScheduleItemDto>;

export const ScheduleDto = z.object({
  orderId: z.string(),
  currency: z.string(),
  orderTotalMinor: z.number().int(),
  scheduledMinor: z.number().int().describe('sum of the items not cancelled'),
  invoicedMinor: z.number().int(),
  items: z.array(ScheduleItemDto),
  version: z.number().int().describe("the order's version: send it as If-Match to replace the schedule"),
});
export type ScheduleDto = z.infer<typeof ScheduleDto>;

// --- contract payment plan (回款计划) ---

export const PAYMENT_TERM_DUES = ['on_signing', 'on_order', 'fixed_date', 'on_acceptance', 'after_acceptance'] as const;
export const PaymentTermInput = z
  .object({
    description: text(200).min(1),
    percent,
    due: z.enum(PAYMENT_TERM_DUES).describe('on_signing / on_order: billed then; fixed_date: on dueDate; on_acceptance: when the order is accepted; after_acceptance: `days` after it'),
    dueDate: isoDate.optional(),
    days: z.number().int().min(0).max(3650).optional(),
  })
  .strict();
export const PaymentPlanSet = z.object({ terms: z.array(PaymentTermInput).max(20) }).strict();
export const PaymentPlanDto = z.object({
  contractId: z.string(),
  terms: z.array(z.object({ id: z.string(), seq: z.number().int(), description: z.string(), percent: z.string(), due: z.enum(PAYMENT_TERM_DUES), dueDate: z.string().nullable(), days: z.number().int() })),
});
export type PaymentPlanDto = z.infer<typeof PaymentPlanDto>;

// --- billing runs ---

export const BillingRunInput = z
  .object({
    asOf: isoDate.optional().describe('bill every item due up to this business date (default: today)'),
    legalEntityId: z.string().min(1).max(100).optional(),
  })
  .strict();
export const BillingRunDto = z.object({
  id: z.string(),
  asOf: z.string(),
  legalEntityId: z.string().nullable(),
  status: z.enum(['running', 'completed', 'failed', 'abandoned']),
  chunkSize: z.number().int(),
  chunks: z.number().int(),
  itemsInvoiced: z.number().int(),
  invoicesCreated: z.number().int(),
  totalMinor: z.number().int(),
  firstNumber: z.string().nullable(),
  lastNumber: z.string().nullable(),
  skipped: z.number().int(),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  createdBy: z.string().nullable(),
});
export type BillingRunDto = z.infer<typeof BillingRunDto>;
export const BillingRunQuery = listQuery.extend({ status: z.string().optional() }).strict();

// --- invoice requests (开票申请) ---

export const INVOICE_TYPES = ['special', 'normal'] as const;
const RequestLine = z.object({ orderLineId: id('oln'), quantity: z.union([z.string(), z.number()]).transform(String) }).strict();
export const InvoiceRequestCreate = z
  .object({
    orderId: id('ord'),
    lines: z.array(RequestLine).min(1).max(500).optional().describe('order lines and quantities to invoice'),
    scheduleItemIds: z.array(id('bsi')).min(1).max(100).optional().describe('or: billing schedule items to invoice'),
    invoiceType: z.enum(INVOICE_TYPES).describe('special: 增值税专用发票; normal: 普通发票'),
    buyerName: text(200).min(1).describe('抬头: the buyer as it must appear on the invoice'),
    buyerTaxId: z.string().trim().regex(/^[0-9A-Z]{15,20}$/, 'a taxpayer id (纳税人识别号) of 15 to 20 digits or capital letters').describe('纳税人识别号'),
    buyerAddressPhone: text(300).optional().describe('地址、电话 (required for 专票)'),
    buyerBankAccount: text(300).optional().describe('开户行及账号 (required for 专票)'),
    remarks: text(500).optional(),
  })
  .strict();
export const InvoiceRequestReject = z.object({ reason }).strict();
export const InvoiceRequestQuery = listQuery
  .extend({ status: z.enum(INVOICE_REQUEST_STATES).optional(), orderId: z.string().optional(), accountId: z.string().optional() })
  .strict();
export const InvoiceRequestDto = z.object({
  id: z.string(),
  orderId: z.string(),
  orderNumber: z.string().nullable(),
  accountId: z.string(),
  legalEntityId: z.string(),
  status: z.enum(INVOICE_REQUEST_STATES),
  invoiceType: z.enum(INVOICE_TYPES),
  buyerName: z.string(),
  buyerTaxId: z.string(),
  buyerAddressPhone: z.string(),
  buyerBankAccount: z.string(),
  remarks: z.string(),
  lines: z.array(z.object({ orderLineId: z.string(), quantity: z.string() })).nullable(),
  scheduleItemIds: z.array(z.string()),
  currency: z.string(),
  amountMinor: z.number().int(),
  invoiceId: z.string().nullable(),
  invoiceNumber: z.string().nullable(),
  rejectReason: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  ownerId: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  allowedActions: z.array(z.string()),
  version: z.number().int(),
});
export type InvoiceRequestDto = z.infer<typeof InvoiceRequestDto>;
