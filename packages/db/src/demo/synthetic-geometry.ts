/**
 * Synthetic but plausible polygons for the demo data set: convex "street" outlines and
 * Voronoi tilings of them (communities, grids). Everything is deterministic from a seed.
 */
import { featureCollection, point } from '@turf/helpers';
import { voronoi } from '@turf/voronoi';
import type { Polygon, Position } from 'geojson';

type Pt = [number, number];

/** mulberry32: tiny, fast, good-enough PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;
const cross = (o: Pt, a: Pt, b: Pt): number => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** Twice the signed planar area (positive = counter-clockwise). Ring given open. */
function signedArea2(ring: Pt[]): number {
  let s = 0;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i]!;
    const b = ring[(i + 1) % ring.length]!;
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s;
}

/** Open ring (no repeated closing point), counter-clockwise. */
function openCcwRing(polygon: Polygon): Pt[] {
  const ring = (polygon.coordinates[0] ?? []).map((p): Pt => [p[0]!, p[1]!]);
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first && last && ring.length > 1 && first[0] === last[0] && first[1] === last[1]) ring.pop();
  if (ring.length < 3) throw new Error('polygon needs at least 3 distinct vertices');
  return signedArea2(ring) < 0 ? ring.reverse() : ring;
}

/** Rounds to 7 decimals, drops repeated vertices, closes the ring, forces CCW. */
function toPolygon(ring: Pt[]): Polygon {
  const out: Position[] = [];
  for (const [x, y] of ring) {
    const p: Pt = [round7(x), round7(y)];
    const prev = out[out.length - 1];
    if (!prev || prev[0] !== p[0] || prev[1] !== p[1]) out.push(p);
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (out.length > 1 && first && last && first[0] === last[0] && first[1] === last[1]) out.pop();
  if (out.length < 3) throw new Error('polygon collapsed when rounded to 7 decimals (too small?)');
  if (signedArea2(out as Pt[]) < 0) out.reverse();
  out.push([...out[0]!]);
  return { type: 'Polygon', coordinates: [out] };
}

/** Andrew's monotone chain; returns the hull counter-clockwise, without collinear points. */
function convexHull(points: Pt[]): Pt[] {
  const pts = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const build = (seq: Pt[]): Pt[] => {
    const h: Pt[] = [];
    for (const p of seq) {
      while (h.length >= 2 && cross(h[h.length - 2]!, h[h.length - 1]!, p) <= 0) h.pop();
      h.push(p);
    }
    h.pop();
    return h;
  };
  return [...build(pts), ...build([...pts].reverse())];
}

/**
 * Intersection of segment p–q with the infinite line a–b. The segment's endpoints are put in a
 * canonical order first so that two neighbouring cells, which walk their shared edge in opposite
 * directions, compute bit-identical points.
 */
function intersect(p: Pt, q: Pt, a: Pt, b: Pt): Pt {
  const [s, e] = p[0] < q[0] || (p[0] === q[0] && p[1] <= q[1]) ? [p, q] : [q, p];
  const ds = cross(a, b, s);
  const de = cross(a, b, e);
  const t = ds / (ds - de);
  return [s[0] + t * (e[0] - s[0]), s[1] + t * (e[1] - s[1])];
}

/** A clipped vertex; `edge` is the index of the clip edge it was cut on, or -1 for an own vertex. */
interface Cut {
  p: Pt;
  edge: number;
}

/** Sutherland–Hodgman in full precision: clips `subject` to the convex, CCW polygon `clip`. */
function clipConvex(subject: Pt[], clip: Pt[]): Cut[] {
  let out: Cut[] = subject.map((p) => ({ p, edge: -1 }));
  for (let i = 0; i < clip.length && out.length > 0; i++) {
    const a = clip[i]!;
    const b = clip[(i + 1) % clip.length]!;
    const input = out;
    out = [];
    for (let j = 0; j < input.length; j++) {
      const cur = input[j]!;
      const prev = input[(j + input.length - 1) % input.length]!;
      const curIn = cross(a, b, cur.p) >= 0;
      const prevIn = cross(a, b, prev.p) >= 0;
      if (curIn !== prevIn) out.push({ p: intersect(prev.p, cur.p, a, b), edge: i });
      if (curIn) out.push(cur);
    }
  }
  return out;
}

/**
 * Rounds a clipped cell to 7 decimals (a 1e-7° lattice, about 1 cm). A vertex cut on a clip edge
 * becomes the corner itself when it rounds onto one; otherwise it goes to the lattice point,
 * within ±W steps along the edge, that is closest to the edge line on its inner side. Plain
 * rounding would put vertices up to ~5 mm outside the parent (breaking "cell within parent"
 * checks) and cost ~1e-5 relative area on 300 m cells; this keeps cells inside, typically
 * within 0.1 mm of the edge. Neighbours round the same full-precision point the same way.
 * (If no candidate qualifies, plain rounding is the fallback.)
 */
function roundCut(cell: Cut[], clip: Pt[]): Pt[] {
  const S = 1e7;
  const W = 50; // search half-width along the edge, in lattice steps (±50 cm)
  return cell.map(({ p, edge }): Pt => {
    const [cx, cy] = [Math.round(p[0] * S), Math.round(p[1] * S)];
    if (edge < 0) return [cx / S, cy / S];
    const a = clip[edge]!;
    const b = clip[(edge + 1) % clip.length]!;
    for (const c of [a, b]) {
      const near = Math.abs(c[0] - p[0]) < 1e-9 && Math.abs(c[1] - p[1]) < 1e-9;
      if (near || (Math.round(c[0] * S) === cx && Math.round(c[1] * S) === cy)) return c;
    }
    const [ax, ay, dx, dy] = [a[0] * S, a[1] * S, (b[0] - a[0]) * S, (b[1] - a[1]) * S];
    const steep = Math.abs(dy) > Math.abs(dx);
    let best: [number, number, number, number] = [Infinity, Infinity, cx, cy]; // [off, |i|, x, y]
    // Walk lattice columns (rows for steep edges) along the edge; interior is left of a→b.
    for (let i = -W; i <= W; i++) {
      const x = steep ? (dy > 0 ? Math.floor : Math.ceil)(ax + (dx * (cy + i - ay)) / dy) : cx + i;
      const y = steep ? cy + i : (dx > 0 ? Math.ceil : Math.floor)(ay + (dy * (x - ax)) / dx);
      const off = dx * (y - ay) - dy * (x - ax); // ∝ signed distance to the line, > 0 inside
      if (off < 0 || off > best[0] || (off === best[0] && Math.abs(i) >= best[1])) continue;
      if (insideConvex(clip, [x / S, y / S])) best = [off, Math.abs(i), x, y]; // not past a corner
    }
    return [best[2] / S, best[3] / S];
  });
}

function insideConvex(ring: Pt[], p: Pt): boolean {
  for (let i = 0; i < ring.length; i++) {
    if (cross(ring[i]!, ring[(i + 1) % ring.length]!, p) < 0) return false;
  }
  return true;
}

/** Planar centroid of a simple polygon (open ring). */
function centroidOf(ring: Pt[]): Pt {
  let [cx, cy, a2] = [0, 0, 0];
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i]!;
    const q = ring[(i + 1) % ring.length]!;
    const f = p[0] * q[1] - q[0] * p[1];
    a2 += f;
    cx += (p[0] + q[0]) * f;
    cy += (p[1] + q[1]) * f;
  }
  return [cx / (3 * a2), cy / (3 * a2)];
}

