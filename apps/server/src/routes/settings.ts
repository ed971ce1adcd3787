import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DatabaseHandle } from '@openltc/db';
import * as core from '@openltc/core';
import { route } from '../http/route.ts';

const empty = z.object({}).strict();

/** Pipelines and stages, number series (administrators) and saved list views (every user). */
export function settingsRoutes(app: FastifyInstance, h: DatabaseHandle): void {
  // Pipelines (the list for everyone is GET /api/v1/pipelines in crm.ts)
  route(app, h, { method: 'POST', url: '/api/v1/pipelines', tag: 'Settings', summary: 'Create a pipeline (default stages unless given)', body: core.PipelineCreate, status: 201, handler: ({ ctx, body }) => core.createPipeline(ctx, body) });
  route(app, h, { method: 'GET', url: '/api/v1/pipelines/:id', tag: 'Settings', summary: 'A pipeline with the number of opportunities in each stage', handler: ({ ctx, params }) => core.getPipeline(ctx, params.id!) });
  route(app, h, {
    method: 'PATCH',
    url: '/api/v1/pipelines/:id',
    tag: 'Settings',
    summary: 'Rename, make default, deactivate or activate a pipeline',
    body: core.PipelineUpdate,
    handler: ({ ctx, params, body, ifMatch }) => core.updatePipeline(ctx, params.id!, body, ifMatch),
  });
  route(app, h, {
    method: 'POST',
    url: '/api/v1/pipelines/:id/stages',
    tag: 'Settings',
    summary: 'Add a stage',
    body: core.StageCreate,
    status: 201,
    handler: ({ ctx, params, body, ifMatch }) => core.addStage(ctx, params.id!, body, ifMatch),
  });
  route(app, h, {
    method: 'PATCH',
    url: '/api/v1/pipelines/:id/stages/:stageId',
    tag: 'Settings',
    summary: 'Edit a stage: name, default probability, required fields (stage gate), active',
    body: core.StageUpdate,
    handler: ({ ctx, params, body, ifMatch }) => core.updateStage(ctx, params.id!, params.stageId!, body, ifMatch),
  });
  route(app, h, {
    method: 'DELETE',
    url: '/api/v1/pipelines/:id/stages/:stageId',
    tag: 'Settings',
    summary: 'Delete a stage nobody is in (409 stage_in_use otherwise), or move its opportunities first with moveTo',
    query: core.StageDeleteQuery,
    handler: ({ ctx, params, query, ifMatch }) => core.deleteStage(ctx, params.id!, params.stageId!, query, ifMatch),
  });
  route(app, h, {
    method: 'PUT',
    url: '/api/v1/pipelines/:id/stage-order',
    tag: 'Settings',
    summary: 'Reorder the stages (every stage id, once, in the new order)',
    body: core.StageOrder,
    handler: ({ ctx, params, body, ifMatch }) => core.reorderStages(ctx, params.id!, body, ifMatch),
  });

  // Number series
  route(app, h, { method: 'GET', url: '/api/v1/number-series', tag: 'Settings', summary: 'Every number series per scope with its format and next number', handler: async ({ ctx }) => ({ items: await core.listNumberSeries(ctx) }) });
  route(app, h, {
    method: 'PATCH',
    url: '/api/v1/number-series/:key/:scope',
    tag: 'Settings',
    summary: 'Change the format of future numbers, or move the counter forward (never below issued numbers; gap-free series only before their first number of a period)',
    body: core.NumberSeriesUpdate,
    handler: ({ ctx, params, body, ifMatch }) => core.updateNumberSeries(ctx, params.key!, params.scope!, body, ifMatch),
  });

  // Saved views, and each user's column layout of each list (hidden columns, order)
  route(app, h, { method: 'GET', url: '/api/v1/saved-views/layouts/:list', tag: 'Saved views', summary: 'My column layout of a list: hidden columns and their order (version 0: never arranged)', handler: ({ ctx, params }) => core.getListLayout(ctx, params.list!) });
  route(app, h, {
    method: 'PUT',
    url: '/api/v1/saved-views/layouts/:list',
    tag: 'Saved views',
    summary: 'Set my column layout of a list (If-Match: its version, 0 before the first save)',
    body: core.ListLayoutSet,
    handler: ({ ctx, params, body, ifMatch }) => core.setListLayout(ctx, params.list!, body, ifMatch),
  });
  // Each user's own preferences (the pipeline home shows)
  route(app, h, { method: 'GET', url: '/api/v1/me/preferences', tag: 'Saved views', summary: 'My preferences: the pipeline home shows (version 0: never set)', response: core.UserPreferencesDto, handler: ({ ctx }) => core.getUserPreferences(ctx) });
  route(app, h, {
    method: 'PUT',
    url: '/api/v1/me/preferences',
    tag: 'Saved views',
    summary: 'Set my preferences (If-Match: their version, 0 before the first change); an unknown or inactive pipeline → 422',
    body: core.UserPreferencesSet,
    response: core.UserPreferencesDto,
    handler: ({ ctx, body, ifMatch }) => core.setUserPreferences(ctx, body, ifMatch),
  });
  route(app, h, { method: 'GET', url: '/api/v1/saved-views', tag: 'Saved views', summary: 'My saved views and those shared with me', query: core.SavedViewQuery, handler: ({ ctx, query }) => core.listSavedViews(ctx, query) });
  route(app, h, { method: 'POST', url: '/api/v1/saved-views', tag: 'Saved views', summary: 'Save a view of a list', body: core.SavedViewCreate, status: 201, handler: ({ ctx, body }) => core.createSavedView(ctx, body) });
  route(app, h, { method: 'GET', url: '/api/v1/saved-views/:id', tag: 'Saved views', summary: 'A saved view', handler: ({ ctx, params }) => core.getSavedView(ctx, params.id!) });
  route(app, h, {
    method: 'PATCH',
    url: '/api/v1/saved-views/:id',
    tag: 'Saved views',
    summary: 'Edit my saved view (shared views are read-only to others)',
    body: core.SavedViewUpdate,
    handler: ({ ctx, params, body, ifMatch }) => core.updateSavedView(ctx, params.id!, body, ifMatch),
  });
  route(app, h, { method: 'DELETE', url: '/api/v1/saved-views/:id', tag: 'Saved views', summary: 'Delete my saved view', handler: ({ ctx, params }) => core.deleteSavedView(ctx, params.id!) });
  route(app, h, { method: 'PUT', url: '/api/v1/saved-views/:id/default', tag: 'Saved views', summary: 'Make a view my default for its list', body: empty, handler: ({ ctx, params }) => core.makeDefaultView(ctx, params.id!) });
  route(app, h, { method: 'DELETE', url: '/api/v1/saved-views/:id/default', tag: 'Saved views', summary: 'Stop using a view as my default', handler: ({ ctx, params }) => core.clearDefaultView(ctx, params.id!) });
}
