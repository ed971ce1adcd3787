import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DatabaseHandle } from '@openltc/db';
import * as core from '@openltc/core';
import { route } from '../http/route.ts';

/** Users, teams, API tokens and the job queue (administration). */
export function adminRoutes(app: FastifyInstance, h: DatabaseHandle): void {
  route(app, h, { method: 'GET', url: '/api/v1/users', tag: 'Administration', summary: 'List users', handler: async ({ ctx }) => ({ items: await core.listUsers(ctx) }) });
  route(app, h, { method: 'POST', url: '/api/v1/users', tag: 'Administration', summary: 'Create a user', body: core.UserCreate, status: 201, handler: ({ ctx, body }) => core.createUser(ctx, body) });
  route(app, h, {
    method: 'GET',
    url: '/api/v1/teams',
    tag: 'Administration',
    summary: 'List teams',
    handler: async () => ({ items: await core.listTeams(h.db) }),
  });
  route(app, h, {
    method: 'POST',
    url: '/api/v1/teams',
    tag: 'Administration',
    summary: 'Create a team',
    status: 201,
    body: z.object({ name: z.string().trim().min(1).max(100), parentId: core.id('team').nullable().optional() }).strict(),
    handler: ({ ctx, body }) => core.createTeam(ctx, body.name, body.parentId ?? null),
  });
  route(app, h, {
    method: 'POST',
    url: '/api/v1/users/:id/tokens',
    tag: 'Administration',
    summary: 'Create an API token for a user (the secret is shown once)',
    status: 201,
    body: z.object({ name: z.string().trim().min(1).max(100) }).strict(),
    handler: ({ ctx, params, body }) => core.createApiToken(ctx, params.id!, body.name),
  });
  route(app, h, {
    method: 'GET',
    url: '/api/v1/jobs',
    tag: 'Administration',
    summary: 'Background jobs (outbox), newest first',
    query: z.object({ status: z.enum(['pending', 'running', 'done', 'dead']).optional(), limit: z.coerce.number().int().min(1).max(200).optional() }).strict(),
    handler: async ({ ctx, query }) => {
      core.assertCan(ctx.user, 'settings', 'read');
      let q = h.db.selectFrom('jobs').selectAll().orderBy('id', 'desc').limit(query.limit ?? 50);
      if (query.status) q = q.where('status', '=', query.status);
      return { items: (await q.execute()).map((j) => ({ ...j, payload: JSON.parse(j.payload) })) };
    },
  });
  route(app, h, {
    method: 'POST',
    url: '/api/v1/jobs/:id/retry',
    tag: 'Administration',
    summary: 'Retry a dead job now',
    handler: async ({ ctx, params }) => {
      core.assertCan(ctx.user, 'settings', 'write');
      const r = await h.db
        .updateTable('jobs')
        .set({ status: 'pending', attempts: 0, runAt: core.nowIso(), updatedAt: core.nowIso() })
        .where('id', '=', params.id!)
        .where('status', '=', 'dead')
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw core.conflict('job_not_dead', `job ${params.id} is not dead`);
      return { id: params.id, status: 'pending' };
    },
  });
}
