import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase, rows, type Database } from './open.ts';
import { DbQueryError, DbTimeoutError } from './errors.ts';

/** Every error on the `cause` chain, outermost first (drizzle wraps driver errors). */
function causes(e: unknown): unknown[] {
  const out: unknown[] = [];
  for (let x = e; x && out.length < 10; x = (x as { cause?: unknown }).cause) out.push(x);
  return out;
}
const hasCode = (e: unknown, code: string) => causes(e).some((x) => (x as { code?: unknown }).code === code);

/** The rejection of `p` (fails the test if it resolves). */
async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the promise to reject');
}

// The query watchdog (terminate and restart the worker) belongs to the embedded PGlite engine;
// on PostgreSQL the server's statement_timeout does this job, so the suite is skipped there.
const describePglite = process.env.DATABASE_URL ? describe.skip : describe;

describePglite('PGlite proxy (file data directory, 1.5 s query limit)', () => {
  let root: string;
  let database: Database;
  const warnings: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wangge-proxy-'));
    database = await openDatabase({
      dataDir: join(root, 'data'), timeZone: 'Asia/Shanghai', queryTimeoutMs: 1500,
      onWarning: (m) => warnings.push(m),
    });
    await database.db.execute(sql`CREATE TABLE probe (id int PRIMARY KEY, note text NOT NULL)`);
  });
  afterAll(async () => {
    await database?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const notes = async () => (await rows<{ note: string }>(database.db, sql`SELECT note FROM probe ORDER BY id`)).map((r) => r.note);

  it('a query past the limit fails with db.timeout; the database answers afterwards and keeps committed data', async () => {
    await database.db.execute(sql`INSERT INTO probe VALUES (1, 'before the timeout')`);
    await database.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO probe VALUES (2, 'committed in a transaction')`);
    });

    const err = await rejectionOf(database.db.execute(sql`SELECT pg_sleep(5)`));
    expect(hasCode(err, 'db.timeout')).toBe(true);
    const timeout = causes(err).find((x) => x instanceof DbTimeoutError) as DbTimeoutError | undefined;
    expect(timeout).toBeInstanceOf(DbTimeoutError);
    expect(timeout!.kind).toBe('unavailable');
    expect(timeout!.timeoutMs).toBe(1500);
    expect(timeout!.sqlHead).toContain('pg_sleep');
    expect(warnings.some((w) => w.includes('restarted'))).toBe(true);

    expect(await rows<{ one: number }>(database.db, sql`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
    expect(await notes()).toEqual(['before the timeout', 'committed in a transaction']);
    // …and it still writes.
    await database.db.execute(sql`INSERT INTO probe VALUES (3, 'after the timeout')`);
    expect(await notes()).toEqual(['before the timeout', 'committed in a transaction', 'after the timeout']);
  });

  it('a query queued behind the timed-out one runs on the restarted worker', async () => {
    const slow = rejectionOf(database.db.execute(sql`SELECT pg_sleep(5)`));
    const queued = rows<{ two: number }>(database.db, sql`SELECT 2 AS two`);
    expect(hasCode(await slow, 'db.timeout')).toBe(true);
    expect(await queued).toEqual([{ two: 2 }]);
  });

  it('a transaction whose query times out leaves none of its writes behind', async () => {
    const err = await rejectionOf(
      database.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO probe VALUES (10, 'uncommitted')`);
        await tx.execute(sql`SELECT pg_sleep(5)`);
      }),
    );
    expect(hasCode(err, 'db.timeout')).toBe(true);
    expect(await notes()).not.toContain('uncommitted');
    // The next transaction works normally (no BEGIN left open on the new worker).
    await database.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO probe VALUES (11, 'next transaction')`);
    });
    expect(await notes()).toContain('next transaction');
  });

  it('a transaction that throws is rolled back', async () => {
    const err = await rejectionOf(
      database.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO probe VALUES (20, 'rolled back')`);
        expect(await rows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM probe WHERE id = 20`)).toEqual([{ n: 1 }]);
        throw new Error('handler failed');
      }),
    );
    expect((err as Error).message).toBe('handler failed');
    expect(await notes()).not.toContain('rolled back');
  });

  it('a failing statement rolls its transaction back and the connection stays usable', async () => {
    const err = await rejectionOf(
      database.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO probe VALUES (30, 'first')`);
        await tx.execute(sql`INSERT INTO probe VALUES (30, 'duplicate key')`);
      }),
    );
    expect(hasCode(err, '23505')).toBe(true); // unique_violation, passed through from PGlite
    expect(await notes()).not.toContain('first');
    expect(await rows<{ one: number }>(database.db, sql`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
  });

  it('using the non-transaction handle inside a transaction rejects instead of hanging', async () => {
    let inner: unknown;
    const err = await rejectionOf(
      database.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO probe VALUES (40, 'inside')`);
        inner = await rejectionOf(database.db.execute(sql`SELECT 1`));
        throw inner;
      }),
    );
    expect(err).toBe(inner);
    const queryError = causes(inner).find((x) => x instanceof DbQueryError) as DbQueryError | undefined;
    expect(queryError).toBeInstanceOf(DbQueryError);
    expect(queryError!.message).toMatch(/outside the transaction/);
    expect(hasCode(inner, 'db.timeout')).toBe(false); // refused at once, not after waiting for the limit
    expect(await notes()).not.toContain('inside');
  });

  it('nested transactions use savepoints on the same connection', async () => {
    await database.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO probe VALUES (50, 'outer')`);
      await rejectionOf(
        tx.transaction(async (inner) => {
          await inner.execute(sql`INSERT INTO probe VALUES (51, 'inner rolled back')`);
          throw new Error('inner');
        }),
      );
    });
    const all = await notes();
    expect(all).toContain('outer');
    expect(all).not.toContain('inner rolled back');
  });
});
