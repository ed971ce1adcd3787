import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z, type ZodType } from 'zod';
import { AppError, markValidated, selectFields, type Ctx, type Page, type Principal } from '@openltc/core';
import type { DatabaseHandle } from '@openltc/db';
import { requirePrincipal } from './auth.ts';

/**
 * One declaration per endpoint: method, path, zod schemas and the handler. The same declaration
 * validates the request (unknown fields refused), builds the use-case context, sets ETag from a
 * returned `version`, reads If-Match, and feeds the OpenAPI document.
 */
export interface RouteSpec<B extends ZodType | undefined = any, Q extends ZodType | undefined = any> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  tag: string;
  summary: string;
  description?: string;
  body?: B;
  query?: Q;
  response?: ZodType;
  /** Success status (200 default, 201 for creates). */
  status?: number;
  /** false for login/setup; default true. */
  auth?: boolean;
  /** Largest request body in bytes, where an endpoint takes more than the server's default (file uploads). */
  bodyLimit?: number;
  handler: (
    args: {
      ctx: Ctx;
      body: B extends ZodType ? z.output<B> : undefined;
      query: Q extends ZodType ? z.output<Q> : undefined;
      params: Record<string, string>;
      /** The version from If-Match, if sent. */
      ifMatch: number | undefined;
      req: FastifyRequest;
      reply: FastifyReply;
    },
  ) => Promise<unknown>;
}

export const registry: RouteSpec[] = [];

function parseIfMatch(h: string | undefined): number | undefined {
  if (!h) return undefined;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(h.trim());
  if (!m) throw new AppError(400, 'bad_request', 'Bad request', 'If-Match must be an ETag this API returned, like W/"3"');
  return Number(m[1]);
}

export function route<B extends ZodType | undefined, Q extends ZodType | undefined>(
  app: FastifyInstance,
  handle: DatabaseHandle,
  spec: RouteSpec<B, Q>,
): void {
  registry.push(spec as RouteSpec);
  app.route({
    method: spec.method,
    url: spec.url,
    ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
    handler: async (req, reply) => {
      const user: Principal | null = spec.auth === false ? req.principal : requirePrincipal(req);
      // Marked as validated by this schema: a use case validating with the same schema takes it as is.
      const body = spec.body
        ? markValidated(spec.body, spec.body.parse(req.body ?? {}))
        : req.body !== undefined && req.body !== null && Object.keys(req.body as object).length
          ? (() => {
              throw new AppError(422, 'validation_failed', 'Validation failed', 'this endpoint takes no request body');
            })()
          : undefined;
      const query = spec.query ? markValidated(spec.query, spec.query.parse(req.query ?? {})) : undefined;
      const ctx: Ctx = {
        db: handle.db,
        dialect: handle.dialect,
        user: user ?? ({ id: 'anonymous', role: 'viewer', teamIds: [], teamId: null, name: '', email: '', via: 'session' } as Principal),
        requestId: String(req.id),
      };
      const result = await spec.handler({
        ctx,
        body: body as any,
        query: query as any,
        params: req.params as Record<string, string>,
        ifMatch: parseIfMatch(req.headers['if-match']),
        req,
        reply,
      });
      if (reply.sent) return reply;
      // A list asked for a trimmed row shape (`fields`, in every list query): the page's items cut to those fields.
      const fields = (query as { fields?: unknown } | undefined)?.fields;
      if (typeof fields === 'string' && result && Array.isArray((result as { items?: unknown }).items)) {
        reply.status(spec.status ?? 200);
        return selectFields(result as Page<object>, fields);
      }
      if (result && typeof result === 'object' && typeof (result as any).version === 'number' && typeof (result as any).id === 'string')
        reply.header('etag', `W/"${(result as any).version}"`);
      reply.status(spec.status ?? 200);
      return result ?? null;
    },
  });
}
