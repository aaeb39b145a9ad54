import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Polygon } from 'geojson';
import { rows } from '@wangge/db';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
let street: Record<string, string>;
let communityId: string;
const GRID = '610702002001001';

beforeAll(async () => {
  t = await startTestApp();
  street = await t.login('street');
  communityId = await t.areaIdByCode('610702002001');
});
afterAll(async () => t?.close());

const inject = (method: string, url: string, payload?: unknown, headers = street) =>
  t.app.inject({ method: method as never, url, payload: payload as never, headers });

async function gridGeometry(code: string): Promise<Polygon> {
  return (await t.store.grids.area(await t.areaIdByCode(code)))!.geometry!;
}
function centroid(p: Polygon): [number, number] {
  const ring = p.coordinates[0]!.slice(0, -1);
  return [ring.reduce((s, c) => s + c[0]!, 0) / ring.length, ring.reduce((s, c) => s + c[1]!, 0) / ring.length];
}
const liveGridCount = async () =>
  (await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM areas WHERE level = 'grid' AND retired_at IS NULL AND code LIKE '610702002%'`))[0]!.n;

describe('grid map and card', () => {
  it('draws every grid of the street with figures, the outline and a bounding box', async () => {
    const map = (await inject('GET', `/api/areas/${await t.areaIdByCode('610702002')}/grid-map`)).json();
    expect(map.features).toHaveLength(38);
    expect(map.outline.type).toBe('Polygon');
    expect(map.boundaries.map((b: { level: string }) => b.level)).toEqual(Array(7).fill('community'));
    const f = map.features.find((x: { properties: { code: string } }) => x.properties.code === GRID);
    expect(f.properties).toMatchObject({ gridType: 'basic', name: '莲湖社区第1网格' });
    expect(f.properties.figures.buildings).toBeGreaterThanOrEqual(5);
    expect(f.properties.figures.staff).toBeGreaterThanOrEqual(5);
    expect(f.properties.figures.areaKm2).toBeGreaterThan(0);
  });

  it('shows a grid card with its responsible people, the demo grid worker among them', async () => {
    const card = (await inject('GET', `/api/grids/${await t.areaIdByCode(GRID)}/card`)).json();
    expect(card).toMatchObject({ code: GRID, gridType: 'basic', parentName: '莲湖居委会' });
    const worker = card.staff.find((s: { duty: string }) => s.duty === 'grid_worker');
    expect(worker.name).toBe('孙丽娟');
    expect(worker.phone).toMatch(/^1\d{10}$/);
  });

  it('stores staff phones encrypted and publishes only public staff on the contact card', async () => {
    const gridId = await t.areaIdByCode(GRID);
    const res = await inject('POST', `/api/grids/${gridId}/staff`, { duty: 'building_head', name: '楼长老王', phone: '13912345678', isPublic: false });
    expect(res.statusCode).toBe(201);
    const [raw] = await rows<{ phone_enc: string; phone_masked: string }>(t.database.db, sql`SELECT phone_enc, phone_masked FROM grid_staff WHERE id = ${res.json().id}::uuid`);
    expect(raw!.phone_enc).not.toContain('13912345678');
    expect(raw!.phone_masked).toBe('139****5678');
    const contact = (await t.app.inject({ method: 'GET', url: `/api/public/grids/${GRID}/contact` })).json();
    expect(contact.grid).toMatchObject({ code: GRID, community: '莲湖居委会', street: '东大街街道' });
    expect(contact.staff.map((s: { name: string }) => s.name)).not.toContain('楼长老王');
    expect(contact.staff.map((s: { name: string }) => s.name)).toContain('孙丽娟');
  });

  it('links a staff member to a sign-in account and shows its name', async () => {
    const gridId = await t.areaIdByCode(GRID);
    const worker = await t.store.users.findByUsername('gridworker');
    const res = await inject('POST', `/api/grids/${gridId}/staff`, { duty: 'info_officer', name: '信息员小李', userId: worker!.id });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ userId: worker!.id, username: 'gridworker' });
    const unlinked = await inject('PUT', `/api/grids/${gridId}/staff/${res.json().id}`, { duty: 'info_officer', name: '信息员小李', userId: null });
    expect(unlinked.json()).toMatchObject({ userId: null, username: null });
    const contact = (await t.app.inject({ method: 'GET', url: `/api/public/grids/${GRID}/contact` })).json();
    expect(JSON.stringify(contact)).not.toContain('gridworker');
  });

  it('exports the grids as a GeoJSON file', async () => {
    const res = await inject('GET', `/api/areas/${communityId}/grids.geojson`);
    expect(res.headers['content-type']).toContain('application/geo+json');
    expect(res.headers['content-disposition']).toContain('attachment');
    const fc = JSON.parse(res.body);
    expect(fc.features.length).toBeGreaterThanOrEqual(5);
    expect(fc.features[0].properties.code).toMatch(/^610702002001\d{3}$/);
  });
});

describe('point → grid', () => {
  it('locates a point to its grid with the path above it', async () => {
    const [lon, lat] = centroid(await gridGeometry(GRID));
    const r = (await inject('GET', `/api/locate?lon=${lon}&lat=${lat}`)).json();
    expect(r.grid.code).toBe(GRID);
    expect(r.path.map((a: { code: string }) => a.code)).toEqual(['61', '6107', '610702', '610702002', '610702002001', GRID]);
  });

  it('answers no grid outside every grid, and shows both sides near a shared boundary', async () => {
    expect((await inject('GET', '/api/locate?lon=120&lat=30')).json().grid).toBeNull();
    const a = await gridGeometry('610702002001001');
    const b = await gridGeometry('610702002001002');
    const shared = a.coordinates[0]!.find((p) => b.coordinates[0]!.some((q) => q[0] === p[0] && q[1] === p[1]))!;
    const r = (await inject('GET', `/api/locate?lon=${shared[0]! + 1e-6}&lat=${shared[1]!}&nearMetres=20`)).json();
    const codes = [r.grid?.code, ...r.nearBoundary.map((g: { code: string }) => g.code)];
    expect(codes).toEqual(expect.arrayContaining(['610702002001001', '610702002001002']));
  });

  it('rejects coordinates out of range with a clear error', async () => {
    const res = await inject('GET', '/api/locate?lon=200&lat=33');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('request.invalid');
  });
});

describe('bad geometry changes nothing', () => {
  it.each([
    ['a self-intersecting polygon', { type: 'Polygon', coordinates: [[[107.03, 33.07], [107.031, 33.071], [107.031, 33.07], [107.03, 33.071], [107.03, 33.07]]] }, 'geometry.self_intersection'],
    ['wrong winding', { type: 'Polygon', coordinates: [[[107.03, 33.07], [107.03, 33.071], [107.031, 33.071], [107.031, 33.07], [107.03, 33.07]]] }, 'geometry.wrong_winding'],
    ['an unclosed ring', { type: 'Polygon', coordinates: [[[107.03, 33.07], [107.031, 33.07], [107.031, 33.071], [107.03, 33.071]]] }, 'geometry.ring_not_closed'],
    ['not GeoJSON', { hello: 'world' }, 'geometry.invalid_geojson'],
  ])('%s → 400 geometry.invalid naming %s', async (_n, geometry, problem) => {
    const before = await liveGridCount();
    const res = await inject('POST', `/api/areas/${communityId}/adjustments`, { kind: 'create', grid: { nameZh: '新网格', geometry } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('geometry.invalid');
    expect(res.json().error.details.map((d: { code: string }) => d.code)).toContain(problem);
    expect(res.json().error.message).toMatch(/^图形无效：新网格: /);
    expect(await liveGridCount()).toBe(before);
  });

  it('refuses unknown fields in an adjustment', async () => {
    const res = await inject('POST', `/api/areas/${communityId}/adjustments`, { kind: 'renumber', force: true });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('force');
  });

  it('refuses a duplicate code', async () => {
    const g = await gridGeometry(GRID);
    const res = await inject('POST', `/api/areas/${communityId}/adjustments/preview`, { kind: 'create', grid: { nameZh: 'x', code: GRID, geometry: g } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('grid.code_taken');
  });

  it('refuses an overlap: the preview shows it on the map and the commit changes nothing', async () => {
    const a = await gridGeometry('610702002001001');
    const b = await gridGeometry('610702002001002');
    const body = { kind: 'redraw', grids: [{ id: await t.areaIdByCode('610702002001002'), geometry: { type: 'Polygon', coordinates: b.coordinates } }, { id: await t.areaIdByCode('610702002001001'), geometry: b }] };
    // Grid 001 redrawn onto grid 002: they overlap completely and 001's old place is a gap.
    const preview = (await inject('POST', `/api/areas/${communityId}/adjustments/preview`, body)).json();
    expect(preview.ok).toBe(false);
    expect(preview.problems.map((p: { kind: string }) => p.kind)).toEqual(expect.arrayContaining(['overlap', 'gap']));
    expect(preview.problems[0].geometry.type).toMatch(/Polygon/);
    const res = await inject('POST', `/api/areas/${communityId}/adjustments`, { ...body, acceptGapsReason: '只接受缺口' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('grid.cover_failed');
    expect(await gridGeometry('610702002001001')).toEqual(a);
  });
});

describe('dynamic adjustment', () => {
  it('splits a grid: preview lists what moves, commit keeps history, point→grid follows, revert restores', async () => {
    const oldId = await t.areaIdByCode(GRID);
    const geom = await gridGeometry(GRID);
    const [cx] = centroid(geom);
    const ys = geom.coordinates[0]!.map((p) => p[1]!);
    const line = [[cx, Math.min(...ys) - 0.001], [cx, Math.max(...ys) + 0.001]];
    const body = { kind: 'split', gridId: oldId, line, reason: '人口增长，拆分网格' };
    const preview = (await inject('POST', `/api/areas/${communityId}/adjustments/preview`, body)).json();
    expect(preview.ok).toBe(true);
    expect(preview.creates).toHaveLength(2);
    expect(preview.retires.map((r: { code: string }) => r.code)).toEqual([GRID]);
    expect(preview.movesByKind.building).toBeGreaterThan(0);
    expect(preview.movesByKind.staff).toBeGreaterThan(0);
    expect(Object.keys(preview.movesByKind)).toEqual(expect.arrayContaining(['household', 'person', 'case']));

    const before = await liveGridCount();
    const committed = await inject('POST', `/api/areas/${communityId}/adjustments`, body);
    expect(committed.statusCode).toBe(201);
    expect(await liveGridCount()).toBe(before + 1);
    const [h] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM area_versions WHERE area_id = ${oldId}::bigint`);
    expect(h!.n).toBeGreaterThan(0);
    const [orphans] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM buildings b JOIN areas g ON g.id = b.grid_id WHERE g.retired_at IS NOT NULL`);
    expect(orphans!.n).toBe(0);

    const [lon, lat] = [cx - 0.0001, centroid(geom)[1]];
    const located = (await inject('GET', `/api/locate?lon=${lon}&lat=${lat}`)).json();
    expect(located.grid.code).not.toBe(GRID);
    expect(preview.creates.map((c: { code: string }) => c.code)).toContain(located.grid.code);

    const history = (await inject('GET', `/api/areas/${communityId}/adjustments`)).json().items;
    expect(history[0]).toMatchObject({ kind: 'split', reason: '人口增长，拆分网格', actorName: 'street' });
    const reverted = await inject('POST', `/api/areas/${communityId}/adjustments/${committed.json().id}/revert`);
    expect(reverted.statusCode).toBe(200);
    expect(await liveGridCount()).toBe(before);
    expect((await inject('GET', `/api/locate?lon=${lon}&lat=${lat}`)).json().grid.code).toBe(GRID);
    const card = (await inject('GET', `/api/grids/${oldId}/card`)).json();
    expect(card.staff.map((s: { name: string }) => s.name)).toContain('孙丽娟');
    expect(card.figures.buildings).toBeGreaterThan(0);
  });

  it('never changes a retired grid again: it stays as history', async () => {
    const geom = await gridGeometry('610702002001003');
    const id = await t.areaIdByCode('610702002001003');
    const [cx] = centroid(geom);
    const ys = geom.coordinates[0]!.map((p) => p[1]!);
    const split = await inject('POST', `/api/areas/${communityId}/adjustments`, { kind: 'split', gridId: id, line: [[cx, Math.min(...ys) - 0.001], [cx, Math.max(...ys) + 0.001]] });
    expect(split.statusCode).toBe(201);
    const redraw = await inject('POST', `/api/areas/${communityId}/adjustments/preview`, { kind: 'redraw', grids: [{ id, geometry: geom }] });
    expect(redraw.statusCode).toBe(400);
    expect(redraw.json().error.code).toBe('grid.not_in_parent');
    const staff = await inject('POST', `/api/grids/${id}/staff`, { duty: 'info_officer', name: '不应成功' });
    expect(staff.json().error.code).toBe('grid.not_a_grid');
    expect((await inject('POST', `/api/areas/${communityId}/adjustments/${split.json().id}/revert`)).statusCode).toBe(200);
  });

  it('merges two adjacent grids into one, and refuses grids that do not touch', async () => {
    const ids = await Promise.all(['610702002001001', '610702002001002'].map((c) => t.areaIdByCode(c)));
    const preview = (await inject('POST', `/api/areas/${communityId}/adjustments/preview`, { kind: 'merge', gridIds: ids, nameZh: '莲湖合并网格' })).json();
    expect(preview.ok).toBe(true);
    expect(preview.creates).toHaveLength(1);
    expect(preview.retires).toHaveLength(2);
    const map = (await inject('GET', `/api/areas/${communityId}/grid-map`)).json();
    const far = map.features
      .map((f: { id: string; geometry: Polygon }) => ({ id: f.id, c: centroid(f.geometry) }))
      .sort((x: { c: number[] }, y: { c: number[] }) => x.c[0]! - y.c[0]!);
    const res = await inject('POST', `/api/areas/${communityId}/adjustments/preview`, { kind: 'merge', gridIds: [far[0].id, far.at(-1).id] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('adjust.not_adjacent');
  });

  it('retiring a grid leaves a gap that blocks, unless it is marked intentional with a reason', async () => {
    const id = await t.areaIdByCode('610702002001003');
    const blocked = await inject('POST', `/api/areas/${communityId}/adjustments`, { kind: 'retire', gridId: id });
    expect(blocked.statusCode).toBe(400);
    expect(blocked.json().error.details.problems[0].kind).toBe('gap');
    expect(blocked.json().error.message).toMatch(/^网格未能无缝覆盖上级区域：有 [\d.]+ 平方米未被网格覆盖（位置 107\.\d+, 33\.\d+）$/);
    const english = await t.app.inject({ method: 'POST', url: `/api/areas/${communityId}/adjustments`, payload: { kind: 'retire', gridId: id }, headers: { ...street, 'accept-language': 'en' } });
    expect(english.json().error.message).toMatch(/a gap of [\d.]+ m² not covered by any grid \(at 107\./);
    const ok = await inject('POST', `/api/areas/${communityId}/adjustments`, { kind: 'retire', gridId: id, acceptGapsReason: '汉江河道，无常住人口' });
    expect(ok.statusCode).toBe(201);
    const [ex] = await rows<{ reason: string }>(t.database.db, sql`SELECT reason FROM cover_exceptions WHERE parent_id = ${communityId}::bigint`);
    expect(ex!.reason).toBe('汉江河道，无常住人口');
    expect((await inject('POST', `/api/areas/${communityId}/adjustments/preview`, { kind: 'renumber' })).json().ok).toBe(true);
    const adj = (await inject('GET', `/api/areas/${communityId}/adjustments`)).json().items[0];
    expect((await inject('POST', `/api/areas/${communityId}/adjustments/${adj.id}/revert`)).statusCode).toBe(200);
  });

  it('renumbers grids west→east, north→south after a split, and revert puts the codes back', async () => {
    const id = await t.areaIdByCode('610702002001002');
    const geom = await gridGeometry('610702002001002');
    const [cx] = centroid(geom);
    const ys = geom.coordinates[0]!.map((p) => p[1]!);
    const split = await inject('POST', `/api/areas/${communityId}/adjustments`, { kind: 'split', gridId: id, line: [[cx, Math.min(...ys) - 0.001], [cx, Math.max(...ys) + 0.001]] });
    expect(split.statusCode).toBe(201);
    const renumber = await inject('POST', `/api/areas/${communityId}/adjustments`, { kind: 'renumber' });
    expect(renumber.statusCode).toBe(201);
    const codes = (await inject('GET', `/api/areas/${communityId}/grid-map`)).json().features
      .filter((f: { properties: { depth: number } }) => f.properties.depth === 6).map((f: { properties: { code: string } }) => f.properties.code).sort();
    expect(codes).toEqual(codes.map((_: string, i: number) => `610702002001${String(i + 1).padStart(3, '0')}`));
    expect((await inject('POST', `/api/areas/${communityId}/adjustments/${renumber.json().id}/revert`)).statusCode).toBe(200);
    expect((await inject('POST', `/api/areas/${communityId}/adjustments/${split.json().id}/revert`)).statusCode).toBe(200);
    expect(await t.areaIdByCode('610702002001002')).toBe(id);
  });

  it('only the latest adjustment can be reverted', async () => {
    const first = (await inject('POST', `/api/areas/${communityId}/adjustments`, { kind: 'renumber' })).json();
    await inject('POST', `/api/areas/${communityId}/adjustments`, { kind: 'renumber' });
    const res = await inject('POST', `/api/areas/${communityId}/adjustments/${first.id}/revert`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('grid.adjustment_not_latest');
  });

  it('imports grids from GeoJSON, matching existing ones by code', async () => {
    const g = await gridGeometry('610702002001002');
    const fc = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '610702002001002', name: '莲湖二网格' }, geometry: g }] };
    const preview = (await inject('POST', `/api/areas/${communityId}/adjustments/preview`, { kind: 'import', featureCollection: fc })).json();
    expect(preview.ok).toBe(true);
    expect(preview.updates).toEqual([expect.objectContaining({ code: '610702002001002', nameZh: '莲湖二网格' })]);
    const bad = await inject('POST', `/api/areas/${communityId}/adjustments/preview`, { kind: 'import', featureCollection: { type: 'FeatureCollection', features: [] } });
    expect(bad.json().error.code).toBe('grid.import_invalid');
  });
});

describe('nesting and types', () => {
  it('nests grids (大/中/小/微): a grid can hold grids, and a point is located to every level, innermost last', async () => {
    const outerCode = '610702002001006';
    const outerId = await t.areaIdByCode(outerCode);
    const outer = await gridGeometry(outerCode);
    const res = await inject('POST', `/api/areas/${outerId}/adjustments`, { kind: 'create', grid: { nameZh: '微网格一', geometry: outer } });
    expect(res.statusCode).toBe(201);
    const inner = res.json().preview.creates[0];
    expect(inner.code).toBe(`${outerCode}001`);
    const [lon, lat] = centroid(outer);
    const r = (await inject('GET', `/api/locate?lon=${lon}&lat=${lat}`)).json();
    expect(r.basic.map((g: { code: string }) => g.code)).toEqual([outerCode, inner.code]);
    expect(r.grid.code).toBe(inner.code);
  });

  it('lets a dedicated grid (专属网格) lie inside basic grids, but not outside its parent', async () => {
    const g = await gridGeometry('610702002001004');
    const [cx, cy] = centroid(g);
    const d = 0.0003;
    const school = { type: 'Polygon', coordinates: [[[cx - d, cy - d], [cx + d, cy - d], [cx + d, cy + d], [cx - d, cy + d], [cx - d, cy - d]]] };
    const ok = (await inject('POST', `/api/areas/${communityId}/adjustments/preview`, { kind: 'create', grid: { nameZh: '汉台中学专属网格', gridType: 'dedicated', geometry: school } })).json();
    expect(ok.ok).toBe(true);
    const far = { type: 'Polygon', coordinates: [[[120, 30], [120.001, 30], [120.001, 30.001], [120, 30.001], [120, 30]]] };
    const bad = (await inject('POST', `/api/areas/${communityId}/adjustments/preview`, { kind: 'create', grid: { nameZh: '外面', gridType: 'dedicated', geometry: far } })).json();
    expect(bad.problems.map((p: { kind: string }) => p.kind)).toEqual(['outside_parent']);
  });
});

describe('buildings', () => {
  it('places a building in the grid containing it; a manual override needs a reason and survives adjustments', async () => {
    const [lon, lat] = centroid(await gridGeometry('610702002001004'));
    const created = await inject('POST', '/api/buildings', { name: '新建3号楼', lon, lat, floors: 6 });
    expect(created.statusCode).toBe(201);
    expect(created.json().gridCode).toBe('610702002001004');
    const target = await t.areaIdByCode('610702002001005');
    const noReason = await inject('PUT', `/api/buildings/${created.json().id}/grid`, { gridId: target });
    expect(noReason.json().error.code).toBe('building.pin_reason_required');
    const pinned = (await inject('PUT', `/api/buildings/${created.json().id}/grid`, { gridId: target, reason: '物业归属第5网格' })).json();
    expect(pinned).toMatchObject({ gridCode: '610702002001005', gridPinned: true, pinReason: '物业归属第5网格' });
    const back = (await inject('PUT', `/api/buildings/${created.json().id}/grid`, { gridId: null })).json();
    expect(back).toMatchObject({ gridCode: '610702002001004', gridPinned: false });
    const outside = await inject('POST', '/api/buildings', { name: '远方', lon: 120, lat: 30 });
    expect(outside.json().error.code).toBe('building.outside_grids');
  });
});

describe('history', () => {
  it('keeps every earlier state with real codes and validity periods, never a temporary code', async () => {
    const r = await rows<{ tmp: number; total: number; bad: number }>(t.database.db, sql`
      SELECT count(*) FILTER (WHERE code LIKE 'tmp-%')::int AS tmp, count(*)::int AS total,
             count(*) FILTER (WHERE valid_to < valid_from)::int AS bad FROM area_versions`);
    expect(r[0]!.total).toBeGreaterThan(0);
    expect(r[0]!.tmp).toBe(0);
    expect(r[0]!.bad).toBe(0);
  });
});
