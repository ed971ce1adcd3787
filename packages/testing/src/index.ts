import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createDatabase, migrateToLatest, type DatabaseHandle, type Dialect } from '@openltc/db';
import { ensureDefaultPipeline, ensureLegalEntity, createUser, createTeam, SYSTEM, type Role } from '@openltc/core';
import { buildApp } from '@openltc/server/app';
import { loadConfig } from '@openltc/server/config';

/**
 * The database matrix: every integration test runs on SQLite, and on PostgreSQL when the test
 * command has started one (LTC_TEST_PG_URL points at a server where we may create databases).
 */
export const PG_URL = process.env.LTC_TEST_PG_URL;
export const DIALECTS: Dialect[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/** A fresh, migrated database of the given kind; PostgreSQL gets a database of its own per call. */
export async function freshDatabase(dialect: Dialect): Promise<DatabaseHandle & { drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ltc-test-'));
    const h = createDatabase({ dataDir: dir });
    await migrateToLatest(h);
    return {
      ...h,
      drop: async () => {
        await h.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (!PG_URL) throw new Error('LTC_TEST_PG_URL is not set');
  const name = `ltc_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const h = createDatabase({ databaseUrl: url.toString(), poolSize: 5 });
  await migrateToLatest(h);
  return {
    ...h,
    drop: async () => {
      await h.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: Role;
  teamId: string | null;
  cookie: string;
}

/** A running app (in-process, Fastify inject) over a fresh database, with helpers to act as users. */
export class TestApp {
  private constructor(
    readonly app: FastifyInstance,
    readonly handle: DatabaseHandle & { drop(): Promise<void> },
    readonly dialect: Dialect,
  ) {}

  static async start(dialect: Dialect): Promise<TestApp> {
    const handle = await freshDatabase(dialect);
    await ensureDefaultPipeline(handle.db);
    await ensureLegalEntity(handle.db);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ltc-app-'));
    const config = { ...loadConfig({ LTC_DATA_DIR: dataDir, LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv), worker: false };
    const app = await buildApp({ handle, config, logger: false });
    await app.ready();
    return new TestApp(app, handle, dialect);
  }

  async stop(): Promise<void> {
    await this.app.close();
    await this.handle.drop();
  }

  get sys() {
    return { db: this.handle.db, dialect: this.handle.dialect, user: SYSTEM, requestId: null };
  }

  async team(name: string, parentId: string | null = null): Promise<string> {
    return (await createTeam(this.sys, name, parentId)).id;
  }

  /** Creates a user and signs them in; returns their session cookie. */
  async user(role: Role, teamId: string | null = null, name: string = role): Promise<TestUser> {
    const email = `${name.replace(/\W/g, '') || role}.${Math.random().toString(36).slice(2, 8)}@example.com`;
    const password = 'correct horse battery';
    const u = await createUser(this.sys, { email, name, password, role, teamId });
    const res = await this.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
    if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
    const raw = res.headers['set-cookie'];
    const cookie = (Array.isArray(raw) ? raw : [raw!]).map((c) => c!.split(';')[0]).join('; ');
    return { id: u.id, email, password, role, teamId, cookie };
  }

  /** A request as a user (or anonymous). Bodies are JSON. */
  async as(
    user: TestUser | null,
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse & { json<T = any>(): T }> {
    return this.app.inject({
      method,
      url,
      headers: { ...(user ? { cookie: user.cookie } : {}), ...headers },
      ...(body !== undefined ? { payload: body as any } : {}),
    }) as any;
  }
}

/** Calls and asserts the status, returning the JSON body (the error text shows the problem on failure). */
export async function ok<T = any>(p: Promise<LightMyRequestResponse>, status = 200): Promise<T> {
  const r = await p;
  if (r.statusCode !== status) throw new Error(`expected ${status}, got ${r.statusCode}: ${r.body}`);
  return r.json() as T;
}
