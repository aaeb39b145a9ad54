import { describe, it, expect } from 'vitest';
import type { Polygon } from 'geojson';
import { coverProblemMessages as COVER_ERROR_MESSAGES } from '@wangge/contracts';
import { checkCover, type CoverGrid } from './cover.rules.ts';
import { streetPolygon, tilePolygon } from '../../../db/src/demo/synthetic-geometry.ts';

const [X, Y] = [107.03, 33.07];
const M_PER_DEG = (6371008.8 * Math.PI) / 180; // the sphere @turf/area measures on
const lonOf = (x: number) => X + x / (M_PER_DEG * Math.cos((Y * Math.PI) / 180));
const latOf = (y: number) => Y + y / M_PER_DEG;

/** Counter-clockwise rectangle given in metres east/north of (107.03, 33.07). */
function rect(x0: number, y0: number, x1: number, y1: number): Polygon {
  const [a, b, c, d] = [lonOf(x0), latOf(y0), lonOf(x1), latOf(y1)];
  return { type: 'Polygon', coordinates: [[[a, b], [c, b], [c, d], [a, d], [a, b]]] };
}
const grid = (id: string, polygon: Polygon): CoverGrid => ({ id, code: `610702002001${id}`, polygon });

const parent = rect(0, 0, 200, 200); // 40,000 m²
/** 2×2 tiling: 001 south-west, 002 south-east, 003 north-west, 004 north-east. */
function tiling(overrides: Record<string, Polygon> = {}): CoverGrid[] {
  const cells: Record<string, Polygon> = {
    '001': rect(0, 0, 100, 100),
    '002': rect(100, 0, 200, 100),
    '003': rect(0, 100, 100, 200),
    '004': rect(100, 100, 200, 200),
    ...overrides,
  };
  return Object.entries(cells).map(([id, p]) => grid(id, p));
}

