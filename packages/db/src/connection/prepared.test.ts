import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openTestDatabase } from '../testing.ts';
import { preparedRows, rows, type Database } from './open.ts';

let database: Database & { drop(): Promise<void> };
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.drop());

const onPostgres = Boolean(process.env.DATABASE_URL);

describe('preparedRows', () => {
  it('returns what rows returns, with parameters bound', async () => {
    const q = (n: number) => sql`SELECT ${n}::int + 1 AS n, ${'网格'}::text AS t`;
    expect(await preparedRows<{ n: number; t: string }>(database.db, 'probe', q(41))).toEqual(await rows(database.db, q(41)));
    expect(await preparedRows<{ n: number }>(database.db, 'probe', q(1))).toEqual([{ n: 2, t: '网格' }]);
  });

  it('takes another text under the same label as another statement', async () => {
    const a = await preparedRows<{ v: string }>(database.db, 'probe', sql`SELECT ${'a'}::text AS v`);
    const b = await preparedRows<{ v: string }>(database.db, 'probe', sql`SELECT ${'b'}::text || 'x' AS v`);
    expect([a[0]!.v, b[0]!.v]).toEqual(['a', 'bx']);
  });

  it.runIf(onPostgres)('is prepared once on a connection and reused there (PostgreSQL)', async () => {
    await database.transaction(async (tx) => {
      for (let i = 0; i < 3; i++) await preparedRows(tx, 'probe_tx', sql`SELECT ${i}::int AS i`);
      const prepared = await rows<{ name: string; calls: string }>(tx, sql`
        SELECT name, generic_plans + custom_plans AS calls FROM pg_prepared_statements WHERE name LIKE 'wg_probe_tx_%'`);
      expect(prepared).toHaveLength(1);
      expect(Number(prepared[0]!.calls)).toBe(3);
    });
  });

  it('leaves a failing statement failing and the connection usable', async () => {
    await expect(preparedRows(database.db, 'probe_fail', sql`SELECT 1 / ${0}::int AS n`)).rejects.toThrow();
    expect(await preparedRows<{ n: number }>(database.db, 'probe_fail', sql`SELECT 1 / ${1}::int AS n`)).toEqual([{ n: 1 }]);
  });
});
