import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Db } from '@openltc/db';
import { AppError } from '@openltc/core';

/**
 * `Idempotency-Key` on POST: the first response (status and body) is stored per caller and key and
 * replayed for retries. The same key with a different request is refused; a request still running
 * under the key answers 409. Server errors are not stored, so the client may retry them.
 */
export function registerIdempotency(app: FastifyInstance, db: Db): void {
  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST') return;
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || !key) return;
    if (key.length > 200) throw new AppError(400, 'bad_request', 'Bad request', 'Idempotency-Key is longer than 200 characters');
    const principal = req.principal?.id ?? `anon:${req.ip}`;
    const hash = createHash('sha256')
      .update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`)
      .digest('hex');
    const inserted = await db
      .insertInto('idempotencyKeys')
      .values({
        key,
        principal,
        method: req.method,
        path: req.url,
        requestHash: hash,
        statusCode: 0,
        responseBody: '',
        createdAt: new Date().toISOString(),
      })
      .onConflict((oc) => oc.columns(['principal', 'key']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) {
      (req as any).idempotency = { key, principal };
      return;
    }
    const prev = await db
      .selectFrom('idempotencyKeys')
      .selectAll()
      .where('principal', '=', principal)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    if (prev.requestHash !== hash)
      throw new AppError(422, 'idempotency_key_reused', 'Idempotency key reused', 'this Idempotency-Key was used for a different request');
    if (prev.statusCode === 0)
      throw new AppError(409, 'idempotency_in_progress', 'Request in progress', 'a request with this Idempotency-Key is still running; retry shortly');
    reply.header('idempotency-replayed', 'true');
    const ct = prev.statusCode >= 400 ? 'application/problem+json; charset=utf-8' : 'application/json; charset=utf-8';
    return reply.status(prev.statusCode).type(ct).send(prev.responseBody);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const idem = (req as any).idempotency as { key: string; principal: string } | undefined;
    if (!idem) return payload;
    const q = db.updateTable('idempotencyKeys').where('principal', '=', idem.principal).where('key', '=', idem.key);
    if (reply.statusCode >= 500) {
      await db.deleteFrom('idempotencyKeys').where('principal', '=', idem.principal).where('key', '=', idem.key).execute();
    } else {
      await q.set({ statusCode: reply.statusCode, responseBody: typeof payload === 'string' ? payload : String(payload ?? '') }).execute();
    }
    return payload;
  });
}
