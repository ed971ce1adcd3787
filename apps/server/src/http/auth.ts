import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import type { Db } from '@openltc/db';
import { authVersion, principalFor, principalForToken, PrincipalCache, tokenHash, unauthorized, type Principal } from '@openltc/core';
import type { Config } from '../config.ts';
import { registerSessions, SESSION_COOKIE } from './session.ts';

export { MemoSigner, SESSION_COOKIE, SESSION_TOUCH_MS } from './session.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** The session secret: from SESSION_SECRET, or made once and kept in the data folder. */
function sessionSecret(cfg: Config): string {
  if (cfg.sessionSecret) {
    if (cfg.sessionSecret.length < 32) throw new Error('SESSION_SECRET must be at least 32 characters');
    return cfg.sessionSecret;
  }
  const file = path.join(cfg.dataDir, 'session-secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(cfg.dataDir, { recursive: true });
    const s = randomBytes(48).toString('base64url');
    fs.writeFileSync(file, s, { mode: 0o600 });
    return s;
  }
}

/**
 * Authentication: a session cookie for the browser (HttpOnly, SameSite=Lax, rolling expiry; see
 * session.ts) or `Authorization: Bearer ltc_…` for integrations. Resolves `request.principal`.
 */
export async function registerAuth(app: FastifyInstance, db: Db, cfg: Config): Promise<void> {
  await app.register(fastifyCookie);
  const sessions = registerSessions(app, db, sessionSecret(cfg), cfg.sessionTtlHours * 3600_000);
  // Principals in memory, valid while auth_version (read with the session row) does not move.
  const principals = new PrincipalCache();
  app.decorateRequest('principal', null);
  app.addHook('preHandler', async (req) => {
    const authz = req.headers.authorization;
    if (authz) {
      const m = /^Bearer\s+(\S+)$/i.exec(authz);
      const token = m?.[1];
      const p = token ? await principals.get(await authVersion(db), `token:${tokenHash(token)}`, () => principalForToken(db, token)) : null;
      if (!p) throw unauthorized('the API token is unknown or revoked');
      req.principal = p;
      return;
    }
    const cookie = req.cookies[SESSION_COOKIE];
    if (!cookie) return;
    const s = await sessions.resolve(req, cookie);
    if (s) req.principal = await principals.get(s.authVersion, `session:${s.userId}`, () => principalFor(db, s.userId, 'session'));
  });
}

export function requirePrincipal(req: FastifyRequest): Principal {
  if (!req.principal) throw unauthorized();
  return req.principal;
}
