import fs from 'node:fs';
import path from 'node:path';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { z } from 'zod';
import type { DatabaseHandle } from '@openltc/db';
import * as core from '@openltc/core';
import { AppError } from '@openltc/core';
import type { Config } from './config.ts';
import { registerAuth } from './http/auth.ts';
import { registerIdempotency } from './http/idempotency.ts';
import { LoginThrottle } from './http/login-throttle.ts';
import { sendProblem, toProblem } from './http/problem.ts';
import { registry, route } from './http/route.ts';
import { buildOpenApi } from './http/openapi.ts';
import { crmRoutes } from './routes/crm.ts';
import { leadImportRoutes } from './routes/lead-import.ts';
import { orderRoutes } from './routes/orders.ts';
import { billingRoutes } from './routes/billing.ts';
import { billingScheduleRoutes } from './routes/billing-schedules.ts';
import { receivableRoutes } from './routes/receivables.ts';
import { ledgerRoutes } from './routes/ledger.ts';
import { revenueRoutes } from './routes/revenue.ts';
import { fxRoutes } from './routes/fx.ts';
import { collectionRoutes } from './routes/collections.ts';
import { quoteRoutes } from './routes/quotes.ts';
import { pricingRoutes } from './routes/pricing.ts';
import { adminRoutes } from './routes/admin.ts';
import { settingsRoutes } from './routes/settings.ts';
import { analyticsRoutes } from './routes/analytics.ts';
import { activityRoutes } from './routes/activities.ts';

export const VERSION = '0.1.0';

export interface AppOptions {
  handle: DatabaseHandle;
  config: Config;
  logger?: boolean | object;
}

/** Builds the HTTP application: plugins, error mapping, routes, OpenAPI and the web app. */
export async function buildApp({ handle, config, logger }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ?? { level: config.logLevel },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : core.newId('req');
    },
    bodyLimit: 5 * 1024 * 1024,
    // One log line per request (below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { coerceTypes: false } },
  });
  registry.length = 0;

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', String(req.id));
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.info(
      { method: req.method, url: req.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 },
      'request',
    );
  });
  app.setErrorHandler((err, req, reply) => {
    const p = toProblem(err, req);
    if (p.status >= 500) req.log.error({ err }, 'request failed');
    return sendProblem(reply, p);
  });
  app.setNotFoundHandler((req, reply) => {
    // The SPA's own routes get index.html; a missing file (an /assets/ chunk of an older build, a
    // favicon) gets a real 404, never HTML that the browser would try to run as a script.
    const pathname = req.url.split('?')[0]!;
    if (
      !pathname.startsWith('/api/') &&
      !pathname.startsWith('/assets/') &&
      !/\.[a-z0-9]+$/i.test(pathname) &&
      req.method === 'GET' &&
      fs.existsSync(path.join(config.webDir, 'index.html'))
    )
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    return sendProblem(
      reply,
      toProblem(new AppError(404, 'route_not_found', 'Not found', `no route ${req.method} ${req.url.split('?')[0]}`), req),
    );
  });

  await registerAuth(app, handle.db, config);
  registerIdempotency(app, handle.db);

  app.get('/api/health', async () => ({ status: 'ok', version: VERSION, database: handle.dialect }));

  authRoutes(app, handle);
  leadImportRoutes(app, handle);
  crmRoutes(app, handle);
  orderRoutes(app, handle);
  billingRoutes(app, handle);
  billingScheduleRoutes(app, handle);
  receivableRoutes(app, handle);
  ledgerRoutes(app, handle);
  revenueRoutes(app, handle);
  fxRoutes(app, handle);
  collectionRoutes(app, handle);
  quoteRoutes(app, handle);
  pricingRoutes(app, handle);
  adminRoutes(app, handle);
  settingsRoutes(app, handle);
  analyticsRoutes(app, handle);
  activityRoutes(app, handle);
  route(app, handle, {
    method: 'GET',
    url: '/api/v1/:type/:id/timeline',
    tag: 'Events',
    summary: 'The event timeline of any document (who, when, before, after)',
    handler: ({ ctx, params }) => core.recordTimeline(ctx, params.type!, params.id!),
  });
  route(app, handle, {
    method: 'GET',
    url: '/api/v1/trace/:type/:id',
    tag: 'Events',
    summary: 'The lead-to-cash thread around any document: upstream to the lead, downstream to the payments',
    handler: ({ ctx, params }) => core.traceDocument(ctx, params.type!, params.id!),
  });

  const document = buildOpenApi(VERSION);
  app.get('/api/openapi.json', async () => document);
  await app.register(fastifySwagger, { mode: 'static', specification: { document: document as any } });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  if (fs.existsSync(path.join(config.webDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: config.webDir, wildcard: false, decorateReply: true });
  } else {
    app.get('/', async (_req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><meta charset="utf-8"><title>OpenLTC</title><h1>OpenLTC API</h1><p>API docs: <a href="/api/docs">/api/docs</a> · OpenAPI: <a href="/api/openapi.json">/api/openapi.json</a></p>',
        ),
    );
  }
  return app;
}

