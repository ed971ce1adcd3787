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
}
