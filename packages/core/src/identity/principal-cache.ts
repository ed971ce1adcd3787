import { reuse, type Db } from '@openltc/db';
import type { Principal } from '../platform/permissions.ts';

/**
 * The caller's principal (user row, and for a sales manager the team tree) kept in memory between
 * requests instead of read on every one. Correct across processes: every change to users, teams or API
 * tokens bumps `auth_version.n` in its own transaction (database triggers, migration 016), and each
 * request reads that counter — with the session row in one statement, or on its own for a token — before
 * it looks at the cache. A different counter empties the cache, so a user deactivated, a role changed
 * or a token revoked by a second server, `ltc worker`, the CLI or plain SQL counts from the next request.
 *
 * Order matters: the counter is read before the principal is loaded, and a principal is kept only under
 * the counter read before its load (a load racing a change is kept under the older counter, which the
 * next request finds outdated). Cached principals are frozen: they are shared between requests.
 */
export class PrincipalCache {
  private version: number | null = null;
  private readonly entries = new Map<string, Principal>();
  constructor(private readonly max = 10_000) {}

  async get(version: number, key: string, load: () => Promise<Principal | null>): Promise<Principal | null> {
    if (version !== this.version) {
      this.entries.clear();
      this.version = version;
    }
    const hit = this.entries.get(key);
    if (hit) return hit;
    const p = await load();
    // Another request may have seen a newer counter meanwhile: then this load is not kept.
    if (p && this.version === version) {
      if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
      Object.freeze(p.teamIds);
      this.entries.set(key, Object.freeze(p));
    }
    return p;
  }

  /** Entries held (for tests). */
  get size(): number {
    return this.entries.size;
  }
}

/** The current auth version (one row by primary key, compiled once). */
export async function authVersion(db: Db): Promise<number> {
  const r = (await reuse(db, 'authVersion.read', [1], ([id]) => db.selectFrom('authVersion').select('n').where('id', '=', id as number))).rows[0];
  if (!r) throw new Error('auth_version has no row: migration 016 is missing');
  return Number(r.n);
}
