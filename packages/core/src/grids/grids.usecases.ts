import type { Polygon } from 'geojson';
import turfArea from '@turf/area';
import type { GridMap, LocateResult, StaffView } from '@wangge/contracts';
import { invalid, notFound } from '../shared/errors.ts';
import type { Actor } from '../auth/auth.types.ts';
import { authorize, visibleScope } from '../auth/auth.policy.ts';
import type { AdjustDeps } from './grids.adjust.ts';
import type { GridRow, StaffDuty } from './grids.types.ts';
import { gridFigures } from '../registry/registry.usecases.ts';

type Deps = AdjustDeps;

async function visibleArea(deps: Deps, actor: Actor, id: string, permission: 'area.read' | 'grid.manage' | 'grid.staff.manage' | 'building.manage'): Promise<GridRow> {
  const a = await deps.store.grids.area(id);
  if (!a) throw notFound('area.not_found');
  authorize(actor, permission, a.path, 'area.not_found');
  return a;
}

function bboxOf(polys: Polygon[]): [number, number, number, number] | null {
  if (polys.length === 0) return null;
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of polys) for (const [x = 0, y = 0] of p.coordinates[0] ?? []) {
    b[0] = Math.min(b[0], x); b[1] = Math.min(b[1], y); b[2] = Math.max(b[2], x); b[3] = Math.max(b[3], y);
  }
  return b;
}

/** Every live grid below an area as GeoJSON with the figures it can be coloured by. */
export async function gridMap(deps: Deps, actor: Actor, areaId: string): Promise<GridMap> {
  const area = await visibleArea(deps, actor, areaId, 'area.read');
  const grids = (await deps.store.grids.liveGridsUnder(area.path)).filter((g) => g.geometry);
  const ids = grids.map((g) => g.id);
  const [own, registry] = await Promise.all([deps.store.grids.figures(ids), gridFigures(deps.store, ids)]);
  const figures = new Map(ids.map((id) => [id, { ...own.get(id), ...registry.get(id) }] as const));
  const features = grids.map((g) => ({
    type: 'Feature' as const,
    id: g.id,
    geometry: g.geometry!,
    properties: {
      id: g.id, parentId: g.parentId, code: g.code, name: g.nameZh, gridType: g.gridType ?? 'basic', depth: g.depth,
      figures: { ...figures.get(g.id), areaKm2: Math.round(turfArea(g.geometry!) / 1e4) / 100 },
    },
  }));
  const boundaries = (await deps.store.grids.liveBoundariesUnder(area.path)).map((b) => ({ id: b.id, code: b.code, name: b.nameZh, level: b.level, geometry: b.geometry! }));
  return {
    type: 'FeatureCollection', features, outline: area.geometry, boundaries,
    bbox: bboxOf([...(area.geometry ? [area.geometry] : []), ...grids.map((g) => g.geometry!)]),
  };
}

export async function gridCard(deps: Deps, actor: Actor, gridId: string) {
  const g = await visibleArea(deps, actor, gridId, 'area.read');
  if (g.level !== 'grid') throw invalid('grid.not_a_grid');
  const parent = await deps.store.grids.area(g.parentId);
  const staff = await deps.store.grids.staffOf([g.id]);
  const figures = { ...(await deps.store.grids.figures([g.id])).get(g.id), ...(await gridFigures(deps.store, [g.id])).get(g.id) };
  return {
    id: g.id, code: g.code, name: g.nameZh, gridType: g.gridType ?? 'basic', depth: g.depth, parentName: parent?.nameZh ?? '',
    staff: staff as StaffView[], figures: { ...figures, ...(g.geometry ? { areaKm2: Math.round(turfArea(g.geometry) / 1e4) / 100 } : {}) },
    version: g.version, validFrom: g.validFrom.toISOString(),
  };
}

