import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '@openltc/db';
import * as core from '@openltc/core';
import { route } from '../http/route.ts';

/** KPIs computed from the documents, global search and the approvals inbox — all within the caller's scope. */
export function analyticsRoutes(app: FastifyInstance, h: DatabaseHandle): void {
  route(app, h, {
    method: 'GET',
    url: '/api/v1/analytics/kpis',
    tag: 'Analytics',
    summary: 'Lead-to-cash KPIs for a period: conversion, win rate, pipeline, cycle times, cash',
    description:
      'Each KPI carries its numerator/denominator (or sample size) and a `drill` link to the records behind it. Periods are business dates in the organisation time zone.',
    query: core.KpiQuery,
    handler: ({ ctx, query }) => core.computeKpis(ctx, query),
  });
  route(app, h, {
    method: 'GET',
    url: '/api/v1/search',
    tag: 'Analytics',
    summary: 'Search every document type you may read (number, name, company, email, phone …)',
    query: core.SearchQuery,
    handler: ({ ctx, query }) => core.globalSearch(ctx, query),
  });
  route(app, h, {
    method: 'GET',
    url: '/api/v1/approvals',
    tag: 'Analytics',
    summary: 'Approvals inbox: documents waiting at a gate you may open (quotes, contracts, invoices, held orders)',
    handler: ({ ctx }) => core.approvalsInbox(ctx),
  });
}