const Login = z.object({ email: z.string().min(1).max(200), password: z.string().min(1).max(200) }).strict();
const Setup = z
  .object({
    admin: core.UserCreate.omit({ role: true, teamId: true }),
    loadDemo: z.boolean().default(false).describe('Also load the demo company 云栈科技 (about 10–20 s)'),
  })
  .strict();

function authRoutes(app: FastifyInstance, h: DatabaseHandle): void {
  const throttle = new LoginThrottle();
  route(app, h, {
    method: 'POST',
    url: '/api/v1/auth/login',
    tag: 'Auth',
    summary: 'Sign in with email and password (sets the session cookie)',
    auth: false,
    body: Login,
    handler: async ({ body, req, reply }) => {
      try {
        throttle.check(body.email);
      } catch (err) {
        if (err instanceof AppError) reply.header('retry-after', String(err.extra.retryAfterSeconds));
        throw err;
      }
      let p: core.Principal;
      try {
        p = await core.authenticate(h.db, body.email, body.password);
      } catch (err) {
        if (err instanceof AppError && err.status === 401) throttle.failed(body.email);
        throw err;
      }
      throttle.succeeded(body.email);
      await req.server.sessions.signIn(req, p.id);
      return { user: p, permissions: core.permissionsOf(p.role) };
    },
  });
  route(app, h, {
    method: 'POST',
    url: '/api/v1/auth/logout',
    tag: 'Auth',
    summary: 'Sign out',
    auth: false,
    handler: async ({ req }) => {
      await req.server.sessions.signOut(req);
      return { ok: true };
    },
  });
  route(app, h, {
    method: 'GET',
    url: '/api/v1/auth/me',
    tag: 'Auth',
    summary: 'The signed-in user and what they may do',
    handler: async ({ ctx }) => ({ user: ctx.user, permissions: core.permissionsOf(ctx.user.role) }),
  });
  route(app, h, {
    method: 'GET',
    url: '/api/v1/setup',
    tag: 'Auth',
    summary: 'Whether the first administrator still has to be created',
    auth: false,
    handler: async () => ({ needsSetup: (await core.userCount(h.db)) === 0 }),
  });
  route(app, h, {
    method: 'POST',
    url: '/api/v1/setup',
    tag: 'Auth',
    summary: 'First run: create the first administrator (only while there are no users)',
    auth: false,
    body: Setup,
    status: 201,
    handler: async ({ body, req }) => {
      if ((await core.userCount(h.db)) > 0)
        throw new AppError(409, 'already_set_up', 'Already set up', 'an administrator exists; sign in instead');
      const ctx = { db: h.db, dialect: h.dialect, user: core.SYSTEM, requestId: String(req.id) };
      const user = await core.createUser(ctx, { ...body.admin, role: 'admin' });
      let demo = null;
      if (body.loadDemo) {
        const { loadDemoData } = await import('./demo/demo.ts');
        const res = await loadDemoData(h, { log: (m) => req.log.info(m) });
        demo = { counts: res.counts, password: res.password, users: res.users };
      }
      await req.server.sessions.signIn(req, user.id);
      return { user, demo };
    },
  });
}
