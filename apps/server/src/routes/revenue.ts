import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '@openltc/db';
import * as core from '@openltc/core';
import { route } from '../http/route.ts';

/** Revenue recognition (IFRS 15 / ASC 606): obligations and schedules of an order, the revenue close and the revenue report. */
export function revenueRoutes(app: FastifyInstance, h: DatabaseHandle): void {
  const tag = 'Revenue';
  route(app, h, { method: 'GET', url: '/api/v1/orders/:id/revenue', tag, summary: "An order's performance obligations (SSP, allocated price, method) with their revenue schedules and the order's contract position", response: core.OrderRevenueDto, handler: ({ ctx, params }) => core.getOrderRevenue(ctx, params.id!) });
  route(app, h, { method: 'PUT', url: '/api/v1/orders/:id/revenue-allocation', tag, summary: 'Re-allocate the order discount to the obligations named (IFRS 15.82), or over all of them (empty list); only before any revenue is recognised', body: core.AllocationInput, response: core.OrderRevenueDto, handler: ({ ctx, params, body }) => core.setRevenueAllocation(ctx, params.id!, body) });
  route(app, h, { method: 'PATCH', url: '/api/v1/revenue-obligations/:id', tag, summary: 'Set how and when an obligation is satisfied: method (before recognition), service start and end, milestones (with the day reached)', body: core.ObligationUpdate, response: core.OrderRevenueDto, handler: ({ ctx, params, body, ifMatch }) => core.updateObligation(ctx, params.id!, body, ifMatch) });
  route(app, h, { method: 'POST', url: '/api/v1/revenue-obligations/:id/progress', tag, summary: 'Enter cumulative progress of a percent-complete obligation as of a day', body: core.ProgressInput, response: core.OrderRevenueDto, handler: ({ ctx, params, body }) => core.recordProgress(ctx, params.id!, body) });
  route(app, h, { method: 'POST', url: '/api/v1/revenue-obligations/:id/modify', tag, summary: 'A contract modification of an obligation: new price (and end) from a date, prospective or cumulative catch-up (IFRS 15.21)', body: core.ModificationInput, response: core.OrderRevenueDto, handler: ({ ctx, params, body }) => core.modifyObligation(ctx, params.id!, body) });
  route(app, h, { method: 'POST', url: '/api/v1/revenue/close', tag, summary: 'Close a month: recognise and post its schedule lines (Dr deferred revenue / Cr revenue), book contract assets, lock it; months close in order, once ended; again: nothing twice', body: core.RevenueCloseInput, response: core.RevenueCloseDto, handler: ({ ctx, body }) => core.closeRevenuePeriod(ctx, body) });
  route(app, h, { method: 'GET', url: '/api/v1/revenue/periods', tag, summary: 'Closed revenue months of a legal entity and the month to close next', query: core.RevenuePeriodsQuery, response: core.RevenuePeriodsDto, handler: ({ ctx, query }) => core.listRevenuePeriods(ctx, query) });
  route(app, h, { method: 'GET', url: '/api/v1/revenue/report', tag, summary: 'Revenue recognised by month, product and customer; scheduled in open months; deferred and unbilled balances at each month end (reconciles to the journal)', query: core.RevenueReportQuery, response: core.RevenueReportDto, handler: ({ ctx, query }) => core.revenueReport(ctx, query) });
}
