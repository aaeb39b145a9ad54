import { describe, it, expect } from 'vitest';
import { area } from '@turf/area';
import { booleanClockwise } from '@turf/boolean-clockwise';
import type { Polygon } from 'geojson';
import {
  AdjustmentError,
  mergePolygons,
  planMoves,
  splitPolygon,
  type GridShape,
  type PlacedThing,
} from './adjustment.rules.ts';
import { checkCover } from './cover.rules.ts';
import { validatePolygon } from './geometry.rules.ts';
import { errorMessages } from '@wangge/contracts';

const [X, Y, D] = [107.03, 33.07, 0.002]; // a square of about 190 m × 220 m

function box(x0: number, y0: number, x1: number, y1: number): Polygon {
  return { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] };
}
const square = box(X, Y, X + D, Y + D);
const relClose = (a: number, b: number) => Math.abs(a - b) / b < 1e-6;

function errorOf(fn: () => unknown): AdjustmentError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AdjustmentError) return e;
    throw e;
  }
  throw new Error('expected an AdjustmentError');
}

describe('splitPolygon', () => {
  it('cuts a square by a vertical line into two rectangles of equal area', () => {
    const mid = X + D / 2;
    const [a, b] = splitPolygon(square, [[mid, Y - D], [mid, Y + 2 * D]]);
    expect(relClose(area(a), area(square) / 2)).toBe(true);
    expect(relClose(area(b), area(square) / 2)).toBe(true);
    for (const half of [a, b]) {
      expect(half.coordinates[0]).toHaveLength(5); // four corners, closed
      expect(validatePolygon(half).ok).toBe(true); // closed, counter-clockwise, simple
    }
    // The halves share the cut exactly.
    const onCut = (p: Polygon) => p.coordinates[0]!.slice(0, -1).filter((q) => q[0] === mid).map((q) => q.join()).sort();
    expect(onCut(a)).toEqual(onCut(b));
  });

  it('follows a bent line and a line that enters and leaves through the same edge', () => {
    const bent = splitPolygon(square, [[X - D, Y + D / 4], [X + D / 2, Y + D / 2], [X + D / 2, Y + 2 * D]]);
    expect(relClose(area(bent[0]) + area(bent[1]), area(square))).toBe(true);
    // North-west piece: entry, bend, exit, NW corner; the rest also has SW, SE and NE (+ closing).
    expect(bent.map((p) => p.coordinates[0]!.length).sort()).toEqual([5, 7]);
    // A notch: in through the south edge, along, and out through the south edge again.
    const notch = splitPolygon(square, [[X + D / 4, Y - D], [X + D / 4, Y + D / 4], [X + D / 2, Y + D / 4], [X + D / 2, Y - D]]);
    const areas = notch.map((p) => area(p)).sort((p, q) => p - q);
    // Not exactly 1/16 on the sphere (the notch is the southern quarter): within 1e-4.
    expect(Math.abs(areas[0]! / area(square) - 1 / 16)).toBeLessThan(1e-4);
    expect(relClose(areas[0]! + areas[1]!, area(square))).toBe(true);
    expect(notch.every((p) => validatePolygon(p).ok)).toBe(true);
  });

  it('leaves halves that cover the original seamlessly, even along a slanted bent cut', () => {
    const halves = splitPolygon(square, [[X + D / 3, Y - D], [X + 0.6 * D, Y + 0.4 * D], [X + 0.45 * D, Y + 2 * D]]);
    const grids = halves.map((polygon, i) => ({ id: String(i), code: String(i), polygon }));
    expect(checkCover(square, grids, { toleranceM2: 0.01, minWidthM: 0 })).toMatchObject({ ok: true, problems: [] });
  });

  it('cuts along a diagonal through two corners into two triangles', () => {
    const [a, b] = splitPolygon(square, [[X - D, Y - D], [X + 2 * D, Y + 2 * D]]);
    expect([a, b].map((p) => p.coordinates[0]!.length)).toEqual([4, 4]);
    expect(relClose(area(a), area(square) / 2)).toBe(true);
  });

  it('gives a hole to the half that contains it', () => {
    const hole = [[X + D / 8, Y + D / 8], [X + D / 8, Y + D / 4], [X + D / 4, Y + D / 4], [X + D / 4, Y + D / 8], [X + D / 8, Y + D / 8]];
    const holed: Polygon = { type: 'Polygon', coordinates: [square.coordinates[0]!, hole] };
    const [a, b] = splitPolygon(holed, [[X + D / 2, Y - D], [X + D / 2, Y + 2 * D]]);
    const west = a.coordinates[0]!.some((p) => p[0] === X) ? a : b;
    expect(west.coordinates).toHaveLength(2);
    expect(booleanClockwise(west.coordinates[1]!)).toBe(true);
    expect((west === a ? b : a).coordinates).toHaveLength(1);
    // A line through the hole cannot be handled by walking the outer ring: refused.
    expect(errorOf(() => splitPolygon(holed, [[X + D / 5, Y - D], [X + D / 5, Y + 2 * D]])).code).toBe('adjust.line_does_not_split');
  });

  it('refuses a line that does not split the polygon in two', () => {
    const cases: [number, number][][] = [
      [[X + 2 * D, Y - D], [X + 2 * D, Y + 2 * D]], // misses it
      [[X + D / 2, Y - D], [X + D / 2, Y + D / 2]], // ends inside
      [[X - D, Y + D / 4], [X + 2 * D, Y + D / 4], [X + 2 * D, Y + D / 2], [X - D, Y + D / 2]], // crosses twice
      [[X + D / 2, Y + D / 2]],
    ];
    const errors = cases.map((line) => errorOf(() => splitPolygon(square, line)));
    expect(errors.map((e) => [e.code, e.kind])).toEqual(cases.map(() => ['adjust.line_does_not_split', 'invalid']));
    expect(errors.map((e) => e.params.crossings)).toEqual([0, 1, 4, 0]);
  });
});

