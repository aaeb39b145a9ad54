/**
 * A throw-away PostgreSQL database for a benchmark, on the local server only (127.0.0.1:5432,
 * trust auth as user postgres). Created under a random name and dropped again even on failure.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', adminDatabase: 'test' } as const;
export const POSTGIS_PACKAGE = 'postgresql-15-postgis-3';

export interface BenchDatabase {
  name: string;
  /** Whether `CREATE EXTENSION postgis` can work on this server. */
  postgisAvailable: boolean;
  pool(max: number): pg.Pool;
}

/**
 * Creates `wangge_bench_<random>`, hands it to `fn`, then closes every pool made through it and
 * drops the database (WITH (FORCE), so a stuck connection cannot keep it alive).
 */
export async function withBenchDatabase<T>(fn: (db: BenchDatabase) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ host: PG.host, port: PG.port, user: PG.user, database: PG.adminDatabase, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(
      `cannot reach PostgreSQL on ${PG.host}:${PG.port} (${(e as Error).message}); start it with ` +
        '`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`',
    );
  }
  const name = `wangge_bench_${randomBytes(6).toString('hex')}`;
  const pools: pg.Pool[] = [];
  try {
    const ext = await admin.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'`);
    await admin.query(`CREATE DATABASE ${name}`);
    const pool = (max: number) => {
      const p = new pg.Pool({ host: PG.host, port: PG.port, user: PG.user, database: name, max, connectionTimeoutMillis: 5000 });
      p.on('error', () => undefined); // an idle connection dying during the drop is expected
      pools.push(p);
      return p;
    };
    return await fn({ name, postgisAvailable: (ext.rowCount ?? 0) > 0, pool });
  } finally {
    await Promise.allSettled(pools.map((p) => p.end()));
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((e: Error) => console.error(`could not drop ${name}: ${e.message}`));
    await admin.end().catch(() => undefined);
  }
}

/** The server's PostgreSQL and PostGIS versions, for the report. */
export async function versions(pool: pg.Pool, postgis: boolean): Promise<{ postgres: string; postgis: string | null }> {
  const r = await pool.query<{ v: string; g: string | null }>(`SELECT current_setting('server_version') AS v, ${postgis ? 'postgis_full_version()' : 'NULL'} AS g`);
  return { postgres: r.rows[0]!.v, postgis: r.rows[0]!.g };
}
