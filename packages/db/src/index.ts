import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import {
  CamelCasePlugin,
  CompiledQuery,
  Kysely,
  createQueryId,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  sql,
  type DatabaseConnection,
  type Driver,
  type MigrationResult,
  type QueryResult,
  type SqliteDatabase,
  type SqliteDialectConfig,
} from 'kysely';
import type { Database } from './types.ts';
import { migrations } from './migrations/index.ts';
import { CopyClient } from './copy.ts';

export type * from './types.ts';
export { startCheckpointer, type Checkpointer, type CheckpointerOptions, type CheckpointStats } from './checkpoint.ts';
export { sql };
export { CopyClient, isCopyFromStdin, type CopyData } from './copy.ts';
export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  dialect: Dialect;
  /** For SQLite: the file (or ':memory:'); for PostgreSQL: the URL without password. */
  location: string;
  /** The raw better-sqlite3 handle, for online backup. */
  sqlite?: SQLite.Database;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `postgres://…` selects PostgreSQL; otherwise SQLite. */
  databaseUrl?: string | undefined;
  /** Folder of the SQLite file (default ./data). */
  dataDir?: string | undefined;
  /** SQLite file name or ':memory:' (default openltc.db). */
  sqliteFile?: string | undefined;
  poolSize?: number | undefined;
  /** Called when an idle PostgreSQL connection fails (logged by the server). */
  onPoolError?: ((err: Error) => void) | undefined;
}

// PostgreSQL returns int8 and numeric as strings; our money and counts are safe integers.
function parseSafeInteger(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) {
    if (Number.isFinite(n) && !Number.isInteger(n)) return n; // numeric averages in reports
    throw new RangeError(`integer out of the safe range: ${v}`);
  }
  return n;
}
pg.types.setTypeParser(20, parseSafeInteger);
pg.types.setTypeParser(1700, parseSafeInteger);

export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//.test(url);
}

/**
 * Kysely prepares every query anew; compiling SQL is a measurable share of a request on SQLite.
 * This keeps the last statements by their SQL text (Kysely runs one statement at a time on the
 * connection, so reusing a statement is safe) and is what the W1 benchmark's profile pointed at.
 */
function withStatementCache(sqlite: SQLite.Database, max = 1000): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = (text: string) => {
    let stmt = cache.get(text);
    if (stmt) {
      cache.delete(text);
      cache.set(text, stmt); // most recently used last
    } else {
      stmt = sqlite.prepare(text);
      cache.set(text, stmt);
      if (cache.size > max) cache.delete(cache.keys().next().value!);
    }
    return stmt;
  };
  // Kysely's driver uses only these two (a Proxy here cost 2 % of a request's CPU in binding).
  return { prepare, close: () => sqlite.close() } as unknown as SqliteDatabase;
}

/**
 * Transactions on SQLite start with BEGIN IMMEDIATE: a deferred BEGIN that reads first and writes
 * later fails with SQLITE_BUSY at once (no busy wait) when another process committed in between —
 * the case of `npm start` and `ltc worker` on one database file. Taking the write lock up front makes
 * concurrent writers queue on busy_timeout instead.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly cfg: SqliteDialectConfig) {
    super(cfg);
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.cfg);
  }
}

export function createDatabase(opts: DatabaseOptions = {}): DatabaseHandle {
  const plugins = [new CamelCasePlugin()];
  if (isPostgresUrl(opts.databaseUrl)) {
    // CopyClient: `copy … from stdin` with its data as the one parameter streams the data (copy.ts).
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10, Client: CopyClient as unknown as typeof pg.Client });
    // An idle connection dropped by the server (restart, failover, admin) must not crash the process:
    // the pool discards it and opens a new one on the next query.
    pool.on('error', (err) => opts.onPoolError?.(err));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins });
    const safe = opts.databaseUrl.replace(/:\/\/([^:@/]+):[^@/]*@/, '://$1:***@');
    return { db, dialect: 'postgres', location: safe, close: () => db.destroy() };
  }
  const file = opts.sqliteFile ?? 'openltc.db';
  let location = file;
  if (file !== ':memory:') {
    const dir = path.resolve(opts.dataDir ?? 'data');
    fs.mkdirSync(dir, { recursive: true });
    location = path.join(dir, file);
  }
  const sqlite = new SQLite(location);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }), plugins });
  return { db, dialect: 'sqlite', location, sqlite, close: () => db.destroy() };
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(handle: DatabaseHandle): Promise<MigrationResult[]> {
  // Migrations are written in snake_case: run them without the camelCase plugin.
  const raw = handle.db.withoutPlugins() as unknown as Kysely<any>;
  const migrator = new Migrator({
    db: raw,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${(error as Error).message ?? error}`);
  }
  return results ?? [];
}

/** Online backup of the SQLite database to a file (pages copied while the database stays in use). */
export async function backupSqlite(handle: DatabaseHandle, destination: string): Promise<{ pages: number }> {
  if (!handle.sqlite) throw new Error('backup is for the embedded SQLite database; use pg_dump for PostgreSQL');
  fs.mkdirSync(path.dirname(path.resolve(destination)), { recursive: true });
  const r = await handle.sqlite.backup(destination);
  return { pages: r.totalPages };
}

