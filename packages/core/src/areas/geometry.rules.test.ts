import { describe, it, expect } from 'vitest';
import { geometryProblemMessages as GEOMETRY_ERROR_MESSAGES } from '@wangge/contracts';
import { validatePolygon, type GeometryProblem, type GeometryProblemCode } from './geometry.rules.ts';

const [X, Y, D] = [107.03, 33.07, 0.001];
/** Counter-clockwise square around (107.03, 33.07), about 93 m × 111 m. */
const square = (): number[][] => [
  [X, Y],
  [X + D, Y],
  [X + D, Y + D],
  [X, Y + D],
  [X, Y],
];
const poly = (...rings: number[][][]) => ({ type: 'Polygon', coordinates: rings });

function problems(input: unknown): GeometryProblem[] {
  const r = validatePolygon(input);
  return r.ok ? [] : r.problems;
}
const codes = (input: unknown): GeometryProblemCode[] => problems(input).map((p) => p.code);

describe('validatePolygon', () => {
  it('accepts a counter-clockwise square, bare or as a Feature', () => {
    const r = validatePolygon(poly(square()));
    expect(r).toEqual({ ok: true, polygon: { type: 'Polygon', coordinates: [square()] } });
    expect(validatePolygon({ type: 'Feature', properties: {}, geometry: poly(square()) }).ok).toBe(true);
  });

  it('accepts a clockwise hole inside a counter-clockwise exterior, and drops altitudes', () => {
    const h = D / 4;
    const hole = [
      [X + h, Y + h],
      [X + h, Y + 3 * h],
      [X + 3 * h, Y + 3 * h],
      [X + 3 * h, Y + h],
      [X + h, Y + h],
    ];
    const withAltitude = square().map(([lon, lat]) => [lon!, lat!, 500]);
    const r = validatePolygon(poly(withAltitude, hole));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.polygon.coordinates[0]).toEqual(square());
  });

  it('rejects what is not GeoJSON', () => {
    for (const input of [null, 42, 'POLYGON((0 0))', [], { coordinates: [] }, { type: 'Feature', geometry: null }]) {
      expect(codes(input)).toEqual(['geometry.invalid_geojson']);
    }
    expect(codes(poly([[X, Y], [X + D, Y], [X, Number.NaN], [X, Y]]))).toEqual(['geometry.invalid_geojson']);
    expect(problems({ type: 'Polygon', coordinates: [[[X, Y], [X + D, 'north'], [X, Y]]] })[0]?.where).toBe(
      'ring 0, vertex 1 is not a [longitude, latitude] pair of finite numbers',
    );
    expect(codes({ type: 'Polygon', coordinates: 'x' })).toEqual(['geometry.invalid_geojson']);
  });

  it('rejects other geometry types', () => {
    expect(codes({ type: 'MultiPolygon', coordinates: [[square()]] })).toEqual(['geometry.not_polygon']);
    expect(codes({ type: 'Feature', geometry: { type: 'Point', coordinates: [X, Y] } })).toEqual(['geometry.not_polygon']);
  });

  it('reports coordinates out of range with their vertex', () => {
    const ring = square();
    ring[2] = [181, 33.071];
    expect(problems(poly(ring))).toContainEqual({
      code: 'geometry.coordinate_out_of_range',
      where: 'ring 0, vertex 2 (181, 33.071)',
      at: [181, 33.071],
    });
  });

  it('reports an unclosed ring and a ring with too few positions', () => {
    expect(problems(poly(square().slice(0, 4)))).toEqual([{ code: 'geometry.ring_not_closed', where: 'ring 0', at: [X, Y] }]);
    expect(codes(poly([[X, Y], [X + D, Y], [X, Y]]))).toEqual(['geometry.too_few_points']);
    expect(codes(poly())).toEqual(['geometry.too_few_points']);
  });

  it('reports wrong winding instead of fixing it', () => {
    expect(problems(poly([...square()].reverse()))).toEqual([{ code: 'geometry.wrong_winding', where: 'ring 0', at: [X, Y] }]);
    const h = D / 4;
    const ccwHole = [
      [X + h, Y + h],
      [X + 3 * h, Y + h],
      [X + 3 * h, Y + 3 * h],
      [X + h, Y + 3 * h],
      [X + h, Y + h],
    ];
    expect(problems(poly(square(), ccwHole)).map((p) => p.where)).toEqual(['ring 1']);
  });

  it('reports each crossing of a self-intersecting outline with its edges and point', () => {
    // A bow-tie: edges 0 and 2 cross in the middle.
    const bowtie = [
      [X, Y],
      [X + D, Y + D],
      [X + D, Y],
      [X, Y + D],
      [X, Y],
    ];
    const found = problems(poly(bowtie)).filter((p) => p.code === 'geometry.self_intersection');
    expect(found).toHaveLength(1);
    expect(found[0]?.where).toBe('ring 0 edges 0 and 2 cross at 107.0305, 33.0705');
    expect(found[0]?.at?.[0]).toBeCloseTo(X + D / 2, 12);
    // A figure with two crossings: both are reported.
    const twice = [
      [X, Y],
      [X + 2 * D, Y],
      [X + 2 * D, Y + D],
      [X + D, Y - D],
      [X + D / 2, Y + D],
      [X, Y],
    ];
    expect(problems(poly(twice)).filter((p) => p.code === 'geometry.self_intersection')).toHaveLength(2);
  });

  it('reports a hole outside the exterior', () => {
    const far = [
      [X + 2 * D, Y],
      [X + 2 * D, Y + D],
      [X + 3 * D, Y + D],
      [X + 3 * D, Y],
      [X + 2 * D, Y],
    ];
    expect(problems(poly(square(), far))).toEqual([{ code: 'geometry.hole_outside', where: 'ring 1, vertex 0', at: [X + 2 * D, Y] }]);
  });

  it('has a zh-CN and an en message with {where} for every code', () => {
    for (const m of Object.values(GEOMETRY_ERROR_MESSAGES)) {
      expect(m['zh-CN']).toContain('{where}');
      expect(m.en).toContain('{where}');
    }
    expect(Object.keys(GEOMETRY_ERROR_MESSAGES)).toHaveLength(8);
  });
});
