/**
 * Validation of a grid outline drawn or imported by an operator. Problems are reported, never
 * silently repaired: a wrongly wound ring or a bow-tie usually means the outline was traced in
 * the wrong order, and "fixing" it would store a shape nobody drew.
 */
import { booleanClockwise } from '@turf/boolean-clockwise';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { kinks } from '@turf/kinks';
import type { Polygon, Position } from 'geojson';

export type GeometryProblemCode =
  | 'geometry.invalid_geojson'
  | 'geometry.not_polygon'
  | 'geometry.ring_not_closed'
  | 'geometry.too_few_points'
  | 'geometry.self_intersection'
  | 'geometry.wrong_winding'
  | 'geometry.coordinate_out_of_range'
  | 'geometry.hole_outside';

/** `where` says in words where the problem is; `at` is a [lon, lat] to mark on the map. */
export interface GeometryProblem {
  code: GeometryProblemCode;
  where: string;
  at?: [number, number];
}

export type PolygonValidation = { ok: true; polygon: Polygon } | { ok: false; problems: GeometryProblem[] };

/** New error codes for contracts' errorMessages; `{where}` is GeometryProblem.where. */


const fmt = (v: number): string => v.toFixed(4);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Accepts a GeoJSON Polygon or a Feature whose geometry is a Polygon. On success the polygon is
 * a fresh copy with [lon, lat] positions (an altitude, if any, is dropped: grids are flat).
 */
export function validatePolygon(input: unknown): PolygonValidation {
  const bad = (code: GeometryProblemCode, where: string): PolygonValidation => ({ ok: false, problems: [{ code, where }] });
  if (!isObject(input) || typeof input.type !== 'string') return bad('geometry.invalid_geojson', 'not a GeoJSON object with a "type"');
  let geometry: Record<string, unknown> = input;
  if (input.type === 'Feature') {
    if (!isObject(input.geometry) || typeof input.geometry.type !== 'string') {
      return bad('geometry.invalid_geojson', 'the Feature has no geometry');
    }
    geometry = input.geometry;
  }
  if (geometry.type !== 'Polygon') return bad('geometry.not_polygon', `got ${String(geometry.type)}`);

  const rings = readRings(geometry.coordinates);
  if (typeof rings === 'string') return bad('geometry.invalid_geojson', rings);

  const problems: GeometryProblem[] = [];
  if (rings.length === 0) problems.push({ code: 'geometry.too_few_points', where: 'the polygon has no rings' });
  rings.forEach((ring, r) => {
    ring.forEach(([lon, lat], v) => {
      if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
        problems.push({ code: 'geometry.coordinate_out_of_range', where: `ring ${r}, vertex ${v} (${lon}, ${lat})`, at: [lon, lat] });
      }
    });
    const first = ring[0];
    const last = ring[ring.length - 1];
    if (ring.length < 4) {
      problems.push({ code: 'geometry.too_few_points', where: `ring ${r} has ${ring.length} positions`, ...(first ? { at: first } : {}) });
    } else if (first && last && (first[0] !== last[0] || first[1] !== last[1])) {
      problems.push({ code: 'geometry.ring_not_closed', where: `ring ${r}`, at: first });
    }
  });
  // Orientation, crossings and hole placement are only meaningful on well-formed rings.
  if (problems.some((p) => p.code !== 'geometry.coordinate_out_of_range')) return { ok: false, problems };

  rings.forEach((ring, r) => {
    const clockwise = booleanClockwise(ring);
    if (r === 0 ? clockwise : !clockwise) {
      problems.push({ code: 'geometry.wrong_winding', where: `ring ${r}`, ...(ring[0] ? { at: ring[0] } : {}) });
    }
  });
  problems.push(...crossings(rings));
  problems.push(...holesOutside(rings));

  return problems.length > 0 ? { ok: false, problems } : { ok: true, polygon: { type: 'Polygon', coordinates: rings } };
}

/** Parses coordinates into rings of finite [lon, lat]; a string explains the first defect. */
function readRings(coordinates: unknown): [number, number][][] | string {
  if (!Array.isArray(coordinates)) return 'coordinates must be an array of rings';
  const rings: [number, number][][] = [];
  for (const [r, ring] of coordinates.entries()) {
    if (!Array.isArray(ring)) return `ring ${r} is not an array of positions`;
    const out: [number, number][] = [];
    for (const [v, pos] of ring.entries()) {
      const ok = Array.isArray(pos) && pos.length >= 2 && pos.length <= 3 && pos.every((n) => typeof n === 'number' && Number.isFinite(n));
      if (!ok) return `ring ${r}, vertex ${v} is not a [longitude, latitude] pair of finite numbers`;
      out.push([pos[0] as number, pos[1] as number]);
    }
    rings.push(out);
  }
  return rings;
}

/**
 * Crossings found by @turf/kinks, each named by the ring edges it lies on (edge i runs from
 * vertex i to vertex i + 1). kinks visits some segment pairs twice, hence the de-duplication.
 */
function crossings(rings: [number, number][][]): GeometryProblem[] {
  const seen = new Set<string>();
  const out: GeometryProblem[] = [];
  for (const f of kinks({ type: 'Polygon', coordinates: rings }).features) {
    const [lon, lat] = f.geometry.coordinates as [number, number];
    const key = `${lon.toFixed(9)},${lat.toFixed(9)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const edges: { ring: number; edge: number }[] = [];
    rings.forEach((ring, r) => {
      for (let e = 0; e + 1 < ring.length; e++) {
        if (distanceToSegmentDeg([lon, lat], ring[e]!, ring[e + 1]!) < 1e-9) edges.push({ ring: r, edge: e });
      }
    });
    const where = edges.every((e) => e.ring === edges[0]?.ring)
      ? `ring ${edges[0]?.ring ?? 0} edges ${listWords(edges.map((e) => String(e.edge)))}`
      : listWords(edges.map((e) => `ring ${e.ring} edge ${e.edge}`));
    out.push({ code: 'geometry.self_intersection', where: `${where} cross at ${fmt(lon)}, ${fmt(lat)}`, at: [lon, lat] });
  }
  return out;
}

/** A hole must lie inside the exterior (touching its boundary is allowed, as in OGC). */
function holesOutside(rings: [number, number][][]): GeometryProblem[] {
  const exterior: Polygon = { type: 'Polygon', coordinates: rings.slice(0, 1) };
  const out: GeometryProblem[] = [];
  rings.slice(1).forEach((hole, i) => {
    const v = hole.findIndex((p) => !booleanPointInPolygon(p, exterior));
    const p = hole[v];
    if (p) out.push({ code: 'geometry.hole_outside', where: `ring ${i + 1}, vertex ${v}`, at: p });
  });
  return out;
}

function listWords(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Planar distance in degrees; only used to match a crossing point back to its edges. */
function distanceToSegmentDeg(p: Position, a: Position, b: Position): number {
  const [px, py, ax, ay, bx, by] = [p[0]!, p[1]!, a[0]!, a[1]!, b[0]!, b[1]!];
  const [dx, dy] = [bx - ax, by - ay];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}