/**
 * Splits a convex polygon into `n` convex cells that tile it (no gaps, no overlaps).
 * Seeds come from best-candidate sampling plus two Lloyd steps, in a frame where longitude is
 * scaled by cos(latitude) so cells look evenly sized on the ground rather than in degrees.
 */
export function tilePolygon(outer: Polygon, n: number, seed: number): Polygon[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  const ring = openCcwRing(outer);
  if (n === 1) return [toPolygon(ring)];

  const rnd = mulberry32(seed);
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const k = Math.cos((((minY + maxY) / 2) * Math.PI) / 180); // lon scale for ground distances

  const randomInside = (): Pt => {
    for (let attempt = 0; attempt < 100_000; attempt++) {
      const p: Pt = [minX + rnd() * (maxX - minX), minY + rnd() * (maxY - minY)];
      if (insideConvex(ring, p)) return p;
    }
    throw new Error('could not sample a point inside the polygon (degenerate?)');
  };
  const dist2 = (a: Pt, b: Pt) => ((a[0] - b[0]) * k) ** 2 + (a[1] - b[1]) ** 2;

  // Best-candidate (Mitchell) sampling: each new seed is the candidate farthest from the others.
  let seeds: Pt[] = [randomInside()];
  while (seeds.length < n) {
    let [best, bestD]: [Pt, number] = [[0, 0], -1];
    for (let c = 0; c < 20; c++) {
      const cand = randomInside();
      const d = Math.min(...seeds.map((s) => dist2(s, cand)));
      if (d > bestD) [best, bestD] = [cand, d];
    }
    seeds.push(best);
  }

  // Voronoi runs in the scaled frame (x = lon·k); the map back is affine, so cells stay convex.
  const pad = 0.1 * Math.max((maxX - minX) * k, maxY - minY) + 1e-6;
  const bbox: [number, number, number, number] = [minX * k - pad, minY - pad, maxX * k + pad, maxY + pad];
  const cellsFor = (sites: Pt[]): Cut[][] => {
    const fc = voronoi(featureCollection(sites.map((s) => point([s[0] * k, s[1]]))), { bbox });
    return sites.map((_, i) => {
      const cell = fc.features[i];
      if (!cell) throw new Error('voronoi produced no cell (coincident seeds?)');
      const cellRing = openCcwRing(cell.geometry).map((p): Pt => [p[0] / k, p[1]]);
      return clipConvex(cellRing, ring);
    });
  };

  let cells = cellsFor(seeds);
  for (let iter = 0; iter < 2; iter++) {
    seeds = cells.map((c) => centroidOf(c.map((v) => v.p))); // Lloyd relaxation: more even, less spiky cells
    cells = cellsFor(seeds);
  }
  return cells.map((c) => toPolygon(roundCut(c, ring)));
}

