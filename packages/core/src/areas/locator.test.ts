import { describe, it, expect } from 'vitest';
import type { Polygon } from 'geojson';
import { GridLocator, distanceToOutlineM, type LocatorGrid } from './locator.ts';

const [X0, Y0, S] = [107.0, 33.0, 0.001]; // cells of about 93 m × 111 m
const [COLS, ROWS] = [100, 50];
const M_PER_DEG = (6371008.8 * Math.PI) / 180;

function box(x0: number, y0: number, x1: number, y1: number): Polygon {
  return { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] };
}
/** Lattice cell (i, j); neighbours compute their shared corners with the same expression. */
const cell = (i: number, j: number): Polygon => box(X0 + i * S, Y0 + j * S, X0 + (i + 1) * S, Y0 + (j + 1) * S);
const basic = (id: string, level: number, polygon: Polygon, path = `root.${id}`): LocatorGrid => ({ id, path, level, gridType: 'basic', polygon });

/** Tiny deterministic PRNG so the random points are the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('GridLocator on a 100 × 50 lattice', () => {
  const grids: LocatorGrid[] = [];
  for (let i = 0; i < COLS; i++) for (let j = 0; j < ROWS; j++) grids.push(basic(`c${i}-${j}`, 5, cell(i, j)));
  const locator = new GridLocator(grids);

  it('indexes 5,000 grids', () => {
    expect(locator.size).toBe(5000);
  });

  it('locates 1,000 random points to exactly the cell computed arithmetically', () => {
    const rnd = lcg(42);
    const points = Array.from({ length: 1000 }, () => {
      const [i, j] = [Math.floor(rnd() * COLS), Math.floor(rnd() * ROWS)];
      // Keep clear of the edges, where the arithmetic and the geometry may round differently.
      return { i, j, lon: X0 + (i + 0.02 + 0.96 * rnd()) * S, lat: Y0 + (j + 0.02 + 0.96 * rnd()) * S };
    });
    const started = performance.now();
    const found = points.map((p) => locator.locate(p.lon, p.lat));
    const ms = performance.now() - started;
    console.log(`1,000 locates on 5,000 grids: ${ms.toFixed(1)} ms`);
    points.forEach((p, n) => {
      expect(found[n]).toEqual({ basic: [{ id: `c${p.i}-${p.j}`, path: `root.c${p.i}-${p.j}`, depth: 5 }], dedicated: [] });
    });
  });

  it('finds nothing outside every grid', () => {
    expect(locator.locate(X0 - 0.01, Y0 + 0.01)).toEqual({ basic: [], dedicated: [] });
    expect(locator.locate(X0 + 0.05, Y0 + ROWS * S + 0.0001)).toEqual({ basic: [], dedicated: [] });
  });

  it('returns both grids for a point on their shared edge, in path order', () => {
    const r = locator.locate(X0 + 3 * S, Y0 + 2.5 * S);
    expect(r.basic.map((g) => g.id)).toEqual(['c2-2', 'c3-2']);
  });

  it('finds both neighbours near a shared edge, four near a corner, none in a cell centre', () => {
    const edgeLon = X0 + 10 * S;
    const oneMetre = 1 / (M_PER_DEG * Math.cos((33.0105 * Math.PI) / 180));
    expect(locator.nearBoundary(edgeLon - oneMetre, Y0 + 10.5 * S, 3).map((g) => g.id)).toEqual(['c10-10', 'c9-10']);
    expect(locator.nearBoundary(edgeLon - 5 * oneMetre, Y0 + 10.5 * S, 3)).toEqual([]);
    expect(locator.nearBoundary(edgeLon, Y0 + 10 * S, 1).map((g) => g.id).sort()).toEqual(['c10-10', 'c10-9', 'c9-10', 'c9-9']);
    expect(locator.nearBoundary(X0 + 20.5 * S, Y0 + 20.5 * S, 30)).toEqual([]);
  });
});

describe('GridLocator with nested and dedicated grids', () => {
  const big = basic('big', 5, box(X0, Y0, X0 + 2 * S, Y0 + 2 * S), 'root.big');
  const smalls = [0, 1].flatMap((i) => [0, 1].map((j) => basic(`small${i}${j}`, 6, cell(i, j), `root.big.small${i}${j}`)));
  const school: LocatorGrid = {
    id: 'school',
    path: 'root.big.school',
    level: 6,
    gridType: 'dedicated',
    polygon: box(X0 + 0.2 * S, Y0 + 0.2 * S, X0 + 0.6 * S, Y0 + 0.6 * S),
  };
  // Given innermost first on purpose: the order of the input must not matter.
  const locator = new GridLocator([...smalls].reverse().concat(school, big));

  it('returns the 大网格 and its 小网格, outermost first', () => {
    expect(locator.locate(X0 + 1.5 * S, Y0 + 0.5 * S).basic).toEqual([
      { id: 'big', path: 'root.big', depth: 5 },
      { id: 'small10', path: 'root.big.small10', depth: 6 },
    ]);
  });

  it('returns a dedicated grid inside a basic grid separately', () => {
    const r = locator.locate(X0 + 0.4 * S, Y0 + 0.4 * S);
    expect(r.basic.map((g) => g.id)).toEqual(['big', 'small00']);
    expect(r.dedicated).toEqual([{ id: 'school', path: 'root.big.school', depth: 6 }]);
    expect(locator.locate(X0 + 0.8 * S, Y0 + 0.4 * S).dedicated).toEqual([]);
  });

  it('works empty', () => {
    const empty = new GridLocator([]);
    expect(empty.size).toBe(0);
    expect(empty.locate(X0, Y0)).toEqual({ basic: [], dedicated: [] });
    expect(empty.nearBoundary(X0, Y0, 100)).toEqual([]);
  });
});

describe('distanceToOutlineM', () => {
  it('measures metres to the nearest edge, also from outside', () => {
    const p = cell(0, 0);
    expect(distanceToOutlineM(X0 + 0.5 * S, Y0 + 0.1 * S, p)).toBeCloseTo(0.1 * S * M_PER_DEG, 1); // ≈ 11.1 m to the south edge
    expect(distanceToOutlineM(X0 + 0.5 * S, Y0 - 0.1 * S, p)).toBeCloseTo(0.1 * S * M_PER_DEG, 1);
  });
});
