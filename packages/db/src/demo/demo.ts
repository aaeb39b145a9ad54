import { sql } from 'drizzle-orm';
import type { Role } from '@wangge/contracts';
import { gridCode, numberWestEastNorthSouth, type Clock, type PasswordHasher } from '@wangge/core';
import { rows, type Database } from '../connection/open.ts';
import { importAreaTree, type GeoJsonPolygon, type ImportNode } from '../areas/area-import.ts';
import { loadDistrictTree, type DivisionNode } from '../areas/division-source.ts';
import { auditRepo } from '../repos/audit.repo.ts';
import { usersRepo } from '../repos/users.repo.ts';
import { streetPolygon, tilePolygon } from './synthetic-geometry.ts';
import { demoField } from './demo-field.ts';
import { loadDemoUnits } from './demo-units.ts';
import { gridsRepo } from '../repos/grids.repo.ts';
import type { FieldCrypto } from '../crypto/field-crypto.ts';

/** The seed street (../shared/domain.md §2): 汉中市汉台区东大街街道, its real communities, 38 grids. */
export const DEMO = {
  districtCode: '610702',
  streetCode: '610702002',
  gridCount: 38,
  center: [107.03, 33.07] as [number, number],
  radiusKm: 1.6,
  seed: 20261122,
  password: 'Wangge@2026',
};

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  /** Code of the area the role is granted on; 'grid:N' = the N-th grid of the first community. */
  area: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'admin', displayName: '王建国', role: 'system_admin', area: '61' },
  { username: 'leader', displayName: '李文华', role: 'leader', area: '610702' },
  { username: 'command', displayName: '张敏', role: 'command_center', area: '610702' },
  { username: 'street', displayName: '陈志强', role: 'street_center', area: '610702002' },
  { username: 'community', displayName: '刘芳', role: 'community_staff', area: '610702002001' },
  { username: 'gridleader', displayName: '赵磊', role: 'grid_leader', area: '610702002001001' },
  { username: 'gridworker', displayName: '孙丽娟', role: 'grid_worker', area: '610702002001001' },
  { username: 'dept', displayName: '周涛', role: 'dept_handler', area: '610702' },
];

