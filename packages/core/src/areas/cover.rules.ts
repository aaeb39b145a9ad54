/**
 * 无缝覆盖 (seamless cover): the basic children of one parent must cover it with no gaps and no
 * overlaps. Dedicated grids are not passed in here.
 *
 * Two kinds of noise are ignored. Seams between neighbours that share vertices leave slivers of a
 * few mm²: below `toleranceM2`. And coordinates stored to 7 decimals (~1 cm) cannot put a vertex
 * exactly on a parent's edge, so a grid corner on a 1 km parent edge leaves a sliver ~1 mm wide
 * but over 1 m² in area; an area tolerance alone would flag it, hence `minWidthM` as well.
 */
import { area } from '@turf/area';
import { difference } from '@turf/difference';
import { feature, featureCollection } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import { union } from '@turf/union';
import Flatbush from 'flatbush';
import type { MultiPolygon, Polygon, Position } from 'geojson';

export interface CoverGrid {
  id: string;
  code: string;
  polygon: Polygon;
}

export type CoverProblemKind = 'gap' | 'overlap' | 'outside_parent';

export interface CoverProblem {
  kind: CoverProblemKind;
  areaM2: number;
  geometry: Polygon | MultiPolygon;
  /** overlap: the two grids; outside_parent: the grid; gap: none. */
  gridIds: string[];
  /** Codes of those grids, for messages. */
  codes: string[];
  /** Approximate centre of the problem, "107.0312, 33.0701" (messages in contracts say what it is). */
  where: string;
}

export interface CoverOptions {
  toleranceM2: number;
  /** Parts of the parent deliberately left out (a river, a dedicated area drawn as a hole). */
  intentionalGaps?: (Polygon | MultiPolygon)[];
  /**
   * Pieces thinner than this (mean width 2·area / perimeter, in metres) are seams, not findings.
   * Default 0.01 m: the resolution of coordinates stored to 7 decimals. 0 turns it off.
   */
  minWidthM?: number;
}

export interface CoverResult {
  ok: boolean;
  problems: CoverProblem[];
  /** area(union(grids) ∩ parent) / area(parent), 0..1. */
  coveredShare: number;
}

/** The error code for each kind of problem. */


type Shape = Polygon | MultiPolygon;

export function checkCover(parent: Polygon, grids: CoverGrid[], opts: CoverOptions): CoverResult {
  const tolerance = opts.toleranceM2;
  const minWidth = opts.minWidthM ?? DEFAULT_MIN_WIDTH_M;
  const problems: CoverProblem[] = [];
  /** The non-sliver part of a finding and its area, or null when it is all noise. */
  const significant = (shape: Shape | null): { geometry: Shape; m2: number } | null => {
    const kept = (shape ? pieces(shape) : []).filter((p) => meanWidthM(p) >= minWidth);
    const m2 = kept.reduce((sum, p) => sum + area(p), 0);
    if (kept.length === 0 || m2 <= tolerance) return null;
    const geometry: Shape = kept.length === 1 ? kept[0]! : { type: 'MultiPolygon', coordinates: kept.map((p) => p.coordinates) };
    return { geometry, m2 };
  };

  // Overlaps: only pairs whose bounding boxes touch can intersect.
  const boxes = grids.map((g) => bbox(g.polygon));
  if (grids.length > 1) {
    const index = new Flatbush(grids.length);
    for (const b of boxes) index.add(b[0], b[1], b[2], b[3]);
    index.finish();
    grids.forEach((a, i) => {
      const b = boxes[i]!;
      for (const j of index.search(b[0], b[1], b[2], b[3]).filter((j) => j > i).sort((x, y) => x - y)) {
        const other = grids[j]!;
        const shared = significant(intersection(a.polygon, other.polygon));
        if (shared) {
          problems.push({ kind: 'overlap', areaM2: shared.m2, geometry: shared.geometry, gridIds: [a.id, other.id], codes: [a.code, other.code], where: centreText(shared.geometry) });
        }
      }
    });
  }

  for (const g of grids) {
    const outside = significant(minus(g.polygon, [parent]));
    if (outside) {
      problems.push({ kind: 'outside_parent', areaM2: outside.m2, geometry: outside.geometry, gridIds: [g.id], codes: [g.code], where: centreText(outside.geometry) });
    }
  }

  // Gaps: each separate piece is judged (and reported) on its own.
  const covered = unionAll(grids.map((g) => g.polygon));
  const gaps = minus(parent, [...(covered ? [covered] : []), ...(opts.intentionalGaps ?? [])]);
  for (const piece of gaps ? pieces(gaps) : []) {
    const gap = significant(piece);
    if (gap) {
      problems.push({ kind: 'gap', areaM2: gap.m2, geometry: gap.geometry, gridIds: [], codes: [], where: centreText(gap.geometry) });
    }
  }

  const parentM2 = area(parent);
  const inside = covered ? intersection(covered, parent) : null;
  const coveredShare = parentM2 > 0 && inside ? Math.min(1, area(inside) / parentM2) : 0;
  return { ok: problems.length === 0, problems, coveredShare };
}

