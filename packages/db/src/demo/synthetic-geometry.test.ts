import { describe, it, expect } from 'vitest';
import area from '@turf/area';
import { featureCollection, polygon as turfPolygon } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import type { Polygon, Position } from 'geojson';
import { mulberry32, streetPolygon, tilePolygon } from './synthetic-geometry.ts';

const CENTER: [number, number] = [107.03, 33.07];
const street = streetPolygon(CENTER, 1.5, 2024);
const communities = tilePolygon(street, 7, 1);
const grids = communities.map((c, i) => tilePolygon(c, i % 2 === 0 ? 5 : 6, 100 + i));

const ring = (p: Polygon): Position[] => p.coordinates[0]!;
const xy = (q: Position): [number, number] => [q[0]!, q[1]!];

/** Planar area in m² (local equirectangular frame around CENTER). Additive under edge splits. */
function planarArea(p: Polygon): number {
  const kx = 111_320 * Math.cos((CENTER[1] * Math.PI) / 180);
  const pts = ring(p).map((q) => [(q[0]! - CENTER[0]) * kx, (q[1]! - CENTER[1]) * 110_574]);
  let s = 0;
  for (let i = 0; i + 1 < pts.length; i++) s += pts[i]![0]! * pts[i + 1]![1]! - pts[i + 1]![0]! * pts[i]![1]!;
  return s / 2;
}

function centroid(p: Polygon): [number, number] {
  const r = ring(p).map(xy);
  let [cx, cy, a2] = [0, 0, 0];
  for (let i = 0; i + 1 < r.length; i++) {
    const [x0, y0] = r[i]!;
    const [x1, y1] = r[i + 1]!;
    const f = x0 * y1 - x1 * y0;
    [cx, cy, a2] = [cx + (x0 + x1) * f, cy + (y0 + y1) * f, a2 + f];
  }
  return [cx / (3 * a2), cy / (3 * a2)];
}

/** Distance in degrees from q to the boundary of p, negative when q is outside (p convex, CCW). */
function signedDistance(p: Polygon, q: [number, number]): number {
  const r = ring(p).map(xy);
  let d = Infinity;
  for (let i = 0; i + 1 < r.length; i++) {
    const [a, b] = [r[i]!, r[i + 1]!];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    d = Math.min(d, ((b[0] - a[0]) * (q[1] - a[1]) - (b[1] - a[1]) * (q[0] - a[0])) / len);
  }
  return d;
}

/** Directed cell edges that no neighbour walks back: the outline of the union of the cells. */
function unmatchedEdges(cells: Polygon[]): [[number, number], [number, number]][] {
  const key = (a: Position, b: Position) => `${a[0]},${a[1]}>${b[0]},${b[1]}`;
  const edges = new Map<string, [[number, number], [number, number]]>();
  for (const c of cells) {
    const r = ring(c);
    for (let i = 0; i + 1 < r.length; i++) edges.set(key(r[i]!, r[i + 1]!), [xy(r[i]!), xy(r[i + 1]!)]);
  }
  return [...edges.entries()].filter(([k]) => !edges.has(k.split('>').reverse().join('>'))).map(([, e]) => e);
}