describe('checkCover', () => {
  it('accepts a 2×2 tiling of a square', () => {
    const r = checkCover(parent, tiling(), { toleranceM2: 1 });
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.coveredShare).toBeCloseTo(1, 6);
  });

  it('finds the gap left by a shrunk grid, with about the right area', () => {
    const r = checkCover(parent, tiling({ '004': rect(100, 100, 180, 200) }), { toleranceM2: 1 });
    expect(r.ok).toBe(false);
    expect(r.problems).toHaveLength(1);
    const gap = r.problems[0]!;
    expect(gap.kind).toBe('gap');
    expect(gap.gridIds).toEqual([]);
    expect(Math.abs(gap.areaM2 - 2000) / 2000).toBeLessThan(0.05);
    expect(gap.where).toMatch(/^107\.03\d\d, 33\.07\d\d$/);
    expect(r.coveredShare).toBeCloseTo(0.95, 2);
  });

  it('reports separate gaps separately', () => {
    const r = checkCover(parent, tiling({ '001': rect(10, 0, 100, 100), '004': rect(100, 100, 190, 200) }), { toleranceM2: 1 });
    expect(r.problems.map((p) => [p.kind, Math.round(p.areaM2 / 100) * 100])).toEqual([
      ['gap', 1000],
      ['gap', 1000],
    ]);
  });

  it('finds two overlapping grids and names both', () => {
    const r = checkCover(parent, tiling({ '004': rect(90, 100, 200, 200) }), { toleranceM2: 1 });
    expect(r.problems).toHaveLength(1);
    const overlap = r.problems[0]!;
    expect(overlap.kind).toBe('overlap');
    expect(overlap.gridIds).toEqual(['003', '004']);
    expect(Math.abs(overlap.areaM2 - 1000) / 1000).toBeLessThan(0.05);
    expect(overlap.codes).toEqual(['610702002001003', '610702002001004']);
    expect(r.coveredShare).toBeCloseTo(1, 6);
  });

  it('finds a grid poking outside its parent', () => {
    const r = checkCover(parent, tiling({ '002': rect(100, 0, 220, 100) }), { toleranceM2: 1 });
    expect(r.problems.map((p) => [p.kind, p.gridIds])).toEqual([['outside_parent', ['002']]]);
    expect(Math.abs(r.problems[0]!.areaM2 - 2000) / 2000).toBeLessThan(0.05);
    expect(r.coveredShare).toBeCloseTo(1, 6);
  });

  it('accepts a gap that is declared intentional', () => {
    const cells = tiling({ '004': rect(100, 100, 180, 200) });
    const r = checkCover(parent, cells, { toleranceM2: 1, intentionalGaps: [rect(180, 100, 200, 200)] });
    expect(r.ok).toBe(true);
    expect(r.coveredShare).toBeCloseTo(0.95, 2);
  });

  it('ignores findings below the tolerance', () => {
    // Two halves 2.5 cm apart: a 0.025 m × 200 m = 5 m² strip.
    const halves = [grid('001', rect(0, 0, 100, 200)), grid('002', rect(100.025, 0, 200, 200))];
    expect(checkCover(parent, halves, { toleranceM2: 10 }).ok).toBe(true);
    const strict = checkCover(parent, halves, { toleranceM2: 1 });
    expect(strict.problems.map((p) => p.kind)).toEqual(['gap']);
    expect(strict.problems[0]!.areaM2).toBeCloseTo(5, 0);
  });

  it('handles no grids and one grid', () => {
    const none = checkCover(parent, [], { toleranceM2: 1 });
    expect(none.problems.map((p) => p.kind)).toEqual(['gap']);
    expect(none.coveredShare).toBe(0);
    expect(checkCover(parent, [grid('001', parent)], { toleranceM2: 1 }).ok).toBe(true);
  });

  it('finds no problem in a realistic Voronoi tiling of a street', () => {
    // Test-only use of the demo generator of packages/db (production core code never imports db).
    // Several seeds: about half of them put a cell corner ~2 mm inside a ~1 km street edge (see
    // the minWidthM test below), which an area tolerance of 1 m² alone would report.
    for (const seed of [1, 2, 3, 4, 5, 2024]) {
      const street = streetPolygon([X, Y], 0.3 + (seed % 5) * 0.4, seed);
      const communities = tilePolygon(street, 7, seed);
      const r = checkCover(street, communities.map((p, i) => grid(String(i + 1).padStart(3, '0'), p)), { toleranceM2: 1 });
      expect(r.problems).toEqual([]);
      expect(r.coveredShare).toBeGreaterThan(0.9999);
      // One level down: the grids of a community, whose own edges are stored to 7 decimals.
      const cells = tilePolygon(communities[0]!, 6, seed + 100).map((p, i) => grid(String(i + 1), p));
      expect(checkCover(communities[0]!, cells, { toleranceM2: 1 }).problems).toEqual([]);
    }
  });

  it('ignores seams thinner than minWidthM even when their area exceeds the tolerance', () => {
    // A 1 km parent edge; the corner the two grids share sits 4 mm inside it: a 2 m² triangle.
    const wide = rect(0, 0, 1000, 200);
    const [a, b, c, d, e] = [lonOf(0), lonOf(500), lonOf(1000), latOf(0.004), latOf(200)];
    const west: Polygon = { type: 'Polygon', coordinates: [[[a, latOf(0)], [b, d], [b, e], [a, e], [a, latOf(0)]]] };
    const east: Polygon = { type: 'Polygon', coordinates: [[[b, d], [c, latOf(0)], [c, e], [b, e], [b, d]]] };
    const cells = [grid('001', west), grid('002', east)];
    expect(checkCover(wide, cells, { toleranceM2: 1 }).ok).toBe(true);
    const raw = checkCover(wide, cells, { toleranceM2: 1, minWidthM: 0 });
    expect(raw.problems.map((p) => p.kind)).toEqual(['gap']);
    expect(raw.problems[0]!.areaM2).toBeCloseTo(2, 1);
  });

  it('has messages for every cover code', () => {
    expect(Object.keys(COVER_ERROR_MESSAGES).sort()).toEqual(['gap', 'outside_parent', 'overlap']);
    for (const m of Object.values(COVER_ERROR_MESSAGES)) expect([m['zh-CN'], m.en].every((t) => t.includes('{where}'))).toBe(true);
  });
});
