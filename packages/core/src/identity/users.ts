import { createHash } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';
import type { Ctx } from '../platform/context.ts';
import { inTx } from '../platform/context.ts';
import { AppError, conflict, fieldError, notFound, unauthorized } from '../platform/errors.ts';
import { newId, newSecret } from '../platform/ids.ts';
import { nowIso } from '../platform/clock.ts';
import { recordEvent } from '../platform/events.ts';
import { assertCan, ROLES, type Principal, type Role } from '../platform/permissions.ts';
import { reuse, type Db, type UserTable } from '@openltc/db';

// Argon2id, OWASP's first choice: 19 MiB memory, 2 passes.
const ARGON = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const hashPassword = (pw: string) => hash(pw, ARGON);
export const verifyPassword = (h: string, pw: string) => verify(h, pw).catch(() => false);

export const UserCreate = z
  .object({
    email: z.email().max(200),
    name: z.string().trim().min(1).max(100),
    password: z.string().min(8, 'at least 8 characters').max(200),
    role: z.enum(ROLES),
    teamId: z.string().nullable().optional(),
    locale: z.enum(['zh-CN', 'en']).optional(),
  })
  .strict();
export type UserCreate = z.infer<typeof UserCreate>;

export interface UserDto {
  id: string;
  email: string;
  name: string;
  role: Role;
  teamId: string | null;
  locale: string;
  active: boolean;
  createdAt: string;
}

export function userDto(u: Pick<UserTable, 'id' | 'email' | 'name' | 'role' | 'teamId' | 'locale' | 'active' | 'createdAt'>): UserDto {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role as Role,
    teamId: u.teamId,
    locale: u.locale,
    active: !!u.active,
    createdAt: u.createdAt,
  };
}

/** Creates a user. Used by admins over the API and by `ltc user create` / first-run setup. */
export async function createUser(ctx: Ctx, input: UserCreate): Promise<UserDto> {
  assertCan(ctx.user, 'user', 'write');
  const data = UserCreate.parse(input);
  const passwordHash = await hashPassword(data.password);
  return inTx(ctx, async (tx) => {
    const email = data.email.toLowerCase();
    const exists = await tx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    if (exists) throw conflict('email_taken', `a user with email ${email} already exists`);
    if (data.teamId) {
      const t = await tx.db.selectFrom('teams').select('id').where('id', '=', data.teamId).executeTakeFirst();
      if (!t) throw fieldError('teamId', `team ${data.teamId} does not exist`);
    }
    const now = nowIso();
    const row = {
      id: newId('usr'),
      email,
      name: data.name,
      passwordHash,
      role: data.role,
      teamId: data.teamId ?? null,
      locale: data.locale ?? 'zh-CN',
      active: 1,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await tx.db.insertInto('users').values(row).execute();
    await recordEvent(tx, { entityType: 'user', entityId: row.id, action: 'created', after: { ...row } });
    return userDto(row);
  });
}

/** All teams below a team (inclusive), so a manager of a parent team sees its sub-teams. */
async function teamTree(db: Db, root: string): Promise<string[]> {
  const teams = await db.selectFrom('teams').select(['id', 'parentId']).execute();
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const t of teams) if (t.parentId === out[i]) out.push(t.id);
  return out;
}

export async function principalFor(db: Db, userId: string, via: Principal['via']): Promise<Principal | null> {
  // Read on every request (compiled once): only what the principal needs.
  const u = (
    await reuse(db, 'principal.user', [userId], ([v]) =>
      db.selectFrom('users').select(['id', 'name', 'email', 'role', 'teamId', 'active']).where('id', '=', v as string),
    )
  ).rows[0];
  if (!u || !u.active) return null;
  const role = u.role as Role;
  const teamIds = u.teamId ? (role === 'sales_manager' ? await teamTree(db, u.teamId) : [u.teamId]) : [];
  return { id: u.id, name: u.name, email: u.email, role, teamId: u.teamId, teamIds, via };
}

/** Checks email and password; the same error for an unknown email and a wrong password. */
export async function authenticate(db: Db, email: string, password: string): Promise<Principal> {
  const u = await db
    .selectFrom('users')
    .select(['id', 'passwordHash', 'active'])
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
  const ok = u ? await verifyPassword(u.passwordHash, password) : (await hashPassword(password), false);
  if (!u || !ok || !u.active) throw unauthorized('email or password is wrong');
  return (await principalFor(db, u.id, 'session'))!;
}

export const tokenHash = (t: string) => createHash('sha256').update(t).digest('hex');

/** Creates an API token; the secret is shown once and only its hash is stored. */
export async function createApiToken(ctx: Ctx, userId: string, name: string): Promise<{ id: string; token: string }> {
  if (ctx.user.id !== userId) assertCan(ctx.user, 'user', 'write');
  const u = await ctx.db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
  if (!u) throw notFound('user', userId);
  if (!name.trim()) throw fieldError('name', 'give the token a name');
  const token = `ltc_${newSecret(30)}`;
  const id = newId('tok');
  await inTx(ctx, async (tx) => {
    await tx.db
      .insertInto('apiTokens')
      .values({ id, userId, name: name.trim(), tokenHash: tokenHash(token), createdAt: nowIso(), lastUsedAt: null, revokedAt: null })
      .execute();
    await recordEvent(tx, { entityType: 'user', entityId: userId, action: 'token_created', after: { tokenId: id, name } });
  });
  return { id, token };
}

export async function principalForToken(db: Db, token: string): Promise<Principal | null> {
  const row = await db
    .selectFrom('apiTokens')
    .select(['id', 'userId', 'revokedAt'])
    .where('tokenHash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!row || row.revokedAt) return null;
  return principalFor(db, row.userId, 'token');
}

export async function listUsers(ctx: Ctx): Promise<UserDto[]> {
  assertCan(ctx.user, 'user', 'read');
  const rows = await ctx.db.selectFrom('users').selectAll().orderBy('name').execute();
  return rows.map(userDto);
}

export async function userCount(db: Db): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function createTeam(ctx: Ctx, name: string, parentId: string | null = null): Promise<{ id: string; name: string; parentId: string | null }> {
  assertCan(ctx.user, 'user', 'write');
  if (!name.trim()) throw new AppError(422, 'validation_failed', 'Validation failed', 'team name is required');
  const row = { id: newId('team'), name: name.trim(), parentId, createdAt: nowIso() };
  await inTx(ctx, async (tx) => {
    await tx.db.insertInto('teams').values(row).execute();
    await recordEvent(tx, { entityType: 'team', entityId: row.id, action: 'created', after: row });
  });
  return { id: row.id, name: row.name, parentId };
}

export async function listTeams(db: Db) {
  return db.selectFrom('teams').select(['id', 'name', 'parentId']).orderBy('name').execute();
}
