import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyCookie, { Signer } from '@fastify/cookie';
import fastifySession from '@fastify/session';
import { reuse, type Db } from '@openltc/db';
import { principalFor, principalForToken, unauthorized, type Principal } from '@openltc/core';
import type { Config } from '../config.ts';

declare module 'fastify' {
  interface Session {
    userId?: string;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/**
 * Sessions live in the database, so several server processes share them. The expiry rolls with use,
 * but an unchanged session is written at most once a minute per process: otherwise every request,
 * reads included, would cost a write transaction (the W1 benchmark found half its transactions here).
 */
export const SESSION_TOUCH_MS = 60_000;

class DbSessionStore {
  private readonly written = new Map<string, { data: string; at: number }>();
  constructor(
    private readonly db: Db,
    private readonly ttlMs: number,
  ) {}
  set(sid: string, session: any, cb: (err?: unknown) => void) {
    const data = JSON.stringify(session);
    // The cookie's own expiry changes on every request; what matters is whether the content did.
    const content = JSON.stringify({ ...session, cookie: undefined });
    const now = Date.now();
    const last = this.written.get(sid);
    if (last && last.data === content && now - last.at < SESSION_TOUCH_MS) return cb();
    const expiresAt = new Date(now + this.ttlMs).toISOString();
    this.db
      .insertInto('sessions')
      .values({ sid, data, expiresAt })
      .onConflict((oc) => oc.column('sid').doUpdateSet({ data, expiresAt }))
      .execute()
      .then(() => {
        this.written.delete(sid);
        this.written.set(sid, { data: content, at: now });
        // Bounded memory: forget the oldest entries (the worst case is one extra write later).
        if (this.written.size > 10_000) this.written.delete(this.written.keys().next().value!);
        cb();
      }, cb);
  }
  get(sid: string, cb: (err: unknown, session?: any) => void) {
    // Read on every request: compiled once (reuse).
    reuse(this.db, 'sessions.get', [sid], ([v]) => this.db.selectFrom('sessions').select(['data', 'expiresAt']).where('sid', '=', v as string))
      .then((res) => {
        const r = res.rows[0];
        cb(null, r && r.expiresAt > new Date().toISOString() ? JSON.parse(r.data) : null);
      }, cb);
  }
  destroy(sid: string, cb: (err?: unknown) => void) {
    this.written.delete(sid);
    this.db
      .deleteFrom('sessions')
      .where('sid', '=', sid)
      .execute()
      .then(() => cb(), cb);
  }
}

/**
 * The session cookie's signer, remembering its results: the session plugin checks the cookie's HMAC
 * on every request and signs the same id again for the reply (two HMACs per request, 3 % of a W1
 * request's CPU). Both are pure functions of the id and the secret, so a bounded memo answers the same;
 * only valid signatures are remembered, so made-up cookies are always checked in full.
 */
export class MemoSigner {
  private readonly signer: Signer;
  private readonly signed = new Map<string, string>();
  private readonly verified = new Map<string, { valid: true; renew: boolean; value: string }>();
  constructor(
    secret: string,
    private readonly max = 10_000,
  ) {
    this.signer = new Signer(secret);
  }
  private remember<V>(m: Map<string, V>, k: string, v: V): V {
    if (m.size >= this.max) m.delete(m.keys().next().value!);
    m.set(k, v);
    return v;
  }
  sign(value: string): string {
    return this.signed.get(value) ?? this.remember(this.signed, value, this.signer.sign(value));
  }
  unsign(signedValue: string): { valid: boolean; renew: boolean; value: string | null } {
    const hit = this.verified.get(signedValue);
    if (hit) return hit;
    const r = this.signer.unsign(signedValue);
    return r.valid ? this.remember(this.verified, signedValue, { valid: true, renew: r.renew, value: r.value! }) : r;
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

export const SESSION_COOKIE = 'ltc_session';

/**
 * Authentication: a session cookie for the browser (HttpOnly, SameSite=Lax, rolling expiry)
 * or `Authorization: Bearer ltc_…` for integrations. Resolves `request.principal`.
 */
export async function registerAuth(app: FastifyInstance, db: Db, cfg: Config): Promise<void> {
  const ttlMs = cfg.sessionTtlHours * 3600_000;
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: new MemoSigner(sessionSecret(cfg)) as any,
    cookieName: SESSION_COOKIE,
    saveUninitialized: false,
    rolling: true,
    store: new DbSessionStore(db, ttlMs) as any,
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: ttlMs, path: '/' },
  });
  app.decorateRequest('principal', null);
  app.addHook('preHandler', async (req) => {
    const authz = req.headers.authorization;
    if (authz) {
      const m = /^Bearer\s+(\S+)$/i.exec(authz);
      const p = m ? await principalForToken(db, m[1]!) : null;
      if (!p) throw unauthorized('the API token is unknown or revoked');
      req.principal = p;
      return;
    }
    const uid = req.session?.userId;
    if (uid) req.principal = await principalFor(db, uid, 'session');
  });
}

export function requirePrincipal(req: FastifyRequest): Principal {
  if (!req.principal) throw unauthorized();
  return req.principal;
}