describe('mergePolygons', () => {
  it('merges two adjacent squares into one rectangle with the sum of the areas', () => {
    const east = box(X + D, Y, X + 2 * D, Y + D);
    const merged = mergePolygons([square, east]);
    expect(relClose(area(merged), area(square) + area(east))).toBe(true);
    expect(merged.coordinates).toHaveLength(1);
    const xs = merged.coordinates[0]!.map((p) => p[0]!);
    expect([Math.min(...xs), Math.max(...xs)]).toEqual([X, X + 2 * D]);
    expect(validatePolygon(merged).ok).toBe(true);
  });

  it('refuses squares that are apart or touch only at a corner', () => {
    const far = box(X + 3 * D, Y, X + 4 * D, Y + D);
    const e = errorOf(() => mergePolygons([square, far]));
    expect([e.code, e.params.parts]).toEqual(['adjust.not_adjacent', 2]);
    expect(errorOf(() => mergePolygons([square, box(X + D, Y + D, X + 2 * D, Y + 2 * D)])).code).toBe('adjust.not_adjacent');
    expect(errorOf(() => mergePolygons([])).code).toBe('adjust.not_adjacent');
  });
});

describe('planMoves', () => {
  const shape = (id: string, polygon: Polygon): GridShape => ({ id, code: id, name: id, polygon });
  const [west, east] = splitPolygon(square, [[X + D / 2, Y - D], [X + D / 2, Y + 2 * D]]).sort(
    (p, q) => p.coordinates[0]![0]![0]! - q.coordinates[0]![0]![0]!,
  );
  const before = [shape('A', square)];
  const after = [shape('A', west!), shape('new:1', east!)];
  const thing = (id: string, kind: PlacedThing['kind'], point: [number, number] | null, extra: Partial<PlacedThing> = {}): PlacedThing => ({
    kind,
    id,
    label: id,
    gridId: 'A',
    point,
    ...extra,
  });

  it('moves a building whose point falls in the new half and keeps a pinned one', () => {
    const moved = thing('b1', 'building', [X + 0.75 * D, Y + D / 2]);
    const pinned = thing('b2', 'building', [X + 0.8 * D, Y + D / 2], { pinned: true });
    const stays = thing('b3', 'building', [X + 0.25 * D, Y + D / 2]);
    const plan = planMoves(before, after, [moved, pinned, stays]);
    expect(plan.moves).toEqual([{ thing: moved, from: 'A', to: 'new:1' }]);
    expect(plan.unplaced).toEqual([]);
    expect(plan.byKind).toEqual({ building: 1, staff: 0, household: 0, person: 0, case: 0 });
  });

  it('keeps a point on the new shared edge in its current grid', () => {
    const onCut = thing('h1', 'household', [X + D / 2, Y + D / 2]);
    expect(planMoves(before, after, [onCut]).moves).toEqual([]);
    expect(planMoves(before, after, [{ ...onCut, gridId: null }]).moves).toEqual([{ thing: { ...onCut, gridId: null }, from: null, to: 'A' }]);
  });

  it('lets staff follow the staff map, else stay while their grid exists', () => {
    const staff = thing('s1', 'staff', null);
    expect(planMoves(before, after, [staff]).moves).toEqual([]);
    expect(planMoves(before, after, [staff], { A: 'new:1' }).moves).toEqual([{ thing: staff, from: 'A', to: 'new:1' }]);
    expect(planMoves(before, after, [staff], { A: 'new:9' }).unplaced).toEqual([staff]); // no such new grid
  });

  it('after a merge, leaves staff of the removed grid and things outside every grid unplaced', () => {
    const merged = [shape('A', mergePolygons([square, box(X + D, Y, X + 2 * D, Y + D)]))];
    const twoBefore = [shape('A', square), shape('B', box(X + D, Y, X + 2 * D, Y + D))];
    const staffB = { ...thing('s2', 'staff', null), gridId: 'B' };
    const caseB = { ...thing('c1', 'case', [X + 1.5 * D, Y + D / 2]), gridId: 'B' };
    const outside = thing('p1', 'person', [X + 5 * D, Y]);
    const elsewhere = { ...thing('p2', 'person', [X + 5 * D, Y]), gridId: 'Z' }; // not part of this adjustment
    const pinnedB = { ...thing('b9', 'building', [X + 1.5 * D, Y + D / 2], { pinned: true }), gridId: 'B' };
    const plan = planMoves(twoBefore, merged, [staffB, caseB, outside, elsewhere, pinnedB]);
    expect(plan.moves).toEqual([{ thing: caseB, from: 'B', to: 'A' }]);
    expect(plan.unplaced).toEqual([staffB, outside, pinnedB]);
    expect(plan.byKind.case).toBe(1);
    expect(planMoves(twoBefore, merged, [staffB], { B: 'A' }).moves).toEqual([{ thing: staffB, from: 'B', to: 'A' }]);
  });
});

describe('adjustment error messages (contracts)', () => {
  it('speaks both languages with the error params', () => {
    expect(errorMessages['adjust.line_does_not_split'].en).toContain('{crossings}');
    expect(errorMessages['adjust.not_adjacent']['zh-CN']).toContain('{parts}');
  });
});
