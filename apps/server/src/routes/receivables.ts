import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DatabaseHandle } from '@openltc/db';
import * as core from '@openltc/core';
import { route } from '../http/route.ts';

const empty = z.object({}).strict();

/** Credit notes, payment reversals, account balances, aging and DSO. */
export function receivableRoutes(app: FastifyInstance, h: DatabaseHandle): void {
  // Credit notes
  route(app, h, { method: 'POST', url: '/api/v1/invoices/:id/credit-notes', tag: 'Credit notes', summary: 'Credit an issued invoice: in full (default), by line quantities or by an amount (409 credit_exceeds_invoice beyond what is left)', body: core.CreditNoteCreate, response: core.CreditNoteDto, status: 201, handler: ({ ctx, params, body }) => core.createCreditNote(ctx, params.id!, body) });
  route(app, h, { method: 'GET', url: '/api/v1/credit-notes', tag: 'Credit notes', summary: 'List credit notes', query: core.CreditNoteQuery, handler: ({ ctx, query }) => core.listCreditNotes(ctx, query) });
  route(app, h, { method: 'GET', url: '/api/v1/credit-notes/:id', tag: 'Credit notes', summary: 'Get a credit note with its lines and refunds', response: core.CreditNoteDto, handler: ({ ctx, params }) => core.getCreditNote(ctx, params.id!) });
  route(app, h, { method: 'POST', url: '/api/v1/credit-notes/:id/issue', tag: 'Credit notes', summary: "Issue a draft credit note: gap-free number of the legal entity; lowers what the invoice owes, the excess to the customer's credit or refunded", body: empty, response: core.CreditNoteDto, handler: ({ ctx, params, ifMatch }) => core.issueCreditNote(ctx, params.id!, {}, ifMatch) });
  route(app, h, { method: 'POST', url: '/api/v1/credit-notes/:id/cancel', tag: 'Credit notes', summary: 'Cancel a draft credit note', body: empty, response: core.CreditNoteDto, handler: ({ ctx, params }) => core.cancelCreditNote(ctx, params.id!) });

  // Payment reversal
  route(app, h, { method: 'POST', url: '/api/v1/payments/:id/reverse', tag: 'Payments', summary: 'Reverse a payment the bank returned: its allocations are countered, its invoices reopened', body: core.PaymentReverse, response: core.PaymentDto, handler: ({ ctx, params, body, ifMatch }) => core.reversePayment(ctx, params.id!, body, ifMatch) });

  // Receivables
  route(app, h, { method: 'GET', url: '/api/v1/accounts/:id/balance', tag: 'Receivables', summary: "An account's balance: invoiced, credited, paid, outstanding, overdue, unallocated payments and credit", query: core.AccountBalanceQuery, response: core.AccountBalanceDto, handler: ({ ctx, params, query }) => core.accountBalance(ctx, params.id!, query) });
  route(app, h, { method: 'GET', url: '/api/v1/receivables/aging', tag: 'Receivables', summary: 'Aging of outstanding invoices as of a date: current, 1–30, 31–60, 61–90, over 90 days past due, per account', query: core.AgingQuery, response: core.AgingDto, handler: ({ ctx, query }) => core.receivablesAging(ctx, query) });
  route(app, h, { method: 'GET', url: '/api/v1/receivables/dso', tag: 'Receivables', summary: 'Days sales outstanding over a period, standard and countback', query: core.DsoQuery, response: core.DsoDto, handler: ({ ctx, query }) => core.receivablesDso(ctx, query) });
}
