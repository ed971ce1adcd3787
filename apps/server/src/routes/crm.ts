import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DatabaseHandle } from '@openltc/db';
import * as core from '@openltc/core';
import { route } from '../http/route.ts';

const idParam = z.object({});
const empty = z.object({}).strict();

/** Leads, accounts, contacts, opportunities and pipelines. */
export function crmRoutes(app: FastifyInstance, h: DatabaseHandle): void {
  void idParam;
  // Leads
  route(app, h, { method: 'POST', url: '/api/v1/leads', tag: 'Leads', summary: 'Create a lead', body: core.LeadCreate, response: core.LeadDto, status: 201, handler: ({ ctx, body }) => core.createLead(ctx, body) });
  route(app, h, { method: 'GET', url: '/api/v1/leads', tag: 'Leads', summary: 'List leads (filters, sort, cursor)', query: core.LeadQuery, handler: ({ ctx, query }) => core.listLeads(ctx, query) });
  route(app, h, { method: 'GET', url: '/api/v1/leads/:id', tag: 'Leads', summary: 'Get a lead', response: core.LeadDto, handler: ({ ctx, params }) => core.getLead(ctx, params.id!) });
  route(app, h, { method: 'PATCH', url: '/api/v1/leads/:id', tag: 'Leads', summary: 'Edit a lead', body: core.LeadUpdate, response: core.LeadDto, handler: ({ ctx, params, body, ifMatch }) => core.updateLead(ctx, params.id!, body, ifMatch) });
  for (const action of ['work', 'nurture', 'qualify', 'reopen'] as const)
    route(app, h, { method: 'POST', url: `/api/v1/leads/:id/${action}`, tag: 'Leads', summary: `Lead: ${action}`, body: empty, response: core.LeadDto, handler: ({ ctx, params }) => core.transitionLead(ctx, params.id!, action) });
  route(app, h, { method: 'POST', url: '/api/v1/leads/:id/disqualify', tag: 'Leads', summary: 'Disqualify a lead (reason required)', body: core.LeadDisqualify, response: core.LeadDto, handler: ({ ctx, params, body }) => core.transitionLead(ctx, params.id!, 'disqualify', body) });
  route(app, h, { method: 'POST', url: '/api/v1/leads/:id/convert', tag: 'Leads', summary: 'Convert a qualified lead into account + contact + opportunity', body: core.LeadConvert, handler: ({ ctx, params, body }) => core.convertLead(ctx, params.id!, body) });

  // Accounts
  route(app, h, { method: 'POST', url: '/api/v1/accounts', tag: 'Accounts', summary: 'Create an account', body: core.AccountCreate, status: 201, handler: ({ ctx, body }) => core.createAccount(ctx, body) });
  route(app, h, { method: 'GET', url: '/api/v1/accounts', tag: 'Accounts', summary: 'List accounts', query: core.AccountQuery, handler: ({ ctx, query }) => core.listAccounts(ctx, query) });
  route(app, h, { method: 'GET', url: '/api/v1/accounts/:id', tag: 'Accounts', summary: 'Get an account', handler: ({ ctx, params }) => core.getAccount(ctx, params.id!) });
  route(app, h, { method: 'PATCH', url: '/api/v1/accounts/:id', tag: 'Accounts', summary: 'Edit an account', body: core.AccountUpdate, handler: ({ ctx, params, body, ifMatch }) => core.updateAccount(ctx, params.id!, body, ifMatch) });

  // Contacts
  route(app, h, { method: 'POST', url: '/api/v1/contacts', tag: 'Contacts', summary: 'Create a contact', body: core.ContactCreate, status: 201, handler: ({ ctx, body }) => core.createContact(ctx, body) });
  route(app, h, { method: 'GET', url: '/api/v1/contacts', tag: 'Contacts', summary: 'List contacts', query: core.ContactQuery, handler: ({ ctx, query }) => core.listContacts(ctx, query) });
  route(app, h, { method: 'GET', url: '/api/v1/contacts/:id', tag: 'Contacts', summary: 'Get a contact', handler: ({ ctx, params }) => core.getContact(ctx, params.id!) });
  route(app, h, { method: 'PATCH', url: '/api/v1/contacts/:id', tag: 'Contacts', summary: 'Edit a contact', body: core.ContactUpdate, handler: ({ ctx, params, body, ifMatch }) => core.updateContact(ctx, params.id!, body, ifMatch) });

  // Opportunities
  route(app, h, { method: 'POST', url: '/api/v1/opportunities', tag: 'Opportunities', summary: 'Create an opportunity', body: core.OpportunityCreate, status: 201, handler: ({ ctx, body }) => core.createOpportunity(ctx, body) });
  route(app, h, { method: 'GET', url: '/api/v1/opportunities', tag: 'Opportunities', summary: 'List opportunities', query: core.OpportunityQuery, handler: ({ ctx, query }) => core.listOpportunities(ctx, query) });
  route(app, h, { method: 'GET', url: '/api/v1/opportunities/:id', tag: 'Opportunities', summary: 'Get an opportunity', handler: ({ ctx, params }) => core.getOpportunity(ctx, params.id!) });
  route(app, h, { method: 'PATCH', url: '/api/v1/opportunities/:id', tag: 'Opportunities', summary: 'Edit an opportunity or move it to another stage', body: core.OpportunityUpdate, handler: ({ ctx, params, body, ifMatch }) => core.updateOpportunity(ctx, params.id!, body, ifMatch) });
  route(app, h, { method: 'POST', url: '/api/v1/opportunities/:id/win', tag: 'Opportunities', summary: 'Mark won', body: empty, handler: ({ ctx, params }) => core.transitionOpportunity(ctx, params.id!, 'win') });
  route(app, h, { method: 'POST', url: '/api/v1/opportunities/:id/lose', tag: 'Opportunities', summary: 'Mark lost (reason required)', body: core.OpportunityLose, handler: ({ ctx, params, body }) => core.transitionOpportunity(ctx, params.id!, 'lose', body) });
  route(app, h, { method: 'POST', url: '/api/v1/opportunities/:id/reopen', tag: 'Opportunities', summary: 'Reopen a closed opportunity', body: empty, handler: ({ ctx, params }) => core.transitionOpportunity(ctx, params.id!, 'reopen') });

  route(app, h, { method: 'GET', url: '/api/v1/pipelines', tag: 'Opportunities', summary: 'Pipelines and their stages', handler: ({ ctx }) => core.listPipelines(ctx.db) });
}