/** WGS-84 point → its grids (basic and dedicated, outer to inner), the path above them, and grids whose boundary is near. */
export async function locate(deps: Deps, lon: number, lat: number, nearMetres: number): Promise<LocateResult> {
  const locator = await deps.locators.get(deps.store.grids);
  const hit = locator.locate(lon, lat);
  const near = nearMetres > 0 ? locator.nearBoundary(lon, lat, nearMetres) : [];
  const innermost = hit.basic.at(-1) ?? null;
  const ids = new Set<string>([...hit.basic, ...hit.dedicated, ...near].map((g) => g.id));
  if (innermost) for (const id of innermost.path.split('.')) ids.add(id);
  // One query for every area the answer names: this is the intake hot path.
  const rows = new Map((await deps.store.grids.areas([...ids])).map((r) => [r.id, r] as const));
  const view = (id: string) => {
    const r = rows.get(id)!;
    return { id: r.id, code: r.code, name: r.nameZh, level: r.level, gridType: r.gridType };
  };
  return {
    grid: innermost ? view(innermost.id) : null,
    basic: hit.basic.map((g) => view(g.id)),
    dedicated: hit.dedicated.map((g) => view(g.id)),
    path: innermost ? innermost.path.split('.').map(view) : [],
    nearBoundary: near.filter((g) => g.id !== innermost?.id).map((g) => view(g.id)),
  };
}

// ── Staff roster (三公开) ──────────────────────────────────────────────────────

export async function listStaff(deps: Deps, actor: Actor, gridId: string) {
  const g = await visibleArea(deps, actor, gridId, 'area.read');
  return deps.store.grids.staffOf([g.id]);
}

type StaffInput = { duty: StaffDuty; name: string; phone?: string | null | undefined; userId?: string | null | undefined; serviceItems: string; isPublic: boolean };

export async function addStaff(deps: Deps, actor: Actor, gridId: string, input: StaffInput) {
  const g = await visibleArea(deps, actor, gridId, 'grid.staff.manage');
  if (g.level !== 'grid' || g.retired) throw invalid('grid.not_a_grid');
  const at = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const id = await tx.grids.addStaff(g.id, { ...input, phone: input.phone ?? null, userId: input.userId ?? null }, at);
    await tx.audit.append({
      at, actorId: actor.userId, actorName: actor.username, action: 'grid.staff_added', entityType: 'grid_staff', entityId: id, areaId: g.id,
      diff: { after: { duty: input.duty, name: input.name, isPublic: input.isPublic } }, ip: actor.ip, requestId: actor.requestId,
    });
    return (await tx.grids.staffById(id))!;
  });
}

async function staffInGrid(deps: Deps, actor: Actor, gridId: string, staffId: string) {
  const g = await visibleArea(deps, actor, gridId, 'grid.staff.manage');
  const s = await deps.store.grids.staffById(staffId);
  if (!s || s.gridId !== g.id) throw notFound('staff.not_found');
  return { g, s };
}

export async function updateStaff(deps: Deps, actor: Actor, gridId: string, staffId: string, input: StaffInput) {
  const { g, s } = await staffInGrid(deps, actor, gridId, staffId);
  const at = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    await tx.grids.updateStaff(s.id, { ...input, phone: input.phone ?? null, userId: input.userId ?? null });
    await tx.audit.append({
      at, actorId: actor.userId, actorName: actor.username, action: 'grid.staff_updated', entityType: 'grid_staff', entityId: s.id, areaId: g.id,
      diff: { before: { duty: s.duty, name: s.name, isPublic: s.isPublic }, after: { duty: input.duty, name: input.name, isPublic: input.isPublic } },
      ip: actor.ip, requestId: actor.requestId,
    });
    return (await tx.grids.staffById(s.id))!;
  });
}

export async function endStaff(deps: Deps, actor: Actor, gridId: string, staffId: string) {
  const { g, s } = await staffInGrid(deps, actor, gridId, staffId);
  const at = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    await tx.grids.endStaff(s.id, at);
    await tx.audit.append({
      at, actorId: actor.userId, actorName: actor.username, action: 'grid.staff_ended', entityType: 'grid_staff', entityId: s.id, areaId: g.id,
      diff: { before: { duty: s.duty, name: s.name } }, ip: actor.ip, requestId: actor.requestId,
    });
  });
}

