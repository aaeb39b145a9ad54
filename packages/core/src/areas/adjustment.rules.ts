/**
 * 动态调整: planning what moves when grids are re-drawn (split, merge, boundary edits). Pure: the
 * use-case loads the grids and the things placed in them, shows the plan, then applies it.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { feature, featureCollection } from '@turf/helpers';
import { union } from '@turf/union';
import type { Polygon, Position } from 'geojson';

export type ThingKind = 'building' | 'staff' | 'household' | 'person' | 'case';

export interface PlacedThing {
  kind: ThingKind;
  id: string;
  label: string;
  gridId: string | null;
  /** [lon, lat]; null = follows its grid id (staff). */
  point: [number, number] | null;
  /** Manual override: never moved. */
  pinned?: boolean;
  /** A case's state and district, recorded in its trace when it moves. */
  state?: string;
  districtId?: string | null;
}

export interface GridShape {
  id: string;
  code: string;
  name: string;
  polygon: Polygon;
}

export interface PlannedMove {
  thing: PlacedThing;
  from: string | null;
  to: string | null;
}

export interface MovePlan {
  moves: PlannedMove[];
  /** Things the new layout leaves without a grid; the operator must place them. */
  unplaced: PlacedThing[];
  /** Number of moves per kind (every kind present, 0 when none). */
  byKind: Record<string, number>;
}

export type AdjustmentErrorCode = 'adjust.line_does_not_split' | 'adjust.not_adjacent';

/** Like DomainError (kind 'invalid'), with codes that are not in contracts yet. */
export class AdjustmentError extends Error {
  readonly code: AdjustmentErrorCode;
  readonly kind = 'invalid' as const;
  readonly params: Record<string, string | number>;

  constructor(code: AdjustmentErrorCode, params: Record<string, string | number>) {
    super(code);
    this.name = 'AdjustmentError';
    this.code = code;
    this.params = params;
  }
}

/** New error codes for contracts' errorMessages. */


const KINDS: ThingKind[] = ['building', 'staff', 'household', 'person', 'case'];

/**
 * What moves from `before` to `after` (ids kept, or 'new:N' for new grids).
 * - A thing with a point goes to the `after` grid containing it. On an edge two new grids share,
 *   it stays in its current grid if that is one of them, else goes to the first in `after` order.
 *   Outside every new grid: unplaced if its grid was one of those adjusted, else left alone.
 * - A thing without a point (staff) follows `staffMap`, else stays if its grid still exists.
 * - Pinned things never move; one whose grid disappears is listed as unplaced.
 */
export function planMoves(before: GridShape[], after: GridShape[], things: PlacedThing[], staffMap?: Record<string, string>): MovePlan {
  const adjusted = new Set(before.map((g) => g.id));
  const kept = new Set(after.map((g) => g.id));
  const boxes = after.map((g) => bbox(g.polygon));
  const gone = (id: string | null) => id !== null && adjusted.has(id) && !kept.has(id);

  const containing = (lon: number, lat: number, current: string | null): string | null => {
    let first: string | null = null;
    for (const [i, g] of after.entries()) {
      const [minX, minY, maxX, maxY] = boxes[i]!;
      if (lon < minX || lon > maxX || lat < minY || lat > maxY || !booleanPointInPolygon([lon, lat], g.polygon)) continue;
      if (g.id === current) return g.id;
      first ??= g.id;
    }
    return first;
  };

  const plan: MovePlan = { moves: [], unplaced: [], byKind: Object.fromEntries(KINDS.map((k) => [k, 0])) };
  for (const thing of things) {
    let to: string | null | undefined; // undefined = stays where it is
    if (thing.pinned) {
      to = gone(thing.gridId) ? null : undefined;
    } else if (thing.point) {
      const found = containing(thing.point[0], thing.point[1], thing.gridId);
      to = found ?? (thing.gridId !== null && adjusted.has(thing.gridId) ? null : undefined);
    } else {
      const mapped = thing.gridId !== null ? staffMap?.[thing.gridId] : undefined;
      if (mapped !== undefined) to = kept.has(mapped) ? mapped : null;
      else to = gone(thing.gridId) ? null : undefined;
    }
    if (to === null) plan.unplaced.push(thing);
    else if (to !== undefined && to !== thing.gridId) {
      plan.moves.push({ thing, from: thing.gridId, to });
      plan.byKind[thing.kind] = (plan.byKind[thing.kind] ?? 0) + 1;
    }
  }
  return plan;
}

