import { z } from 'zod';
import { registry } from './route.ts';

const problem = {
  description: 'RFC 9457 problem details',
  content: {
    'application/problem+json': {
      schema: {
        type: 'object',
        required: ['type', 'title', 'status', 'detail', 'code'],
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          code: { type: 'string', description: 'stable machine-readable error code' },
          instance: { type: 'string' },
          requestId: { type: 'string' },
          errors: {
            type: 'array',
            items: {
              type: 'object',
              properties: { path: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' } },
            },
          },
        },
      },
    },
  },
};

const schemaOf = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });

/** OpenAPI 3.1, generated from the same route declarations and zod schemas that validate requests. */
export function buildOpenApi(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of registry) {
    const p = r.url.replace(/:(\w+)/g, '{$1}');
    const params: unknown[] = [...r.url.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (r.query) {
      const js = schemaOf(r.query) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(js.properties ?? {}))
        params.push({ name, in: 'query', required: js.required?.includes(name) ?? false, schema });
    }
    if (r.method === 'PATCH') params.push({ name: 'If-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'ETag from a GET; 409 when stale' });
    if (r.method === 'POST')
      params.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' }, description: 'Replays the first response for retries' });
    const op: Record<string, unknown> = {
      tags: [r.tag],
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      operationId: `${r.method.toLowerCase()}${p.replace(/[{}]/g, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string) => (c ? c.toUpperCase() : ''))}`,
      parameters: params,
      responses: {
        [String(r.status ?? 200)]: {
          description: 'OK',
          ...(r.response ? { content: { 'application/json': { schema: schemaOf(r.response) } } } : {}),
        },
        '4XX': problem,
      },
      ...(r.auth === false ? { security: [] } : {}),
    };
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(r.body) } } };
    (paths[p] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'OpenLTC API',
      version,
      description:
        'Lead-to-Cash (线索到现金) REST API. Money is integer minor units (fen) plus an ISO 4217 currency; quantities are decimal strings. Errors are RFC 9457 problem+json with a stable `code`.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'API token from `ltc token create` or the settings page' },
        session: { type: 'apiKey', in: 'cookie', name: 'ltc_session' },
      },
    },
    security: [{ bearer: [] }, { session: [] }],
    paths,
  };
}
