import { randomBytes } from 'node:crypto';
import { FakeClock } from '@wangge/core';
import type { Role } from '@wangge/contracts';
import { createStore, DEMO, DEMO_ACCOUNTS, FieldCrypto, idAreaChecker, importAreaTree, loadDemo, portsOn, rows, seedRegistryReference } from '@wangge/db';
import { openTestDatabase } from '@wangge/db/testing';
import { sql } from 'drizzle-orm';
import { buildApp, type App } from '../app.ts';
import { loadConfig } from '../config.ts';
import { fastTestHasher } from '../hasher.ts';
import { authDepsOf, createLogger, domainDepsOf } from '../runtime.ts';

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

const square = (x: number, y: number, d: number) => ({
  type: 'Polygon' as const,
  coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]],
});

/** A second province outside every demo grant (one grid around 100.0 E, 30.0 N), to test what lies out of scope. */
export const OTHER_POINT = { lon: 100.005, lat: 30.005 };
export const OTHER_TREE = {
  code: '99', name: '测试省', level: 'province' as const,
  children: [{ code: '9901', name: '测试市', level: 'city' as const,
    children: [{ code: '990101', name: '测试区', level: 'district' as const,
      children: [{ code: '990101001', name: '测试街道', level: 'street' as const,
        children: [{ code: '990101001001', name: '测试社区', level: 'community' as const, geometry: square(100, 30, 0.01),
          children: [{ code: '990101001001001', name: '测试社区第1网格', level: 'grid' as const, gridType: 'basic' as const, geometry: square(100, 30, 0.01), children: [] }] }] }] }] }],
};

/**
 * The real server on a fresh test database (PGlite in memory, or a new PostgreSQL database when
 * DATABASE_URL is set) with the demo loaded, a fake clock and a cheap password hash.
 */
export async function startTestApp(env: Record<string, string> = {}, opts: { webDist?: string | null } = {}) {
  const database = await openTestDatabase();
  const config = loadConfig({ LOG_LEVEL: 'silent', LOGIN_RATE_LIMIT_PER_MINUTE: '100000', ...env });
  const clock = new FakeClock(new Date());
  const crypto = new FieldCrypto(randomBytes(32));
  const store = createStore(database, crypto);
  const hasher = fastTestHasher;
  await loadDemo(database, { hasher, clock, crypto });
  // loadDemo seeds the case reference data (demo-units.ts); the registry's is seeded here, as main.ts does at start.
  await seedRegistryReference(database.db);
  await database.transaction((tx) => importAreaTree(tx, OTHER_TREE, clock.now()));
  const deps = domainDepsOf(config, store, clock, await idAreaChecker());
  const app: App = await buildApp({
    config, database, store, hasher, clock, auth: authDepsOf(config, store, hasher, clock), version: 'test',
    ...deps,
    logger: createLogger(config), webDist: opts.webDist ?? null,
  });
  await app.ready();

  const areaIdByCode = async (code: string) => {
    const [r] = await rows<{ id: string }>(database.db, sql`SELECT id::text FROM areas WHERE code = ${code}`);
    if (!r) throw new Error(`no area ${code}`);
    return r.id;
  };

  /** Signs in and returns headers that carry the session (cookie) or the bearer token. */
  const login = async (username: string, password = DEMO.password, mode: 'cookie' | 'bearer' = 'cookie'): Promise<Record<string, string>> => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password, mode } });
    if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
    if (mode === 'bearer') return { authorization: `Bearer ${res.json().token as string}` };
    const cookie = res.cookies.find((c) => c.name === 'wg_session');
    return { cookie: `wg_session=${cookie!.value}` };
  };

  /** Creates a user directly (no audit, no policy) for tests that need one more account. */
  let n = 0;
  const createUser = async (role: Role, areaCode: string, opts: { mustChangePassword?: boolean; password?: string } = {}) => {
    const areaId = await areaIdByCode(areaCode);
    const username = `t_${role}_${++n}_${Math.random().toString(36).slice(2, 7)}`;
    const users = portsOn(database.db).users;
    const u = await users.insert({
      username, displayName: `测试${n}`, locale: 'zh-CN', passwordHash: await hasher.hash(opts.password ?? DEMO.password),
      mustChangePassword: opts.mustChangePassword ?? false, passwordChangedAt: clock.now(), homeAreaId: areaId, createdAt: clock.now(),
    });
    await users.addGrant(u.id, role, areaId, clock.now());
    return { id: u.id, username, areaId };
  };

  const accountFor = (role: Role) => DEMO_ACCOUNTS.find((a) => a.role === role)!;

  return {
    app, database, store, clock, config, login, createUser, areaIdByCode, accountFor, deps, crypto,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
