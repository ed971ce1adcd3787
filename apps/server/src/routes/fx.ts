import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '@openltc/db';
import * as core from '@openltc/core';
import { route } from '../http/route.ts';

/** Dated exchange rates: list, one rate, a pasted block, the rate in force on a date. */
export function fxRoutes(app: FastifyInstance, h: DatabaseHandle): void {
  route(app, h, { method: 'GET', url: '/api/v1/fx-rates', tag: 'FX rates', summary: 'Exchange rates, newest effective date first; filter by base, quote, pair (both directions) and date range', query: core.FxRatesQuery, response: core.FxRatesPage, handler: ({ ctx, query }) => core.listFxRates(ctx, query) });
  route(app, h, {
    method: 'PUT',
    url: '/api/v1/fx-rates',
    tag: 'FX rates',
    summary: 'Set the rate of a pair from a date (finance, admin): created, or replaced for that pair and date; posted entries keep the rate they used',
    body: core.FxRateInput,
    response: core.FxRateDto,
    handler: async ({ ctx, body }) => (await core.setFxRate(ctx, body)).rate,
  });
  route(app, h, { method: 'POST', url: '/api/v1/fx-rates/bulk', tag: 'FX rates', summary: 'Set many rates at once (finance, admin): pasted lines base,quote,rate,date[,source] and/or a list; all or nothing, every bad line reported', body: core.FxRatesBulkInput, response: core.FxRatesBulkResult, handler: ({ ctx, body }) => core.bulkSetFxRates(ctx, body) });
  route(app, h, { method: 'GET', url: '/api/v1/fx-rates/lookup', tag: 'FX rates', summary: 'The rate from one currency to another in force on a date (either stored direction); 422 fx_rate_missing when none', query: core.FxRateQuery, response: core.FxRateLookupDto, handler: ({ ctx, query }) => core.lookupFxRate(ctx, query) });
  route(app, h, {
    method: 'POST',
    url: '/api/v1/fx/revaluations',
    tag: 'FX rates',
    summary: 'Revalue a month (finance, admin): open foreign-currency receivables and customer advances at the closing rate, posted on its last day and reversed on the next; once per legal entity and month (201 created, 200 the existing run); 422 fx_closing_rate_missing names the pairs and the date',
    body: core.FxRevaluationInput,
    response: core.FxRevaluationRunDto,
    status: 201,
    handler: async ({ ctx, body, reply }) => {
      const r = await core.runFxRevaluation(ctx, body, 'api');
      if (r.alreadyRun) return reply.status(200).send(r);
      return r;
    },
  });
  route(app, h, { method: 'GET', url: '/api/v1/legal-entities', tag: 'FX rates', summary: 'Every legal entity (functional currency, time zone), the first created first: the one used when none is named', response: core.LegalEntitiesPage, handler: ({ ctx }) => core.listLegalEntitiesFor(ctx) });
  route(app, h, { method: 'GET', url: '/api/v1/fx/revaluations', tag: 'FX rates', summary: 'Period-end FX revaluations of every legal entity (or one: legalEntityId), latest month first; outcome nothing_to_revalue marks a month checked with no foreign-currency item', query: core.FxRevaluationsQuery, response: core.FxRevaluationsPage, handler: ({ ctx, query }) => core.listFxRevaluations(ctx, query) });
  route(app, h, { method: 'GET', url: '/api/v1/fx/revaluations/:id', tag: 'FX rates', summary: 'One revaluation with every item it revalued', response: core.FxRevaluationDetailDto, handler: ({ ctx, params }) => core.getFxRevaluation(ctx, params.id!) });
}
