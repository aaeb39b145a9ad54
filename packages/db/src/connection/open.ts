import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import pg from 'pg';
import * as schema from '../schema/index.ts';
import { PgliteProxy } from './pglite-proxy.ts';
import { lockDataDir } from './data-dir-lock.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DbKind = 'pglite' | 'postgres';

export interface Database {
  kind: DbKind;
  db: Db;
  /** Runs `fn` in one transaction on one connection. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Where the data lives, for the start-up line (no password). */
  describe: string;
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** Directory of the embedded database; null = in memory (tests). */
  dataDir: string | null;
  timeZone: string;
  queryTimeoutMs: number;
  poolSize?: number;
  onWarning?: (message: string) => void;
}

export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Rows of a raw SQL statement on either driver. */
export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const r = (await db.execute(query)) as unknown as { rows: T[] };
  return r.rows;
}

/** What `db.execute` itself uses, not in drizzle's published types (drizzle-orm 0.45: PgDatabase.session/.dialect). */
interface DrizzleInternals {
  dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } };
  session: { prepareQuery(query: { sql: string; params: unknown[] }, fields: undefined, name: string | undefined, arrayMode: boolean): { execute(): Promise<unknown> } };
}

const statementNames = new Map<string, string>();
/** A server-side statement name per distinct text: the same label with another text (an optional part present) is another statement. */
function statementName(label: string, text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    // PostgreSQL keeps 63 bytes of a name: a longer label would cut off the hash and make two texts one name.
    if (!/^[a-z_]{1,32}$/.test(label)) throw new Error(`statement label must be 1–32 characters a–z or _: ${label}`);
    name = `wg_${label}_${createHash('sha1').update(text).digest('hex').slice(0, 12)}`;
    if (statementNames.size < 1_000) statementNames.set(text, name);
  }
  return name;
}

/**
 * Rows of a raw SQL statement that runs on every request, as a named prepared statement: on
 * PostgreSQL each connection parses and plans it once and then reuses the plan (plan_cache_mode
 * auto: generic once it is no worse than the custom plans), where `rows` sends it unnamed and the
 * server plans it every time. Measured (ADR 0006): planning was 1.5 ms of the session read's
 * 1.9 ms and 0.9 ms of the intake write's 2.8 ms. PGlite takes the statement as with `rows`. The text
 * must carry no inlined values — only parameters — or every call would be a new statement.
 */
export async function preparedRows<T>(db: Db, label: string, query: SQL): Promise<T[]> {
  const { dialect, session } = db as unknown as DrizzleInternals;
  const built = dialect.sqlToQuery(query);
  const r = (await session.prepareQuery(built, undefined, statementName(label, built.sql), false).execute()) as { rows: T[] };
  return r.rows;
}

/**
 * Opens the database the configuration names: PostgreSQL when DATABASE_URL is set, else the
 * embedded PGlite in `dataDir` (locked against a second process) — and applies every migration.
 */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const database = opts.databaseUrl ? await openPostgres(opts, opts.databaseUrl) : await openPglite(opts);
  try {
    await applyMigrations(database);
  } catch (e) {
    await database.close();
    throw e;
  }
  return database;
}

async function openPglite(opts: OpenOptions): Promise<Database> {
  const dir = opts.dataDir === null ? null : resolve(opts.dataDir);
  const release = dir ? lockDataDir(dir) : () => undefined;
  const dbDir = dir ? join(dir, 'pglite') : null;
  const proxy = new PgliteProxy({
    dataDir: dbDir,
    timeZone: opts.timeZone,
    queryTimeoutMs: opts.queryTimeoutMs,
    onRestart: (reason) => opts.onWarning?.(`embedded database restarted: ${reason}`),
  });
  try {
    await proxy.start();
  } catch (e) {
    release();
    throw e;
  }
  const db = drizzlePglite({ client: proxy as never, schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    transaction: (fn) => db.transaction((tx) => fn(tx as unknown as Db)),
    close: async () => {
      await proxy.close();
      release();
    },
    describe: dbDir ?? 'memory',
  };
}

async function openPostgres(opts: OpenOptions, url: string): Promise<Database> {
  const tz = opts.timeZone.replace(/[^A-Za-z0-9_/+-]/g, '');
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    statement_timeout: opts.queryTimeoutMs,
    options: `-c TimeZone=${tz}`,
  });
  pool.on('error', (e) => opts.onWarning?.(`idle PostgreSQL connection failed: ${e.message}`));
  // int8 as text, the same as the embedded engine: callers cast where they want numbers.
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  await pool.query('SELECT 1');
  const u = new URL(url);
  return {
    kind: 'postgres',
    db,
    transaction: (fn) => db.transaction((tx) => fn(tx as unknown as Db)),
    close: () => pool.end(),
    describe: `${u.hostname}:${u.port || 5432}${u.pathname}`,
  };
}

/** Applies pending migrations; on PostgreSQL an advisory lock keeps two starting servers apart. */
async function applyMigrations(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(database.db as never, { migrationsFolder });
    return;
  }
  const lockKey = 727274001;
  const client = (database.db as unknown as { $client: pg.Pool }).$client;
  const conn = await client.connect();
  try {
    await conn.query('SELECT pg_advisory_lock($1)', [lockKey]);
    await migratePg(database.db as never, { migrationsFolder });
  } finally {
    await conn.query('SELECT pg_advisory_unlock($1)', [lockKey]).catch(() => undefined);
    conn.release();
  }
}
