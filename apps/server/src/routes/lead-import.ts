import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DatabaseHandle } from '@openltc/db';
import * as core from '@openltc/core';
import { route } from '../http/route.ts';

const empty = z.object({}).strict();

/** Lead scoring rules (Settings → Lead scoring) and lead imports from CSV / Excel files. */
export function leadImportRoutes(app: FastifyInstance, h: DatabaseHandle): void {
  const tag = 'Lead scoring';
  route(app, h, {
    method: 'GET',
    url: '/api/v1/lead-scoring/rules',
    tag,
    summary: 'The scoring rules, in evaluation order',
    handler: ({ ctx }) => core.listScoringRules(ctx),
  });
  route(app, h, {
    method: 'POST',
    url: '/api/v1/lead-scoring/rules',
    tag,
    summary: 'Add a scoring rule (administrators)',
    body: core.ScoringRuleCreate,
    response: core.ScoringRuleDto,
    status: 201,
    handler: ({ ctx, body }) => core.createScoringRule(ctx, body),
  });
  route(app, h, {
    method: 'PATCH',
    url: '/api/v1/lead-scoring/rules/:id',
    tag,
    summary: 'Edit a scoring rule (administrators; If-Match)',
    body: core.ScoringRuleUpdate,
    response: core.ScoringRuleDto,
    handler: ({ ctx, params, body, ifMatch }) => core.updateScoringRule(ctx, params.id!, body, ifMatch),
  });
  route(app, h, {
    method: 'DELETE',
    url: '/api/v1/lead-scoring/rules/:id',
    tag,
    summary: 'Delete a scoring rule (administrators; If-Match)',
    handler: ({ ctx, params, ifMatch }) => core.deleteScoringRule(ctx, params.id!, ifMatch),
  });
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

  const itag = 'Lead import';
  // Base64 of the largest file accepted, and the JSON around it.
  const bodyLimit = Math.ceil((core.MAX_FILE_BYTES * 4) / 3) + 64 * 1024;
  route(app, h, {
    method: 'GET',
    url: '/api/v1/leads/import/schema',
    tag: itag,
    summary: 'What an import may fill and a scoring rule may test: lead fields, custom fields, encodings, scoring operators',
    description:
      'The lists the import page and the scoring rule editor offer, as the server checks them: each lead field a column may fill (label key, kind, required, maximum length, scorable), the suggested custom fields and the pattern of `customFields.<key>`, the CSV encodings, the file limits, and each scoring operator with the value it takes (none, list, number, text). Anyone who may read leads.',
    response: core.LeadImportSchemaDto,
    handler: async ({ ctx }) => core.leadImportSchema(ctx),
  });
  route(app, h, {
    method: 'POST',
    url: '/api/v1/leads/imports/preview',
    tag: itag,
    summary:
      'Read a CSV / Excel file: headers, the guessed column mapping and the first rows (nothing is saved)',
    body: core.LeadImportPreview,
    bodyLimit,
    handler: ({ ctx, body }) => core.previewLeadImport(ctx, body),
  });
  route(app, h, {
    method: 'POST',
    url: '/api/v1/leads/imports',
    tag: itag,
    summary: 'Import leads from a CSV or Excel file (marketing and administrators)',
    description:
      'Every row is validated like POST /leads, deduplicated (email, phone, company + name) within the file and against existing leads, and scored. ' +
      `Files up to ${core.INLINE_MAX_ROWS} rows are imported before the answer (201, status done); bigger ones by the worker (202, status pending — follow GET /leads/imports/{id}).`,
    body: core.LeadImportCreate,
    bodyLimit,
    handler: async ({ ctx, body, reply }) => {
      const dto = await core.createLeadImport(ctx, body);
      reply.status(dto.status === 'done' || dto.status === 'failed' ? 201 : 202);
      reply.header('location', `/api/v1/leads/imports/${dto.id}`);
      return reply.send(dto);
    },
  });
  route(app, h, {
    method: 'GET',
    url: '/api/v1/leads/imports',
    tag: itag,
    summary: 'Recent import batches, newest first',
    query: core.ImportListQuery,
    handler: ({ ctx, query }) => core.listLeadImports(ctx, query),
  });
  route(app, h, {
    method: 'GET',
    url: '/api/v1/leads/imports/:id',
    tag: itag,
    summary: 'An import batch: status, progress and counts',
    handler: ({ ctx, params }) => core.getLeadImport(ctx, params.id!),
  });
  route(app, h, {
    method: 'GET',
    url: '/api/v1/leads/imports/:id/issues',
    tag: itag,
    summary:
      'The rows of a batch that failed validation (per field), were duplicates (with the lead or row they matched) or updated a lead',
    query: core.ImportIssueQuery,
    handler: ({ ctx, params, query }) => core.listLeadImportIssues(ctx, params.id!, query),
  });
  route(app, h, {
    method: 'GET',
    url: '/api/v1/leads/imports/:id/errors.csv',
    tag: itag,
    summary: 'The error report: rows not imported with their cells and problems, as CSV (UTF-8 with BOM)',
    handler: async ({ ctx, params, reply }) => {
      const r = await core.leadImportErrorReport(ctx, params.id!);
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="import-errors.csv"; filename*=UTF-8''${encodeURIComponent(r.filename)}`,
        )
        .send(r.csv);
    },
  });
}
