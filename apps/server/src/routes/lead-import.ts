import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DatabaseHandle } from '@openltc/db';
import * as core from '@openltc/core';
import { route } from '../http/route.ts';

const empty = z.object({}).strict();

/** Lead scoring rules (Settings → Lead scoring) and lead imports from CSV / Excel files. */
export function leadImportRoutes(app: FastifyInstance, h: DatabaseHandle): void {
  const tag = 'Lead scoring';
  route(app, h, { method: 'GET', url: '/api/v1/lead-scoring/rules', tag, summary: 'The scoring rules, in evaluation order', handler: ({ ctx }) => core.listScoringRules(ctx) });
  route(app, h, { method: 'POST', url: '/api/v1/lead-scoring/rules', tag, summary: 'Add a scoring rule (administrators)', body: core.ScoringRuleCreate, response: core.ScoringRuleDto, status: 201, handler: ({ ctx, body }) => core.createScoringRule(ctx, body) });
  route(app, h, { method: 'PATCH', url: '/api/v1/lead-scoring/rules/:id', tag, summary: 'Edit a scoring rule (administrators; If-Match)', body: core.ScoringRuleUpdate, response: core.ScoringRuleDto, handler: ({ ctx, params, body, ifMatch }) => core.updateScoringRule(ctx, params.id!, body, ifMatch) });
  route(app, h, { method: 'DELETE', url: '/api/v1/lead-scoring/rules/:id', tag, summary: 'Delete a scoring rule (administrators; If-Match)', handler: ({ ctx, params, ifMatch }) => core.deleteScoringRule(ctx, params.id!, ifMatch) });
  route(app, h, {
    method: 'POST',
    url: '/api/v1/lead-scoring/preview',
    tag,
    summary: 'The score and reasons a lead with these fields would get under the active rules',
    body: core.ScoringPreview,
    handler: ({ ctx, body }) => core.previewScore(ctx, body),
  });
  route(app, h, {
    method: 'POST',
    url: '/api/v1/lead-scoring/recompute',
    tag,
    summary: 'Score every lead not yet converted again under the current rules (administrators)',
    body: empty,
    handler: ({ ctx }) => core.recomputeScores(ctx),
  });
}
