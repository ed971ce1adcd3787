import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DatabaseHandle } from '@openltc/db';
import * as core from '@openltc/core';
import { route } from '../http/route.ts';

const empty = z.object({}).strict();

/** Tax codes per legal entity, tax rounding, and price books per currency. */
export function pricingRoutes(app: FastifyInstance, h: DatabaseHandle): void {
  route(app, h, { method: 'GET', url: '/api/v1/tax-codes', tag: 'Pricing', summary: "A legal entity's tax codes (China VAT seeded on first use) and its tax rounding", query: core.TaxCodeQuery, handler: ({ ctx, query }) => core.listTaxCodes(ctx, query) });
  route(app, h, { method: 'POST', url: '/api/v1/tax-codes', tag: 'Pricing', summary: 'Create a tax code (one rate, or components, compound or not); 409 tax_code_taken', body: core.TaxCodeCreate, response: core.TaxCodeDto, status: 201, handler: ({ ctx, body }) => core.createTaxCode(ctx, body) });
  route(app, h, { method: 'GET', url: '/api/v1/tax-codes/:id', tag: 'Pricing', summary: 'Get a tax code', response: core.TaxCodeDto, handler: ({ ctx, params }) => core.getTaxCode(ctx, params.id!) });
  route(app, h, { method: 'PATCH', url: '/api/v1/tax-codes/:id', tag: 'Pricing', summary: 'Edit a tax code; its rate and kind only while no document line uses it (409 tax_code_used)', body: core.TaxCodeUpdate, response: core.TaxCodeDto, handler: ({ ctx, params, body, ifMatch }) => core.updateTaxCode(ctx, params.id!, body, ifMatch) });
  route(app, h, { method: 'POST', url: '/api/v1/tax-codes/:id/deactivate', tag: 'Pricing', summary: 'Deactivate a tax code (codes are never deleted): no new line may use it', body: empty, response: core.TaxCodeDto, handler: ({ ctx, params }) => core.setTaxCodeActive(ctx, params.id!, false) });
  route(app, h, { method: 'POST', url: '/api/v1/tax-codes/:id/activate', tag: 'Pricing', summary: 'Reactivate a tax code', body: empty, response: core.TaxCodeDto, handler: ({ ctx, params }) => core.setTaxCodeActive(ctx, params.id!, true) });
  route(app, h, { method: 'PUT', url: '/api/v1/tax-rounding', tag: 'Pricing', summary: "Set a legal entity's tax rounding: per line (default) or once per document and tax code", body: core.TaxRoundingUpdate, handler: ({ ctx, body }) => core.setTaxRounding(ctx, body) });

  route(app, h, { method: 'GET', url: '/api/v1/price-books', tag: 'Pricing', summary: 'Price books with their entries (filter by currency, active)', query: core.PriceBookQuery, handler: ({ ctx, query }) => core.listPriceBooks(ctx, query) });
  route(app, h, { method: 'POST', url: '/api/v1/price-books', tag: 'Pricing', summary: 'Create a price book with entries (per unit, graduated or volume tiers)', body: core.PriceBookCreate, response: core.PriceBookDto, status: 201, handler: ({ ctx, body }) => core.createPriceBook(ctx, body) });
  route(app, h, { method: 'GET', url: '/api/v1/price-books/:id', tag: 'Pricing', summary: 'Get a price book', response: core.PriceBookDto, handler: ({ ctx, params }) => core.getPriceBook(ctx, params.id!) });
  route(app, h, { method: 'PATCH', url: '/api/v1/price-books/:id', tag: 'Pricing', summary: 'Edit a price book; `entries` replaces them all', body: core.PriceBookUpdate, response: core.PriceBookDto, handler: ({ ctx, params, body, ifMatch }) => core.updatePriceBook(ctx, params.id!, body, ifMatch) });
  route(app, h, { method: 'POST', url: '/api/v1/price-books/:id/deactivate', tag: 'Pricing', summary: 'Deactivate a price book (never deleted; quotes keep their amounts)', body: empty, response: core.PriceBookDto, handler: ({ ctx, params }) => core.setPriceBookActive(ctx, params.id!, false) });
  route(app, h, { method: 'POST', url: '/api/v1/price-books/:id/activate', tag: 'Pricing', summary: 'Reactivate a price book', body: empty, response: core.PriceBookDto, handler: ({ ctx, params }) => core.setPriceBookActive(ctx, params.id!, true) });
}
