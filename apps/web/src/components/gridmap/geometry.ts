/**
 * Small planar helpers for what is drawn in the browser. The server validates every polygon it is
 * sent; these only make sure we send what the operator meant: closed rings, exterior
 * counter-clockwise (RFC 7946), shared vertices moved together.
 */
import type { Polygon } from '../../api/grids.ts';

export type LngLat = [number, number];
export type Bounds = [LngLat, LngLat];

/** Coordinates are stored to 7 decimals; anything closer than that is the same point. */
const EPSILON = 1e-9;

const samePoint = (a: readonly number[], b: readonly number[]) =>
  Math.abs((a[0] ?? 0) - (b[0] ?? 0)) < EPSILON && Math.abs((a[1] ?? 0) - (b[1] ?? 0)) < EPSILON;

/** Twice the signed planar area of an open ring; positive when counter-clockwise. */
function signedArea2(ring: readonly LngLat[]): number {
  let sum = 0;
  ring.forEach((a, i) => {
    const b = ring[(i + 1) % ring.length]!;
    sum += a[0] * b[1] - b[0] * a[1];
  });
  return sum;
}

/** The exterior ring without its closing position. */
export function openRing(polygon: Polygon): LngLat[] {
  const ring = (polygon.coordinates[0] ?? []).map((p): LngLat => [p[0] ?? 0, p[1] ?? 0]);
  const first = ring[0];
  const last = ring.at(-1);
  if (ring.length > 1 && first && last && samePoint(first, last)) ring.pop();
  return ring;
}

/** Drops a point equal to the one before it (a double click adds the same point twice). */
export function withoutRepeats(points: readonly LngLat[]): LngLat[] {
  return points.filter((p, i) => i === 0 || !samePoint(p, points[i - 1]!));
}

/** A closed, counter-clockwise ring from an open one, in either order. */
function closedCcw(open: readonly LngLat[]): LngLat[] {
  const ring = signedArea2(open) < 0 ? [...open].reverse() : [...open];
  return ring.length > 0 ? [...ring, ring[0]!] : ring;
}

/** A polygon from an open ring drawn in either direction. */
export function polygonFrom(open: readonly LngLat[]): Polygon {
  return { type: 'Polygon', coordinates: [closedCcw(open)] };
}

/** The same polygon with a new exterior (holes kept as they were). */
export function withExterior(polygon: Polygon, open: readonly LngLat[]): Polygon {
  return { type: 'Polygon', coordinates: [closedCcw(open), ...polygon.coordinates.slice(1)] };
}

/** Where a vertex sits in each ring that has it: grid id → indexes in its open exterior ring. */
export function verticesAt(rings: ReadonlyMap<string, LngLat[]>, at: LngLat): Map<string, number[]> {
  const found = new Map<string, number[]>();
  for (const [id, ring] of rings) {
    const hits = ring.flatMap((p, i) => (samePoint(p, at) ? [i] : []));
    if (hits.length > 0) found.set(id, hits);
  }
  return found;
}

/** Bounds of GeoJSON geometries (nested coordinate arrays) taken together, or null when they have none. */
export function boundsOf(...geometries: { coordinates?: unknown }[]): Bounds | null {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c: unknown) => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number' && typeof c[1] === 'number') {
      b[0] = Math.min(b[0]!, c[0]);
      b[1] = Math.min(b[1]!, c[1]);
      b[2] = Math.max(b[2]!, c[0]);
      b[3] = Math.max(b[3]!, c[1]);
      return;
    }
    for (const inner of c) walk(inner);
  };
  for (const g of geometries) walk(g.coordinates);
  return b[0] === Infinity ? null : [[b[0]!, b[1]!], [b[2]!, b[3]!]];
}

/**
 * Where to put a polygon's label: its centroid when that lies inside, otherwise the middle of the
 * widest stretch of the polygon along the centroid's latitude (a C-shaped grid, a grid with a hole).
 */
export function labelPoint(polygon: Polygon): LngLat {
  const ring = openRing(polygon);
  const a2 = signedArea2(ring);
  if (a2 === 0) return ring[0] ?? [0, 0];
  let [cx, cy] = [0, 0];
  ring.forEach((p, i) => {
    const q = ring[(i + 1) % ring.length]!;
    const f = p[0] * q[1] - q[0] * p[1];
    cx += (p[0] + q[0]) * f;
    cy += (p[1] + q[1]) * f;
  });
  const c: LngLat = [cx / (3 * a2), cy / (3 * a2)];
  // Where the line y = c[1] crosses the rings; between crossings 0–1, 2–3, … it is inside.
  const xs: number[] = [];
  for (const r of polygon.coordinates) {
    for (let i = 0; i + 1 < r.length; i++) {
      const [x1 = 0, y1 = 0] = r[i]!;
      const [x2 = 0, y2 = 0] = r[i + 1]!;
      if (y1 > c[1] !== y2 > c[1]) xs.push(x1 + ((c[1] - y1) * (x2 - x1)) / (y2 - y1));
    }
  }
  xs.sort((a, b) => a - b);
  let widest: [number, number] | null = null;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    const span: [number, number] = [xs[i]!, xs[i + 1]!];
    if (c[0] >= span[0] && c[0] <= span[1]) return c;
    if (!widest || span[1] - span[0] > widest[1] - widest[0]) widest = span;
  }
  return widest ? [(widest[0] + widest[1]) / 2, c[1]] : c;
}
