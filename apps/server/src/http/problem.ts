import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { AppError, type FieldError } from '@openltc/core';

/** RFC 9457 problem details. `code` is stable; `errors` lists per-field problems. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  [k: string]: unknown;
}

export function zodFields(err: ZodError, prefix = ''): FieldError[] {
  return err.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: i.code === 'unrecognized_keys' ? `unknown field(s): ${(i as any).keys.join(', ')}` : i.message,
    code: i.code,
  }));
}

export function toProblem(err: unknown, req: FastifyRequest): Problem {
  const base = { instance: req.url, requestId: String(req.id) };
  if (err instanceof AppError) {
    const { fields, ...extra } = err.extra;
    return {
      type: `/problems/${err.code}`,
      title: err.title,
      status: err.status,
      detail: err.message,
      code: err.code,
      ...base,
      ...extra,
      ...(fields ? { errors: fields } : {}),
    };
  }
  if (err instanceof ZodError) {
    const errors = zodFields(err);
    return {
      type: '/problems/validation_failed',
      title: 'Validation failed',
      status: 422,
      detail: errors.map((e) => `${e.path}: ${e.message}`).join('; '),
      code: 'validation_failed',
      ...base,
      errors,
    };
  }
  const fe = err as FastifyError;
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode < 500) {
    const code =
      fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? 'unsupported_media_type'
        : fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'body_too_large'
          : 'bad_request';
    return { type: `/problems/${code}`, title: 'Bad request', status: fe.statusCode, detail: fe.message, code, ...base };
  }
  return {
    type: '/problems/internal_error',
    title: 'Internal error',
    status: 500,
    detail: 'something went wrong on our side; the request id identifies it in the server log',
    code: 'internal_error',
    ...base,
  };
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.status(p.status).type('application/problem+json; charset=utf-8').send(p);
}
