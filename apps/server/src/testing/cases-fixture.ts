import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { rows } from '@wangge/db';
import type { TestApp } from './test-app.ts';

/** Helpers for the cases tests: demo sessions, categories by code, a point inside a grid, intake and transitions. */
export async function casesFixture(t: TestApp) {
  const users = ['command', 'street', 'community', 'gridleader', 'gridworker', 'dept', 'leader', 'admin'] as const;
  const as: Record<(typeof users)[number], Record<string, string>> = {} as never;
  /** Signs every demo account in again (after the fake clock jumped past the idle timeout). */
  const relogin = async () => {
    for (const u of users) as[u] = await t.login(u);
  };
  await relogin();
  /** Moves the fake clock and signs in again, as people would the next morning. */
  const advance = async (ms: number) => {
    t.clock.advance(ms);
    await relogin();
  };
  const categories = (await t.app.inject({ method: 'GET', url: '/api/case-categories', headers: as.admin })).json().items as Array<{ id: string; code: string }>;
  const cat = (code: string) => {
    const c = categories.find((x) => x.code === code);
    if (!c) throw new Error(`no category ${code}`);
    return c.id;
  };
  const pointIn = async (gridCode: string) => {
    const g = await t.store.grids.area(await t.areaIdByCode(gridCode));
    const ring = g!.geometry!.coordinates[0]!.slice(0, -1);
    return { lon: ring.reduce((s, p) => s + p[0]!, 0) / ring.length, lat: ring.reduce((s, p) => s + p[1]!, 0) / ring.length };
  };
  const intake = async (who: Record<string, string>, body: Record<string, unknown>, status = 201) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/cases', headers: who, payload: body as never });
    expect(res.statusCode, res.body).toBe(status);
    return res.json();
  };
  const get = async (who: Record<string, string>, id: string) => t.app.inject({ method: 'GET', url: `/api/cases/${id}`, headers: who });
  const fire = async (who: Record<string, string>, id: string, action: string, extra: Record<string, unknown> = {}, status = 200) => {
    const current = (await get(as.command, id)).json();
    const version = (extra.version as number | undefined) ?? current.version ?? (await get(who, id)).json().version;
    const res = await t.app.inject({ method: 'POST', url: `/api/cases/${id}/transitions`, headers: who, payload: { action, version, ...extra } as never });
    expect(res.statusCode, `${action}: ${res.body}`).toBe(status);
    return res.json();
  };
  const count = async (table: string, where = sql`true`) =>
    (await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM ${sql.raw(table)} WHERE ${where}`))[0]!.n;
  return { as, cat, pointIn, intake, get, fire, count, relogin, advance };
}
