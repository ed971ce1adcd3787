import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DatabaseHandle } from '@openltc/db';
import * as core from '@openltc/core';
import { route } from '../http/route.ts';

const empty = z.object({}).strict();

/** Orders (manual, from a quote, from a contract) and their deliveries. */
export function orderRoutes(app: FastifyInstance, h: DatabaseHandle): void {
  // Orders
  route(app, h, { method: 'POST', url: '/api/v1/orders', tag: 'Orders', summary: 'Create a manual order (lines priced, totals computed)', body: core.OrderCreate, response: core.OrderDto, status: 201, handler: ({ ctx, body }) => core.createOrder(ctx, body) });
  route(app, h, { method: 'POST', url: '/api/v1/quotes/:id/order', tag: 'Orders', summary: 'Create an order from an accepted quote (lines copied exactly)', body: empty, response: core.OrderDto, status: 201, handler: ({ ctx, params }) => core.createOrderFromQuote(ctx, params.id!) });
  route(app, h, { method: 'POST', url: '/api/v1/contracts/:id/order', tag: 'Orders', summary: "Create an order from a signed or active contract (its quote's lines copied exactly)", body: empty, response: core.OrderDto, status: 201, handler: ({ ctx, params }) => core.createOrderFromContract(ctx, params.id!) });
  route(app, h, { method: 'GET', url: '/api/v1/orders', tag: 'Orders', summary: 'List orders with delivered / billed / paid progress', query: core.OrderQuery, handler: ({ ctx, query }) => core.listOrders(ctx, query) });
  route(app, h, { method: 'GET', url: '/api/v1/orders/:id', tag: 'Orders', summary: 'Get an order: lines with ordered, delivered and billed quantities; delivered, billed and paid shares', response: core.OrderDto, handler: ({ ctx, params }) => core.getOrder(ctx, params.id!) });
  route(app, h, { method: 'PATCH', url: '/api/v1/orders/:id', tag: 'Orders', summary: 'Edit a draft order', body: core.OrderUpdate, response: core.OrderDto, handler: ({ ctx, params, body, ifMatch }) => core.updateOrder(ctx, params.id!, body, ifMatch) });
  route(app, h, { method: 'POST', url: '/api/v1/orders/:id/confirm', tag: 'Orders', summary: 'Confirm a draft order, or put it on credit hold (status on_hold, holdReason) when the account is over its credit limit or has invoices more than 30 days overdue', body: empty, response: core.OrderDto, handler: ({ ctx, params }) => core.transitionOrder(ctx, params.id!, 'confirm') });
  route(app, h, { method: 'POST', url: '/api/v1/orders/:id/release', tag: 'Orders', summary: "Release an order from credit hold (reason required; 'approve' on orders)", body: core.OrderRelease, response: core.OrderDto, handler: ({ ctx, params, body }) => core.transitionOrder(ctx, params.id!, 'release', body) });
  route(app, h, { method: 'POST', url: '/api/v1/orders/:id/cancel', tag: 'Orders', summary: 'Cancel an order without deliveries or invoices (reason required)', body: core.OrderCancel, response: core.OrderDto, handler: ({ ctx, params, body }) => core.transitionOrder(ctx, params.id!, 'cancel', body) });
  route(app, h, { method: 'POST', url: '/api/v1/orders/:id/close', tag: 'Orders', summary: 'Close a fulfilled, fully billed order', body: empty, response: core.OrderDto, handler: ({ ctx, params }) => core.transitionOrder(ctx, params.id!, 'close') });

  // Deliveries
  route(app, h, { method: 'POST', url: '/api/v1/orders/:id/deliveries', tag: 'Deliveries', summary: 'Ship part or all of a confirmed order (409 over_delivery beyond what is left)', body: core.DeliveryCreate, response: core.DeliveryDto, status: 201, handler: ({ ctx, params, body }) => core.createDelivery(ctx, params.id!, body) });
  route(app, h, { method: 'GET', url: '/api/v1/deliveries', tag: 'Deliveries', summary: 'List deliveries', query: core.DeliveryQuery, handler: ({ ctx, query }) => core.listDeliveries(ctx, query) });
  route(app, h, { method: 'GET', url: '/api/v1/deliveries/:id', tag: 'Deliveries', summary: 'Get a delivery with its lines', response: core.DeliveryDto, handler: ({ ctx, params }) => core.getDelivery(ctx, params.id!) });
  route(app, h, { method: 'POST', url: '/api/v1/deliveries/:id/deliver', tag: 'Deliveries', summary: 'Mark a shipment as delivered', body: empty, response: core.DeliveryDto, handler: ({ ctx, params }) => core.transitionDelivery(ctx, params.id!, 'deliver') });
  route(app, h, { method: 'POST', url: '/api/v1/deliveries/:id/accept', tag: 'Deliveries', summary: 'Record customer acceptance (验收) of a delivery', body: core.DeliveryAccept, response: core.DeliveryDto, handler: ({ ctx, params, body }) => core.transitionDelivery(ctx, params.id!, 'accept', body) });
}
