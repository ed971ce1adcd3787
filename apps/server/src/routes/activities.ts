import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DatabaseHandle } from '@openltc/db';
import * as core from '@openltc/core';
import { route } from '../http/route.ts';

const page = z.object({ items: z.array(core.ActivityDto), nextCursor: z.string().nullable() });

/** Activities and tasks on leads, opportunities, accounts and contacts. */
export function activityRoutes(app: FastifyInstance, h: DatabaseHandle): void {
  const tag = 'Activities';
  route(app, h, {
    method: 'GET',
    url: '/api/v1/activities',
    tag,
    summary: 'List activities and tasks (by parent, type, status, owner, assignee, overdue, due range)',
    description: 'Only activities whose parent record the caller may see. `ownerId=me` / `assigneeId=me` for the caller; `type=task&status=open&assigneeId=me&sort=dueAt` is "my tasks".',
    query: core.ActivityQuery,
    response: page,
    handler: ({ ctx, query }) => core.listActivities(ctx, query),
  });
  route(app, h, { method: 'POST', url: '/api/v1/activities', tag, summary: 'Log a call, meeting, email or note, or add a task', body: core.ActivityCreate, response: core.ActivityDto, status: 201, handler: ({ ctx, body }) => core.createActivity(ctx, body) });
  route(app, h, { method: 'GET', url: '/api/v1/activities/:id', tag, summary: 'Get an activity', response: core.ActivityDto, handler: ({ ctx, params }) => core.getActivity(ctx, params.id!) });
  route(app, h, { method: 'PATCH', url: '/api/v1/activities/:id', tag, summary: 'Edit an activity (If-Match)', body: core.ActivityUpdate, response: core.ActivityDto, handler: ({ ctx, params, body, ifMatch }) => core.updateActivity(ctx, params.id!, body, ifMatch) });
  route(app, h, { method: 'POST', url: '/api/v1/activities/:id/complete', tag, summary: 'Complete a task', body: core.ActivityComplete, response: core.ActivityDto, handler: ({ ctx, params, body, ifMatch }) => core.completeActivity(ctx, params.id!, body, ifMatch) });
  route(app, h, { method: 'POST', url: '/api/v1/activities/:id/reopen', tag, summary: 'Reopen a completed task', body: z.object({}).strict(), response: core.ActivityDto, handler: ({ ctx, params, ifMatch }) => core.reopenActivity(ctx, params.id!, ifMatch) });
  route(app, h, {
    method: 'DELETE',
    url: '/api/v1/activities/:id',
    tag,
    summary: 'Delete an activity (its author, within 15 minutes of logging it)',
    status: 204,
    handler: async ({ ctx, params, reply }) => {
      await core.deleteActivity(ctx, params.id!);
      return reply.status(204).send();
    },
  });
}