/**
 * Cuts a polygon in two along a polyline that enters it once and leaves it once. Exact: each half
 * is the cut path plus the ring walked from one crossing to the other, so the two halves share the
 * crossing points bit for bit. Holes go to the half that contains them; the line may not touch one.
 */
export function splitPolygon(polygon: Polygon, line: [number, number][]): [Polygon, Polygon] {
  const [outer = [], ...holes] = polygon.coordinates;
  const ring = ccw(open(outer));
  const crossings = line.length < 2 ? [] : crossingsOf(ring, line);
  const holeHits = holes.reduce((n, h) => n + (line.length < 2 ? 0 : crossingsOf(open(h), line).length), 0);
  const fail = () => new AdjustmentError('adjust.line_does_not_split', { crossings: crossings.length + holeHits });
  const [a, b] = crossings;
  if (crossings.length !== 2 || holeHits > 0 || !a || !b) throw fail();
  const ends = [line[0]!, line[line.length - 1]!];
  if (ends.some((p) => booleanPointInPolygon(p, { type: 'Polygon', coordinates: [outer] }))) throw fail();

  const path: Position[] = [a.point, ...line.slice(a.segment + 1, b.segment + 1), b.point];
  const halves = [
    closeCcw([...path, ...walk(ring, b, a)]),
    closeCcw([...[...path].reverse(), ...walk(ring, a, b)]),
  ];
  if (halves.some((h) => h.length < 4 || Math.abs(signedArea(h)) === 0)) throw fail();
  const [first, second] = halves.map((h): Polygon => ({ type: 'Polygon', coordinates: [h] })) as [Polygon, Polygon];
  for (const hole of holes) {
    const inFirst = hole.some((p) => booleanPointInPolygon(p, first, { ignoreBoundary: true }));
    (inFirst ? first : second).coordinates.push(hole);
  }
  return [first, second];
}

/** Union of adjacent polygons; throws 'adjust.not_adjacent' unless the result is one piece. */
export function mergePolygons(polygons: Polygon[]): Polygon {
  if (polygons.length === 0) throw new AdjustmentError('adjust.not_adjacent', { parts: 0 });
  const merged = polygons.length === 1 ? polygons[0]! : union(featureCollection(polygons.map((p) => feature(p))))?.geometry;
  if (!merged) throw new AdjustmentError('adjust.not_adjacent', { parts: 0 });
  const coordinates = merged.type === 'Polygon' ? merged.coordinates : merged.coordinates.length === 1 ? merged.coordinates[0]! : null;
  if (!coordinates) throw new AdjustmentError('adjust.not_adjacent', { parts: merged.coordinates.length });
  // RFC 7946 winding, whatever the union returned: exterior counter-clockwise, holes clockwise.
  const rings = coordinates.map((r, i) => (i === 0 ? closeCcw(open(r)) : closeCcw(open(r)).reverse()));
  return { type: 'Polygon', coordinates: rings };
}

/** Where the line crosses a ring: on ring edge `edge` at fraction `u`, on line segment `segment` at `t`. */
interface Crossing {
  edge: number;
  u: number;
  segment: number;
  t: number;
  point: Position;
}

/**
 * Half-open ranges (u in [0, 1), t in [0, 1) but the last segment's end) count a crossing through
 * a ring vertex or a line vertex once, not twice. A crossing within 1e-9 of a ring vertex (a line
 * snapped to it) is moved onto the vertex, so rounding cannot count it on both edges.
 */
