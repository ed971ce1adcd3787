import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DatabaseHandle } from '@openltc/db';
import * as core from '@openltc/core';
import { route } from '../http/route.ts';

const empty = z.object({}).strict();

/** Catalog (products), quotes with their versions, and contracts. */
export function quoteRoutes(app: FastifyInstance, h: DatabaseHandle): void {
  // Products
  route(app, h, { method: 'POST', url: '/api/v1/products', tag: 'Products', summary: 'Create a product (409 sku_taken on a duplicate SKU)', body: core.ProductCreate, response: core.ProductDto, status: 201, handler: ({ ctx, body }) => core.createProduct(ctx, body) });
  route(app, h, { method: 'GET', url: '/api/v1/products', tag: 'Products', summary: 'List products (active, kind, currency, q on SKU/name, sort)', query: core.ProductQuery, handler: ({ ctx, query }) => core.listProducts(ctx, query) });
  route(app, h, { method: 'GET', url: '/api/v1/products/:id', tag: 'Products', summary: 'Get a product', response: core.ProductDto, handler: ({ ctx, params }) => core.getProduct(ctx, params.id!) });
  route(app, h, { method: 'PATCH', url: '/api/v1/products/:id', tag: 'Products', summary: 'Edit a product (products are deactivated, never deleted)', body: core.ProductUpdate, response: core.ProductDto, handler: ({ ctx, params, body, ifMatch }) => core.updateProduct(ctx, params.id!, body, ifMatch) });
  route(app, h, { method: 'POST', url: '/api/v1/products/:id/deactivate', tag: 'Products', summary: 'Deactivate a product: no new quote lines may use it', body: empty, response: core.ProductDto, handler: ({ ctx, params }) => core.setProductActive(ctx, params.id!, false) });
  route(app, h, { method: 'POST', url: '/api/v1/products/:id/activate', tag: 'Products', summary: 'Reactivate a product', body: empty, response: core.ProductDto, handler: ({ ctx, params }) => core.setProductActive(ctx, params.id!, true) });

  // Quotes
  route(app, h, { method: 'POST', url: '/api/v1/quotes', tag: 'Quotes', summary: 'Create a quote for an opportunity (lines priced from the catalog)', body: core.QuoteCreate, response: core.QuoteDto, status: 201, handler: ({ ctx, body }) => core.createQuote(ctx, body) });
  route(app, h, { method: 'POST', url: '/api/v1/opportunities/:id/quotes', tag: 'Quotes', summary: 'Opportunity → quote', body: core.QuoteFromOpportunity, response: core.QuoteDto, status: 201, handler: ({ ctx, params, body }) => core.quoteOpportunity(ctx, params.id!, body) });
  route(app, h, { method: 'GET', url: '/api/v1/quotes', tag: 'Quotes', summary: 'List quotes (every version; filter by number, status, opportunity, account)', query: core.QuoteQuery, handler: ({ ctx, query }) => core.listQuotes(ctx, query) });
  route(app, h, { method: 'GET', url: '/api/v1/quotes/:id', tag: 'Quotes', summary: 'Get a quote with its lines and allowed actions', response: core.QuoteDto, handler: ({ ctx, params }) => core.getQuote(ctx, params.id!) });
  route(app, h, { method: 'PATCH', url: '/api/v1/quotes/:id', tag: 'Quotes', summary: 'Edit a draft quote; `lines` replaces all lines and totals are recomputed', body: core.QuoteUpdate, response: core.QuoteDto, handler: ({ ctx, params, body, ifMatch }) => core.updateQuote(ctx, params.id!, body, ifMatch) });
  route(app, h, { method: 'GET', url: '/api/v1/quotes/:id/versions', tag: 'Quotes', summary: 'All versions under the quote number, oldest first', handler: ({ ctx, params }) => core.quoteVersions(ctx, params.id!) });
  route(app, h, { method: 'GET', url: '/api/v1/quotes/:id/pdf', tag: 'Quotes', summary: 'The quote version as a PDF (application/pdf) in Chinese or English; default: the caller\'s locale', query: core.PdfQuery, handler: async ({ ctx, params, query, reply }) => {
    const f = await core.quotePdf(ctx, params.id!, query.lang);
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${f.filename}"`).header('content-language', f.locale).send(f.pdf);
  } });
  route(app, h, { method: 'POST', url: '/api/v1/quotes/:id/revise', tag: 'Quotes', summary: 'Open the next version (same number, draft, lines copied); this one becomes superseded', body: empty, response: core.QuoteDto, status: 201, handler: ({ ctx, params, body, ifMatch }) => core.reviseQuote(ctx, params.id!, body, ifMatch) });
  for (const action of core.QUOTE_STEP_ACTIONS) {
    const reasoned = core.QUOTE_REASON_ACTIONS.includes(action);
    const summary = action === 'approve' || action === 'decline' ? `Quote: ${action} (needs approval rights)` : `Quote: ${action}`;
    route(app, h, { method: 'POST', url: `/api/v1/quotes/:id/${action}`, tag: 'Quotes', summary: reasoned ? `${summary} (reason required)` : summary, body: reasoned ? core.QuoteReason : empty, response: core.QuoteDto, handler: ({ ctx, params, body }) => core.transitionQuote(ctx, params.id!, action, body) });
  }
  route(app, h, { method: 'POST', url: '/api/v1/quotes/:id/contract', tag: 'Contracts', summary: 'Accepted quote → contract (amount and currency from the quote)', body: core.ContractFromQuote, response: core.ContractDto, status: 201, handler: ({ ctx, params, body }) => core.contractFromQuote(ctx, params.id!, body) });

  // Contracts
  route(app, h, { method: 'POST', url: '/api/v1/contracts', tag: 'Contracts', summary: 'Create a contract by hand', body: core.ContractCreate, response: core.ContractDto, status: 201, handler: ({ ctx, body }) => core.createContract(ctx, body) });
  route(app, h, { method: 'GET', url: '/api/v1/contracts', tag: 'Contracts', summary: 'List contracts', query: core.ContractQuery, handler: ({ ctx, query }) => core.listContracts(ctx, query) });
  route(app, h, { method: 'GET', url: '/api/v1/contracts/:id', tag: 'Contracts', summary: 'Get a contract', response: core.ContractDto, handler: ({ ctx, params }) => core.getContract(ctx, params.id!) });
  route(app, h, { method: 'PATCH', url: '/api/v1/contracts/:id', tag: 'Contracts', summary: 'Edit a draft contract', body: core.ContractUpdate, response: core.ContractDto, handler: ({ ctx, params, body, ifMatch }) => core.updateContract(ctx, params.id!, body, ifMatch) });
  const contractBodies: Record<core.ContractAction, z.ZodType> = {
    submit: empty,
    approve: empty,
    return: core.ContractReason,
    sign: core.ContractSign,
    activate: empty,
    expire: empty,
    terminate: core.ContractReason,
  };
  const contractSummaries: Record<core.ContractAction, string> = {
    submit: 'Contract: submit for legal review',
    approve: 'Contract: approve (legal)',
    return: 'Contract: return to draft (legal; reason required)',
    sign: 'Contract: record the customer signature (signedBy)',
    activate: 'Contract: activate',
    expire: 'Contract: expire',
    terminate: 'Contract: terminate (reason required)',
  };
  for (const action of core.CONTRACT_ACTIONS)
    route(app, h, { method: 'POST', url: `/api/v1/contracts/:id/${action}`, tag: 'Contracts', summary: contractSummaries[action], body: contractBodies[action], response: core.ContractDto, handler: ({ ctx, params, body }) => core.transitionContract(ctx, params.id!, action, body) });
}
