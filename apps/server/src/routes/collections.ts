import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '@openltc/db';
import * as core from '@openltc/core';
import { route } from '../http/route.ts';

/** Collections: dunning levels, dunning runs, promises to pay, disputes and the collector's worklist. */
export function collectionRoutes(app: FastifyInstance, h: DatabaseHandle): void {
  route(app, h, { method: 'GET', url: '/api/v1/collections/levels', tag: 'Collections', summary: "A legal entity's dunning levels (the default ladder is seeded on first use)", query: core.DunningLevelsQuery, response: core.DunningLevelsDto, handler: ({ ctx, query }) => core.getDunningLevels(ctx, query) });
  route(app, h, { method: 'GET', url: '/api/v1/dunning-charges', tag: 'Collections', summary: 'Dunning charges (late fee + late interest receivables raised by notices), newest first; filter by account, invoice, status', query: core.DunningChargesQuery, response: core.DunningChargesPage, handler: ({ ctx, query }) => core.listDunningCharges(ctx, query) });
  route(app, h, {
    method: 'POST',
    url: '/api/v1/payments/:id/charge-allocations',
    tag: 'Collections',
    summary: "Pay dunning charges with what a payment has left (same account and currency); posted Dr customer advances / Cr AR, all or nothing",
    body: core.ChargeAllocate,
    handler: ({ ctx, params, body }) => core.allocatePaymentToCharges(ctx, params.id!, body),
  });
  route(app, h, {
    method: 'POST',
    url: '/api/v1/dunning-charges/:id/waive',
    tag: 'Collections',
    summary: 'Waive an unpaid dunning charge with a reason (finance, admin): out of receivables from today, its posting reversed; 409 charge_paid once money is on it',
    body: core.ChargeWaive,
    response: core.DunningChargeDto,
    handler: ({ ctx, params, body, ifMatch }) => core.waiveDunningCharge(ctx, params.id!, body, ifMatch),
  });
  route(app, h, { method: 'PUT', url: '/api/v1/collections/levels', tag: 'Collections', summary: "Replace a legal entity's dunning levels (admin, finance): increasing days past due, fees in minor units per currency, interest as an annual decimal rate", body: core.DunningLevelsUpdate, response: core.DunningLevelsDto, handler: ({ ctx, body }) => core.updateDunningLevels(ctx, body) });
  route(app, h, { method: 'POST', url: '/api/v1/collections/runs', tag: 'Collections', summary: 'Run dunning for a date (default today): one notice per invoice and level, never twice; emails to the contacts, escalations to the owner’s manager', body: core.DunningRunInput, response: core.DunningRunDto, handler: ({ ctx, body }) => core.runDunning(ctx, body) });
  route(app, h, { method: 'GET', url: '/api/v1/collections/worklist', tag: 'Collections', summary: 'Accounts with overdue invoices, by priority (outstanding × days overdue), with dunning level, last notice, promises, disputes and owner', query: core.WorklistQuery, response: core.WorklistDto, handler: ({ ctx, query }) => core.collectionsWorklist(ctx, query) });
  route(app, h, { method: 'GET', url: '/api/v1/invoices/:id/collections', tag: 'Collections', summary: "An invoice's dunning notices, promises to pay and disputes", response: core.InvoiceCollectionsDto, handler: ({ ctx, params }) => core.invoiceCollections(ctx, params.id!) });
  route(app, h, { method: 'POST', url: '/api/v1/invoices/:id/promise-to-pay', tag: 'Collections', summary: 'Record a promise to pay: dunning pauses until the promised date plus a grace day (replaces an open promise)', body: core.PromiseToPayInput, response: core.PromiseDto, status: 201, handler: ({ ctx, params, body }) => core.promiseToPay(ctx, params.id!, body) });
  route(app, h, { method: 'POST', url: '/api/v1/invoices/:id/dispute', tag: 'Collections', summary: 'Flag an invoice as disputed: no dunning until resolved (409 dispute_open if already disputed)', body: core.DisputeInput, response: core.DisputeDto, status: 201, handler: ({ ctx, params, body }) => core.openDispute(ctx, params.id!, body) });
  route(app, h, { method: 'POST', url: '/api/v1/invoices/:id/dispute/resolve', tag: 'Collections', summary: "Resolve an invoice's open dispute (finance, admin): dunning resumes at the next run", body: core.DisputeResolveInput, response: core.DisputeDto, handler: ({ ctx, params, body }) => core.resolveDispute(ctx, params.id!, body) });
}