/** The public contact card of a grid (三公开): only staff marked public. */
export async function publicContact(deps: Deps, code: string) {
  const g = await deps.store.grids.liveByCode(code);
  if (!g || g.level !== 'grid') throw notFound('area.not_found');
  const ancestors = await deps.store.grids.areas(g.path.split('.'));
  const community = ancestors.find((a) => a.level === 'community');
  const street = ancestors.find((a) => a.level === 'street');
  const staff = (await deps.store.grids.staffOf([g.id])).filter((s) => s.isPublic);
  return {
    grid: { code: g.code, name: g.nameZh, community: community?.nameZh ?? '', street: street?.nameZh ?? '' },
    staff: staff.map((s) => ({ duty: s.duty, name: s.name, phone: s.phone, serviceItems: s.serviceItems })),
  };
}

// ── Buildings (楼栋) ───────────────────────────────────────────────────────────

export async function listBuildings(deps: Deps, actor: Actor, areaId: string) {
  const a = await visibleArea(deps, actor, areaId, 'area.read');
  return deps.store.grids.buildingsList(visibleScope(actor), a.path);
}

/** Places a building; it belongs to the innermost basic grid containing its point. */
export async function createBuilding(
  deps: Deps,
  actor: Actor,
  input: { name: string; code?: string | undefined; address?: string | undefined; lon: number; lat: number; floors?: number | undefined },
) {
  const located = await locate(deps, input.lon, input.lat, 0);
  if (!located.grid) throw invalid('building.outside_grids');
  const grid = await visibleArea(deps, actor, located.grid.id, 'building.manage');
  const at = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const id = await tx.grids.insertBuilding(
      { name: input.name, code: input.code ?? null, address: input.address ?? null, lon: input.lon, lat: input.lat, floors: input.floors ?? null, gridId: grid.id, districtId: grid.districtId },
      at,
    );
    await tx.audit.append({
      at, actorId: actor.userId, actorName: actor.username, action: 'building.created', entityType: 'building', entityId: id, areaId: grid.id,
      diff: { after: { ...input, gridId: grid.id } }, ip: actor.ip, requestId: actor.requestId,
    });
    return (await tx.grids.building(id))!;
  });
}

/** Assigns a building to a grid by hand (with a reason), or back to the grid its location says (gridId null). */
export async function pinBuilding(deps: Deps, actor: Actor, buildingId: string, gridId: string | null, reason: string | undefined) {
  const b = await deps.store.grids.building(buildingId);
  if (!b || !b.gridPath) throw notFound('building.not_found');
  authorize(actor, 'building.manage', b.gridPath, 'building.not_found');
  let target: string | null;
  if (gridId) {
    if (!reason) throw invalid('building.pin_reason_required');
    const g = await visibleArea(deps, actor, gridId, 'building.manage');
    if (g.level !== 'grid' || g.retired) throw invalid('grid.not_a_grid');
    target = g.id;
  } else {
    const located = await locate(deps, b.lon, b.lat, 0);
    if (!located.grid) throw invalid('building.outside_grids');
    target = located.grid.id;
  }
  const at = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    await tx.grids.setBuildingGrid(b.id, target, gridId !== null, gridId ? reason ?? null : null, at);
    await tx.audit.append({
      at, actorId: actor.userId, actorName: actor.username, action: gridId ? 'building.grid_pinned' : 'building.grid_unpinned', entityType: 'building',
      entityId: b.id, areaId: target, diff: { before: { gridId: b.gridId, pinned: b.pinned }, after: { gridId: target, pinned: gridId !== null, reason: reason ?? null } },
      ip: actor.ip, requestId: actor.requestId,
    });
    return (await tx.grids.building(b.id))!;
  });
}
