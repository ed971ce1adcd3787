import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DatabaseHandle } from '@openltc/db';
import * as core from '@openltc/core';
import { route } from '../http/route.ts';

const empty = z.object({}).strict();

/** Billing schedules of orders, contract payment plans (回款计划), invoice requests (开票申请) and billing runs. */
export function billingScheduleRoutes(app: FastifyInstance, h: DatabaseHandle): void {
  // Contract payment plan
  route(app, h, { method: 'GET', url: '/api/v1/contracts/:id/payment-plan', tag: 'Billing schedules', summary: "A contract's payment plan (回款计划), in percent of its value", response: core.PaymentPlanDto.extend({ version: z.number().int() }), handler: ({ ctx, params }) => core.getPaymentPlan(ctx, params.id!) });
  route(app, h, { method: 'PUT', url: '/api/v1/contracts/:id/payment-plan', tag: 'Billing schedules', summary: 'Replace the payment plan of a draft contract (percentages add up to 100; If-Match: the contract version)', body: core.PaymentPlanSet, response: core.PaymentPlanDto.extend({ version: z.number().int() }), handler: ({ ctx, params, body, ifMatch }) => core.setPaymentPlan(ctx, params.id!, body, ifMatch) });

  // Order billing schedule
  route(app, h, { method: 'GET', url: '/api/v1/orders/:id/billing-schedule', tag: 'Billing schedules', summary: "An order's billing schedule: payment plan, milestone and recurring items with their status and invoice", response: core.ScheduleDto, handler: ({ ctx, params }) => core.getSchedule(ctx, params.id!) });
  route(app, h, { method: 'PUT', url: '/api/v1/orders/:id/billing-schedule', tag: 'Billing schedules', summary: 'Set the billing schedule of a confirmed order (items add up to the order exactly; 409 once anything is billed)', body: core.ScheduleSet, response: core.ScheduleDto, handler: ({ ctx, params, body, ifMatch }) => core.setSchedule(ctx, params.id!, body, ifMatch) });
  route(app, h, { method: 'POST', url: '/api/v1/orders/:id/billing-schedule/from-contract', tag: 'Billing schedules', summary: "Copy the contract's payment plan into the order's schedule", body: empty, response: core.ScheduleDto, handler: ({ ctx, params }) => core.scheduleFromContract(ctx, params.id!) });
  route(app, h, { method: 'POST', url: '/api/v1/orders/:id/billing-schedule/items/:itemId/reach', tag: 'Billing schedules', summary: 'Mark a milestone reached: it becomes due, billed from reachedOn + its offset', body: core.MilestoneReach, response: core.ScheduleDto, handler: ({ ctx, params, body, ifMatch }) => core.reachMilestone(ctx, params.id!, params.itemId!, body, ifMatch) });
  route(app, h, { method: 'POST', url: '/api/v1/orders/:id/billing-schedule/items/:itemId/cancel', tag: 'Billing schedules', summary: 'Cancel an open schedule item (with a reason)', body: core.ScheduleItemCancel, response: core.ScheduleDto, handler: ({ ctx, params, body, ifMatch }) => core.cancelScheduleItem(ctx, params.id!, params.itemId!, body, ifMatch) });

  // Billing runs
  route(app, h, { method: 'POST', url: '/api/v1/billing/runs', tag: 'Billing schedules', summary: 'Run billing: invoice every schedule item due up to asOf (idempotent, restart-safe, in chunks)', body: core.BillingRunInput, response: core.BillingRunDto, status: 201, handler: ({ ctx, body }) => core.runBilling(ctx, body) });
  route(app, h, { method: 'GET', url: '/api/v1/billing/runs', tag: 'Billing schedules', summary: 'Billing runs, newest first', query: core.BillingRunQuery, handler: ({ ctx, query }) => core.listBillingRuns(ctx, query) });
  route(app, h, { method: 'GET', url: '/api/v1/billing/runs/:id', tag: 'Billing schedules', summary: 'A billing run and its result (counts, first and last invoice number)', response: core.BillingRunDto, handler: ({ ctx, params }) => core.getBillingRun(ctx, params.id!) });

  // Invoice requests
  route(app, h, { method: 'POST', url: '/api/v1/invoice-requests', tag: 'Invoice requests', summary: 'Ask finance for an invoice (开票申请): order lines or a schedule item, with the buyer title data', body: core.InvoiceRequestCreate, response: core.InvoiceRequestDto, status: 201, handler: ({ ctx, body }) => core.createInvoiceRequest(ctx, body) });
  route(app, h, { method: 'GET', url: '/api/v1/invoice-requests', tag: 'Invoice requests', summary: 'List invoice requests', query: core.InvoiceRequestQuery, handler: ({ ctx, query }) => core.listInvoiceRequests(ctx, query) });
  route(app, h, { method: 'GET', url: '/api/v1/invoice-requests/:id', tag: 'Invoice requests', summary: 'Get an invoice request', response: core.InvoiceRequestDto, handler: ({ ctx, params }) => core.getInvoiceRequest(ctx, params.id!) });
  route(app, h, { method: 'POST', url: '/api/v1/invoice-requests/:id/approve', tag: 'Invoice requests', summary: 'Approve (finance): the invoice is created, issued and linked', body: empty, response: core.InvoiceRequestDto, handler: ({ ctx, params, ifMatch }) => core.approveInvoiceRequest(ctx, params.id!, ifMatch) });
  route(app, h, { method: 'POST', url: '/api/v1/invoice-requests/:id/reject', tag: 'Invoice requests', summary: 'Reject (finance) with a reason', body: core.InvoiceRequestReject, response: core.InvoiceRequestDto, handler: ({ ctx, params, body, ifMatch }) => core.rejectInvoiceRequest(ctx, params.id!, body, ifMatch) });
  route(app, h, { method: 'POST', url: '/api/v1/invoice-requests/:id/withdraw', tag: 'Invoice requests', summary: 'Withdraw a pending request', body: empty, response: core.InvoiceRequestDto, handler: ({ ctx, params, ifMatch }) => core.withdrawInvoiceRequest(ctx, params.id!, ifMatch) });
}
