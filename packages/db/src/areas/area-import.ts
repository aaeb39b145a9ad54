import { sql } from 'drizzle-orm';
import type { AreaLevel } from '@wangge/contracts';
import { rows, type Db } from '../connection/open.ts';

export interface ImportNode {
  code: string;
  name: string;
  level: AreaLevel;
  gridType?: 'basic' | 'dedicated';
  geometry?: GeoJsonPolygon | null;
  children: ImportNode[];
}

export interface GeoJsonPolygon {
  type: 'Polygon';
  coordinates: number[][][];
}

export interface ImportResult {
  created: number;
  updated: number;
  ids: Map<string, string>; // code → id
}

function bboxOf(g: GeoJsonPolygon | null | undefined): [number, number, number, number] | null {
  if (!g) return null;
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ring of g.coordinates) for (const [x = 0, y = 0] of ring) {
    minX = Math.min(minX, x); minY = Math.min(minY, y); maxX = Math.max(maxX, x); maxY = Math.max(maxY, y);
  }
  return [minX, minY, maxX, maxY];
}

/**
 * Writes an area tree into `areas`, matching existing rows by code: a known code is updated
 * (name, geometry), a new one is inserted under its parent with its ltree path. Runs in the
 * caller's transaction. Sort order follows the order of `children`; `at` (the application's
 * clock) stamps the rows, so validity periods never mix the database's clock with the app's.
 */
export async function importAreaTree(tx: Db, root: ImportNode, at: Date): Promise<ImportResult> {
  const ts = at.toISOString();
  const result: ImportResult = { created: 0, updated: 0, ids: new Map() };

  async function visit(node: ImportNode, parent: { id: string; path: string; districtId: string | null } | null, sortKey: number) {
    const bbox = bboxOf(node.geometry);
    const geometry = node.geometry ? JSON.stringify(node.geometry) : null;
    const [existing] = await rows<{ id: string; path: string; district_id: string | null }>(
      tx,
      sql`SELECT id::text, path::text, district_id::text FROM areas WHERE code = ${node.code}`,
    );
    let id: string;
    let path: string;
    let districtId: string | null;
    if (existing) {
      await tx.execute(sql`
        UPDATE areas SET name_zh = ${node.name}, grid_type = ${node.gridType ?? null}, sort_key = ${sortKey},
          geometry = COALESCE(${geometry}::jsonb, geometry),
          bbox_min_lon = COALESCE(${bbox?.[0] ?? null}::float8, bbox_min_lon), bbox_min_lat = COALESCE(${bbox?.[1] ?? null}::float8, bbox_min_lat),
          bbox_max_lon = COALESCE(${bbox?.[2] ?? null}::float8, bbox_max_lon), bbox_max_lat = COALESCE(${bbox?.[3] ?? null}::float8, bbox_max_lat),
          updated_at = ${ts}::timestamptz
        WHERE id = ${existing.id}::bigint`);
      ({ id, path } = existing);
      districtId = existing.district_id;
      result.updated++;
    } else {
      const [created] = await rows<{ id: string; path: string }>(
        tx,
        sql`WITH n AS (SELECT nextval(pg_get_serial_sequence('areas', 'id')) AS id)
            INSERT INTO areas (id, parent_id, path, depth, level, grid_type, code, name_zh, geometry,
                               bbox_min_lon, bbox_min_lat, bbox_max_lon, bbox_max_lat, sort_key, valid_from, created_at, updated_at)
            OVERRIDING SYSTEM VALUE
            SELECT n.id, ${parent?.id ?? null}::bigint,
                   (${parent ? parent.path + '.' : ''} || n.id::text)::ltree,
                   ${parent ? parent.path.split('.').length + 1 : 1}, ${node.level}, ${node.gridType ?? null}, ${node.code}, ${node.name},
                   ${geometry}::jsonb, ${bbox?.[0] ?? null}::float8, ${bbox?.[1] ?? null}::float8, ${bbox?.[2] ?? null}::float8,
                   ${bbox?.[3] ?? null}::float8, ${sortKey}, ${ts}::timestamptz, ${ts}::timestamptz, ${ts}::timestamptz
            FROM n RETURNING id::text, path::text`,
      );
      ({ id, path } = created!);
      districtId = node.level === 'district' ? id : (parent?.districtId ?? null);
      if (districtId) await tx.execute(sql`UPDATE areas SET district_id = ${districtId}::bigint WHERE id = ${id}::bigint`);
      result.created++;
    }
    result.ids.set(node.code, id);
    let i = 0;
    for (const child of node.children) await visit(child, { id, path, districtId }, i++);
  }

  await visit(root, null, 0);
  return result;
}
