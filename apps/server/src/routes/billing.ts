import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DatabaseHandle } from '@openltc/db';
import * as core from '@openltc/core';
import { route } from '../http/route.ts';

const empty = z.object({}).strict();

/** Invoices (from orders and deliveries; numbered at issue) and payments with their allocations. */
export function billingRoutes(app: FastifyInstance, h: DatabaseHandle): void {
  // Invoices
  route(app, h, { method: 'POST', url: '/api/v1/orders/:id/invoices', tag: 'Invoices', summary: 'Draft an invoice for an order: the given quantities, or everything not yet billed', body: core.InvoiceFromOrder, response: core.InvoiceDto, status: 201, handler: ({ ctx, params, body }) => core.createInvoiceFromOrder(ctx, params.id!, body) });
  route(app, h, { method: 'POST', url: '/api/v1/deliveries/:id/invoice', tag: 'Invoices', summary: 'Draft an invoice for what a delivery shipped and is not yet billed', body: core.InvoiceFromDelivery, response: core.InvoiceDto, status: 201, handler: ({ ctx, params, body }) => core.createInvoiceFromDelivery(ctx, params.id!, body) });
  route(app, h, { method: 'GET', url: '/api/v1/invoices', tag: 'Invoices', summary: 'List invoices', query: core.InvoiceQuery, handler: ({ ctx, query }) => core.listInvoices(ctx, query) });
  route(app, h, { method: 'GET', url: '/api/v1/invoices/:id', tag: 'Invoices', summary: 'Get an invoice with its lines, paid and outstanding amounts', response: core.InvoiceDto, handler: ({ ctx, params }) => core.getInvoice(ctx, params.id!) });
  route(app, h, { method: 'GET', url: '/api/v1/invoices/:id/pdf', tag: 'Invoices', summary: 'The invoice as a PDF (application/pdf) in Chinese or English, drafts watermarked; default: the caller\'s locale', query: core.PdfQuery, handler: async ({ ctx, params, query, reply }) => {
    const f = await core.invoicePdf(ctx, params.id!, query.lang);
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${f.filename}"`).header('content-language', f.locale).send(f.pdf);
  } });
  route(app, h, { method: 'PATCH', url: '/api/v1/invoices/:id', tag: 'Invoices', summary: 'Edit a draft invoice (409 invoice_immutable once issued)', body: core.InvoiceUpdate, response: core.InvoiceDto, handler: ({ ctx, params, body, ifMatch }) => core.updateInvoice(ctx, params.id!, body, ifMatch) });
  route(app, h, { method: 'POST', url: '/api/v1/invoices/:id/issue', tag: 'Invoices', summary: "Issue a draft: gap-free number of the legal entity, issue and due dates", body: empty, response: core.InvoiceDto, handler: ({ ctx, params, ifMatch }) => core.issueInvoice(ctx, params.id!, {}, ifMatch) });
  route(app, h, { method: 'POST', url: '/api/v1/invoices/:id/cancel', tag: 'Invoices', summary: 'Cancel a draft invoice', body: empty, response: core.InvoiceDto, handler: ({ ctx, params }) => core.cancelInvoice(ctx, params.id!) });

  // Payments
  route(app, h, { method: 'POST', url: '/api/v1/payments', tag: 'Payments', summary: 'Record a payment received, optionally allocated to invoices', body: core.PaymentCreate, response: core.PaymentDto, status: 201, handler: ({ ctx, body }) => core.createPayment(ctx, body) });
  route(app, h, { method: 'GET', url: '/api/v1/payments', tag: 'Payments', summary: 'List payments', query: core.PaymentQuery, handler: ({ ctx, query }) => core.listPayments(ctx, query) });
  route(app, h, { method: 'GET', url: '/api/v1/payments/:id', tag: 'Payments', summary: 'Get a payment with its allocations', response: core.PaymentDto, handler: ({ ctx, params }) => core.getPayment(ctx, params.id!) });
  route(app, h, { method: 'POST', url: '/api/v1/payments/:id/allocate', tag: 'Payments', summary: 'Allocate a payment to invoices (409 over_allocation beyond what is left or owed)', body: core.PaymentAllocate, response: core.PaymentDto, handler: ({ ctx, params, body, ifMatch }) => core.allocatePayment(ctx, params.id!, body, ifMatch) });
}