function expectTiling(parent: Polygon, cells: Polygon[]) {
  // Area: planar areas are additive, so the sum must match closely. Turf's spherical formula is
  // not additive when an edge gets split (a lon/lat-straight segment is not what it integrates
  // along; ~8e-6 on a 2 km triangle even with exact coordinates), hence its looser bound.
  const planarSum = cells.reduce((s, c) => s + planarArea(c), 0);
  expect(Math.abs(planarSum / planarArea(parent) - 1)).toBeLessThan(1e-6);
  const turfSum = cells.reduce((s, c) => s + area(c), 0);
  expect(Math.abs(turfSum / area(parent) - 1)).toBeLessThan(1e-5);

  // No holes and shared vertices: every edge is walked back by a neighbour, except those
  // running along the parent's boundary (within 2 cm; rounding keeps them on the inside).
  for (const [a, b] of unmatchedEdges(cells)) {
    for (const q of [a, b, [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2] as [number, number]]) {
      const d = signedDistance(parent, q);
      expect(d).toBeGreaterThanOrEqual(-1e-12);
      expect(d).toBeLessThan(2e-7);
    }
  }

  // No overlaps.
  for (let i = 0; i < cells.length; i++) {
    for (let j = i + 1; j < cells.length; j++) {
      const both = featureCollection([turfPolygon(cells[i]!.coordinates), turfPolygon(cells[j]!.coordinates)]);
      const shared = intersect(both);
      expect(shared ? area(shared) : 0).toBeLessThan(1);
    }
  }

  for (const c of cells) {
    expect(signedDistance(parent, centroid(c))).toBeGreaterThan(0);
    expectWellFormed(c);
  }
}

function expectWellFormed(p: Polygon) {
  const r = ring(p);
  expect(r.length).toBeGreaterThanOrEqual(4);
  expect(r[0]).toEqual(r[r.length - 1]);
  expect(planarArea(p)).toBeGreaterThan(0); // counter-clockwise
  for (const q of r) for (const v of q) expect(Math.round(v * 1e7) / 1e7).toBe(v);
}

describe('mulberry32', () => {
  it('is deterministic and stays in [0, 1)', () => {
    const [a, b] = [mulberry32(7), mulberry32(7)];
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mulberry32(8)()).not.toBe(mulberry32(7)());
  });
});

describe('streetPolygon', () => {
  it('is a closed, counter-clockwise, convex polygon of about the requested size', () => {
    expectWellFormed(street);
    const r = ring(street).map(xy);
    for (let i = 0; i + 2 < r.length + 1; i++) {
      const [o, a, b] = [r[i]!, r[(i + 1) % (r.length - 1)]!, r[(i + 2) % (r.length - 1)]!];
      expect((a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])).toBeGreaterThan(0);
    }
    expect(signedDistance(street, CENTER)).toBeGreaterThan(0);
    const km2 = area(street) / 1e6;
    expect(km2).toBeGreaterThan(Math.PI * 1.5 * 1.5 * 0.4);
    expect(km2).toBeLessThan(Math.PI * 1.5 * 1.5 * 1.4);
  });

  it('is deterministic from the seed', () => {
    expect(streetPolygon(CENTER, 1.5, 2024)).toEqual(street);
    expect(streetPolygon(CENTER, 1.5, 2025)).not.toEqual(street);
  });
});

describe('tilePolygon', () => {
  it('tiles a street into 7 communities', () => {
    expect(communities).toHaveLength(7);
    expectTiling(street, communities);
  });

  it('tiles each community into 5 or 6 grids', () => {
    grids.forEach((cells, i) => {
      expect(cells).toHaveLength(i % 2 === 0 ? 5 : 6);
      expectTiling(communities[i]!, cells);
      for (const c of cells) expect(signedDistance(street, centroid(c))).toBeGreaterThan(0);
    });
  });

  it('is deterministic from the seed', () => {
    expect(tilePolygon(street, 7, 1)).toEqual(communities);
    expect(tilePolygon(communities[0]!, 5, 100)).toEqual(grids[0]);
    expect(tilePolygon(street, 7, 2)).not.toEqual(communities);
  });

  it('accepts a clockwise outer ring and returns the outer itself for n = 1', () => {
    const cw: Polygon = { type: 'Polygon', coordinates: [[...ring(street)].reverse()] };
    const [whole] = tilePolygon(cw, 1, 1);
    expect(planarArea(whole!)).toBeGreaterThan(0);
    expect(new Set(ring(whole!).map(String))).toEqual(new Set(ring(street).map(String)));
    expectTiling(street, tilePolygon(cw, 4, 9));
    expect(() => tilePolygon(street, 0, 1)).toThrow(RangeError);
  });
});