function crossingsOf(ring: Position[], line: [number, number][]): Crossing[] {
  const out: Crossing[] = [];
  for (let s = 0; s + 1 < line.length; s++) {
    const [[px, py], [qx, qy]] = [line[s]!, line[s + 1]!];
    const tMax = s + 2 === line.length ? 1 : 1 - Number.EPSILON;
    for (let e = 0; e < ring.length; e++) {
      const [ax = 0, ay = 0] = ring[e]!;
      const [bx = 0, by = 0] = ring[(e + 1) % ring.length]!;
      const den = (qx - px) * (by - ay) - (qy - py) * (bx - ax);
      if (den === 0) continue; // parallel: no single crossing point
      const t = ((ax - px) * (by - ay) - (ay - py) * (bx - ax)) / den;
      const u = ((ax - px) * (qy - py) - (ay - py) * (qx - px)) / den;
      if (t < 0 || t > tMax || u < -SNAP || u >= 1 + SNAP) continue;
      if (u >= 1 - SNAP) out.push({ edge: (e + 1) % ring.length, u: 0, segment: s, t, point: [bx, by] });
      else if (u <= SNAP) out.push({ edge: e, u: 0, segment: s, t, point: [ax, ay] });
      else out.push({ edge: e, u, segment: s, t, point: [ax + u * (bx - ax), ay + u * (by - ay)] });
    }
  }
  const seen = new Set<string>(); // a vertex is reached from both of its edges: keep it once
  const unique = out.filter((c) => {
    const key = `${c.segment}:${c.edge}`;
    if (c.u > 0) return true;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort((x, y) => x.segment - y.segment || x.t - y.t);
}

const SNAP = 1e-9;

/** Ring vertices met walking forward from crossing `from` to crossing `to` (both excluded). */
function walk(ring: Position[], from: Crossing, to: Crossing): Position[] {
  if (from.edge === to.edge && from.u < to.u) return [];
  const out: Position[] = [];
  for (let k = (from.edge + 1) % ring.length; ; k = (k + 1) % ring.length) {
    out.push(ring[k]!);
    if (k === to.edge) return out;
  }
}

/** Ring without its closing position. */
function open(ring: Position[]): Position[] {
  const [first, last] = [ring[0], ring[ring.length - 1]];
  const closed = ring.length > 1 && first && last && first[0] === last[0] && first[1] === last[1];
  return closed ? ring.slice(0, -1) : [...ring];
}

const ccw = (ring: Position[]): Position[] => (signedArea(ring) < 0 ? [...ring].reverse() : ring);

/** Drops repeated consecutive positions, orients counter-clockwise, closes the ring. */
function closeCcw(ring: Position[]): Position[] {
  const out = ring.filter((p, i) => {
    const prev = ring[(i + ring.length - 1) % ring.length]!;
    return ring.length === 1 || p[0] !== prev[0] || p[1] !== prev[1];
  });
  const oriented = ccw(out);
  return oriented.length > 0 ? [...oriented, oriented[0]!] : [];
}

/** Twice the planar signed area of an open ring (positive = counter-clockwise), local origin. */
function signedArea(ring: Position[]): number {
  const [ox = 0, oy = 0] = ring[0] ?? [];
  let s = 0;
  for (let i = 0; i < ring.length; i++) {
    const [ax = 0, ay = 0] = ring[i]!;
    const [bx = 0, by = 0] = ring[(i + 1) % ring.length]!;
    s += (ax - ox) * (by - oy) - (bx - ox) * (ay - oy);
  }
  return s;
}

function bbox(p: Polygon): [number, number, number, number] {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x = 0, y = 0] of p.coordinates[0] ?? []) {
    [minX, minY, maxX, maxY] = [Math.min(minX, x), Math.min(minY, y), Math.max(maxX, x), Math.max(maxY, y)];
  }
  return [minX, minY, maxX, maxY];
}
