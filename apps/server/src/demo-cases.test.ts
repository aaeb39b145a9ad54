import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@wangge/db';
import { startTestApp, type TestApp } from './testing/test-app.ts';
import { loadDemoCases } from './demo-cases.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

describe('demo cases', () => {
  it('are made through the real flow: every state they reach has its trace and audit rows', async () => {
    const n = await loadDemoCases(t.deps.cases);
    const states = await rows<{ state: string; closing_kind: string | null; n: number }>(t.database.db, sql`
      SELECT state, closing_kind, count(*)::int AS n FROM cases GROUP BY state, closing_kind ORDER BY state`);
    expect(states.reduce((s, r) => s + r.n, 0)).toBe(n);
    expect(Object.fromEntries(states.map((r) => [r.state, r.n]))).toMatchObject({
      reported: 2, dispatched: 2, extension_pending: 1, handled: 1, evaluated: 1, settled: 1, escalated: 1, refused: 1, merged: 1,
    });
    expect(states.find((r) => r.state === 'evaluated')!.closing_kind).toBe('solved');
    const [untraced] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id)`);
    expect(untraced!.n).toBe(0);
    const [audited] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'case.report'`);
    expect(audited!.n).toBe(n);
  });
});