/**
 * A convex, irregular polygon of roughly `radiusKm` around `center`: 10–14 jittered points on a
 * randomly squashed and rotated ellipse, then their convex hull.
 */
export function streetPolygon(center: [lon: number, lat: number], radiusKm: number, seed: number): Polygon {
  if (!(radiusKm > 0)) throw new RangeError(`radiusKm must be positive, got ${radiusKm}`);
  const rnd = mulberry32(seed);
  const [lon0, lat0] = center;
  const kmPerDegLat = 110.574;
  const kmPerDegLon = 111.32 * Math.cos((lat0 * Math.PI) / 180);
  const count = 10 + Math.floor(rnd() * 5);
  const aspect = 0.7 + 0.3 * rnd();
  const rotation = rnd() * Math.PI;
  const start = rnd() * 2 * Math.PI;
  const pts: Pt[] = [];
  for (let i = 0; i < count; i++) {
    const theta = start + ((i + (rnd() - 0.5) * 0.6) / count) * 2 * Math.PI;
    const r = radiusKm * (0.85 + 0.3 * rnd());
    const ex = r * Math.cos(theta);
    const ey = r * aspect * Math.sin(theta);
    const x = ex * Math.cos(rotation) - ey * Math.sin(rotation);
    const y = ex * Math.sin(rotation) + ey * Math.cos(rotation);
    // Round before the hull so the hull's vertices are exactly the stored coordinates.
    pts.push([round7(lon0 + x / kmPerDegLon), round7(lat0 + y / kmPerDegLat)]);
  }
  return toPolygon(convexHull(pts));
}