/**
 * Hot queries of a fixed shape, compiled once and run again with new values. Kysely builds, transforms
 * (camelCase) and compiles every query anew, about a quarter of a simple request's CPU in the W1 profile;
 * `reuse` builds the query once with placeholder values, remembers its SQL and where each value goes,
 * and afterwards only substitutes the values and executes (results still pass the camelCase plugin).
 *
 * `key` names the shape: two calls with the same key must build the same SQL from their values (so a
 * key includes the table and column names, never a value). Only the camelCase plugin may be on the
 * handle (a handle with other plugins, or none, runs every query as built). Values must be plain (no undefined, arrays
 * or expressions; such calls are built as before), and a shape where a value does not end up as a
 * bound parameter is never cached.
 */
const PLACEHOLDERS = Array.from({ length: 64 }, (_, i) => Object.freeze({ reusePlaceholder: i }));
interface Shape {
  sql: string;
  query: CompiledQuery['query'];
  /** For each bound parameter: the index of the value it takes, or the constant itself (-1). */
  slots: Array<number>;
  constants: unknown[];
}
const shapes = new WeakMap<object, Map<string, Shape | null>>();

function isPlainValue(v: unknown): boolean {
  if (v === undefined) return false;
  if (v === null || typeof v !== 'object') return typeof v !== 'function';
  return v instanceof Date || Buffer.isBuffer(v) || Array.isArray(v) === false && !('toOperationNode' in (v as object)) && Object.getPrototypeOf(v) === Object.prototype;
}

export async function reuse<R>(
  db: Kysely<any>,
  key: string,
  values: readonly unknown[],
  build: (values: readonly unknown[]) => { compile(): CompiledQuery<R> },
): Promise<QueryResult<R>> {
  const executor = db.getExecutor();
  // Only under our one plugin, camelCase, a pure transform: a plugin that watches queries (a recorder,
  // a timer) must see each query as run, not a placeholder compile, so such a handle gets no shortcut.
  // The plugin instance is made per database and shared by its transactions (whose executors copy the
  // plugins array), so a cache per instance is a cache per database and way of compiling.
  const plugin = executor.plugins.length === 1 ? executor.plugins[0] : undefined;
  if (!(plugin instanceof CamelCasePlugin) || !values.every(isPlainValue)) return db.executeQuery(build(values).compile());
  let byKey = shapes.get(plugin);
  if (!byKey) shapes.set(plugin, (byKey = new Map()));
  let shape = byKey.get(key);
  if (shape === undefined) {
    shape = null;
    if (values.length <= PLACEHOLDERS.length) {
      const c = build(PLACEHOLDERS.slice(0, values.length)).compile();
      const slots: number[] = [];
      const constants: unknown[] = [];
      const seen = new Set<number>();
      for (const p of c.parameters) {
        const i = PLACEHOLDERS.indexOf(p as any);
        slots.push(i);
        constants.push(i === -1 ? p : undefined);
        if (i !== -1) seen.add(i);
      }
      // Every value must be a bound parameter, and no constant may be a placeholder in disguise.
      if (seen.size === values.length) shape = { sql: c.sql, query: c.query, slots, constants };
    }
    byKey.set(key, shape);
  }
  if (!shape) return db.executeQuery(build(values).compile());
  const parameters = shape.slots.map((i, n) => (i === -1 ? shape.constants[n] : values[i]));
  return db.executeQuery<R>({ sql: shape.sql, query: shape.query, parameters, queryId: createQueryId() });
}
