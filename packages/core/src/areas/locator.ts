/**
 * Point → grid lookup, built once from the grid outlines and kept in memory: a Flatbush R-tree over
 * the bounding boxes narrows the candidates, point-in-polygon decides.
 *
 * Boundary rule: a grid's outline belongs to the grid (closed polygons), so a point exactly on an
 * edge two grids share is in both, and both are returned. This is deterministic and leaves the
 * choice to the caller, who can ask the operator, rather than hiding a coin toss in the index.
 * Results are ordered by depth, then path, then id.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import Flatbush from 'flatbush';
import type { Polygon } from 'geojson';

export interface LocatorGrid {
  id: string;
  /** Ancestor path of ids, "a.b.c" (as in areas.rules.ts). */
  path: string;
  /** Depth in the area tree; larger = further down (大网格 before 小网格). */
  level: number;
  gridType: 'basic' | 'dedicated';
  polygon: Polygon;
}

export interface LocatedGrid {
  id: string;
  path: string;
  depth: number;
}

export interface Located {
  /** Every basic grid containing the point, outermost first. */
  basic: LocatedGrid[];
  /** Every dedicated grid (school, hospital, market…) containing the point, outermost first. */
  dedicated: LocatedGrid[];
}

const M_PER_DEG = (6371008.8 * Math.PI) / 180;

export class GridLocator {
  readonly size: number;
  readonly #grids: LocatorGrid[];
  readonly #index: Flatbush | null;

  constructor(grids: LocatorGrid[]) {
    // Sorting once makes every result list come out ordered without a sort per query.
    this.#grids = [...grids].sort(byDepthPathId);
    this.size = this.#grids.length;
    if (this.size === 0) {
      this.#index = null; // Flatbush refuses an empty index
      return;
    }
    const index = new Flatbush(this.size);
    for (const g of this.#grids) {
      const [minX, minY, maxX, maxY] = bbox(g.polygon);
      index.add(minX, minY, maxX, maxY);
    }
    index.finish();
    this.#index = index;
  }

  locate(lon: number, lat: number): Located {
    const out: Located = { basic: [], dedicated: [] };
    for (const g of this.#candidates(lon, lat, lon, lat)) {
      if (booleanPointInPolygon([lon, lat], g.polygon)) out[g.gridType].push(located(g));
    }
    return out;
  }

  /**
   * Grids whose outline (any ring) passes within `metres` of the point, whether the point is
   * inside them or not: near a boundary the operator should see both sides.
   */
  nearBoundary(lon: number, lat: number, metres: number): LocatedGrid[] {
    const dLat = metres / M_PER_DEG;
    const k = Math.cos((lat * Math.PI) / 180);
    const dLon = dLat / Math.max(k, 1e-9);
    return this.#candidates(lon - dLon, lat - dLat, lon + dLon, lat + dLat)
      .filter((g) => distanceToOutlineM(lon, lat, g.polygon, k) <= metres)
      .map(located);
  }

  /** Grids whose bounding box touches the query box, in the constructor's sorted order. */
  #candidates(minX: number, minY: number, maxX: number, maxY: number): LocatorGrid[] {
    if (!this.#index) return [];
    return this.#index
      .search(minX, minY, maxX, maxY)
      .sort((a, b) => a - b)
      .map((i) => this.#grids[i]!);
  }
}

function located(g: LocatorGrid): LocatedGrid {
  return { id: g.id, path: g.path, depth: g.level };
}

function byDepthPathId(a: LocatorGrid, b: LocatorGrid): number {
  return a.level - b.level || compare(a.path, b.path) || compare(a.id, b.id);
}
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function bbox(p: Polygon): [number, number, number, number] {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x = 0, y = 0] of p.coordinates[0] ?? []) {
    [minX, minY, maxX, maxY] = [Math.min(minX, x), Math.min(minY, y), Math.max(maxX, x), Math.max(maxY, y)];
  }
  return [minX, minY, maxX, maxY];
}

/**
 * Shortest distance in metres from a point to a polygon's edges, in an equirectangular frame
 * centred on the point (x = Δlon·cos(lat), y = Δlat): well under 0.1 % off at grid scale.
 */
export function distanceToOutlineM(lon: number, lat: number, polygon: Polygon, k = Math.cos((lat * Math.PI) / 180)): number {
  let best = Infinity;
  for (const ring of polygon.coordinates) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [ax = 0, ay = 0] = ring[i]!;
      const [bx = 0, by = 0] = ring[i + 1]!;
      best = Math.min(best, segmentDistance((ax - lon) * k, ay - lat, (bx - lon) * k, by - lat));
    }
  }
  return best * M_PER_DEG;
}

/** Distance from the origin to the segment (ax, ay)–(bx, by). */
function segmentDistance(ax: number, ay: number, bx: number, by: number): number {
  const [dx, dy] = [bx - ax, by - ay];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
  return Math.hypot(ax + t * dx, ay + t * dy);
}
