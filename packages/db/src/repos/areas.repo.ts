import { sql } from 'drizzle-orm';
import type { AreaDetail, AreaSummary } from '@wangge/contracts';
import type { AreaRecord, AreaScope, AreasPort } from '@wangge/core';
import { rows, type Db } from '../connection/open.ts';
import { likeEscape, underScope } from './sql-helpers.ts';

interface SummaryRow {
  id: string;
  parent_id: string | null;
  code: string;
  name_zh: string;
  name_en: string | null;
  level: AreaSummary['level'];
  grid_type: AreaSummary['gridType'];
  depth: number;
  children: number;
  streets: number;
  communities: number;
  grids: number;
  users: number;
}

// Counts of everything below each listed area. Roll-ups at registry scale get their own summary
// tables (see the registry module); the area tree itself is small enough to count live.
const summarySelect = sql`
  SELECT c.id::text AS id, c.parent_id::text AS parent_id, c.code, c.name_zh, c.name_en, c.level, c.grid_type, c.depth,
    k.children, k.streets, k.communities, k.grids,
    (SELECT count(*)::int FROM users u JOIN areas ua ON ua.id = u.home_area_id WHERE ua.path <@ c.path) AS users
  FROM areas c
  LEFT JOIN LATERAL (
    SELECT count(*) FILTER (WHERE x.parent_id = c.id)::int AS children,
           count(*) FILTER (WHERE x.level = 'street')::int AS streets,
           count(*) FILTER (WHERE x.level = 'community')::int AS communities,
           count(*) FILTER (WHERE x.level = 'grid')::int AS grids
    FROM areas x WHERE x.path <@ c.path AND x.id <> c.id AND x.retired_at IS NULL
  ) k ON true`;

function toSummary(r: SummaryRow): AreaSummary {
  return {
    id: r.id, parentId: r.parent_id, code: r.code, nameZh: r.name_zh, nameEn: r.name_en, level: r.level,
    gridType: r.grid_type, depth: r.depth, hasChildren: r.children > 0,
    counts: { children: r.children, streets: r.streets, communities: r.communities, grids: r.grids, users: r.users },
  };
}

export function areasRepo(db: Db): AreasPort {
  return {
    async findById(id) {
      const [r] = await rows<{ id: string; parent_id: string | null; path: string; code: string; name_zh: string; name_en: string | null; level: AreaRecord['level']; grid_type: AreaRecord['gridType'] }>(
        db,
        sql`SELECT id::text, parent_id::text, path::text, code, name_zh, name_en, level, grid_type FROM areas WHERE id = ${id}::bigint`,
      );
      return r
        ? { id: r.id, parentId: r.parent_id, path: r.path, code: r.code, nameZh: r.name_zh, nameEn: r.name_en, level: r.level, gridType: r.grid_type }
        : null;
    },

    async children(parentId) {
      const list = await rows<SummaryRow>(db, sql`${summarySelect} WHERE c.parent_id = ${parentId}::bigint AND c.retired_at IS NULL ORDER BY c.sort_key, c.code`);
      return list.map(toSummary);
    },

    async roots(scope: AreaScope) {
      if (scope.paths.length === 0) return [];
      const list = await rows<SummaryRow>(
        db,
        sql`${summarySelect} WHERE c.path IN (${sql.join(scope.paths.map((p) => sql`${p}::ltree`), sql`, `)}) ORDER BY c.depth, c.code`,
      );
      return list.map(toSummary);
    },

    async search(scope, q, limit) {
      const like = `%${likeEscape(q)}%`;
      const list = await rows<SummaryRow>(
        db,
        sql`${summarySelect} WHERE ${underScope(sql`c.path`, scope)} AND c.retired_at IS NULL
            AND (c.name_zh LIKE ${like} OR c.name_en ILIKE ${like} OR c.code LIKE ${likeEscape(q) + '%'})
            ORDER BY c.depth, c.code LIMIT ${limit}`,
      );
      return list.map(toSummary);
    },

    async detail(id): Promise<AreaDetail | null> {
      const [r] = await rows<SummaryRow & { min_lon: number | null; min_lat: number | null; max_lon: number | null; max_lat: number | null; has_geometry: boolean }>(
        db,
        sql`SELECT s.*, a.bbox_min_lon AS min_lon, a.bbox_min_lat AS min_lat, a.bbox_max_lon AS max_lon, a.bbox_max_lat AS max_lat,
                   a.geometry IS NOT NULL AS has_geometry
            FROM (${summarySelect} WHERE c.id = ${id}::bigint) s JOIN areas a ON a.id = s.id::bigint`,
      );
      if (!r) return null;
      const ancestors = await rows<{ id: string; code: string; name_zh: string; name_en: string | null; level: AreaSummary['level'] }>(
        db,
        sql`SELECT p.id::text, p.code, p.name_zh, p.name_en, p.level FROM areas p, areas a
            WHERE a.id = ${id}::bigint AND p.path @> a.path AND p.id <> a.id ORDER BY p.depth`,
      );
      const bbox = r.min_lon === null || r.min_lat === null || r.max_lon === null || r.max_lat === null
        ? null
        : ([r.min_lon, r.min_lat, r.max_lon, r.max_lat] as [number, number, number, number]);
      return {
        ...toSummary(r),
        ancestors: ancestors.map((a) => ({ id: a.id, code: a.code, nameZh: a.name_zh, nameEn: a.name_en, level: a.level })),
        bbox,
        hasGeometry: r.has_geometry,
      };
    },

    async update(id, patch) {
      const sets = [];
      if (patch.nameZh !== undefined) sets.push(sql`name_zh = ${patch.nameZh}`);
      if (patch.nameEn !== undefined) sets.push(sql`name_en = ${patch.nameEn}`);
      if (sets.length === 0) return;
      await db.execute(sql`UPDATE areas SET ${sql.join(sets, sql`, `)}, updated_at = now() WHERE id = ${id}::bigint`);
    },
  };
}
