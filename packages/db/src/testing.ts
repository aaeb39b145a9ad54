import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from './connection/open.ts';

/**
 * A fresh, fully migrated database for one test file: an in-memory PGlite by default, or a new
 * database on the PostgreSQL server named by DATABASE_URL (created here, dropped by `drop`).
 */
export async function openTestDatabase(opts: { queryTimeoutMs?: number } = {}): Promise<Database & { drop(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  const common = { timeZone: 'Asia/Shanghai', queryTimeoutMs: opts.queryTimeoutMs ?? 60_000 };
  if (!url) {
    const db = await openDatabase({ ...common, dataDir: null });
    return Object.assign(db, { drop: () => db.close() });
  }
  const name = `wangge_t_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = '/' + name;
  const db = await openDatabase({ ...common, dataDir: null, databaseUrl: u.toString(), poolSize: 5 });
  return Object.assign(db, {
    drop: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  });
}