const DEFAULT_MIN_WIDTH_M = 0.01;
const M_PER_DEG = (6371008.8 * Math.PI) / 180; // the sphere @turf/area uses

/** 2·area / perimeter: the width of a long thin strip (half the height of a thin triangle). */
function meanWidthM(p: Polygon): number {
  const k = Math.cos(((p.coordinates[0]?.[0]?.[1] ?? 0) * Math.PI) / 180);
  let perimeter = 0;
  for (const ring of p.coordinates) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [ax = 0, ay = 0] = ring[i]!;
      const [bx = 0, by = 0] = ring[i + 1]!;
      perimeter += Math.hypot((bx - ax) * k, by - ay) * M_PER_DEG;
    }
  }
  return perimeter > 0 ? (2 * area(p)) / perimeter : 0;
}

function intersection(a: Shape, b: Shape): Shape | null {
  return intersect(featureCollection([feature(a), feature(b)]))?.geometry ?? null;
}

/** `a` minus every shape in `cut`, or null when nothing is left. */
function minus(a: Shape, cut: Shape[]): Shape | null {
  if (cut.length === 0) return a;
  return difference(featureCollection([feature(a), ...cut.map((c) => feature(c))]))?.geometry ?? null;
}

function unionAll(shapes: Shape[]): Shape | null {
  if (shapes.length === 0) return null;
  if (shapes.length === 1) return shapes[0]!;
  return union(featureCollection(shapes.map((s) => feature(s))))?.geometry ?? null;
}

/** The separate pieces of a shape, each a Polygon. */
export function pieces(shape: Shape): Polygon[] {
  return shape.type === 'Polygon' ? [shape] : shape.coordinates.map((coordinates) => ({ type: 'Polygon', coordinates }));
}

function bbox(p: Polygon): [number, number, number, number] {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x = 0, y = 0] of p.coordinates[0] ?? []) {
    [minX, minY, maxX, maxY] = [Math.min(minX, x), Math.min(minY, y), Math.max(maxX, x), Math.max(maxY, y)];
  }
  return [minX, minY, maxX, maxY];
}


/** "107.0312, 33.0701": area-weighted planar centroid of the exterior rings (fine at grid scale). */
export function centreText(shape: Shape): string {
  const [lon, lat] = approximateCentre(shape);
  return `${lon.toFixed(4)}, ${lat.toFixed(4)}`;
}

export function approximateCentre(shape: Shape): [number, number] {
  const parts = pieces(shape);
  const [ox = 0, oy = 0] = parts[0]?.coordinates[0]?.[0] ?? [];
  let [sx, sy, sa] = [0, 0, 0];
  for (const p of parts) {
    // Relative to a local origin: products of raw degrees (~3500) would swamp a m²-sized piece.
    let [px, py, pa] = [0, 0, 0];
    const ring = p.coordinates[0] ?? [];
    for (let i = 0; i + 1 < ring.length; i++) {
      const [ax = 0, ay = 0] = ring[i] as Position;
      const [bx = 0, by = 0] = ring[i + 1] as Position;
      const [x1, y1, x2, y2] = [ax - ox, ay - oy, bx - ox, by - oy];
      const f = x1 * y2 - x2 * y1;
      [px, py, pa] = [px + (x1 + x2) * f, py + (y1 + y2) * f, pa + f];
    }
    const sign = pa < 0 ? -1 : 1; // either winding counts as positive area
    [sx, sy, sa] = [sx + sign * px, sy + sign * py, sa + sign * pa];
  }
  if (sa > 0) return [ox + sx / (3 * sa), oy + sy / (3 * sa)];
  const b = bbox(parts[0] ?? { type: 'Polygon', coordinates: [] });
  return [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
}
