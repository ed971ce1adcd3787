import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Signer } from '@fastify/cookie';
import { reuse, sql, type Db } from '@openltc/db';

/**
 * Browser sessions, our own small hook (it replaced @fastify/session, which hashed and rebuilt the
 * session object twice per request — 11 % of a request's CPU in the W1 profile). What it keeps:
 *
 * - the cookie `ltc_session` = `<id>.<HMAC-SHA256 signature>`, HttpOnly, SameSite=Lax, Path=/, Secure
 *   when the request came over https, Expires = now + the idle TTL, sent again with every response
 *   (rolling expiry);
 * - the session row in the database (`sessions`: id, data, expires_at), so several server processes
 *   share sessions; its expiry is written at most once a minute (`SESSION_TOUCH_MS`), decided from the
 *   row itself, so the rule holds across processes;
 * - an unknown, forged or expired cookie is cleared in the reply and the request is anonymous;
 * - signing in starts a new session id (the old one, if any, is deleted: no session fixation);
 *   signing out deletes the row and clears the cookie.
 */
export const SESSION_COOKIE = 'ltc_session';
export const SESSION_TOUCH_MS = 60_000;

export interface SessionInfo {
  sid: string;
  userId: string;
  /** The signed cookie value. */
  cookie: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in browser session of this request, if any. */
    session: SessionInfo | null;
    /** A session cookie came with the request but names no live session (cleared in the reply). */
    staleSessionCookie: boolean;
  }
  interface FastifyInstance {
    sessions: Sessions;
  }
}

/**
 * The session cookie's signer, remembering its results: checking the cookie's HMAC on every request and
 * signing the same id again is pure work on the same inputs. Only valid signatures are remembered, so
 * made-up cookies are always checked in full; the memo is bounded.
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

/** What one read of a session row gives: its user, its expiry, and the auth version read with it. */
export interface SessionRow {
  userId: string;
  expiresAt: string;
  /** `auth_version.n`, read in the same statement (see identity/principal-cache.ts in core). */
  authVersion: number;
}

export class Sessions {
  constructor(
    private readonly db: Db,
    readonly signer: MemoSigner,
    readonly ttlMs: number,
  ) {}

  /** The live session row of an id, or null (unknown or expired). One statement, compiled once. */
  async read(sid: string, now = Date.now()): Promise<SessionRow | null> {
    const db = this.db;
    const res = await reuse(db, 'sessions.read', [sid], ([v]) =>
      db
        .selectFrom('sessions')
        .select(['data', 'expiresAt', sql<number>`(select n from auth_version where id = 1)`.as('authVersion')])
        .where('sid', '=', v as string),
    );
    const r = res.rows[0];
    if (!r || Date.parse(r.expiresAt) <= now) return null;
    const userId = (JSON.parse(r.data) as { userId?: unknown }).userId;
    if (typeof userId !== 'string') return null;
    return { userId, expiresAt: r.expiresAt, authVersion: Number(r.authVersion) };
  }

  /** Resolves the request's cookie into `req.session`, rolling the row's expiry at most once a minute. */
  async resolve(req: FastifyRequest, cookie: string): Promise<SessionRow | null> {
    const u = this.signer.unsign(cookie);
    const now = Date.now();
    const row = u.valid ? await this.read(u.value!, now) : null;
    if (!row) {
      req.staleSessionCookie = true;
      return null;
    }
    const sid = u.value!;
    if (Date.parse(row.expiresAt) - this.ttlMs + SESSION_TOUCH_MS <= now) {
      const expiresAt = new Date(now + this.ttlMs).toISOString();
      await reuse(this.db, 'sessions.touch', [expiresAt, sid], ([e, s]) =>
        this.db
          .updateTable('sessions')
          .set({ expiresAt: e as string })
          .where('sid', '=', s as string),
      );
    }
    req.session = { sid, userId: row.userId, cookie };
    return row;
  }

  /** Signs a user in on this request: a new session id (the request's old session, if any, ends). */
  async signIn(req: FastifyRequest, userId: string): Promise<SessionInfo> {
    if (req.session) await this.end(req.session.sid);
    const sid = randomBytes(24).toString('base64url');
    const expiresAt = new Date(Date.now() + this.ttlMs).toISOString();
    await this.db.insertInto('sessions').values({ sid, data: JSON.stringify({ userId }), expiresAt }).execute();
    req.session = { sid, userId, cookie: this.signer.sign(sid) };
    req.staleSessionCookie = false;
    return req.session;
  }

  /** Signs the request's session out: the row is deleted and the reply clears the cookie. */
  async signOut(req: FastifyRequest): Promise<void> {
    const cookie = req.cookies?.[SESSION_COOKIE];
    if (req.session) await this.end(req.session.sid);
    else if (cookie) {
      const u = this.signer.unsign(cookie);
      if (u.valid) await this.end(u.value!);
    }
    req.session = null;
    if (cookie) req.staleSessionCookie = true;
  }

  private async end(sid: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('sid', '=', sid).execute();
  }

  /** The reply's cookie: the session's again with a new expiry, or an expired one clearing a stale cookie. */
  setCookie(req: FastifyRequest, reply: FastifyReply): void {
    if (req.session) {
      reply.setCookie(SESSION_COOKIE, req.session.cookie, {
        path: '/',
        expires: new Date(Date.now() + this.ttlMs),
        httpOnly: true,
        sameSite: 'lax',
        secure: req.protocol === 'https',
      });
    } else if (req.staleSessionCookie) {
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
    }
  }
}

/** Registers the session machinery (cookie parsing is @fastify/cookie's); resolution is the caller's. */
export function registerSessions(app: FastifyInstance, db: Db, secret: string, ttlMs: number): Sessions {
  const sessions = new Sessions(db, new MemoSigner(secret), ttlMs);
  app.decorate('sessions', sessions);
  app.decorateRequest('session', null);
  app.decorateRequest('staleSessionCookie', false);
  app.addHook('onSend', async (req, reply) => {
    sessions.setCookie(req, reply);
  });
  return sessions;
}