/** Splits `total` grids over `parts` communities as evenly as possible (38 over 7 → 6,6,6,5,5,5,5). */
export function spread(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

const shortName = (communityName: string) => communityName.replace(/(社区)?居民委员会$|(社区)?居委会$|村民委员会$|村委会$/, '');

/** Builds the demo tree: real names and codes down to the communities, synthetic polygons and grids below. */
export function demoTree(district: DivisionNode, streetCode: string): ImportNode {
  const province = district;
  const city = province.children[0]!;
  const dist = city.children[0]!;
  const street = dist.children.find((s) => s.code === streetCode);
  if (!street) throw new Error(`street ${streetCode} not found under ${dist.code}`);

  const streetShape = streetPolygon(DEMO.center, DEMO.radiusKm, DEMO.seed) as GeoJsonPolygon;
  const communityShapes = tilePolygon(streetShape as never, street.children.length, DEMO.seed + 1) as GeoJsonPolygon[];
  // Communities get the cells in national order (west→east, north→south) by code.
  const orderedShapes = numberWestEastNorthSouth(communityShapes, centroidOf);
  const counts = spread(DEMO.gridCount, street.children.length);

  const communities: ImportNode[] = street.children.map((c, i) => {
    const shape = orderedShapes[i]!;
    const grids = numberWestEastNorthSouth(tilePolygon(shape as never, counts[i]!, DEMO.seed + 100 + i) as GeoJsonPolygon[], centroidOf);
    return {
      code: c.code, name: c.name, level: 'community', geometry: shape,
      children: grids.map((g, j) => ({
        code: gridCode(c.code, j + 1), name: `${shortName(c.name)}社区第${j + 1}网格`, level: 'grid', gridType: 'basic',
        geometry: g, children: [],
      })),
    };
  });

  return {
    code: province.code, name: province.name, level: 'province',
    children: [{
      code: city.code, name: city.name, level: 'city',
      children: [{
        code: dist.code, name: dist.name, level: 'district',
        children: [{ code: street.code, name: street.name, level: 'street', geometry: streetShape, children: communities }],
      }],
    }],
  };
}

function centroidOf(p: GeoJsonPolygon): [number, number] {
  const ring = p.coordinates[0]!.slice(0, -1);
  const sx = ring.reduce((s, c) => s + c[0]!, 0);
  const sy = ring.reduce((s, c) => s + c[1]!, 0);
  return [sx / ring.length, sy / ring.length];
}

export async function isEmpty(database: Database): Promise<boolean> {
  const [r] = await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM areas`);
  return (r?.n ?? 0) === 0;
}

/** Loads the demo (areas, grids with polygons, one account per role) in one transaction. */
export async function loadDemo(
  database: Database,
  deps: { hasher: PasswordHasher; clock: Clock; crypto: FieldCrypto },
): Promise<{ areas: number; users: number; staff: number; buildings: number }> {
  const tree = demoTree(await loadDistrictTree(DEMO.districtCode), DEMO.streetCode);
  const passwordHash = await deps.hasher.hash(DEMO.password);
  const now = deps.clock.now();
  return database.transaction(async (tx) => {
    const imported = await importAreaTree(tx, tree, now);
    const users = usersRepo(tx);
    const userIds = new Map<string, string>();
    for (const account of DEMO_ACCOUNTS) {
      const areaId = imported.ids.get(account.area);
      if (!areaId) throw new Error(`demo account ${account.username}: area ${account.area} not loaded`);
      // passwordChangedAt null: a published demo password, so the console suggests changing it.
      const user = await users.insert({
        username: account.username, displayName: account.displayName, locale: 'zh-CN', passwordHash,
        mustChangePassword: false, passwordChangedAt: null, homeAreaId: areaId, createdAt: now,
      });
      await users.addGrant(user.id, account.role, areaId, now);
      userIds.set(account.username, user.id);
    }
    // The demo grid leader and grid worker accounts are the responsible people of their grid.
    const field = demoField(tree, DEMO.seed + 7, DEMO_ACCOUNTS.filter((a) => a.role === 'grid_leader' || a.role === 'grid_worker').map((a) => ({
      username: a.username, displayName: a.displayName, duty: a.role === 'grid_leader' ? 'grid_leader' as const : 'grid_worker' as const, gridCode: a.area,
    })));
    const grids = gridsRepo(tx, deps.crypto);
    for (const s of field.staff) {
      await grids.addStaff(imported.ids.get(s.gridCode)!, {
        duty: s.duty, name: s.name, phone: s.phone, userId: s.username ? userIds.get(s.username) ?? null : null, serviceItems: s.serviceItems, isPublic: true,
      }, now);
    }
    for (const b of field.buildings) {
      const gridId = imported.ids.get(b.gridCode)!;
      const [g] = await rows<{ district_id: string | null }>(tx, sql`SELECT district_id::text FROM areas WHERE id = ${gridId}::bigint`);
      await grids.insertBuilding({ name: b.name, code: null, address: b.address, lon: b.lon, lat: b.lat, floors: b.floors, gridId, districtId: g?.district_id ?? null }, now);
    }
    await loadDemoUnits(tx, imported.ids, userIds, DEMO.districtCode, DEMO.streetCode, now);
    await auditRepo(tx).append({
      at: now, actorId: null, actorName: 'system', action: 'demo.loaded', entityType: 'system', entityId: null, areaId: null,
      diff: { areas: imported.created, users: DEMO_ACCOUNTS.length, staff: field.staff.length, buildings: field.buildings.length }, ip: null, requestId: null,
    });
    return { areas: imported.created, users: DEMO_ACCOUNTS.length, staff: field.staff.length, buildings: field.buildings.length };
  });
}
