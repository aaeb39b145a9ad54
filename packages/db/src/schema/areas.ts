import { sql } from 'drizzle-orm';
import { bigint, check, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { ltree } from './types.ts';

/**
 * The area tree: province → city → district → street → community → grid (grids nest).
 * `path` holds the ids of all ancestors and the row itself (ltree), so "everything below X"
 * is one indexed condition `path <@ X.path`. `district_id` is the distribution key (see
 * docs/ARCHITECTURE.md): every large table carries the district of the row it belongs to.
 */
export const areas = pgTable(
  'areas',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    parentId: bigint('parent_id', { mode: 'number' }),
    path: ltree('path').notNull(),
    depth: integer('depth').notNull(),
    level: text('level').notNull(),
    gridType: text('grid_type'),
    code: text('code').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en'),
    districtId: bigint('district_id', { mode: 'number' }),
    geometry: jsonb('geometry'),
    bboxMinLon: doublePrecision('bbox_min_lon'),
    bboxMinLat: doublePrecision('bbox_min_lat'),
    bboxMaxLon: doublePrecision('bbox_max_lon'),
    bboxMaxLat: doublePrecision('bbox_max_lat'),
    sortKey: integer('sort_key').notNull().default(0),
    /** Bumped on every change of code, name, parent or geometry; the earlier state goes to area_versions. */
    version: integer('version').notNull().default(1),
    validFrom: timestamp('valid_from', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** Set when a grid is merged or split away: it stays for history and past statistics, out of the live tree. */
    retiredAt: timestamp('retired_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    // A retired grid keeps its code for history; only live areas must have distinct codes.
    uniqueIndex('areas_code_uq').on(t.code).where(sql`${t.retiredAt} IS NULL`),
    index('areas_path_gist').using('gist', t.path),
    index('areas_parent_idx').on(t.parentId, t.sortKey),
    index('areas_district_idx').on(t.districtId),
    index('areas_level_idx').on(t.level),
    check('areas_level_ck', sql`${t.level} IN ('province','city','district','street','community','grid')`),
    check('areas_grid_type_ck', sql`${t.gridType} IS NULL OR ${t.gridType} IN ('basic','dedicated')`),
  ],
);
